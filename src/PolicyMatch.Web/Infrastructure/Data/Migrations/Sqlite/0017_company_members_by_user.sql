-- A user's companies are looked up by user everywhere (the company switcher, the notice email and inbox
-- naming the user's companies among the thousands a notice concerns); the primary key starts with the
-- company, so without this every such lookup scanned company_members.
CREATE INDEX ix_company_members_user ON company_members (user_id, company_id);
