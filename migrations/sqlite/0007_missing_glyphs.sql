-- Characters no bundled font could print (DESIGN.md §6, booklet): the build
-- does not fail on them but prints a visible replacement, and lists them as
-- JSON [{"story_id": …|null, "place": …, "character": "…", "count": n}] so the
-- researcher can correct the story. Same in ../sqlite and ../postgres.
ALTER TABLE booklet_build ADD COLUMN missing_glyphs TEXT NOT NULL DEFAULT '[]';
