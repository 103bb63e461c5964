"""Page rules a văn thư checks, over the PDFs of every built-in template's fixtures in both
standards (the list .ci/render-all.sh renders), with poppler:

- the closing block (the signature table and the recipients after it) stands on one page,
  and that page holds body text above it (never a page of only the signature or Nơi nhận);
- every header line the layout decided (the DOCX header table's lines) is drawn whole
  as one line on page 1, and no two consecutive lines of a header cell split a place name
  or the date (units from the record: the place, the words after TỈNH/HUYỆN/XÃ… or after
  HUYỆN ỦY…, `ngày … năm YYYY`).

Usage: python3 .ci/page_rules.py OUT_DIR PDF_DIR  (DOCX files in OUT_DIR, PDFs in PDF_DIR)
"""
import html, json, os, re, subprocess, sys, unicodedata, zipfile

TEMPLATES = [
    ("ke-hoach", "ke-hoach.json"), ("bien-ban", "bien-ban.json"), ("bao-cao", "bao-cao.json"),
    ("ke-hoach-trien-khai", "chi-thi-45.json"), ("cong-van", "cong-van.json"),
    ("quyet-dinh", "quyet-dinh.json"), ("to-trinh", "to-trinh.json"),
    ("thong-bao", "thong-bao.json"), ("giay-moi", "giay-moi.json"),
]
KHTK_SET = {"co_quan": "UBND HUYỆN CHỢ ĐỒN", "so": "12/KH-UBND", "dia_danh": "Chợ Đồn",
            "ngay": "2020-07-02", "nguoi_ky": "Hoàng Văn A", "chuc_vu_ky": "CHỦ TỊCH"}
LEVELS = {"TỈNH", "HUYỆN", "XÃ", "PHƯỜNG", "QUẬN", "PHỐ", "TRẤN", "ỦY", "UỶ"}
GAP = 8.0  # points: cells of a row are further apart than the words of a line
TOP = 50.0  # points: page numbers sit above this, body text below


def nfc(s):
    return unicodedata.normalize("NFC", s)


def squash(s):
    return " ".join(nfc(s).split())


def manifest(data_dir):
    """(stem, record) for every document render_all writes."""
    out = []
    for template, data in TEMPLATES:
        with open(os.path.join(data_dir, data), encoding="utf-8") as f:
            records = json.load(f)
        records = records if isinstance(records, list) else [records]
        for record in records:
            if template == "ke-hoach-trien-khai":
                record = {**record, **KHTK_SET}
            for std in ("nha-nuoc", "dang"):
                stem = f"all-{template}-{std}-" + record["so"].replace("/", "-")
                out.append((stem, record))
    return out


def paragraphs(xml):
    """Lines of text of the paragraphs of an XML fragment: a paragraph's line breaks
    (`w:br`, where the layout broke a name or a title) split it."""
    out = []
    for p in re.findall(r"<w:p[ >].*?</w:p>", xml, re.S):
        for line in re.split(r"<w:br ?/>", p):
            text = "".join(html.unescape(t) for t in re.findall(r"<w:t[^>]*>([^<]*)</w:t>", line))
            out.append(squash(text))
    return out


def docx_frame(path):
    """(header cells as lists of lines, closing lines) from our DOCX."""
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    tables = [m for m in re.finditer(r"<w:tbl>.*?</w:tbl>", xml, re.S)]
    header = [[t for t in paragraphs(c) if t] for c in re.findall(r"<w:tc>.*?</w:tc>", tables[0].group(0), re.S)]
    last = tables[-1]
    after = xml[last.end():xml.find("<w:sectPr", last.end())]
    closing = [t for t in paragraphs(last.group(0)) + paragraphs(after) if t]
    return header, closing


WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"[^>]*>([^<]*)</word>')


def pdf_lines(pdf):
    """(page, y, text) of every line, cut where words are more than GAP apart."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", pdf, "-"], check=True,
                         capture_output=True, text=True).stdout
    out, page = [], 0
    for part in re.split(r"(<page |<line )", xml):
        if part == "<page ":
            page += 1
        words, end, y = [], None, None
        for x0, y0, x1, w in WORD.findall(part):
            if words and float(x0) - end > GAP:
                out.append((page, y, squash(" ".join(words))))
                words = []
            if not words:
                y = float(y0)
            words.append(html.unescape(w))
            end = float(x1)
        if words:
            out.append((page, y, squash(" ".join(words))))
    return out


def units(record, header):
    """Runs of words no line may end inside, in capitals."""
    out = []
    place = record.get("dia_danh")
    if place:
        out.append(nfc(place).upper().split())
    for field in ("co_quan", "co_quan_chu_quan"):
        words = nfc(record.get(field) or "").upper().split()
        levels = [i for i, w in enumerate(words) if w in LEVELS]
        if levels:
            out.append(words[levels[-1] + 1:])
    for line in (l for cell in header for l in cell):
        if "ngày" in line:
            out.append(line[line.find("ngày"):].upper().split())
    return [u for u in out if len(u) >= 2]


def splits(a, b, unit):
    a, b = a.upper().split(), b.upper().split()
    return any(a[-k:] == unit[:k] and b[:len(unit) - k] == unit[k:] for k in range(1, len(unit)))


def check(stem, record, docx, pdf):
    failures = []
    header, closing = docx_frame(docx)
    lines = pdf_lines(pdf)
    # The closing block: on one page, with body text above it on that page.
    wanted = set(closing)
    found = [(p, y, t) for p, y, t in lines if t in wanted]
    names = [t for t in closing if t in ("Nơi nhận:",)] + [closing[-1]]
    missing = [t for t in names if not any(t == f for _, _, f in found)]
    if missing:
        failures.append(f"{stem}: closing lines not found as lines: {missing}")
    pages = sorted({p for p, _, _ in found})
    if len(pages) > 1:
        failures.append(f"{stem}: the closing block spans pages {pages}")
    if pages and pages[0] > 1:
        page = pages[0]
        top = min(y for p, y, _ in found if p == page)
        body = [t for p, y, t in lines if p == page and TOP < y < top - 0.5]
        if not body:
            failures.append(f"{stem}: page {page} holds only the signature and Nơi nhận")
    # The header: every decided line drawn whole on page 1; no name split between lines.
    first = {t for p, _, t in lines if p == 1}
    for cell in header:
        for line in cell:
            if line not in first:
                failures.append(f"{stem}: header line {line!r} not drawn whole on page 1")
        for a, b in zip(cell, cell[1:]):
            for unit in units(record, header):
                if splits(a, b, unit):
                    failures.append(f"{stem}: {a!r} / {b!r} breaks {' '.join(unit)!r}")
    return failures, (pages[0] if pages else 0)


def main(out_dir, pdf_dir, data_dir="fixtures/data"):
    failures, count, later = [], 0, 0
    for stem, record in manifest(data_dir):
        docx, pdf = os.path.join(out_dir, stem + ".docx"), os.path.join(pdf_dir, stem + ".pdf")
        if not (os.path.exists(docx) and os.path.exists(pdf)):
            failures.append(f"{stem}: not rendered")
            continue
        f, page = check(stem, record, docx, pdf)
        failures += f
        count += 1
        later += page > 1
    print(f"page rules: {count} documents, {later} with the closing past page 1, {len(failures)} failures")
    return failures


if __name__ == "__main__":
    fails = main(*sys.argv[1:3])
    if fails:
        print("\n".join("FAIL " + f for f in fails), file=sys.stderr)
        sys.exit(1)
