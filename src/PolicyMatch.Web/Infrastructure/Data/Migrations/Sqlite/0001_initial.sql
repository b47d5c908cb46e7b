-- 0001: the catalog (plans, clauses, measures with versions), companies, users, seed notices, search.
-- Dates are ISO-8601 text ('YYYY-MM-DD', timestamps 'YYYY-MM-DDTHH:MM:SSZ'); JSON columns end in _json.

CREATE TABLE plans (
    id               TEXT PRIMARY KEY,            -- '000' … the seed file's number
    document         TEXT NOT NULL UNIQUE,        -- the seed file's name, e.g. 000_1964764f133f43d3.txt
    title            TEXT NOT NULL,
    issuer           TEXT NOT NULL,
    document_number  TEXT,
    published_on     TEXT,
    period_from      TEXT,
    period_to        TEXT,
    regions_json     TEXT NOT NULL DEFAULT '[]',
    attribution      TEXT,
    notes            TEXT,
    body             TEXT NOT NULL,
    content_hash     TEXT NOT NULL
);

-- A plan's clauses as the reader shows them: one row per heading, in document order.
CREATE TABLE plan_clauses (
    plan_id   TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    ref       TEXT NOT NULL,                      -- 二(一)3, 第二节一 …
    ordinal   INTEGER NOT NULL,
    depth     INTEGER NOT NULL,
    heading   TEXT NOT NULL,
    text      TEXT NOT NULL,
    PRIMARY KEY (plan_id, ref)
);

CREATE TABLE measures (
    id                 TEXT PRIMARY KEY,          -- natural key, e.g. cp-tech-transfer-award
    plan_id            TEXT NOT NULL REFERENCES plans(id),
    status             TEXT NOT NULL CHECK (status IN ('draft', 'published', 'retired')),
    current_version    INTEGER NOT NULL,          -- newest version (may be a draft)
    published_version  INTEGER,                   -- the version companies are matched against
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);

-- Every version is kept, so a past result can be reproduced with the version it used.
CREATE TABLE measure_versions (
    measure_id        TEXT NOT NULL REFERENCES measures(id),
    version           INTEGER NOT NULL,
    title             TEXT NOT NULL,
    title_en          TEXT,
    summary           TEXT NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('funding', 'award', 'certification', 'loan_subsidy', 'talent', 'space', 'service', 'procurement')),
    amount            TEXT,
    departments_json  TEXT NOT NULL DEFAULT '[]',
    regions_json      TEXT NOT NULL DEFAULT '[]',
    focus_areas_json  TEXT NOT NULL DEFAULT '[]',
    period_from       TEXT,
    period_to         TEXT,
    window_opens      TEXT,
    window_closes     TEXT,
    clause_ref        TEXT NOT NULL,
    quote             TEXT NOT NULL,
    notes             TEXT,
    criteria_json     TEXT NOT NULL,
    content_hash      TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    created_by        TEXT NOT NULL,
    PRIMARY KEY (measure_id, version)
);

CREATE TABLE companies (
    id            INTEGER PRIMARY KEY,
    uscc          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    district      TEXT NOT NULL,
    profile_json  TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name   TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('company', 'advisor', 'admin')),
    created_at     TEXT NOT NULL
);

CREATE TABLE company_members (
    company_id  INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('owner', 'member')),
    PRIMARY KEY (company_id, user_id)
);

CREATE TABLE notices (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('claim_call', 'certification_call', 'general')),
    title           TEXT NOT NULL,
    body            TEXT NOT NULL,
    published_on    TEXT NOT NULL,
    window_opens    TEXT,
    window_closes   TEXT,
    source_document TEXT,
    source_quote    TEXT,
    notes           TEXT,
    content_hash    TEXT NOT NULL
);

CREATE TABLE notice_measures (
    notice_id   TEXT NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    measure_id  TEXT NOT NULL REFERENCES measures(id),
    PRIMARY KEY (notice_id, measure_id)
);

-- Full-text search over measures and clauses. The trigram tokenizer indexes Chinese without a word
-- segmenter; it needs queries of 3+ characters, so shorter ones fall back to LIKE (see SearchRepository).
CREATE VIRTUAL TABLE search_index USING fts5(
    doc_kind UNINDEXED,   -- 'measure' | 'clause'
    doc_key UNINDEXED,    -- measure id, or plan_id || '#' || clause ref
    title,
    body,
    tokenize = 'trigram'
);
