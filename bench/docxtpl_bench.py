#!/usr/bin/env python3
"""The Python baselines of bench/run.sh (run inside the venv the script makes).

    docxtpl_bench.py template OUT.docx
        writes a Word template equivalent to vanban's built-in `ke-hoach` (two-column
        header, title, Căn cứ lines, numbered aims, the 20-row task table as a `{%tr %}`
        loop, section III, signature, Nơi nhận), built with python-docx (a docxtpl
        dependency), so no binary is committed.
    docxtpl_bench.py render TEMPLATE.docx PLANS.json OUTDIR
        fills it once per record with docxtpl, one .docx per record, and prints
        `docs seconds` for the loop (the caller also times the whole process).
    docxtpl_bench.py dates TEXTS_DIR [MAX_BYTES]
        dateparser.search.search_dates(languages=["vi"]) over each .txt (the first
        MAX_BYTES of the sorted corpus), prints `files bytes dates seconds`.
"""
import datetime as dt
import json
import os
import sys
import time


def make_template(out):
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    d = Document()
    sec = d.sections[0]
    sec.page_height, sec.page_width = Cm(29.7), Cm(21)
    sec.top_margin, sec.bottom_margin = Cm(2), Cm(2)
    sec.left_margin, sec.right_margin = Cm(3), Cm(1.5)
    style = d.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(14)

    def para(text, bold=False, italic=False, align=None, size=None):
        p = d.add_paragraph()
        r = p.add_run(text)
        r.bold, r.italic = bold, italic
        if size:
            r.font.size = Pt(size)
        if align is not None:
            p.alignment = align
        return p

    C = WD_ALIGN_PARAGRAPH.CENTER
    head = d.add_table(rows=2, cols=2)
    head.cell(0, 0).text = "{{ co_quan_chu_quan }}\n{{ co_quan }}\n*\nSố {{ so }}"
    head.cell(0, 1).text = "ĐẢNG CỘNG SẢN VIỆT NAM"
    head.cell(1, 1).text = "{{ ngay | date_line(dia_danh) }}"
    para("KẾ HOẠCH", bold=True, align=C, size=16)
    para("{{ trich_yeu }}", bold=True, align=C)
    para("-----", align=C)
    para("{%p for c in can_cu %}")
    para("Căn cứ {{ c }}{% if loop.last %}.{% else %};{% endif %}", italic=True)
    para("{%p endfor %}")
    para("Ban Thường vụ xây dựng Kế hoạch thực hiện như sau:")
    para("I. MỤC ĐÍCH, YÊU CẦU", bold=True)
    para("{%p for m in muc_dich %}")
    para("{{ loop.index }}. {{ m }}")
    para("{%p endfor %}")
    para("II. NHIỆM VỤ VÀ GIẢI PHÁP", bold=True)
    para("Các nhiệm vụ cụ thể, cơ quan chủ trì, cơ quan phối hợp và thời hạn hoàn thành như sau:")
    # docxtpl's row loop: one row opens it, the next repeats, one closes it.
    t = d.add_table(rows=4, cols=5)
    t.style = "Table Grid"
    for i, h in enumerate(["TT", "Nội dung", "Chủ trì", "Phối hợp", "Thời hạn"]):
        t.cell(0, i).text = h
    t.cell(1, 0).text = "{%tr for t in nhiem_vu %}"
    row = ["{{ loop.index }}", "{{ t.noi_dung }}", "{{ t.chu_tri }}", "{{ t.phoi_hop }}",
           "{{ t.thoi_han | dmy }}"]
    for i, v in enumerate(row):
        t.cell(2, i).text = v
    t.cell(3, 0).text = "{%tr endfor %}"
    para("III. TỔ CHỨC THỰC HIỆN", bold=True)
    para("1. Các cơ quan, đơn vị được giao chủ trì căn cứ nhiệm vụ tại Kế hoạch này chủ động xây dựng kế hoạch chi tiết, phân công cán bộ phụ trách và tổ chức thực hiện bảo đảm tiến độ, chất lượng, hiệu quả.")
    para("2. Các cơ quan, đơn vị được giao phối hợp có trách nhiệm phối hợp chặt chẽ với cơ quan chủ trì; kịp thời cung cấp thông tin, tài liệu và cử cán bộ tham gia khi được đề nghị.")
    para("3. Văn phòng chủ trì, phối hợp với các cơ quan liên quan theo dõi, đôn đốc, tổng hợp kết quả thực hiện, định kỳ 6 tháng và cuối năm báo cáo Ban Thường vụ theo quy định.")
    para("Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị kịp thời báo cáo (qua Văn phòng) để xem xét, chỉ đạo giải quyết.")
    sig = d.add_table(rows=1, cols=2)
    left = sig.cell(0, 0)
    left.text = "Nơi nhận:"
    for line in ["{%p for n in noi_nhan %}", "- {{ n }}", "{%p endfor %}"]:
        left.add_paragraph(line)
    sig.cell(0, 1).text = "{{ quyen_han_ky }}\n{{ chuc_vu_ky }}\n\n\n{{ nguoi_ky }}"
    d.save(out)


def _date(s):
    return dt.date.fromisoformat(s)


def dmy(s):
    d = _date(s)
    return f"{d.day:02}/{d.month:02}/{d.year}"


def date_line(s, place):
    d = _date(s)
    return f"{place}, ngày {d.day:02} tháng {d.month:02} năm {d.year}"


def render(template, plans, outdir):
    import jinja2
    from docxtpl import DocxTemplate

    env = jinja2.Environment(autoescape=True)
    env.filters["dmy"] = dmy
    env.filters["date_line"] = date_line
    with open(plans, encoding="utf-8") as f:
        records = json.load(f)
    os.makedirs(outdir, exist_ok=True)
    start = time.perf_counter()
    for i, r in enumerate(records):
        tpl = DocxTemplate(template)
        tpl.render(r, env)
        tpl.save(os.path.join(outdir, f"ke-hoach-{i + 1:04}.docx"))
    print(len(records), f"{time.perf_counter() - start:.3f}")


def dates(texts, max_bytes):
    from dateparser.search import search_dates

    files, size, found = 0, 0, 0
    names = sorted(n for n in os.listdir(texts) if n.endswith(".txt"))
    start = time.perf_counter()
    for n in names:
        with open(os.path.join(texts, n), encoding="utf-8") as f:
            text = f.read()
        b = len(text.encode("utf-8"))
        if size + b > max_bytes and files > 0:
            break
        files, size = files + 1, size + b
        found += len(search_dates(text, languages=["vi"]) or [])
    print(files, size, found, f"{time.perf_counter() - start:.3f}")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "template":
        make_template(sys.argv[2])
    elif cmd == "render":
        render(sys.argv[2], sys.argv[3], sys.argv[4])
    elif cmd == "dates":
        dates(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 1 << 62)
    else:
        sys.exit(__doc__)
