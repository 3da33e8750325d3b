-- Accounts (issue 12.4). `session_epoch` is written into a session at
-- sign-in; raising it ends every session of the account at once (password
-- changed elsewhere, account deactivated). `must_change_password` is set for
-- an account that still has a start password someone else chose or saw:
-- until its owner picks their own, nothing but that form is open to them.
-- `language` is the interface language the user chose ('nl', 'en'; NULL:
-- follow the browser). Same in ../sqlite and ../postgres (INTEGER ↔ BIGINT).
ALTER TABLE app_user ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0;
ALTER TABLE app_user ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
ALTER TABLE app_user ADD COLUMN language TEXT;
