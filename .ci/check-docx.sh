#!/usr/bin/env bash
# Check the DOCX output like a user: render every built-in template's fixture, convert
# to PDF with LibreOffice (headless, private profile, timeout), and assert with poppler
# that each PDF opens, has the expected page count, shows the header, number and date
# lines on page 1 before the type name, numbers page 2 in its header, and contains
# every filled value (pdftotext, NFC). Then every built-in template in both standards
# (.ci/render-all.sh) against the page rules (.ci/page_rules.py): the signature and Nơi
# nhận share a page with body text, header lines are not broken inside a name. Installs
# its own apt packages when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

source .ci/install-viewers.sh

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out="$work/out"
data=fixtures/data

cargo build --locked --quiet
bin="${CARGO_TARGET_DIR:-target}/debug/vanban"

render() { "$bin" render -f docx -o "$out" "$@"; }
render -t ke-hoach -d "$data/ke-hoach.json" --name "kh-{{ so }}"
render -t ke-hoach -d "$data/ke-hoach.json" --name "kh-nn-{{ so }}" --set standard=nha-nuoc
render -t bien-ban -d "$data/bien-ban.json" --name "bb"
render -t bien-ban -d "$data/bien-ban.json" --name "bb-dang" --set standard=dang
render -t bao-cao -d "$data/bao-cao.json" --name "bc"
render -t ke-hoach-trien-khai -d "$data/chi-thi-45.json" --name "khtk" \
    --set "co_quan=UBND HUYỆN CHỢ ĐỒN" --set "so=12/KH-UBND" --set "dia_danh=Chợ Đồn" \
    --set "ngay=2020-07-02" --set "nguoi_ky=Hoàng Văn A" --set "chuc_vu_ky=CHỦ TỊCH"
source .ci/render-all.sh
render_all "$out" docx

echo "== soffice --convert-to pdf ($(ls "$out" | wc -l) files)"
timeout 300 soffice -env:UserInstallation="file://$work/lo-profile" --headless \
    --convert-to pdf --outdir "$work/pdf" "$out"/*.docx >"$work/soffice.log" 2>&1 || {
    cat "$work/soffice.log" >&2
    echo "check-docx: soffice failed" >&2
    exit 1
}

python3 - "$out" "$work/pdf" "$data" <<'PY'
import json, os, subprocess, sys, unicodedata

out, pdf_dir, data = sys.argv[1:4]
sys.path.insert(0, ".ci")
import page_rules

def nfc(s): return unicodedata.normalize("NFC", s)

def pdftext(pdf, first=None, last=None, raw=False):
    args = ["pdftotext", "-enc", "UTF-8"] + (["-raw"] if raw else [])
    if first: args += ["-f", str(first), "-l", str(last or first)]
    return nfc(subprocess.run(args + [pdf, "-"], check=True, capture_output=True, text=True).stdout)

def pages(pdf):
    info = subprocess.run(["pdfinfo", pdf], check=True, capture_output=True, text=True).stdout
    return int(next(l.split()[-1] for l in info.splitlines() if l.startswith("Pages:")))

def date_words(iso):
    y, m, d = (int(x) for x in iso.split("-"))
    return f"ngày {d:02d} tháng {m:02d} năm {y}" if m < 3 else f"ngày {d:02d} tháng {m} năm {y}"

def dmy(iso):
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{d:02d}/{m:02d}/{y}" if m < 3 else f"{d:02d}/{m}/{y}"

# `/` too: the last paragraph ends with `./.`.
PUNCT = ".,;:!?()[]\"'“”‘’-–/"

def words(s):
    """Casefolded words without the punctuation the layout adds (`;`, `,`, `.`)."""
    return [w for w in (t.strip(PUNCT) for t in nfc(s).casefold().split()) if w]

def contains(text_words, value):
    """Every word of value, in order (table cells wrap and interleave across columns)."""
    want, i = words(value), 0
    for w in text_words:
        if i < len(want) and w == want[i]:
            i += 1
    return i == len(want)

def leaves(v, skip=()):
    if isinstance(v, dict):
        for k, x in v.items():
            if k not in skip:
                yield from leaves(x, skip)
    elif isinstance(v, list):
        for x in v: yield from leaves(x, skip)
    elif isinstance(v, str) and v:
        yield v

failures = []
def check(cond, what):
    if not cond: failures.append(what)

def document(stem, record, pages_want, title, number, date_line, kind, values):
    pdf = os.path.join(pdf_dir, stem + ".pdf")
    check(os.path.exists(pdf), f"{stem}: no PDF")
    if not os.path.exists(pdf): return
    n = pages(pdf)
    check(n == pages_want, f"{stem}: {n} pages, expected {pages_want}")
    first = " ".join(pdftext(pdf, 1).split())
    pos = [first.find(s) for s in (*title, number, date_line, kind)]
    check(all(p >= 0 for p in pos), f"{stem}: page 1 lacks one of {title}, {number!r}, {date_line!r}, {kind!r}")
    check(all(p < first.find(kind) for p in pos[:-1]), f"{stem}: header lines not above {kind!r}")
    if n > 1:
        second = pdftext(pdf, 2).split()
        check(second[:1] == ["2"], f"{stem}: page 2 does not start with its number: {second[:3]}")
    # In drawing order: the default order may put a paragraph's short last line first.
    text = words(pdftext(pdf, raw=True))
    for v in values:
        check(contains(text, v), f"{stem}: missing value {v!r}")
    print(f"ok {stem}: {n} pages, {len(values)} values")

NN = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
DANG = ("ĐẢNG CỘNG SẢN VIỆT NAM",)

def safe(s): return s.replace("/", "-")

kh = json.load(open(os.path.join(data, "ke-hoach.json"), encoding="utf-8"))
# LibreOffice 7.4, Liberation Serif; the task table's header row repeats on each page.
KH_PAGES_DANG = [4, 3, 4, 4, 4]
KH_PAGES_NN = [4, 3, 3, 4, 4]
# The signing mark as each standard writes it, whatever the data wrote.
MARKS = {"nha-nuoc": {"TM": "TM.", "KT": "KT.", "TL": "TL."}, "dang": {"TM": "T/M", "KT": "K/T", "TL": "T/L"}}

def authority(r, std):
    head, rest = r["quyen_han_ky"].replace("/", "").replace(".", " ").split(None, 1)
    return f"{MARKS[std][head]} {rest}"

for r, p, p_nn in zip(kh, KH_PAGES_DANG, KH_PAGES_NN):
    vals = list(leaves(r, skip=("ngay", "thoi_han", "quyen_han_ky")))
    vals += [dmy(t["thoi_han"]) for t in r["nhiem_vu"]]
    dl = f"{r['dia_danh']}, {date_words(r['ngay'])}"
    document("kh-" + safe(r["so"]), r, p, DANG, f"Số {r['so']}", dl, "KẾ HOẠCH", vals + [authority(r, "dang")])
    document("kh-nn-" + safe(r["so"]), r, p_nn, NN, f"Số: {r['so']}", dl, "KẾ HOẠCH", vals + [authority(r, "nha-nuoc")])

bb = json.load(open(os.path.join(data, "bien-ban.json"), encoding="utf-8"))[0]
vals = list(leaves(bb, skip=("ngay",)))
dl = f"{bb['dia_danh']}, {date_words(bb['ngay'])}"
document("bb", bb, 2, NN, f"Số: {bb['so']}", dl, "BIÊN BẢN", vals)
document("bb-dang", bb, 2, DANG, f"Số {bb['so']}", dl, "BIÊN BẢN", vals)

bc = json.load(open(os.path.join(data, "bao-cao.json"), encoding="utf-8"))
vals = [v for v in leaves(bc, skip=("ngay", "standard", "so"))]
vals += ["1.250.000.000 đồng", "31.250", "117.800"]
document("bc", bc, 2, NN, "Số: 05/BC-STTTT", f"Bắc Kạn, {date_words(bc['ngay'])}", "BÁO CÁO", vals)

ct = json.load(open(os.path.join(data, "chi-thi-45.json"), encoding="utf-8"))
d = ct["document"]
vals = [d["number"], d["issuer"], d["title"], dmy(d["date"]), "UBND HUYỆN CHỢ ĐỒN", "Hoàng Văn A"]
for o in ct["obligations"]:
    vals += [o["actor"], o["action"]]
document("khtk", ct, 2, NN, "Số: 12/KH-UBND", f"Chợ Đồn, {date_words('2020-07-02')}", "KẾ HOẠCH", vals)

# The new kinds, each record in both standards: header, number, date line, the kind's
# line (a công văn has none: its V/v line instead), every value, the signing mark as the
# standard writes it.
# LibreOffice 7.4: the state quyết định and tờ trình take a second page under HD 36's
# larger header and type name; every other new document fits on one.
NEW_PAGES = {"all-quyet-dinh-dang-456-QĐ-UBND": 2, "all-to-trinh-dang-38-TTr-NN": 2}
KINDS = {"cong-van": None, "quyet-dinh": "QUYẾT ĐỊNH", "to-trinh": "TỜ TRÌNH",
         "thong-bao": "THÔNG BÁO", "giay-moi": "GIẤY MỜI"}
for template, kind in KINDS.items():
    for r in json.load(open(os.path.join(data, template + ".json"), encoding="utf-8")):
        for std in ("nha-nuoc", "dang"):
            stem = f"all-{template}-{std}-{safe(r['so'])}"
            number = f"Số: {r['so']}" if std == "nha-nuoc" else f"Số {r['so']}"
            vals = list(leaves(r, skip=("ngay", "standard", "quyen_han_ky")))
            if r.get("quyen_han_ky"):
                vals.append(authority(r, std))
            dl = f"{r['dia_danh']}, {date_words(r['ngay'])}"
            document(stem, r, NEW_PAGES.get(stem, 1), NN if std == "nha-nuoc" else DANG, number, dl,
                     kind or "Kính gửi:", vals)

failures += page_rules.main(out, pdf_dir, data)

if failures:
    print("\n".join("FAIL " + f for f in failures), file=sys.stderr)
    sys.exit(1)
print("check-docx: all documents passed")
PY
