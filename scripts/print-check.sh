#!/usr/bin/env bash
# The documents as a browser prints them: headless Chromium prints the HTML
# notice of each language to PDF, and pdftotext must find the Cyrillic text and
# every serial, on the expected number of pages — one page for a handful of
# units, several cleanly paginated pages (table header repeated) for hundreds.
# Needs: chromium, poppler-utils (pdftotext, pdfinfo), fonts-dejavu-core.
# Usage: scripts/print-check.sh [path/to/tizilim]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/debug/tizilim}
[ -x "$bin" ] || cargo build --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work TIZILIM_PASSPHRASE_FILE=$work/pass TIZILIM_TRUST_DIR=$work/trust
printf 'print check passphrase\n' > "$work/pass"
chmod 0600 "$work/pass"
db=$work/r.sqlite
"$bin" --db "$db" init >/dev/null
"$bin" --db "$db" user set "$(id -un)" --iin 880101300123 >/dev/null
"$bin" --db "$db" key test-ca "$work/trust" >/dev/null
"$bin" --db "$db" key test-certificate --iin 880101300123 --name "Дана Сейткали" --out "$work/dana.p12" >/dev/null
"$bin" --db "$db" key import "$work/dana.p12" --name "Дана Сейткали" --position head >/dev/null

# An application of N units with serials PRNTnnnnnn, received on 20 March 2024.
application() {
  python3 - "$1" "$2" <<'PY'
import json, sys
n, tag = int(sys.argv[1]), sys.argv[2]
def bin_with_check(first11):
    d = [int(c) for c in first11]
    for w in (range(1, 12), [3,4,5,6,7,8,9,10,11,1,2]):
        c = sum(a*b for a, b in zip(d, w)) % 11
        if c != 10:
            return first11 + str(c)
    return None
b = next(x for x in (bin_with_check(f"2105400{k:04d}") for k in range(100)) if x)
print(json.dumps({
  "kind": "inclusion", "channel": "portal", "received_at": "2024-03-20T11:05:00+05:00",
  "applicant": {"name": "ТОО «Экибастуз Компьют»", "bin_iin": b, "legal_address": "Экибастуз, ул. Сатпаева 12", "phone": "+7 701 123 45 67",
                "email": "office@example.kz", "personal_data_consent": True},
  "data_center": "Павлодарская область, Экибастуз, промзона 4", "tn_ved_code": "8471500000",
  "units": [{"brand": "Bitmain", "model": "Antminer S19j Pro", "serial": f"{tag}{i:06d}",
             "hashrate_ths": 104.0, "power_kw": 3.07, "condition": "serviceable"} for i in range(n)],
  "documents": [{"kind": "ownership_proof", "name": "lease.pdf", "valid_until": "2026-12-31"}]}))
PY
}

application 4 SMAL > "$work/small.json"
application 240 LARG > "$work/large.json"
"$bin" --db "$db" intake "$work/small.json" "$work/large.json" >/dev/null
"$bin" --db "$db" case decide ABK-2024-000001 include --on 2024-03-26 >/dev/null
"$bin" --db "$db" case decide ABK-2024-000002 include --on 2024-03-26 >/dev/null
# A third decided after its §10 term, with its reason, for the report of terms.
application 2 LATE > "$work/late.json"
"$bin" --db "$db" intake "$work/late.json" >/dev/null
"$bin" --db "$db" case decide ABK-2024-000003 include --on 2024-04-05 \
  --late-reason "Проверка документов заняла больше времени" >/dev/null

# A fourth with the preliminary decision and hearing notice (§11–§12), and a
# complaint on it decided in writing (§17–§20).
application 1 HEAR > "$work/hear.json"
"$bin" --db "$db" intake "$work/hear.json" >/dev/null
"$bin" --db "$db" hearing notify ABK-2024-000004 --ground 1 --ground 6 \
  --reason "Договор аренды не зарегистрирован." --sent-on 2024-03-27 \
  --at 2024-03-28T15:00 --place "г. Астана, пр. Мәңгілік Ел, 55/14, каб. 402" >/dev/null
"$bin" --db "$db" complaint lodge ABK-2024-000004 --to provider \
  --text "Заявитель не согласен." --received 2024-04-02T10:00 >/dev/null
"$bin" --db "$db" complaint decide CMP-2024-000001 rejected \
  --reason "Предварительное решение обосновано." --on 2024-04-03 >/dev/null

chrome() {
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/chrome" --no-pdf-header-footer --print-to-pdf="$2" "file://$1" \
    >/dev/null 2>&1
}

fail=0
check() { # doc lang expected-pages-min expected-pages-max serial-prefix count
  local doc=$1 lang=$2 min=$3 max=$4 prefix=$5 count=$6
  local html=$work/$doc.$lang.html pdf=$work/$doc.$lang.pdf
  "$bin" --db "$db" --lang "$lang" doc render "$doc" --format html --out "$html" >/dev/null
  "$bin" --db "$db" doc verify "$html" >/dev/null
  chrome "$html" "$pdf"
  local pages text found
  pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
  text=$(pdftotext -layout "$pdf" -)
  found=$(grep -o "${prefix}[0-9]\{6\}" <<<"$text" | sort -u | wc -l)
  local cyr=ok
  case $lang in
    ru) grep -q "Уведомление о включении" <<<"$text" || cyr=missing ;;
    kk) tr '\n' ' ' <<<"$text" | grep -q "тізілімге енгізу *туралы хабарлама" || cyr=missing ;;
    en) grep -q "Notification of inclusion" <<<"$text" || cyr=missing ;;
  esac
  printf '%-16s %s: %s pages, %s of %s serials, heading %s\n' "$doc" "$lang" "$pages" "$found" "$count" "$cyr"
  if [ "$pages" -lt "$min" ] || [ "$pages" -gt "$max" ] || [ "$found" -ne "$count" ] || [ "$cyr" != ok ]; then
    echo "  FAILED: expected $min–$max pages, $count serials and the heading" >&2
    fail=1
  fi
}

for lang in kk ru en; do
  check INC-2024-000001 "$lang" 1 1 SMAL 4
  check INC-2024-000002 "$lang" 4 12 LARG 240
done
# The large notice repeats its table header on every page it spans.
text=$(pdftotext -layout "$work/INC-2024-000002.ru.pdf" -)
pages=$(pdfinfo "$work/INC-2024-000002.ru.pdf" | awk '/^Pages:/ {print $2}')
headers=$(grep -c "Запись" <<<"$text" || true)
echo "table header on $headers of $pages pages (ru, 240 units)"
[ "$headers" -ge "$((pages - 1))" ] || { echo "  FAILED: the table header is not repeated" >&2; fail=1; }

# The hearing notice and the complaint decision: one page each, heading and
# body in the language, verified.
check_doc() { # doc lang heading
  local doc=$1 lang=$2 heading=$3
  local html=$work/$doc.$lang.html pdf=$work/$doc.$lang.pdf
  "$bin" --db "$db" --lang "$lang" doc render "$doc" --format html --out "$html" >/dev/null
  "$bin" --db "$db" doc verify "$html" >/dev/null
  chrome "$html" "$pdf"
  local pages found=ok
  pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
  tr '\n' ' ' <<<"$(pdftotext -layout "$pdf" -)" | tr -s ' ' | grep -q -- "$heading" || found=missing
  printf '%-16s %s: %s pages, heading %s\n' "$doc" "$lang" "$pages" "$found"
  if [ "$pages" -ne 1 ] || [ "$found" != ok ]; then
    echo "  FAILED: expected 1 page and the heading" >&2
    fail=1
  fi
}
check_doc HRN-2024-000001 ru "Предварительное решение об отказе"
check_doc HRN-2024-000001 kk "алдын ала шешім"
check_doc HRN-2024-000001 en "Preliminary decision to refuse"
check_doc CDN-2024-000001 ru "Решение по жалобе"
check_doc CDN-2024-000001 kk "Шағым бойынша шешім"
check_doc CDN-2024-000001 en "Decision on a complaint"

# The supervisors' report of terms, with its inline SVG charts, in each language.
passed=13
for lang in kk ru en; do
  html=$work/report.$lang.html pdf=$work/report.$lang.pdf
  "$bin" --db "$db" --lang "$lang" report terms --from 2024-01-01 --to 2024-12-31 \
    --format html --out "$html" >/dev/null
  chrome "$html" "$pdf"
  text=$(pdftotext -layout "$pdf" -)
  case $lang in
    ru) want=("Сроки" "Своевременность по пунктам" "п. 10" "Проверка") ;;
    kk) want=("Мерзімдер" "Тармақтар бойынша уақтылылық" "10-т." "Проверка") ;;
    en) want=("Terms" "Timeliness by paragraph" "§10" "Проверка") ;;
  esac
  missing=()
  for w in "${want[@]}"; do grep -q -- "$w" <<<"$text" || missing+=("$w"); done
  pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
  printf '%-16s %s: %s pages, %s\n' "report terms" "$lang" "$pages" "${missing[*]:-all texts and chart titles found}"
  if [ ${#missing[@]} -eq 0 ]; then passed=$((passed + 1)); else echo "  FAILED: missing ${missing[*]}" >&2; fail=1; fi
done
if [ $fail -eq 0 ]; then echo "print-check: $passed passed, 0 failed"; else echo "print check: failed" >&2; fi
exit $fail
