-- 0002: accounts — login throttling, joining a company, profile history, incubators, the audit log.

-- Failed logins by email; a window of them locks the email out for a while (AccountService).
CREATE TABLE login_failures (
    email      TEXT NOT NULL COLLATE NOCASE,
    failed_at  TEXT NOT NULL
);
CREATE INDEX ix_login_failures_email ON login_failures (email, failed_at);

-- A user asks to join a company by its 统一社会信用代码; an owner approves or rejects.
CREATE TABLE join_requests (
    id          INTEGER PRIMARY KEY,
    company_id  INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    status      TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    created_at  TEXT NOT NULL,
    decided_at  TEXT,
    decided_by  INTEGER REFERENCES users(id)
);
CREATE UNIQUE INDEX ux_join_requests_pending ON join_requests (company_id, user_id) WHERE status = 'pending';

-- Every saved profile, so who changed what and when can be shown and a past match reproduced.
CREATE TABLE profile_history (
    id                  INTEGER PRIMARY KEY,
    company_id          INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    changed_by          INTEGER REFERENCES users(id),
    changed_at          TEXT NOT NULL,
    profile_json        TEXT NOT NULL,
    changed_facts_json  TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX ix_profile_history_company ON profile_history (company_id, id);

CREATE TABLE incubators (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
);

CREATE TABLE incubator_advisors (
    incubator_id  INTEGER NOT NULL REFERENCES incubators(id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (incubator_id, user_id)
);

CREATE TABLE incubator_tenants (
    incubator_id  INTEGER NOT NULL REFERENCES incubators(id) ON DELETE CASCADE,
    company_id    INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    added_at      TEXT NOT NULL,
    PRIMARY KEY (incubator_id, company_id)
);
CREATE INDEX ix_incubator_tenants_company ON incubator_tenants (company_id);

-- Who did what: measure authoring, publishing, imports, membership decisions.
CREATE TABLE audit_log (
    id            INTEGER PRIMARY KEY,
    at            TEXT NOT NULL,
    user_id       INTEGER REFERENCES users(id),
    action        TEXT NOT NULL,
    entity        TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    details_json  TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX ix_audit_log_entity ON audit_log (entity, entity_id, id);
