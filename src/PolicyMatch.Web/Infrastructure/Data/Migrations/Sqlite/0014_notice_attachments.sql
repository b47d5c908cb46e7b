-- 0014: attachments of notices and the companies a notice message concerns (issue 12, item 4).

-- A notice's files (申报指南, 申报表): PDF, DOCX or XLSX, the type decided by the bytes. Kept in the
-- database rather than on disk so that both nodes of a scale-out deployment (one PostgreSQL) serve
-- them, one backup holds notices and their files together, and adding one is in the same transaction
-- as its audit entry. Keyed by the notice id like notice_regions (a scheduled notice keeps its id
-- when published), so no foreign key.
CREATE TABLE notice_attachments (
    id            INTEGER PRIMARY KEY,
    notice_id     TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    content_type  TEXT NOT NULL CHECK (content_type IN (
                      'application/pdf',
                      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
                      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')),
    size          INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    content       BLOB NOT NULL,
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL
);
CREATE INDEX ix_notice_attachments_notice ON notice_attachments (notice_id, id);

-- Which companies a notice message concerns: the eligible companies in the notice's regions, written
-- at fan-out beside the deliveries, so each user's email and inbox item can name *their* companies
-- among them (a user may belong to several).
CREATE TABLE notice_message_companies (
    message_id  INTEGER NOT NULL REFERENCES notice_messages(id) ON DELETE CASCADE,
    company_id  INTEGER NOT NULL,
    PRIMARY KEY (message_id, company_id)
);

-- The document a scheduled notice was written from (plans.document, as notices.source_document of the
-- seeds); copied to notices.source_document at fan-out. A notice without regions of its own is for
-- its document's regions.
ALTER TABLE notice_schedules ADD COLUMN source_document TEXT;
