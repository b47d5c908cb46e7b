-- 0005: notices — authored notices waiting for their send time, the outbox of deliveries (in-app
-- inbox and email), subscriptions per kind, and what the automatic notices remember.
-- See Features/Notices/README.md for the delivery state machine.

-- A notice an administrator wrote and scheduled. `notices` stays the record of published notices
-- (the seeds, and these once sent): at send time the fan-out copies the row into `notices` and
-- writes its deliveries in one transaction, so nothing scheduled shows on public pages early.
CREATE TABLE notice_schedules (
    id             TEXT PRIMARY KEY,            -- becomes notices.id when sent
    kind           TEXT NOT NULL CHECK (kind IN ('claim_call', 'certification_call', 'general')),
    title          TEXT NOT NULL,
    body           TEXT NOT NULL,
    window_opens   TEXT,
    window_closes  TEXT,
    send_at        TEXT NOT NULL,               -- UTC timestamp
    status         TEXT NOT NULL CHECK (status IN ('scheduled', 'cancelled', 'sent')),
    created_by     INTEGER REFERENCES users(id),
    created_at     TEXT NOT NULL,
    cancelled_by   INTEGER REFERENCES users(id),
    cancelled_at   TEXT,
    sent_at        TEXT,
    recipients     INTEGER                      -- users reached, counted at fan-out
);
CREATE INDEX ix_notice_schedules_due ON notice_schedules (status, send_at);

CREATE TABLE notice_schedule_measures (
    notice_id   TEXT NOT NULL REFERENCES notice_schedules(id) ON DELETE CASCADE,
    measure_id  TEXT NOT NULL REFERENCES measures(id),
    PRIMARY KEY (notice_id, measure_id)
);

-- One thing told to a set of users: a notice, a deadline reminder, an expiry reminder, a digest.
-- `key` makes each idempotent: 'notice:{id}', 'deadline:{notice}:{closes}',
-- 'expiry:{company}:hightech:{certificate}', 'digest:{company}:{date}'.
CREATE TABLE notice_messages (
    id             INTEGER PRIMARY KEY,
    key            TEXT NOT NULL UNIQUE,
    kind           TEXT NOT NULL CHECK (kind IN ('claim_call', 'certification_call', 'general',
                                                 'deadline_reminder', 'qualification_expiry', 'digest')),
    notice_id      TEXT REFERENCES notices(id),
    company_id     INTEGER REFERENCES companies(id) ON DELETE CASCADE,
    title          TEXT NOT NULL,
    body           TEXT NOT NULL,               -- plain text; the inbox and both email bodies show it
    link           TEXT NOT NULL,               -- a path in the portal, e.g. /notices/{id}
    items_json     TEXT NOT NULL DEFAULT '[]',  -- the measures it names: [{"id": …, "title": …}]
    window_opens   TEXT,
    window_closes  TEXT,
    created_at     TEXT NOT NULL
);

-- The outbox: one row per message, user and channel, written before anything is sent.
-- inbox rows are delivered by being written (status 'sent'); email rows move
-- pending → sending (claimed: attempts + 1, claimed_by, lease_until) → sent | pending (retry) | failed,
-- or skipped when the user unsubscribed before the send.
CREATE TABLE notice_deliveries (
    id               INTEGER PRIMARY KEY,
    message_id       INTEGER NOT NULL REFERENCES notice_messages(id) ON DELETE CASCADE,
    user_id          INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    channel          TEXT NOT NULL CHECK (channel IN ('inbox', 'email')),
    status           TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT,
    claimed_by       TEXT,                      -- the dispatching process (see DeliveryDispatcher.Runner)
    lease_until      TEXT,
    last_error       TEXT,
    created_at       TEXT NOT NULL,
    sent_at          TEXT,
    acknowledged_at  TEXT,                      -- inbox rows: the user confirmed having read it
    UNIQUE (message_id, user_id, channel)
);
CREATE INDEX ix_notice_deliveries_email ON notice_deliveries (status, next_attempt_at) WHERE channel = 'email';
CREATE INDEX ix_notice_deliveries_inbox ON notice_deliveries (user_id, id) WHERE channel = 'inbox';
CREATE INDEX ix_notice_deliveries_progress ON notice_deliveries (message_id, channel, status);

-- Users opt in per kind; a row means subscribed (in-app inbox and email).
CREATE TABLE notice_subscriptions (
    user_id        INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind           TEXT NOT NULL CHECK (kind IN ('claim_call', 'certification_call', 'general',
                                                 'deadline_reminder', 'qualification_expiry', 'digest')),
    subscribed_at  TEXT NOT NULL,
    PRIMARY KEY (user_id, kind)
);
CREATE INDEX ix_notice_subscriptions_kind ON notice_subscriptions (kind, user_id);

-- The digest tells a company what newly matches: what matched at its last digest.
CREATE TABLE notice_digest_state (
    company_id     INTEGER PRIMARY KEY REFERENCES companies(id) ON DELETE CASCADE,
    measures_json  TEXT NOT NULL,
    as_of          TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

-- The key that signs unsubscribe links, made once per database so links keep working across
-- restarts and machines without any configuration.
CREATE TABLE notice_secrets (
    name   TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
INSERT INTO notice_secrets (name, value) VALUES ('unsubscribe', lower(hex(randomblob(32))));
