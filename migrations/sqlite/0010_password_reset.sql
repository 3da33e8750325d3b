-- Password-reset links sent by e-mail (issue 12.4): only a SHA-256 hash of
-- the link's secret is stored; a link works once (`used_at`) and until
-- `expires_at` (RFC 3339 text, as everywhere). Same in ../sqlite and
-- ../postgres.
CREATE TABLE password_reset (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES app_user(id),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);
CREATE INDEX password_reset_user ON password_reset (user_id);
