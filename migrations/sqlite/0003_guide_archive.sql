-- Interview guide editing, SQLite flavour. Keep in step with ../postgres/0003_guide_archive.sql
-- (same columns, only types differ: INTEGER ↔ BIGINT).
--
-- Questions are never deleted (story_answer and comment point at them): a question
-- that should no longer be asked is archived. Archived questions drop out of the form
-- for new interviews; stories that answered them still show those answers.
--
-- Optimistic concurrency for two researchers editing at once: every change to a
-- question bumps its `version`; every change to the list (add, move, archive) bumps
-- the edition's `guide_version`. A change sent with an older number is refused.

ALTER TABLE guide_question ADD COLUMN archived_at TEXT;
ALTER TABLE guide_question ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE guide_question ADD COLUMN updated_at TEXT;
ALTER TABLE guide_question ADD COLUMN updated_by TEXT REFERENCES app_user(id);

ALTER TABLE edition ADD COLUMN guide_version INTEGER NOT NULL DEFAULT 1;
