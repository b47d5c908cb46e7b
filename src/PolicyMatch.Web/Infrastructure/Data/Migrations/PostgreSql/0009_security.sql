-- Issue 14 (security): an atomic login throttle, sessions that end, versions public only once published.

-- One row per email with failed sign-ins in the current window. The check and the count are one
-- upsert (see UserRepository.ReserveAttemptAsync): ON CONFLICT takes the row lock, so parallel
-- guesses are counted one after another.
CREATE TABLE login_throttle (
    email           TEXT NOT NULL PRIMARY KEY,   -- lower-case, as users.email
    attempts        INTEGER NOT NULL,
    window_started  TEXT NOT NULL
);
DROP TABLE login_failures;

-- Changed on password change, logout and "sign out everywhere"; a cookie carrying another value is refused.
ALTER TABLE users ADD COLUMN security_stamp TEXT NOT NULL DEFAULT '';

-- When a version was first published: only such versions (and not later drafts) are public.
ALTER TABLE measure_versions ADD COLUMN published_at TEXT;
UPDATE measure_versions v SET published_at = v.created_at
FROM measures m WHERE m.id = v.measure_id AND v.version = m.published_version;
