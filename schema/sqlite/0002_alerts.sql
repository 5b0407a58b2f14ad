-- vigil store, schema version 2: alarms remembered between runs of `vigil alerts` on the store, so that a nightly
-- job can list only the alarms not seen before (`vigil alerts --new`).
CREATE TABLE alert (
    signature  TEXT NOT NULL,   -- the method, its options and the series asked for (level, period, category, ...)
    series_id  TEXT NOT NULL,   -- area code, with the --by values
    period     TEXT NOT NULL,   -- period label, e.g. 2024-W09
    observed   INTEGER NOT NULL,
    upperbound REAL,
    first_seen TEXT NOT NULL,   -- UTC, ISO 8601: the run that first raised it
    PRIMARY KEY (signature, series_id, period)
) WITHOUT ROWID;
