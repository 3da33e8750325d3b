-- Media of stories: photos, audio recordings, consent signatures (DESIGN.md §7).
-- Keep in step with ../sqlite/0002_media.sql (only INTEGER ↔ BIGINT differ).
-- The bytes live in the object store under `object_key` (content-addressed for
-- photos and signatures); rows are never deleted, only marked `deleted_at`
-- (the object is removed by the same request).

CREATE TABLE media (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisation(id),
    story_id        TEXT REFERENCES story(id),
    resident_id     TEXT REFERENCES resident(id),
    kind            TEXT NOT NULL CHECK (kind IN ('photo', 'audio', 'signature')),
    status          TEXT NOT NULL DEFAULT 'ready' CHECK (status IN ('recording', 'ready')),
    object_key      TEXT,
    thumb_key       TEXT,
    content_hash    TEXT,
    mime            TEXT NOT NULL,
    bytes           BIGINT NOT NULL DEFAULT 0,
    width           BIGINT,
    height          BIGINT,
    duration_ms     BIGINT,
    caption         TEXT NOT NULL DEFAULT '',
    alt_text        TEXT NOT NULL DEFAULT '',
    uploaded_by     TEXT NOT NULL REFERENCES app_user(id),
    created_at      TEXT NOT NULL,
    deleted_at      TEXT
);
CREATE INDEX media_story ON media (story_id, created_at);

-- Audio arrives in chunks while the interview is recorded, so a dropped
-- connection loses at most the chunk in flight; (media_id, seq) makes a
-- repeated chunk upload idempotent.
CREATE TABLE media_chunk (
    media_id    TEXT NOT NULL REFERENCES media(id),
    seq         BIGINT NOT NULL,
    object_key  TEXT NOT NULL,
    bytes       BIGINT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (media_id, seq)
);
