#!/usr/bin/env bash
# OCR: vanban (`normalize --ocr always`) against the raw tesseract program on the same page
# images (the JPEGs inside the PDF, taken out with `pdfimages -j`, the bytes vanban sends),
# both on one core (OMP_THREAD_LIMIT=1, -j 1). Prints the character error rate of each
# against the clean reference text and the seconds per page.
#
#   bench/ocr.sh [PDF] [REF]   (default: 2026-gp-2507-ubnd-lao-cai from ../shared/corpus/pdf)
#   VANBAN=target/debug/vanban bench/ocr.sh   (default: target/release/vanban, built here)
set -euo pipefail
cd "$(dirname "$0")/.."
pdf=${1:-/work/shared/corpus/pdf/2026-gp-2507-ubnd-lao-cai.pdf}
ref=${2:-${pdf%.pdf}.ref.txt}
if [ -z "${VANBAN:-}" ]; then
    cargo build --locked --release --quiet
    VANBAN=target/release/vanban
fi
export OMP_THREAD_LIMIT=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pdfimages -j "$pdf" "$tmp/p"
pages=$(ls "$tmp"/p-*.jpg | wc -l)

start=$(date +%s.%N)
for img in "$tmp"/p-*.jpg; do
    tesseract "$img" stdout -l vie --psm 3 2>/dev/null
done >"$tmp/raw.txt"
raw_s=$(echo "$(date +%s.%N) - $start" | bc)

start=$(date +%s.%N)
"$VANBAN" normalize --ocr always -j 1 "$pdf" >"$tmp/ours.txt" 2>"$tmp/ours.err"
ours_s=$(echo "$(date +%s.%N) - $start" | bc)

python3 - "$ref" "$tmp/raw.txt" "$tmp/ours.txt" "$pages" "$raw_s" "$ours_s" <<'PY'
import sys, unicodedata

def norm(path):
    t = unicodedata.normalize("NFC", open(path, encoding="utf-8").read())
    return " ".join(t.split())

def distance(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j - 1] + (ca != cb), prev[j] + 1, cur[j - 1] + 1)
        prev = cur
    return prev[-1]

ref, raw, ours = (norm(p) for p in sys.argv[1:4])
pages, raw_s, ours_s = int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
print(f"pages: {pages}, reference: {len(ref)} characters")
print(f"{'':18}{'CER':>8}{'s/page':>9}")
for name, text, secs in (("tesseract (raw)", raw, raw_s), ("vanban", ours, ours_s)):
    print(f"{name:18}{distance(text, ref) / len(ref):8.2%}{secs / pages:9.2f}")
PY
