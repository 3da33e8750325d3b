-- Curation by researchers. Same in sqlite/ and postgres/.
--
-- Optimistic versions on the selection: `order_version` guards the order of
-- chapters and stories (two researchers reordering at once get a conflict),
-- `texts_version` the foreword, colophon text and funder line; each chapter
-- intro has its own `version`.

ALTER TABLE booklet_selection ADD COLUMN order_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE booklet_selection ADD COLUMN texts_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE booklet_chapter ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- The codebook: themes per edition, as a tree (parent_id NULL = top level).
-- Names are unique among siblings (checked by the server: NULL parents do
-- not make a UNIQUE constraint work the same in both databases).
CREATE TABLE theme (
    id          TEXT PRIMARY KEY,
    edition_id  TEXT NOT NULL REFERENCES edition(id),
    parent_id   TEXT REFERENCES theme(id),
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX theme_edition ON theme (edition_id, position);

-- Stories tagged with themes.
CREATE TABLE story_theme (
    story_id   TEXT NOT NULL REFERENCES story(id),
    theme_id   TEXT NOT NULL REFERENCES theme(id),
    tagged_by  TEXT NOT NULL REFERENCES app_user(id),
    tagged_at  TEXT NOT NULL,
    PRIMARY KEY (story_id, theme_id)
);
CREATE INDEX story_theme_theme ON story_theme (theme_id);

-- Quotes: exact text from one answer of one revision of a story, with its
-- place in that answer as UTF-16 code unit offsets (what the browser's
-- Selection API counts; the server checks the text is really there).
-- At most one quote per story is its pull quote (`pull` = 1).
CREATE TABLE quote (
    id              TEXT PRIMARY KEY,
    story_id        TEXT NOT NULL REFERENCES story(id),
    question_id     TEXT NOT NULL REFERENCES guide_question(id),
    revision_number INTEGER NOT NULL,
    start_utf16     INTEGER NOT NULL,
    end_utf16       INTEGER NOT NULL,
    text            TEXT NOT NULL,
    pull            INTEGER NOT NULL DEFAULT 0,
    created_by      TEXT NOT NULL REFERENCES app_user(id),
    created_at      TEXT NOT NULL
);
CREATE INDEX quote_story ON quote (story_id, created_at);
