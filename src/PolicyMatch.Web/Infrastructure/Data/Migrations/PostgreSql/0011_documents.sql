-- 0011 (PostgreSQL): policy documents added in the portal (issue 12). A document is a row of `plans`, like the
-- seeded plans, so the plan reader, search and measures treat both alike; what the portal adds is
-- where it came from and every text it has had, so replacing a document's text keeps the text that
-- past results and older measure versions cited.

-- 'seed' rows are owned by seeds/ (the seeder rewrites them); 'portal' rows by administrators.
ALTER TABLE plans ADD COLUMN origin TEXT NOT NULL DEFAULT 'seed' CHECK (origin IN ('seed', 'portal'));
-- The newest text's number in plan_versions (1 for a seeded plan, which has no rows there).
ALTER TABLE plans ADD COLUMN current_version INTEGER NOT NULL DEFAULT 1;

-- Every text a portal document has had: version 1 on creation, one more per replacement.
CREATE TABLE plan_versions (
    plan_id       TEXT NOT NULL REFERENCES plans(id),
    version       INTEGER NOT NULL,
    body          TEXT NOT NULL,               -- the cleaned text, as the reader shows it
    content_hash  TEXT NOT NULL,
    source_name   TEXT NOT NULL,               -- the uploaded file's name, or '(粘贴)' for pasted text
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,               -- the administrator's email, as measure_versions.created_by
    PRIMARY KEY (plan_id, version)
);

-- The regions a notice is for (issue 12): its recipients are the companies eligible for its measures
-- *in these regions*, so a Changping notice linked to a Tongzhou measure does not reach Tongzhou.
-- Keyed by the notice's id, which a scheduled notice keeps when it is published (notice_schedules →
-- notices), so one row serves both; no foreign key for that reason. No rows: no restriction.
CREATE TABLE notice_regions (
    notice_id  TEXT NOT NULL,
    region     TEXT NOT NULL,
    PRIMARY KEY (notice_id, region)
);
