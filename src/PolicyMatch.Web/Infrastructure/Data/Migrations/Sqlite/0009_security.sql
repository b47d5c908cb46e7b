-- Issue 14 (security): an atomic login throttle, sessions that end, versions public only once published.

-- One row per email with failed sign-ins in the current window. The check and the count are one
-- upsert (see UserRepository.ReserveAttemptAsync), so parallel guesses cannot all pass a check made
-- before any of them was recorded (login_failures counted first and inserted later).
CREATE TABLE login_throttle (
    email           TEXT NOT NULL PRIMARY KEY,   -- lower-case, as users.email
    attempts        INTEGER NOT NULL,
    window_started  TEXT NOT NULL
);
DROP TABLE login_failures;

-- Changed on password change, logout and "sign out everywhere"; a cookie carrying another value is refused.
ALTER TABLE users ADD COLUMN security_stamp TEXT NOT NULL DEFAULT '';

-- When a version was first published: only such versions (and not later drafts) are public. Before this
-- column only the current published version is known to have been published.
ALTER TABLE measure_versions ADD COLUMN published_at TEXT;
UPDATE measure_versions SET published_at = created_at
WHERE version = (SELECT m.published_version FROM measures m WHERE m.id = measure_versions.measure_id);
