#!/usr/bin/env bash
# vanban against its baselines, in one run, on the same generated data (issue 10):
#   (a) vanban render DOCX            vs (c) docxtpl (Python) on an equivalent Word template
#   (b) vanban render PDF             vs (d) LibreOffice headless, docxtpl's DOCX → PDF (a sample)
#   (e) vanban extract over the corpus vs dateparser's search_dates (dates only)
#   (f) vanban index + search
#   (g) vanban render -t ke-hoach.docx: the Word template of (c), filled by vanban (issue 18)
# Prints docs/s, MB/s, peak RSS and the ratios. Per core: vanban runs with -j 1 and the
# baselines are single-threaded (an all-cores vanban figure is printed beside).
#
# Usage: bench/run.sh [N_PLANS] [LO_SAMPLE]      (defaults 1000 and 50; from any folder)
# Needs: cargo, python3 (venv; pip installs docxtpl and dateparser into bench/.venv),
# soffice (apt-get install -y libreoffice-writer-nogui), /usr/bin/time (apt package time).
# Honours CARGO_TARGET_DIR. Work files go to a temporary folder, removed at the end
# (KEEP=1 keeps it).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
LO_SAMPLE=${2:-50}
root=$PWD
target=${CARGO_TARGET_DIR:-$root/target}
bin=$target/release/vanban
venv=$root/bench/.venv
corpus=$root/fixtures/corpus/texts

command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
command -v soffice >/dev/null || { apt-get update -qq && apt-get install -y -qq libreoffice-writer-nogui; }
cargo build --release --locked --quiet
if [ ! -x "$venv/bin/python" ]; then python3 -m venv "$venv"; fi
"$venv/bin/pip" install -q --disable-pip-version-check docxtpl dateparser
py=$venv/bin/python

work=$(mktemp -d)
if [ "${KEEP:-0}" = 1 ]; then echo "work folder: $work"; else trap 'rm -rf "$work"' EXIT; fi

# measure NAME CMD...: runs CMD under /usr/bin/time; sets NAME_s (wall seconds), NAME_cpu
# (user + system seconds) and NAME_kb (peak RSS, KB); CMD's stdout goes to
# $work/NAME.out, stderr to $work/NAME.err.
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
mb() { du -sb "$1" | cut -f1; }
row() { printf '%-44s %9s %8s %8s %8s %8s\n' "$@"; }

echo "== vanban bench, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB RAM, $(uname -sr)"
echo "vanban $(git -C "$root" rev-parse --short HEAD), $($py --version), docxtpl $($py -c 'import docxtpl; print(docxtpl.__version__)'), dateparser $($py -c 'import dateparser; print(dateparser.__version__)'), $(soffice --version | head -1)"
echo

python3 bench/make_data.py "$work/plans.json" -n "$N" >/dev/null
"$py" bench/docxtpl_bench.py template "$work/ke-hoach.docx"
echo "data: $N plans × 20 task rows ($(calc "round($(mb "$work/plans.json")/1e6, 1)") MB JSON)"

# (a) DOCX: one core, then all cores.
measure docx1 "$bin" render -t ke-hoach -d "$work/plans.json" -o "$work/docx1" -f docx -j 1
measure docxN "$bin" render -t ke-hoach -d "$work/plans.json" -o "$work/docxN" -f docx
docx_mb=$(mb "$work/docx1")
# (b) PDF, when this build renders it.
pdf=0
if "$bin" render -t ke-hoach -d fixtures/data/ke-hoach.json -o "$work/pdf-probe" -f pdf >/dev/null 2>&1; then
    pdf=1
    measure pdf1 "$bin" render -t ke-hoach -d "$work/plans.json" -o "$work/pdf1" -f pdf -j 1
    pdf_mb=$(mb "$work/pdf1")
fi
# (c) docxtpl, one process.
measure tpl "$py" bench/docxtpl_bench.py render "$work/ke-hoach.docx" "$work/plans.json" "$work/tpl"
tpl_mb=$(mb "$work/tpl")
# (g) vanban filling the very Word template docxtpl fills in (c), one core.
measure form1 "$bin" render -q -t "$work/ke-hoach.docx" -d "$work/plans.json" -o "$work/form1" -f docx -j 1
form_mb=$(mb "$work/form1")
# (d) LibreOffice: the first LO_SAMPLE docxtpl outputs → PDF, one soffice process.
mkdir -p "$work/lo-in"
tpl_files=("$work"/tpl/*.docx)
cp "${tpl_files[@]:0:$LO_SAMPLE}" "$work/lo-in/"
measure lo timeout 1800 soffice "-env:UserInstallation=file://$work/lo-profile" --headless \
    --convert-to pdf --outdir "$work/lo-pdf" "$work"/lo-in/*.docx
lo_n=$(ls "$work/lo-pdf" | wc -l)
# (e) extraction over the corpus vs dateparser (dates only) over the same texts.
corpus_b=$(cat "$corpus"/*.txt | wc -c)
corpus_n=$(ls "$corpus"/*.txt | wc -l)
measure ext1 "$bin" extract -j 1 -f jsonl "$corpus"
measure dp "$py" bench/docxtpl_bench.py dates "$corpus"
read -r dp_files dp_bytes dp_dates dp_loop <"$work/dp.out"
ext_dates=$(python3 -c "import json,sys; print(sum(len(json.loads(l)['dates']) for l in open('$work/ext1.out')))")
# (f) index the corpus ×9 (about 1,000 documents) on one core, then search.
for i in $(seq 1 9); do mkdir -p "$work/kho/$i"; cp "$corpus"/*.txt "$work/kho/$i/"; done
kho_n=$(find "$work/kho" -type f | wc -l)
kho_b=$(mb "$work/kho")
measure idx "$bin" index -q -j 1 --db "$work/kho.db" "$work/kho"
queries=("chi thi 45" "quyet dinh uy ban nhan dan" "bau cu dai bieu quoc hoi" "991/QĐ-UBND" "ngan sach nha nuoc" "phong chay chua chay" "nghi dinh chinh phu" "ke hoach" "thong tu bo tai chinh" "rung")
start=$(date +%s.%N)
for q in "${queries[@]}"; do "$bin" search --db "$work/kho.db" "$q" >/dev/null; done
search_ms=$(calc "round(($(date +%s.%N) - $start) * 1000 / ${#queries[@]}, 1)")
measure search1 "$bin" search --db "$work/kho.db" "chi thi 45"

echo
row "stage" "docs/s" "MB/s" "peak MB" "wall s" "cpu s"
rate() { calc "round($1 / $2, 1)"; }
rss() { calc "round($1 / 1024)"; }
row "(a) vanban render docx, 1 core" "$(rate "$N" "$docx1_s")" "$(rate "$docx_mb/1e6" "$docx1_s")" "$(rss "$docx1_kb")" "$docx1_s" "$docx1_cpu"
row "    vanban render docx, $(nproc) cores" "$(rate "$N" "$docxN_s")" "$(rate "$docx_mb/1e6" "$docxN_s")" "$(rss "$docxN_kb")" "$docxN_s" "$docxN_cpu"
if [ "$pdf" = 1 ]; then
    row "(b) vanban render pdf, 1 core" "$(rate "$N" "$pdf1_s")" "$(rate "$pdf_mb/1e6" "$pdf1_s")" "$(rss "$pdf1_kb")" "$pdf1_s" "$pdf1_cpu"
else
    row "(b) vanban render pdf" "n/a" "" "" "(not in this build)"
fi
row "(c) docxtpl, 1 process" "$(rate "$N" "$tpl_s")" "$(rate "$tpl_mb/1e6" "$tpl_s")" "$(rss "$tpl_kb")" "$tpl_s" "$tpl_cpu"
row "(g) vanban render -t ke-hoach.docx, 1 core" "$(rate "$N" "$form1_s")" "$(rate "$form_mb/1e6" "$form1_s")" "$(rss "$form1_kb")" "$form1_s" "$form1_cpu"
row "(d) LibreOffice docx→pdf, $lo_n docs" "$(rate "$lo_n" "$lo_s")" "" "$(rss "$lo_kb")" "$lo_s" "$lo_cpu"
row "(e) vanban extract, 1 core, $corpus_n texts" "$(rate "$corpus_n" "$ext1_s")" "$(rate "$corpus_b/1e6" "$ext1_s")" "$(rss "$ext1_kb")" "$ext1_s" "$ext1_cpu"
row "    dateparser search_dates, $dp_files texts*" "$(rate "$dp_files" "$dp_loop")" "$(rate "$dp_bytes/1e6" "$dp_loop")" "$(rss "$dp_kb")" "$dp_loop" "$dp_cpu"
row "(f) vanban index, 1 core, $kho_n docs" "$(rate "$kho_n" "$idx_s")" "$(rate "$kho_b/1e6" "$idx_s")" "$(rss "$idx_kb")" "$idx_s" "$idx_cpu"
row "    vanban search (process incl.)" "" "" "$(rss "$search1_kb")" "" "${search_ms} ms/q"
echo
echo "* dateparser wall time is its loop alone (imports excluded); cpu time is the whole process."
echo "dates found: vanban $ext_dates (plus numbers, references, terms, obligations), dateparser $dp_dates"
echo "ratios (per core, same data, this run; wall time, then CPU time):"
echo "  docx  vanban/docxtpl     $(calc "round($tpl_s / $docx1_s, 1)")× wall, $(calc "round($tpl_cpu / $docx1_cpu, 1)")× cpu   (target ≥ 20×)"
echo "  form  vanban/docxtpl     $(calc "round($tpl_s / $form1_s, 1)")× wall, $(calc "round($tpl_cpu / $form1_cpu, 1)")× cpu   (the same .docx template, (g) against (c); target ≥ 40×)"
if [ "$pdf" = 1 ]; then
    echo "  pdf   vanban/LibreOffice $(calc "round(($lo_s / $lo_n) / ($pdf1_s / $N), 1)")× wall, $(calc "round(($lo_cpu / $lo_n) / ($pdf1_cpu / $N), 1)")× cpu   (target ≥ 25×)"
else
    echo "  pdf   vanban/LibreOffice n/a (no PDF renderer in this build)"
fi
echo "  dates vanban/dateparser  $(calc "round(($corpus_b / $ext1_s) / ($dp_bytes / $dp_loop), 1)")× wall, $(calc "round(($corpus_b / $ext1_cpu) / ($dp_bytes / $dp_cpu), 1)")× cpu   (MB/s; vanban's whole process and whole extraction against dateparser's search_dates loop (wall) or process (cpu); target ≥ 50×)"
