-- 0010: trust between users — verified ownership (evidence an administrator reviews, disputes),
-- incubators linked to existing companies only with the owner's consent, tenant imports previewed
-- before they change anything, privacy consent, and 'account' messages (requests that need a user's
-- decision) in the notices outbox.

-- A company or an incubator is unverified until an administrator approves evidence for it.
ALTER TABLE companies ADD COLUMN verified_at TEXT;
ALTER TABLE companies ADD COLUMN verified_by INTEGER REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE incubators ADD COLUMN verified_at TEXT;
ALTER TABLE incubators ADD COLUMN verified_by INTEGER REFERENCES users(id) ON DELETE SET NULL;

-- What a user sends an administrator: 'verify' (the owner proves the company or incubator is theirs)
-- or 'dispute' (someone else claims a registered company). The evidence (营业执照, an image or a PDF,
-- its type checked by its first bytes) is kept in the database, not in a folder: outside the web
-- root, served only to administrators, and shared by every node of a several-node deployment.
CREATE TABLE verification_requests (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('verify', 'dispute')),
    company_id     INTEGER REFERENCES companies(id) ON DELETE CASCADE,
    incubator_id   INTEGER REFERENCES incubators(id) ON DELETE CASCADE,
    user_id        INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    statement      TEXT NOT NULL DEFAULT '',
    file_name      TEXT NOT NULL,
    content_type   TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'application/pdf')),
    size           INTEGER NOT NULL,
    sha256         TEXT NOT NULL,
    content        BLOB NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    created_at     TEXT NOT NULL,
    decided_at     TEXT,
    decided_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    decision_note  TEXT,
    CHECK ((company_id IS NULL) <> (incubator_id IS NULL)),
    CHECK (kind = 'verify' OR company_id IS NOT NULL)
);
CREATE INDEX ix_verification_requests_status ON verification_requests (status, id);
CREATE UNIQUE INDEX ux_verification_requests_pending
    ON verification_requests (kind, COALESCE(company_id, 0), COALESCE(incubator_id, 0), user_id) WHERE status = 'pending';

-- An incubator asks a registered company to become its tenant; the company's owner decides.
-- given_name is the name as the advisor typed it: until the owner agrees the advisor sees nothing
-- of the company's own record.
CREATE TABLE tenant_link_requests (
    id            INTEGER PRIMARY KEY,
    incubator_id  INTEGER NOT NULL REFERENCES incubators(id) ON DELETE CASCADE,
    company_id    INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    uscc          TEXT NOT NULL,
    given_name    TEXT NOT NULL,
    requested_by  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    status        TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'declined')),
    created_at    TEXT NOT NULL,
    decided_at    TEXT,
    decided_by    INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX ux_tenant_link_requests_pending ON tenant_link_requests (incubator_id, company_id) WHERE status = 'pending';
CREATE INDEX ix_tenant_link_requests_company ON tenant_link_requests (company_id, status);

-- A tenant import that changes existing companies waits here between its preview and the
-- advisor's confirmation; the file is read again at confirmation.
CREATE TABLE tenant_import_drafts (
    id            INTEGER PRIMARY KEY,
    incubator_id  INTEGER NOT NULL REFERENCES incubators(id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    file_name     TEXT NOT NULL,
    content       BLOB NOT NULL,
    fingerprint   TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

-- Registration asks for consent to the privacy notice (/privacy); which version, and when.
ALTER TABLE users ADD COLUMN privacy_version TEXT;
ALTER TABLE users ADD COLUMN privacy_accepted_at TEXT;

-- notice_messages.kind gains 'account' (requests that need the user's decision: link and join
-- requests, verification results; sent whatever the subscriptions). SQLite cannot change a CHECK in
-- place, so the two outbox tables are rebuilt. Order matters with foreign keys on: dropping the old
-- messages table while the old deliveries still referenced it would cascade-delete them.
-- The copies name every column of 0005: a later change to either table's columns must be made here too.
CREATE TABLE notice_messages_new (
    id             INTEGER PRIMARY KEY,
    key            TEXT NOT NULL UNIQUE,
    kind           TEXT NOT NULL CHECK (kind IN ('claim_call', 'certification_call', 'general',
                                                 'deadline_reminder', 'qualification_expiry', 'digest', 'account')),
    notice_id      TEXT REFERENCES notices(id),
    company_id     INTEGER REFERENCES companies(id) ON DELETE CASCADE,
    title          TEXT NOT NULL,
    body           TEXT NOT NULL,
    link           TEXT NOT NULL,
    items_json     TEXT NOT NULL DEFAULT '[]',
    window_opens   TEXT,
    window_closes  TEXT,
    created_at     TEXT NOT NULL
);
INSERT INTO notice_messages_new SELECT id, key, kind, notice_id, company_id, title, body, link, items_json, window_opens, window_closes, created_at FROM notice_messages;

CREATE TABLE notice_deliveries_new (
    id               INTEGER PRIMARY KEY,
    message_id       INTEGER NOT NULL REFERENCES notice_messages_new(id) ON DELETE CASCADE,
    user_id          INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    channel          TEXT NOT NULL CHECK (channel IN ('inbox', 'email')),
    status           TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT,
    claimed_by       TEXT,
    lease_until      TEXT,
    last_error       TEXT,
    created_at       TEXT NOT NULL,
    sent_at          TEXT,
    acknowledged_at  TEXT,
    UNIQUE (message_id, user_id, channel)
);
INSERT INTO notice_deliveries_new SELECT id, message_id, user_id, channel, status, attempts, next_attempt_at, claimed_by, lease_until, last_error, created_at, sent_at, acknowledged_at FROM notice_deliveries;

DROP TABLE notice_deliveries;
DROP TABLE notice_messages;
-- Renaming rewrites notice_deliveries_new's reference to the new name as well.
ALTER TABLE notice_messages_new RENAME TO notice_messages;
ALTER TABLE notice_deliveries_new RENAME TO notice_deliveries;
CREATE INDEX ix_notice_deliveries_email ON notice_deliveries (status, next_attempt_at) WHERE channel = 'email';
CREATE INDEX ix_notice_deliveries_inbox ON notice_deliveries (user_id, id) WHERE channel = 'inbox';
CREATE INDEX ix_notice_deliveries_progress ON notice_deliveries (message_id, channel, status);
