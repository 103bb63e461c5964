#!/usr/bin/env bash
# PDF text layer: vanban against poppler's pdftotext, milliseconds a page, one core, same run.
#
# For every PDF with a text layer in the folder (default ../shared/corpus/pdf, else
# fixtures/pdf), both tools read the whole file N times (default 5) pinned to one core
# (taskset -c 0); the best of the N runs is divided by the page count. vanban runs
# `normalize` (read, layout, repair, normalise: the text a person reads); pdftotext runs in
# its default (raw reading-order) mode. Scans are skipped: their pages wait for OCR.
#
# Usage: bench/pdf.sh [FOLDER] [N]     VANBAN=path/to/vanban to use another build.
# Build first: cargo build --release (the figures in bench/README.md used a release build).
set -euo pipefail
cd "$(dirname "$0")/.."
folder=${1:-}
if [ -z "$folder" ]; then
    if [ -d ../shared/corpus/pdf ]; then folder=../shared/corpus/pdf; else folder=fixtures/pdf; fi
fi
runs=${2:-5}
bin=${VANBAN:-target/release/vanban}
command -v pdftotext >/dev/null || { echo "pdftotext (poppler-utils) is needed" >&2; exit 2; }
[ -x "$bin" ] || { echo "no $bin: cargo build --release first" >&2; exit 2; }
pin=""
command -v taskset >/dev/null && pin="taskset -c 0"

best_ms() { # command...: the best wall time of $runs runs, in ms
    local best=""
    for _ in $(seq "$runs"); do
        local t0 t1
        t0=$(date +%s%N)
        $pin "$@" >/dev/null 2>&1 || true
        t1=$(date +%s%N)
        local ms=$(( (t1 - t0) / 1000000 ))
        if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
    done
    echo "$best"
}

printf '%-44s %5s %12s %12s\n' file pages "vanban ms/p" "pdftotext ms/p"
total_pages=0; total_v=0; total_p=0
while IFS=$'\t' read -r file _ _ _ _ pages layer _rest; do
    [ "$file" = file ] && continue
    [ "$layer" = yes ] || continue
    pdf="$folder/$file"
    [ -f "$pdf" ] || continue
    v=$(best_ms "$bin" normalize -q "$pdf")
    p=$(best_ms pdftotext -enc UTF-8 "$pdf" -)
    total_pages=$((total_pages + pages)); total_v=$((total_v + v)); total_p=$((total_p + p))
    awk -v f="$file" -v n="$pages" -v v="$v" -v p="$p" \
        'BEGIN { printf "%-44s %5d %12.2f %12.2f\n", f, n, v / n, p / n }'
done < "$folder/INDEX.tsv"
awk -v n="$total_pages" -v v="$total_v" -v p="$total_p" \
    'BEGIN { printf "%-44s %5d %12.2f %12.2f\n", "all (time of all files / pages)", n, v / n, p / n }'
