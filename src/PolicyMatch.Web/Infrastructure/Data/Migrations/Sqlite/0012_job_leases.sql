-- Issue 10: jobs on Hangfire. A job that must not run twice at once across processes (the email
-- dispatcher, the rematch) holds a lease here while it runs, renewed every few seconds: a process
-- killed mid-run loses its lease within JobsOptions' lease time, so another can take over quickly.
-- (Hangfire's own SQLite storage lock is not used for this: its expiry is not under our control.)
CREATE TABLE job_leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    lease_until TEXT NOT NULL
);
