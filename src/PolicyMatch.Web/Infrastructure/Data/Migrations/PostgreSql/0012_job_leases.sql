-- Issue 10: jobs on Hangfire. A job that must not run twice at once across nodes (the email
-- dispatcher, the rematch) holds a lease here while it runs, renewed every few seconds: a node
-- killed mid-run loses its lease within JobsOptions' lease time, so another node takes over quickly.
CREATE TABLE job_leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    lease_until TEXT NOT NULL
);

-- The previous job scheduler kept its qrtz_ tables in this database; Hangfire uses its own schema
-- (hangfire), so they are dropped. IF EXISTS: a database created after the switch never had them.
DROP TABLE IF EXISTS qrtz_fired_triggers, qrtz_paused_trigger_grps, qrtz_scheduler_state, qrtz_locks,
    qrtz_simple_triggers, qrtz_cron_triggers, qrtz_simprop_triggers, qrtz_blob_triggers, qrtz_triggers,
    qrtz_job_details, qrtz_calendars CASCADE;
