#!/bin/sh
# The queue search's "number alone" look-up (`store::read::queue::search`,
# `2001` → ABK-YYYY-002001 of every year) against a scan of the numbers, over a
# register made by `tizilim demo --cases 100000 --units 1000000`
# (docs/figures.md). Read-only: `scripts/search-number.sh national.sqlite [2001]`.
set -eu
db=${1:?usage: $0 REGISTER.sqlite [DIGITS]}
seq=$(printf '%06d' "${2:-2001}")
for i in 1 2 3; do
  sqlite3 -readonly "$db" <<SQL
.timer on
SELECT 'by number, year by year', count(*) FROM cases WHERE number IN (
  WITH RECURSIVE y(n) AS (
    SELECT CAST(substr(min(number), 5, 4) AS INTEGER) FROM cases
    UNION ALL SELECT n + 1 FROM y
     WHERE n < (SELECT CAST(substr(max(number), 5, 4) AS INTEGER) FROM cases))
  SELECT 'ABK-' || n || '-' || '$seq' FROM y);
SELECT 'a scan of the numbers', count(*) FROM cases WHERE number LIKE '%-' || '$seq';
SQL
done
