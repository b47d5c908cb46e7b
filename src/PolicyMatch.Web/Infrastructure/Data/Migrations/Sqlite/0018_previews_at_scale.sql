-- Issue 12 item 6: the previews an administrator waits for, with 100,000 companies.
-- The index by measure also holds the version, so "how many companies per outcome for this version"
-- is answered from the index alone, without a lookup of each of up to 100,000 rows.
DROP INDEX ix_company_matches_measure;
CREATE INDEX ix_company_matches_measure ON company_matches (measure_id, outcome, measure_version);
-- Companies by name: the preview lists the first 200 eligible companies by name, and for a measure most
-- companies are eligible for, walking this index and stopping at 200 beats sorting 100,000 names.
CREATE INDEX ix_companies_name ON companies (name, id);
