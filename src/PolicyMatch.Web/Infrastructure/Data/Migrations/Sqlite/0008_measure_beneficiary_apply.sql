-- 0008 (issue 11): who a measure benefits, and how to apply for it.
-- beneficiary: company | talent (the company's staff and talents) | institution (universities and
-- institutes) | government (a government body or park). Only company and talent measures are matched
-- against companies; the others stay readable in the plan reader and in search. Rows written before
-- this migration were all company-facing by construction, hence the default.
-- apply_json: the "how to apply" facts the source states (channel, contact, documents, links to the
-- notices that open a round), as JSON in the catalog's file format; NULL where the source states none.
ALTER TABLE measure_versions ADD COLUMN beneficiary TEXT NOT NULL DEFAULT 'company'
    CHECK (beneficiary IN ('company', 'talent', 'institution', 'government'));
ALTER TABLE measure_versions ADD COLUMN apply_json TEXT;
