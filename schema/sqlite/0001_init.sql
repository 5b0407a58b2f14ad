-- vigil store, schema version 1 (SQLite).
-- Direct identifiers never appear here: people are keyed pseudonyms (HMAC-SHA256) made at ingest.

-- One row per ingested file. A file is ingested in one transaction, so a batch row exists only for a
-- file that was read to the end; its counts always reconcile.
CREATE TABLE batch (
    id          INTEGER PRIMARY KEY,
    source      TEXT NOT NULL,                 -- police, stop_search, ae, ambulance, counts:met, areas, ...
    kind        TEXT NOT NULL CHECK (kind IN ('events', 'counts', 'areas', 'population', 'deprivation')),
    profile     TEXT NOT NULL,                 -- the ingest profile that read it
    path        TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    rows_read   INTEGER NOT NULL CHECK (rows_read >= 0),
    accepted    INTEGER NOT NULL CHECK (accepted >= 0),
    updated     INTEGER NOT NULL CHECK (updated >= 0),
    duplicates  INTEGER NOT NULL CHECK (duplicates >= 0),
    rejected    INTEGER NOT NULL CHECK (rejected >= 0),
    started_at  TEXT NOT NULL,                 -- UTC, ISO 8601
    finished_at TEXT NOT NULL,
    notes       TEXT,                          -- JSON: extra columns, vintage, warnings
    CHECK (rows_read = accepted + updated + duplicates + rejected)
);
CREATE INDEX batch_sha ON batch (sha256, profile);

-- A row that could not be used, with where and why.
CREATE TABLE reject (
    batch_id INTEGER NOT NULL REFERENCES batch (id),
    file     TEXT NOT NULL,
    line     INTEGER NOT NULL,                 -- physical line, header = 1
    "column" TEXT,                             -- column name (or number) at fault; NULL for the whole row
    value    TEXT,
    reason   TEXT NOT NULL,
    raw      TEXT                              -- the row as read (identifiers of sources that carry them are masked)
);
CREATE INDEX reject_batch ON reject (batch_id);

-- Areas at each level, geometry as ISO WKB in EPSG:27700.
CREATE TABLE area (
    level       TEXT NOT NULL CHECK (level IN ('lsoa', 'msoa', 'ward', 'borough')),
    code        TEXT NOT NULL,
    name        TEXT,
    parent_code TEXT,                          -- the containing area one level up, when the source gives it
    geometry    BLOB,
    centroid_x  REAL, centroid_y REAL, area_m2 REAL,
    min_x REAL, min_y REAL, max_x REAL, max_y REAL,
    batch_id    INTEGER NOT NULL REFERENCES batch (id),
    PRIMARY KEY (level, code)
);

-- Which higher-level area each LSOA lies in, for rolling LSOA figures up to MSOA, ward and borough. Taken from
-- the boundary file's own fields where it has them (e.g. LAD22CD), else from the LSOA's centroid.
CREATE TABLE area_lookup (
    lsoa_code     TEXT NOT NULL,
    level         TEXT NOT NULL CHECK (level IN ('msoa', 'ward', 'borough')),
    code          TEXT NOT NULL,
    method        TEXT NOT NULL CHECK (method IN ('attribute', 'centroid')),
    PRIMARY KEY (lsoa_code, level)
) WITHOUT ROWID;

-- One record per incident as one source saw it.
-- Ranges are checked with BETWEEN, not IN (...): SQLite 3.40 evaluates a CHECK with an IN list of three or more
-- values by building a temporary table for every inserted row, which cost a quarter of ingest time.
CREATE TABLE event (
    id              INTEGER PRIMARY KEY,
    source          TEXT NOT NULL,
    record_key      BLOB NOT NULL,             -- 16-byte identity within the source (docs/IDENTITY.md)
    key64           INTEGER,                   -- 64 bits of (source, record_key): the indexed identity; NULL
                                               -- for the rare record whose 64 bits another record already has
    record_id       TEXT,                      -- the source's own id where it has one
    content_hash    INTEGER NOT NULL,          -- detects changed content (an update) vs a duplicate
    batch_id        INTEGER NOT NULL,          -- the batch that last wrote it (not a declared foreign key: checking
                                               -- one per row halves bulk-load speed; ingest guarantees it)
    date            INTEGER NOT NULL,          -- days since 1970-01-01; first day of the month for month precision
    date_precision  INTEGER NOT NULL CHECK (date_precision BETWEEN 0 AND 2),  -- day, month, year
    minute          INTEGER CHECK (minute BETWEEN 0 AND 1439),
    x REAL, y REAL,                            -- EPSG:27700 easting, northing
    lon REAL, lat REAL,                        -- EPSG:4326
    loc_precision   TEXT,                      -- exact, snapped, area, none
    lsoa TEXT, msoa TEXT, ward TEXT, borough TEXT,
    category_id     INTEGER NOT NULL,
    source_category TEXT,                      -- the label as the source gave it
    weapon          INTEGER NOT NULL DEFAULT 0,
    age             INTEGER CHECK (age BETWEEN 0 AND 130),
    sex             INTEGER NOT NULL DEFAULT 0 CHECK (sex BETWEEN 0 AND 2),  -- unknown, male, female
    domestic        INTEGER CHECK (domestic IN (0, 1)),
    site            TEXT,                      -- treatment site, station, ...
    person_ids      TEXT,                      -- keyed pseudonyms, ';'-separated
    attrs           TEXT                       -- JSON of further profile fields
);
-- Identity lookups go through a unique index on an integer (cheaper to maintain per row than one on
-- (source, record_key)); the few records whose 64 bits collide are found through the partial index.
CREATE UNIQUE INDEX event_key64 ON event (key64);
CREATE INDEX event_key_collided ON event (source, record_key) WHERE key64 IS NULL;

-- Event counts kept up to date at ingest: one row per distinct (source, category, date, precision, age, sex,
-- areas). Analyses that count (rates, alerts) read this instead of scanning events; its primary key orders it
-- by source, category and date so that a filtered count is one range scan.
CREATE TABLE event_cube (
    source         TEXT NOT NULL,
    category_id    INTEGER NOT NULL,
    date           INTEGER NOT NULL,
    date_precision INTEGER NOT NULL,
    age            INTEGER NOT NULL,           -- -1 when unknown
    sex            INTEGER NOT NULL,
    lsoa TEXT NOT NULL, msoa TEXT NOT NULL, ward TEXT NOT NULL, borough TEXT NOT NULL,  -- '' when unknown
    n              INTEGER NOT NULL CHECK (n >= 0),
    PRIMARY KEY (source, category_id, date, date_precision, age, sex, lsoa, msoa, ward, borough)
) WITHOUT ROWID;

-- The same counts without areas, for city-wide series (a few thousand rows where event_cube has millions).
CREATE TABLE event_total (
    source         TEXT NOT NULL,
    category_id    INTEGER NOT NULL,
    date           INTEGER NOT NULL,
    date_precision INTEGER NOT NULL,
    age            INTEGER NOT NULL,
    sex            INTEGER NOT NULL,
    n              INTEGER NOT NULL CHECK (n >= 0),
    PRIMARY KEY (source, category_id, date, date_precision, age, sex)
) WITHOUT ROWID;

-- Pre-aggregated counts (area x period x category x source) shared by partners that publish only aggregates.
-- A later vintage of a cell replaces an earlier one; batch_id says where the value came from.
CREATE TABLE count_cell (
    source          TEXT NOT NULL,
    area_level      TEXT NOT NULL,
    area_code       TEXT NOT NULL,
    period_kind     INTEGER NOT NULL,          -- 0 day, 1 week, 2 month, 3 quarter, 4 year
    period_key      INTEGER NOT NULL,
    source_category TEXT NOT NULL,             -- e.g. the Met's MinorText
    category_id     INTEGER NOT NULL,
    count           INTEGER NOT NULL CHECK (count >= 0),
    vintage         INTEGER NOT NULL,          -- the latest period in the file that carried it (its edition)
    batch_id        INTEGER NOT NULL REFERENCES batch (id),
    PRIMARY KEY (source, area_code, period_kind, period_key, source_category)
) WITHOUT ROWID;
CREATE INDEX count_cat ON count_cell (category_id, period_kind, period_key);

-- Resident population by area, year, sex and age band. age_hi = 999 marks an open band (85+) and
-- (0, 999) all ages.
CREATE TABLE population (
    area_code  TEXT NOT NULL,
    year       INTEGER NOT NULL,
    sex        INTEGER NOT NULL CHECK (sex BETWEEN 0 AND 2),  -- all, male, female
    age_lo     INTEGER NOT NULL CHECK (age_lo >= 0),
    age_hi     INTEGER NOT NULL CHECK (age_hi >= age_lo),
    population REAL NOT NULL CHECK (population >= 0),
    batch_id   INTEGER NOT NULL REFERENCES batch (id),
    PRIMARY KEY (year, area_code, sex, age_lo, age_hi)  -- year first: analyses read the years they need
) WITHOUT ROWID;

-- English Indices of Deprivation by LSOA.
CREATE TABLE deprivation (
    lsoa_code  TEXT NOT NULL,
    edition    TEXT NOT NULL,                  -- e.g. IoD2019
    imd_score  REAL,
    imd_rank   INTEGER,
    imd_decile INTEGER CHECK (imd_decile BETWEEN 1 AND 10),
    batch_id   INTEGER NOT NULL REFERENCES batch (id),
    PRIMARY KEY (lsoa_code, edition)
) WITHOUT ROWID;
