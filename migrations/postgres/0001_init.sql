-- Wijkverhalen schema, PostgreSQL flavour. Keep in step with ../sqlite/0001_init.sql:
-- same tables, columns and version numbers; only types differ (BIGINT ↔ INTEGER,
-- BYTEA ↔ BLOB). Ids are UUID text, times are fixed-width RFC 3339 UTC text,
-- booleans are 0/1 integers, JSON is text (see DESIGN.md §9).

CREATE TABLE organisation (
    id          TEXT PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE municipality (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisation(id),
    name            TEXT NOT NULL,
    cbs_code        TEXT,
    UNIQUE (organisation_id, name)
);

CREATE TABLE neighbourhood (
    id              TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipality(id),
    name            TEXT NOT NULL,
    cbs_code        TEXT,
    UNIQUE (municipality_id, name)
);

CREATE TABLE edition (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisation(id),
    year            BIGINT NOT NULL,
    title           TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('open', 'closed', 'published')),
    is_public       BIGINT NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    UNIQUE (organisation_id, year)
);

CREATE TABLE guide_question (
    id          TEXT PRIMARY KEY,
    edition_id  TEXT NOT NULL REFERENCES edition(id),
    position    BIGINT NOT NULL,
    text        TEXT NOT NULL,
    help_text   TEXT NOT NULL DEFAULT '',
    required    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX guide_question_edition ON guide_question (edition_id, position);

CREATE TABLE consent_text (
    id          TEXT PRIMARY KEY,
    edition_id  TEXT NOT NULL REFERENCES edition(id),
    version     BIGINT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (edition_id, version)
);

CREATE TABLE study_group (
    id          TEXT PRIMARY KEY,
    edition_id  TEXT NOT NULL REFERENCES edition(id),
    name        TEXT NOT NULL,
    UNIQUE (edition_id, name)
);

CREATE TABLE app_user (
    id                  TEXT PRIMARY KEY,
    email               TEXT NOT NULL UNIQUE,
    display_name        TEXT NOT NULL,
    password_hash       TEXT NOT NULL,
    email_notifications BIGINT NOT NULL DEFAULT 1,
    colophon_opt_out    BIGINT NOT NULL DEFAULT 0,
    created_at          TEXT NOT NULL,
    disabled_at         TEXT
);

CREATE TABLE role_membership (
    id              TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES app_user(id),
    organisation_id TEXT NOT NULL REFERENCES organisation(id),
    role            TEXT NOT NULL CHECK (role IN ('student', 'lecturer', 'researcher', 'municipality', 'admin')),
    municipality_id TEXT REFERENCES municipality(id),
    CHECK ((role = 'municipality') = (municipality_id IS NOT NULL))
);
CREATE UNIQUE INDEX role_membership_unique
    ON role_membership (user_id, organisation_id, role, COALESCE(municipality_id, ''));

CREATE TABLE group_member (
    group_id    TEXT NOT NULL REFERENCES study_group(id),
    user_id     TEXT NOT NULL REFERENCES app_user(id),
    role        TEXT NOT NULL CHECK (role IN ('student', 'lecturer')),
    PRIMARY KEY (group_id, user_id, role)
);
CREATE INDEX group_member_user ON group_member (user_id);

CREATE TABLE group_neighbourhood (
    group_id        TEXT NOT NULL REFERENCES study_group(id),
    neighbourhood_id TEXT NOT NULL REFERENCES neighbourhood(id),
    PRIMARY KEY (group_id, neighbourhood_id)
);

CREATE TABLE resident (
    id                      TEXT PRIMARY KEY,
    organisation_id         TEXT NOT NULL REFERENCES organisation(id),
    pseudonym               TEXT NOT NULL,
    age_band                TEXT,
    years_in_neighbourhood  BIGINT,
    created_by              TEXT NOT NULL REFERENCES app_user(id),
    created_at              TEXT NOT NULL
);

CREATE TABLE consent (
    id                  TEXT PRIMARY KEY,
    resident_id         TEXT NOT NULL REFERENCES resident(id),
    consent_text_id     TEXT NOT NULL REFERENCES consent_text(id),
    scopes              TEXT NOT NULL,
    signature_media_id  TEXT,
    witness_name        TEXT,
    signed_at           TEXT NOT NULL,
    withdrawn_at        TEXT,
    recorded_by         TEXT NOT NULL REFERENCES app_user(id)
);
CREATE INDEX consent_resident ON consent (resident_id);

CREATE TABLE story (
    id               TEXT PRIMARY KEY,
    organisation_id  TEXT NOT NULL REFERENCES organisation(id),
    edition_id       TEXT NOT NULL REFERENCES edition(id),
    municipality_id  TEXT NOT NULL REFERENCES municipality(id),
    neighbourhood_id TEXT NOT NULL REFERENCES neighbourhood(id),
    group_id         TEXT NOT NULL REFERENCES study_group(id),
    resident_id      TEXT NOT NULL REFERENCES resident(id),
    consent_id       TEXT REFERENCES consent(id),
    title            TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'changes_requested', 'approved', 'selected', 'published', 'withdrawn')),
    version          BIGINT NOT NULL,
    created_by       TEXT NOT NULL REFERENCES app_user(id),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    submitted_at     TEXT,
    reviewed_at      TEXT
);
CREATE INDEX story_group_status ON story (group_id, status);
CREATE INDEX story_org_status ON story (organisation_id, status);

CREATE TABLE story_author (
    story_id    TEXT NOT NULL REFERENCES story(id),
    user_id     TEXT NOT NULL REFERENCES app_user(id),
    PRIMARY KEY (story_id, user_id)
);

CREATE TABLE story_answer (
    story_id    TEXT NOT NULL REFERENCES story(id),
    question_id TEXT NOT NULL REFERENCES guide_question(id),
    body        TEXT NOT NULL,
    PRIMARY KEY (story_id, question_id)
);

CREATE TABLE revision (
    id          TEXT PRIMARY KEY,
    story_id    TEXT NOT NULL REFERENCES story(id),
    number      BIGINT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('draft', 'submitted', 'editorial')),
    save_id     TEXT UNIQUE,
    author_id   TEXT NOT NULL REFERENCES app_user(id),
    created_at  TEXT NOT NULL,
    snapshot    TEXT NOT NULL,
    UNIQUE (story_id, number)
);

CREATE TABLE comment (
    id              TEXT PRIMARY KEY,
    story_id        TEXT NOT NULL REFERENCES story(id),
    author_id       TEXT NOT NULL REFERENCES app_user(id),
    body            TEXT NOT NULL,
    question_id     TEXT REFERENCES guide_question(id),
    parent_id       TEXT REFERENCES comment(id),
    story_version   BIGINT NOT NULL,
    resolved        BIGINT NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL
);
CREATE INDEX comment_story ON comment (story_id, created_at);

CREATE TABLE booklet_selection (
    id              TEXT PRIMARY KEY,
    edition_id      TEXT NOT NULL REFERENCES edition(id),
    municipality_id TEXT NOT NULL REFERENCES municipality(id),
    title           TEXT NOT NULL,
    foreword        TEXT NOT NULL DEFAULT '',
    colophon_extra  TEXT NOT NULL DEFAULT '',
    funder_line     TEXT NOT NULL DEFAULT '',
    updated_at      TEXT NOT NULL,
    UNIQUE (edition_id, municipality_id)
);

CREATE TABLE booklet_chapter (
    selection_id     TEXT NOT NULL REFERENCES booklet_selection(id),
    neighbourhood_id TEXT NOT NULL REFERENCES neighbourhood(id),
    position         BIGINT NOT NULL,
    intro            TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (selection_id, neighbourhood_id)
);

CREATE TABLE booklet_story (
    selection_id TEXT NOT NULL REFERENCES booklet_selection(id),
    story_id     TEXT NOT NULL UNIQUE REFERENCES story(id),
    position     BIGINT NOT NULL,
    PRIMARY KEY (selection_id, story_id)
);

CREATE TABLE booklet_build (
    id              TEXT PRIMARY KEY,
    selection_id    TEXT NOT NULL REFERENCES booklet_selection(id),
    organisation_id TEXT NOT NULL REFERENCES organisation(id),
    edition_id      TEXT NOT NULL REFERENCES edition(id),
    municipality_id TEXT NOT NULL REFERENCES municipality(id),
    input_hash      TEXT NOT NULL,
    document        TEXT NOT NULL,
    story_ids       TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    phase           TEXT NOT NULL DEFAULT '',
    error           TEXT,
    pdf_key         TEXT,
    pdf_bytes       BIGINT,
    page_count      BIGINT,
    claimed_by      TEXT,
    created_by      TEXT NOT NULL REFERENCES app_user(id),
    created_at      TEXT NOT NULL,
    started_at      TEXT,
    finished_at     TEXT,
    published_at    TEXT,
    published_by    TEXT REFERENCES app_user(id),
    superseded_by   TEXT REFERENCES booklet_build(id)
);
CREATE INDEX booklet_build_queue ON booklet_build (status, created_at);
CREATE INDEX booklet_build_selection ON booklet_build (selection_id, created_at);

CREATE TABLE audit_event (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT REFERENCES organisation(id),
    actor_id        TEXT REFERENCES app_user(id),
    action          TEXT NOT NULL,
    subject_type    TEXT NOT NULL,
    subject_id      TEXT NOT NULL,
    detail          TEXT NOT NULL DEFAULT '{}',
    created_at      TEXT NOT NULL
);
CREATE INDEX audit_event_org_time ON audit_event (organisation_id, created_at);
CREATE INDEX audit_event_subject ON audit_event (subject_id, created_at);

CREATE TABLE session (
    id          TEXT PRIMARY KEY,
    data        BYTEA NOT NULL,
    expiry_date BIGINT NOT NULL
);
CREATE INDEX session_expiry ON session (expiry_date);
