#!/usr/bin/env bash
# Word forms (issue 18): vanban filling a .docx template against docxtpl filling the same
# file, on the same data, in one run, per core.
#
# The template is the bench's Word version of the ke-hoach plan (`docxtpl_bench.py
# template`: header, Căn cứ lines, aims, the 20-row task table as a `{%tr for %}` loop,
# signature, Nơi nhận), made with python-docx so that no binary is committed. Both tools
# fill it once per record of `make_data.py`'s plans and write one .docx each.
#   vanban:  vanban render -t ke-hoach.docx -d plans.json -f docx -j 1
#   docxtpl: DocxTemplate(...).render(record, env); .save(...) per record, one process
# Then vanban again with 4× the records, for memory: peak RSS should not grow with the
# number of records beyond the data itself.
#
# Usage: bench/docx-template.sh [N_PLANS]     (default 1000; from any folder)
# Needs: cargo, python3 (venv; pip installs docxtpl into bench/.venv), /usr/bin/time.
# Honours CARGO_TARGET_DIR. KEEP=1 keeps the work folder.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
root=$PWD
bin=${CARGO_TARGET_DIR:-$root/target}/release/vanban
venv=$root/bench/.venv

command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
cargo build --release --locked --quiet
if [ ! -x "$venv/bin/python" ]; then python3 -m venv "$venv"; fi
"$venv/bin/pip" install -q --disable-pip-version-check docxtpl
py=$venv/bin/python

work=$(mktemp -d)
if [ "${KEEP:-0}" = 1 ]; then echo "work folder: $work"; else trap 'rm -rf "$work"' EXIT; fi

# measure NAME CMD...: NAME_s wall seconds, NAME_cpu user+system seconds, NAME_kb peak RSS.
measure() {
    local name=$1
    shift
    /usr/bin/time -o "$work/$name.time" -f "%e %M %U %S" "$@" >"$work/$name.out" 2>"$work/$name.err" || {
        echo "!! $name failed:" >&2
        tail -5 "$work/$name.err" >&2
        return 1
    }
    read -r s kb user sys <"$work/$name.time"
    printf -v "${name}_s" '%s' "$s"
    printf -v "${name}_cpu" '%s' "$(calc "round($user + $sys, 2)")"
    printf -v "${name}_kb" '%s' "$kb"
}
calc() { python3 -c "print($1)"; }
row() { printf '%-44s %9s %8s %8s %8s\n' "$@"; }

echo "== vanban Word form bench, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB RAM"
echo "vanban $(git -C "$root" rev-parse --short HEAD), $($py --version), docxtpl $($py -c 'import docxtpl; print(docxtpl.__version__)')"

python3 bench/make_data.py "$work/plans.json" -n "$N" >/dev/null
python3 bench/make_data.py "$work/plans4.json" -n "$((4 * N))" >/dev/null
"$py" bench/docxtpl_bench.py template "$work/ke-hoach.docx"
echo "data: $N plans × 20 task rows; template $(du -b "$work/ke-hoach.docx" | cut -f1) bytes"

measure vanban "$bin" render -q -t "$work/ke-hoach.docx" -d "$work/plans.json" -o "$work/vanban" -f docx -j 1
measure vanban4 "$bin" render -q -t "$work/ke-hoach.docx" -d "$work/plans4.json" -o "$work/vanban4" -f docx -j 1
measure docxtpl "$py" bench/docxtpl_bench.py render "$work/ke-hoach.docx" "$work/plans.json" "$work/docxtpl"
test "$(ls "$work/vanban" | wc -l)" -eq "$N"
test "$(ls "$work/docxtpl" | wc -l)" -eq "$N"

echo
row "stage" "docs/s" "peak MB" "wall s" "cpu s"
rate() { calc "round($1 / $2, 1)"; }
rss() { calc "round($1 / 1024)"; }
row "vanban render -t ke-hoach.docx, 1 core" "$(rate "$N" "$vanban_s")" "$(rss "$vanban_kb")" "$vanban_s" "$vanban_cpu"
row "  same, $((4 * N)) plans" "$(rate "$((4 * N))" "$vanban4_s")" "$(rss "$vanban4_kb")" "$vanban4_s" "$vanban4_cpu"
row "docxtpl 0.20, 1 process" "$(rate "$N" "$docxtpl_s")" "$(rss "$docxtpl_kb")" "$docxtpl_s" "$docxtpl_cpu"
echo
echo "ratio vanban/docxtpl (per core, same data, this run): $(calc "round($docxtpl_s / $vanban_s, 1)")× wall, $(calc "round($docxtpl_cpu / $vanban_cpu, 1)")× cpu   (target ≥ 40×)"
echo "memory: peak $(rss "$vanban_kb") MB at $N plans, $(rss "$vanban4_kb") MB at $((4 * N)) ($(calc "round($(du -b "$work/plans4.json" | cut -f1) / 1e6, 1)") MB of JSON data held in memory)"
