#!/usr/bin/env bash
# Index the corpus replicated to 1,000 and 10,000 documents: time and peak memory of each
# run, then search latency (p50/p95) on the large archive against a LIKE scan.
# Usage: bench/archive.sh [COPIES_FOR_10K]   (run from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
cargo build --release --locked --quiet
bin="${CARGO_TARGET_DIR:-target}/release/vanban"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
texts=fixtures/corpus/texts
per_copy=$(ls "$texts"/*.txt | wc -l)
for target in 1000 10000; do
    copies=$(( (target + per_copy - 1) / per_copy ))
    dir="$work/kho-$target"
    for i in $(seq 1 "$copies"); do mkdir -p "$dir/$i"; cp "$texts"/*.txt "$dir/$i/"; done
    n=$(find "$dir" -type f | wc -l)
    bytes=$(du -sb "$dir" | cut -f1)
    echo "== index $n documents ($((bytes / 1000000)) MB) on $(nproc) cores"
    /usr/bin/time -f "wall %e s, peak RSS %M KB" "$bin" index -q --db "$work/kho-$target.db" "$dir"
done
"$bin" bench --seconds 0.2 --db "$work/kho-10000.db"
