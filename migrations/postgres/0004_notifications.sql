-- Notifications: what a user should know about (a story waits for review,
-- changes were requested, a comment arrived). Shown in the app with a badge;
-- also sent by e-mail to users who did not turn that off (`emailed_at`
-- marks the ones the outbox has handled). Same in sqlite/ and postgres/.

CREATE TABLE notification (
    id              TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES app_user(id),
    organisation_id TEXT REFERENCES organisation(id),
    kind            TEXT NOT NULL CHECK (kind IN ('submitted', 'changes_requested', 'approved', 'comment')),
    story_id        TEXT REFERENCES story(id),
    actor_id        TEXT REFERENCES app_user(id),
    created_at      TEXT NOT NULL,
    read_at         TEXT,
    emailed_at      TEXT
);
CREATE INDEX notification_user ON notification (user_id, read_at, created_at);
CREATE INDEX notification_outbox ON notification (emailed_at, created_at);
