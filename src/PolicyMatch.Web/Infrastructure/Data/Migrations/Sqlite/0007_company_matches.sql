-- Stored matches (issue 7, bulk rematch): each company's result for each published measure, kept so
-- that "which companies are eligible for X" is a query, not 100,000 evaluations. Refreshed by the
-- rematch job (a measure on publish/retire, everything daily) and for one company on a profile save.
-- Plain "not eligible" pairs are not stored: they are most pairs and nobody lists them.
-- No foreign keys, on purpose: the table is derived and rewritten whole every day from the companies
-- and measures the rematch has just read (which also drops any orphan), and checking two foreign keys
-- on each of ~2 million rows was the largest part of a full refresh on PostgreSQL.
CREATE TABLE company_matches (
    company_id       INTEGER NOT NULL,
    measure_id       TEXT NOT NULL,
    measure_version  INTEGER NOT NULL,
    outcome          TEXT NOT NULL CHECK (outcome IN ('eligible', 'needs_information', 'near_miss')),
    met              INTEGER NOT NULL,
    total            INTEGER NOT NULL,
    refreshed_at     TEXT NOT NULL,
    PRIMARY KEY (company_id, measure_id)
) WITHOUT ROWID;

-- "Companies eligible for this measure", and the delete of one measure's rows before its rematch.
CREATE INDEX ix_company_matches_measure ON company_matches (measure_id, outcome);

-- One row per bulk rematch (a measure or everything), for the jobs dashboard.
CREATE TABLE rematch_runs (
    id            INTEGER PRIMARY KEY,
    scope         TEXT NOT NULL CHECK (scope IN ('full', 'measure')),
    measure_id    TEXT,
    as_of         TEXT NOT NULL,
    started_at    TEXT NOT NULL,
    finished_at   TEXT NOT NULL,
    companies     INTEGER NOT NULL,
    rows_written  INTEGER NOT NULL,
    duration_ms   INTEGER NOT NULL
);
