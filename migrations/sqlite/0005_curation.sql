-- Curation by researchers. Same in sqlite/ and postgres/.
--
-- Optimistic versions on the selection: `order_version` guards the order of
-- chapters and stories (two researchers reordering at once get a conflict),
-- `texts_version` the foreword, colophon text and funder line; each chapter
-- intro has its own `version`.

ALTER TABLE booklet_selection ADD COLUMN order_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE booklet_selection ADD COLUMN texts_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE booklet_chapter ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
