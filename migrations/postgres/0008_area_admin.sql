-- Organisation structure maintained by administrators (issue 12): a
-- neighbourhood can be archived — no new interviews there, its stories stay —
-- and a CBS code names one municipality per organisation and one
-- neighbourhood per municipality. Times are RFC 3339 text, as everywhere.
-- Same in ../sqlite and ../postgres.
ALTER TABLE neighbourhood ADD COLUMN archived_at TEXT;
CREATE UNIQUE INDEX municipality_cbs_code ON municipality (organisation_id, cbs_code);
CREATE UNIQUE INDEX neighbourhood_cbs_code ON neighbourhood (municipality_id, cbs_code);
