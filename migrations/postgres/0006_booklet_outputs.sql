-- Booklet outputs (DESIGN.md §6): the resident's first name for the
-- `real_first_name` consent, the photos a build reads, and every file a build
-- produces. Keep in step with ../sqlite/0006_booklet_outputs.sql (only
-- INTEGER ↔ BIGINT differ).

-- Printed instead of the pseudonym only while the consent includes
-- `real_first_name`; NULL when the student did not enter it.
ALTER TABLE resident ADD COLUMN first_name TEXT;

-- The photos of a build as JSON: [{"path": "/photos/0001.jpg",
-- "object_key": …, "content_hash": …}], in print order. The worker copies
-- them out of the object store; the document JSON only names `path`.
ALTER TABLE booklet_build ADD COLUMN photos TEXT NOT NULL DEFAULT '[]';

-- One row per file of a build: kind 'print' (A5 with 3 mm bleed), 'screen'
-- (A5, PDF/A-2 + PDF/UA-1), 'chapter' (one per neighbourhood, ordinal =
-- chapter number) and 'page' (PNG preview, ordinal = page number).
CREATE TABLE booklet_output (
    build_id    TEXT NOT NULL REFERENCES booklet_build(id),
    kind        TEXT NOT NULL CHECK (kind IN ('print', 'screen', 'chapter', 'page')),
    ordinal     BIGINT NOT NULL,
    label       TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    bytes       BIGINT NOT NULL,
    page_count  BIGINT NOT NULL,
    PRIMARY KEY (build_id, kind, ordinal)
);
