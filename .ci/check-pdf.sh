#!/usr/bin/env bash
# Check the PDF renderer against LibreOffice: render every built-in template's fixture as
# DOCX and PDF, convert the DOCX with LibreOffice (headless, private profile, timeout), and
# compare with poppler: same page count, the same words (pdftotext, NFC), page numbers from
# page 2, embedded subset fonts, and the share of LibreOffice's text lines that our PDF
# breaks at the same words (printed; must be >= 90%). Also prints and bounds the size of
# the ke-hoach PDFs, and holds our PDFs of every built-in template in both standards
# (.ci/render-all.sh) to the page rules (.ci/page_rules.py: the signature and Nơi nhận
# share a page with body text; header lines drawn as the layout decided, never broken
# inside a name). Installs its own apt packages when missing.
#
# Our DOCX marks table header rows as repeated (w:tblHeader), as the PDF repeats them; the
# copy step below only adds the mark where a DOCX lacks it (older outputs).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

source .ci/install-viewers.sh

work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
[ -n "${KEEP:-}" ] && echo "== work dir $work"
out="$work/out"
data=fixtures/data

cargo build --locked --quiet
bin="${CARGO_TARGET_DIR:-target}/debug/vanban"

render() { "$bin" render -f docx,pdf -o "$out" "$@" 2>/dev/null; }
render -t ke-hoach -d "$data/ke-hoach.json" --name "kh-{{ so }}"
render -t ke-hoach -d "$data/ke-hoach.json" --name "kh-nn-{{ so }}" --set standard=nha-nuoc
render -t bien-ban -d "$data/bien-ban.json" --name "bb"
render -t bien-ban -d "$data/bien-ban.json" --name "bb-dang" --set standard=dang
render -t bao-cao -d "$data/bao-cao.json" --name "bc"
render -t ke-hoach-trien-khai -d "$data/chi-thi-45.json" --name "khtk" \
    --set "co_quan=UBND HUYỆN CHỢ ĐỒN" --set "so=12/KH-UBND" --set "dia_danh=Chợ Đồn" \
    --set "ngay=2020-07-02" --set "nguoi_ky=Hoàng Văn A" --set "chuc_vu_ky=CHỦ TỊCH"
source .ci/render-all.sh
render_all "$out" docx,pdf

# Determinism: the same input renders to the same bytes.
"$bin" render -f pdf -o "$work/again" -t ke-hoach -d "$data/ke-hoach.json" --name "kh-{{ so }}" 2>/dev/null
for f in "$work"/again/*.pdf; do
    cmp -s "$f" "$out/$(basename "$f")" || { echo "check-pdf: $(basename "$f") differs between runs" >&2; exit 1; }
done

python3 - "$out" "$work/lo-in" <<'PY'
import os, sys, zipfile
src, dst = sys.argv[1:3]
os.makedirs(dst)
for name in sorted(os.listdir(src)):
    if not name.endswith(".docx"):
        continue
    with zipfile.ZipFile(os.path.join(src, name)) as zin, \
         zipfile.ZipFile(os.path.join(dst, name), "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                rows = data.decode("utf-8").split("<w:tr>")
                rows = [r.replace("<w:cantSplit />", "<w:cantSplit /><w:tblHeader />", 1)
                        if 'w:val="VbCellHead"' in r and "<w:tblHeader" not in r else r
                        for r in rows]
                data = "<w:tr>".join(rows).encode("utf-8")
            zout.writestr(item, data)
PY

echo "== soffice --convert-to pdf ($(ls "$work/lo-in" | wc -l) files)"
timeout 300 soffice -env:UserInstallation="file://$work/lo-profile" --headless \
    --convert-to pdf --outdir "$work/lo" "$work"/lo-in/*.docx >"$work/soffice.log" 2>&1 || {
    cat "$work/soffice.log" >&2
    echo "check-pdf: soffice failed" >&2
    exit 1
}

python3 - "$out" "$work/lo" <<'PY'
import collections, html, os, re, subprocess, sys, unicodedata

ours_dir, lo_dir = sys.argv[1:3]

def nfc(s): return unicodedata.normalize("NFC", s)

def run(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout

def pages(pdf):
    return int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", pdf), re.M).group(1))

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)</word>')
GAP = 8.0  # points: cells of a table row are further apart than justified words

def lines(pdf):
    """Text lines as (page, tuple of words), in pdftotext's reading order. A line is cut
    where words are more than GAP apart, so table cells that pdftotext happens to join
    count on their own."""
    xml = run("pdftotext", "-bbox-layout", pdf, "-")
    out, page = [], 0
    for part in re.split(r"(<page |<line )", xml):
        if part == "<page ":
            page += 1
        words, end = [], None
        for x0, x1, w in WORD.findall(part):
            if words and float(x0) - end > GAP:
                out.append((page, tuple(words)))
                words = []
            words.append(html.unescape(w))
            end = float(x1)
        if words:
            out.append((page, tuple(words)))
    return out

failures = []
def check(cond, what):
    if not cond:
        failures.append(what)

total_lines = total_same = 0
stems = sorted(f[:-4] for f in os.listdir(ours_dir) if f.endswith(".pdf"))
for stem in stems:
    ours, lo = os.path.join(ours_dir, stem + ".pdf"), os.path.join(lo_dir, stem + ".pdf")
    n_ours, n_lo = pages(ours), pages(lo)
    check(n_ours == n_lo, f"{stem}: {n_ours} pages, LibreOffice {n_lo}")
    text = run("pdftotext", "-enc", "UTF-8", ours, "-")
    check(text == nfc(text), f"{stem}: text layer is not NFC")
    lo_text = run("pdftotext", "-enc", "UTF-8", lo, "-")
    w_ours, w_lo = collections.Counter(nfc(text).split()), collections.Counter(nfc(lo_text).split())
    check(w_ours == w_lo, f"{stem}: words differ from LibreOffice's: "
          f"ours only {list((w_ours - w_lo).elements())[:8]}, LibreOffice only {list((w_lo - w_ours).elements())[:8]}")
    if n_ours > 1:
        second = run("pdftotext", "-f", "2", "-l", "2", "-raw", ours, "-").split()
        check(second[:1] == ["2"], f"{stem}: page 2 does not start with its number: {second[:3]}")
    fonts = run("pdffonts", ours).splitlines()[2:]
    check(fonts and all(re.search(r"\+LiberationSerif", f) and " yes yes yes " in f for f in fonts),
          f"{stem}: fonts not embedded subsets with ToUnicode: {fonts}")
    # Lines breaking at the same words: LibreOffice's lines that ours has too (per page).
    mine = collections.Counter(lines(ours))
    theirs = lines(lo)
    same = 0
    for line in theirs:
        if mine[line] > 0:
            mine[line] -= 1
            same += 1
    total_lines += len(theirs)
    total_same += same
    size = os.path.getsize(ours)
    print(f"{stem}: {n_ours} pages (LibreOffice {n_lo}), {same}/{len(theirs)} lines "
          f"as LibreOffice ({100 * same / max(len(theirs), 1):.1f}%), {size / 1024:.1f} KB")

share = total_same / max(total_lines, 1)
print(f"line agreement with LibreOffice: {total_same}/{total_lines} = {100 * share:.1f}%")
check(share >= 0.90, f"line agreement {100 * share:.1f}% < 90%")
sys.path.insert(0, ".ci")
import page_rules
failures += page_rules.main(ours_dir, ours_dir)
kh = os.path.getsize(os.path.join(ours_dir, "kh-15-KH-HU.pdf"))
print(f"size of the ke-hoach fixture's first PDF: {kh / 1024:.1f} KB")
check(kh <= 60 * 1024, f"kh-15-KH-HU.pdf is {kh} bytes > 60 KB")
if failures:
    print("\n".join("FAIL " + f for f in failures), file=sys.stderr)
    sys.exit(1)
print("check-pdf: all documents passed")
PY
