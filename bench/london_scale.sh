#!/usr/bin/env bash
# Ingests a London-scale synthetic city (vigil synth --scale london --out DIR) into a new store and times
# each step and a set of rates queries with /usr/bin/time. Usage: bench/london_scale.sh DIR [BUILD_DIR]
set -euo pipefail
dir=$(cd "${1:?usage: bench/london_scale.sh DIR [BUILD_DIR]}" && pwd)
cd "$(dirname "$0")/.."
vigil=$(pwd)/${2:-build}/apps/vigil/vigil
db=$(mktemp -d)/london.db
export VIGIL_PSEUDONYM_KEY=benchmark-key-not-secret-benchmark-key
t() { /usr/bin/time -f "%e s wall, %U s user, %M KB peak  $1" "${@:2}"; }
cd "$dir"
t "areas"       "$vigil" --db "$db" -q ingest areas boundaries/borough.geojson --level borough
t "areas"       "$vigil" --db "$db" -q ingest areas boundaries/msoa.geojson --level msoa
t "areas"       "$vigil" --db "$db" -q ingest areas boundaries/lsoa.geojson --level lsoa
t "population"  "$vigil" --db "$db" -q ingest population population.csv
t "deprivation" "$vigil" --db "$db" -q ingest deprivation deprivation.csv
t "police"      "$vigil" --db "$db" -q ingest police police/*.csv
t "ae"          "$vigil" --db "$db" -q ingest ae ae.csv
t "ambulance"   "$vigil" --db "$db" -q ingest events ambulance.csv
while read -r args; do
    t "rates $args" "$vigil" --db "$db" -q rates $args --format csv >/dev/null
done <<'QUERIES'
--level borough --period year --source police
--level borough --period month --source police --from 2024-01 --to 2024-12
--level lsoa --period year --source police --from 2024 --to 2024
--level lsoa --period month --source police
--level borough --period week --source ae --age 15-24
--level msoa --period quarter --source ambulance --sex
--level all --period month --source police --category all_crime
QUERIES
rm -rf "$(dirname "$db")"
