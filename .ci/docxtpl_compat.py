#!/usr/bin/env python3
"""vanban against docxtpl on docxtpl's own test templates (issue 18).

    docxtpl_compat.py VANBAN_BIN TEMPLATES_DIR DATA_DIR WORK_DIR

Renders every test template of docxtpl (TEMPLATES_DIR: ../shared/compat/docxtpl) with the
data written for it (DATA_DIR: fixtures/docxtpl-compat/NAME.json) twice: with docxtpl (this
Python, which must have docxtpl installed) and with `vanban render -t NAME.docx`. Then
compares the two documents: the text of every paragraph (runs, tabs, breaks, pictures),
table by table, row by row and cell by cell (with each cell's horizontal span and vertical
merge, and the table's grid), in the body, the headers, the footers and the footnotes,
plus the core properties docxtpl fills (title, subject, author...). Prints
"N of M templates give the same document as docxtpl", the differences of the others, and
the templates that are not applicable, with the reason. Exit code 1 when a template differs.

Data conventions (vanban's, turned into docxtpl's Python objects here):
  {"rich": "text" | [segment, ...], <formatting>}   RichText (a segment: "text" or
                                                     {"text": ..., <formatting>})
  {"paragraphs": [paragraph, ...]}                   RichTextParagraph (a paragraph: "text"
                                                     or {"rich": ..., "style": ...})
  {"picture": "file", "width_mm": W, "height_mm": H} InlineImage
  a text with <, > or &                              Listing (vanban escapes every value;
                                                     docxtpl only a Listing, or with
                                                     autoescape)
"""
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
DC = "{http://purl.org/dc/elements/1.1/}"
CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"

# Templates whose test script builds its context with Python-only objects or calls; the
# reason is printed. Their tags are exercised by the others.
NOT_APPLICABLE = {
    "custom_jinja_filters_tpl": "its filters (my_filterA, my_filterB) are Python functions given to jinja2",
    "escape_tpl_auto": "its context holds a Python function (iteritems) that the template calls",
    "merge_docx_master_tpl": "Subdoc of a whole .docx file (new_subdoc(path)): merges another package's styles, numbering and media",
    "embedded_dummy": "not a template: an embedded object for embedded_main_tpl",
    "embedded_dummy2": "not a template: an embedded object for embedded_main_tpl",
    "embedded_static_docx": "not a template: an embedded object for embedded_main_tpl",
    "merge_docx_subdoc": "not a template: the .docx merged by merge_docx_master_tpl",
}

# What each case does beyond plain data. `python_only` names a call of the test script that
# both sides leave out (vanban has no equivalent; the rest of the template is compared).
CASES = {
    "embedded_main_tpl": {"python_only": "replace_embedded() (swaps an embedded .docx by its CRC)"},
    "header_footer_image_tpl": {"python_only": "replace_media() (swaps a picture by its CRC)"},
    "replace_picture_tpl": {"python_only": "replace_pic() (swaps a picture by its name)"},
    "inline_image_tpl": {"autoescape": True},
    "header_footer_tpl": {"subdoc": True},
    "header_footer_tpl_utf8": {"subdoc": True},
    "subdoc_tpl": {"subdoc": True},
    "template_error_tpl": {"error": True},
}


def nfc(s):
    import unicodedata
    return unicodedata.normalize("NFC", s)


# ---------------------------------------------------------------- docxtpl's side

def formatting(d):
    keys = ("style", "color", "highlight", "size", "subscript", "superscript", "bold",
            "italic", "underline", "strike", "font", "rtl", "lang")
    return {k: d[k] for k in keys if k in d}


def rich_text(v):
    from docxtpl import RichText
    rt = RichText()
    segments = v["rich"] if isinstance(v["rich"], list) else [dict(formatting(v), text=v["rich"])]
    for s in segments:
        if isinstance(s, str):
            rt.add(s)
        else:
            rt.add(s["text"], **formatting(s))
    return rt


def paragraphs(v):
    from docxtpl import RichTextParagraph
    rtp = RichTextParagraph()
    for p in v["paragraphs"]:
        if isinstance(p, str):
            rtp.add(p)
        else:
            rtp.add(rich_text({"rich": p["rich"]}), parastyle=p.get("style"))
    return rtp


def subdoc(tpl, v):
    """The same paragraphs as a python-docx Subdoc, as the test scripts build them."""
    sd = tpl.new_subdoc()
    for p in v["paragraphs"]:
        if isinstance(p, str):
            sd.add_paragraph(p)
            continue
        para = sd.add_paragraph(style=p.get("style"))
        segments = p["rich"] if isinstance(p["rich"], list) else [p["rich"]]
        for s in segments:
            if isinstance(s, str):
                para.add_run(s)
            else:
                run = para.add_run(s["text"], style=s.get("style"))
                run.italic = s.get("italic")
                run.bold = s.get("bold")
    return sd


def to_docxtpl(v, tpl, pictures, case):
    from docx.shared import Mm
    from docxtpl import InlineImage, Listing
    if isinstance(v, str) and not case.get("autoescape") and any(c in v for c in "<>&"):
        # vanban escapes every value; docxtpl escapes a Listing (or with autoescape).
        return Listing(v)
    if isinstance(v, dict):
        if "rich" in v:
            return rich_text(v)
        if "paragraphs" in v:
            return subdoc(tpl, v) if case.get("subdoc") else paragraphs(v)
        if "picture" in v:
            w = Mm(v["width_mm"]) if "width_mm" in v else None
            h = Mm(v["height_mm"]) if "height_mm" in v else None
            return InlineImage(tpl, os.path.join(pictures, v["picture"]), width=w, height=h)
        return {k: to_docxtpl(x, tpl, pictures, case) for k, x in v.items()}
    if isinstance(v, list):
        return [to_docxtpl(x, tpl, pictures, case) for x in v]
    return v


def render_docxtpl(template, records, pictures, case, out_dir):
    import jinja2
    from docxtpl import DocxTemplate
    outs = []
    for i, record in enumerate(records):
        tpl = DocxTemplate(template)
        ctx = to_docxtpl(record, tpl, pictures, case)
        env = jinja2.Environment(autoescape=True) if case.get("autoescape") else None
        out = os.path.join(out_dir, f"docxtpl-{i + 1}.docx")
        try:
            tpl.render(ctx, env)
            tpl.save(out)
        except Exception as e:  # the error case: docxtpl refuses the template
            return f"error: {type(e).__name__}: {e}"
        outs.append(out)
    return outs


# ---------------------------------------------------------------- vanban's side

def absolute_pictures(v, pictures):
    if isinstance(v, dict):
        if "picture" in v:
            return dict(v, picture=os.path.join(pictures, v["picture"]))
        return {k: absolute_pictures(x, pictures) for k, x in v.items()}
    if isinstance(v, list):
        return [absolute_pictures(x, pictures) for x in v]
    return v


def render_vanban(vanban, template, records, pictures, out_dir):
    data = os.path.join(out_dir, "data.json")
    with open(data, "w", encoding="utf-8") as f:
        json.dump(absolute_pictures(records, pictures), f, ensure_ascii=False)
    out = os.path.join(out_dir, "vanban")
    r = subprocess.run([vanban, "render", "-q", "-t", template, "-d", data, "-o", out],
                       capture_output=True, text=True)
    files = sorted(os.listdir(out)) if os.path.isdir(out) else []
    if r.returncode != 0 or len(files) != len(records):
        return "error: " + " ".join(r.stderr.split())
    return [os.path.join(out, f) for f in files]


# ---------------------------------------------------------------- reading a document

def run_text(el, out):
    """The text of the runs under `el`, in order; text boxes and fallbacks left out."""
    for child in el:
        tag = child.tag
        if tag == W + "t":
            out.append(child.text or "")
        elif tag == W + "tab":
            out.append("\t")
        elif tag in (W + "br", W + "cr"):
            out.append("\f" if child.get(W + "type") == "page" else "\n")
        elif tag == W + "noBreakHyphen":
            out.append("\u2011")
        elif tag == W + "drawing":
            ext = child.find(".//" + WP + "extent")
            size = ""
            if ext is not None:  # millimetres, rounded: both tools compute EMUs
                size = f" {round(int(ext.get('cx')) / 36000)}x{round(int(ext.get('cy')) / 36000)}mm"
            out.append(f"[picture{size}]")
        elif tag in (W + "txbxContent", MC + "Fallback", W + "delText", W + "instrText",
                     W + "rPr", W + "pPr"):
            continue
        else:
            run_text(child, out)


def textboxes(el, out):
    for box in el.iter(W + "txbxContent"):
        out.append(("textbox", blocks(box)))


def blocks(el):
    out = []
    for child in el:
        if child.tag == W + "p":
            text = []
            run_text(child, text)
            out.append(("p", nfc("".join(text))))
            tb = []
            for sub in child:
                if sub.tag != W + "pPr":
                    textboxes(sub, tb)
            out.extend(tb)
        elif child.tag == W + "tbl":
            out.append(("table", table(child)))
        elif child.tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "body",
                           W + "hdr", W + "ftr", W + "footnote", W + "endnote"):
            out.extend(blocks(child))
    return out


def table(tbl):
    grid = tbl.find(W + "tblGrid")
    cols = len(grid.findall(W + "gridCol")) if grid is not None else 0
    rows = []
    for tr in tbl.iter(W + "tr"):
        if tr_parent_table(tbl, tr):
            cells = []
            for tc in tr.findall(W + "tc"):
                pr = tc.find(W + "tcPr")
                span = vmerge = None
                if pr is not None:
                    gs = pr.find(W + "gridSpan")
                    span = gs.get(W + "val") if gs is not None else None
                    vm = pr.find(W + "vMerge")
                    vmerge = (vm.get(W + "val") or "continue") if vm is not None else None
                cells.append({"span": span, "vmerge": vmerge, "blocks": blocks(tc)})
            rows.append(cells)
    return {"grid": cols, "rows": rows}


def tr_parent_table(tbl, tr):
    return any(child is tr for child in tbl)


def document(path):
    """Every part's blocks, by part name, and the core properties."""
    z = zipfile.ZipFile(path)
    parts = {}
    for name in z.namelist():
        base = name.rsplit("/", 1)[-1]
        if name == "word/document.xml" or (name.startswith("word/") and name.count("/") == 1 and base.startswith(("header", "footer", "footnotes", "endnotes"))):
            root = ET.fromstring(z.read(name))
            parts[name] = blocks(root)
    core = {}
    if "docProps/core.xml" in z.namelist():
        root = ET.fromstring(z.read("docProps/core.xml"))
        for key in ("title", "subject", "creator", "description", "identifier", "language"):
            el = root.find(DC + key)
            core[key] = nfc(el.text or "") if el is not None else ""
    parts["docProps/core.xml"] = core
    return parts


# ---------------------------------------------------------------- comparing

def show(x, limit=90):
    s = repr(x)
    return s if len(s) <= limit else s[: limit - 3] + "..."


def diff_blocks(a, b, where, out):
    if len(a) != len(b):
        out.append(f"{where}: {len(a)} blocks in docxtpl's, {len(b)} in vanban's")
    for i, (x, y) in enumerate(zip(a, b)):
        here = f"{where} block {i + 1}"
        if x[0] != y[0]:
            out.append(f"{here}: docxtpl {x[0]} {show(x[1])}, vanban {y[0]} {show(y[1])}")
        elif x[0] == "p":
            if x[1] != y[1]:
                out.append(f"{here}: docxtpl {show(x[1])}, vanban {show(y[1])}")
        elif x[0] == "textbox":
            diff_blocks(x[1], y[1], here + " (text box)", out)
        else:
            diff_table(x[1], y[1], here, out)
    if len(a) != len(b):
        extra = a[len(b):] or b[len(a):]
        who = "docxtpl" if len(a) > len(b) else "vanban"
        for x in extra[:3]:
            out.append(f"{where}: only in {who}'s: {x[0]} {show(x[1])}")


def diff_table(x, y, where, out):
    if x["grid"] != y["grid"]:
        out.append(f"{where}: grid of {x['grid']} columns in docxtpl's, {y['grid']} in vanban's")
    if len(x["rows"]) != len(y["rows"]):
        out.append(f"{where}: {len(x['rows'])} rows in docxtpl's, {len(y['rows'])} in vanban's")
    for r, (rx, ry) in enumerate(zip(x["rows"], y["rows"])):
        if len(rx) != len(ry):
            out.append(f"{where} row {r + 1}: {len(rx)} cells in docxtpl's, {len(ry)} in vanban's")
        for c, (cx, cy) in enumerate(zip(rx, ry)):
            here = f"{where} row {r + 1} cell {c + 1}"
            for key in ("span", "vmerge"):
                if cx[key] != cy[key]:
                    out.append(f"{here}: {key} {cx[key]} in docxtpl's, {cy[key]} in vanban's")
            diff_blocks(cx["blocks"], cy["blocks"], here, out)


def compare(a, b):
    out = []
    for name in sorted(set(a) | set(b)):
        if name not in a or name not in b:
            out.append(f"{name}: only in {'docxtpl' if name in a else 'vanban'}'s")
        elif name == "docProps/core.xml":
            for k in a[name]:
                if a[name][k] != b[name].get(k):
                    out.append(f"{name} {k}: docxtpl {show(a[name][k])}, vanban {show(b[name].get(k))}")
        else:
            diff_blocks(a[name], b[name], name, out)
    return out


def fields_compared(vanban, templates, names):
    """vanban's field list of each template (`vanban templates`) against docxtpl's
    get_undeclared_template_variables(); returns (same, compared, differences)."""
    from docxtpl import DocxTemplate
    out = subprocess.run([vanban, "templates", "--templates", templates],
                         capture_output=True, text=True).stdout
    ours, current = {}, None
    for line in out.splitlines():
        if line.endswith(")") and ".docx  (Word form" in line:
            current = line.split(".docx  (", 1)[0]
        elif current and line.startswith("  fields:"):
            ours[current] = {f for f in line[len("  fields:"):].replace(",", " ").split()}
            current = None
    same, compared, diffs = 0, 0, []
    for stem in names:
        if stem in NOT_APPLICABLE and "not a template" in NOT_APPLICABLE[stem]:
            continue
        try:
            theirs = DocxTemplate(os.path.join(templates, stem + ".docx")).get_undeclared_template_variables()
        except Exception as e:  # a template docxtpl cannot parse
            theirs = f"error: {type(e).__name__}"
        mine = ours.get(stem, "error: not listed")
        compared += 1
        if mine == theirs or (isinstance(mine, str) and isinstance(theirs, str)):
            same += 1
        else:
            def show_set(x):
                return x if isinstance(x, str) else ", ".join(sorted(x)) or "(none)"
            def only(a, b):
                return ", ".join(sorted(a - b)) or "-"
            extra = "" if isinstance(mine, str) or isinstance(theirs, str) else \
                f" (only vanban's: {only(mine, theirs)}; only docxtpl's: {only(theirs, mine)})"
            diffs.append(f"{stem}: vanban {show_set(mine)}; docxtpl {show_set(theirs)}{extra}")
    return same, compared, diffs


def main():
    vanban, templates, data_dir, work = sys.argv[1:5]
    templates = os.path.abspath(templates)
    names = sorted(f[:-5] for f in os.listdir(templates) if f.endswith(".docx"))
    same, applicable, failures, notes = 0, 0, [], []
    for stem in names:
        if stem in NOT_APPLICABLE:
            continue
        applicable += 1
        case = CASES.get(stem, {})
        data_path = os.path.join(data_dir, stem + ".json")
        if not os.path.exists(data_path):
            failures.append((stem, ["no data file " + data_path]))
            continue
        with open(data_path, encoding="utf-8") as f:
            data = json.load(f)
        records = data if isinstance(data, list) else [data]
        out = os.path.join(work, stem)
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        template = os.path.join(templates, stem + ".docx")
        theirs = render_docxtpl(template, records, templates, case, out)
        ours = render_vanban(vanban, template, records, templates, out)
        if case.get("error"):
            ok = isinstance(theirs, str) and isinstance(ours, str)
            notes.append(f"{stem}: both refuse the template; vanban says: {ours[7:] if isinstance(ours, str) else '(nothing)'}")
            if ok:
                same += 1
            else:
                failures.append((stem, [f"expected both to refuse: docxtpl {show(theirs)}, vanban {show(ours)}"]))
            continue
        if isinstance(theirs, str) or isinstance(ours, str):
            failures.append((stem, [f"docxtpl: {theirs if isinstance(theirs, str) else 'ok'}",
                                    f"vanban: {ours if isinstance(ours, str) else 'ok'}"]))
            continue
        diffs = []
        for i, (t, v) in enumerate(zip(theirs, ours)):
            prefix = f"record {i + 1}: " if len(records) > 1 else ""
            diffs += [prefix + d for d in compare(document(t), document(v))]
        if case.get("python_only"):
            notes.append(f"{stem}: compared without {case['python_only']}, a Python call of its test script")
        if diffs:
            failures.append((stem, diffs))
        else:
            same += 1
    print(f"{same} of {applicable} templates give the same document as docxtpl")
    for stem, diffs in failures:
        print(f"\n{stem}: {len(diffs)} difference(s)")
        for d in diffs[:25]:
            print("  " + d)
        if len(diffs) > 25:
            print(f"  ... and {len(diffs) - 25} more")
    if notes:
        print("\nNotes:")
        for n in notes:
            print("  " + n)
    same_fields, compared, field_diffs = fields_compared(vanban, templates, names)
    print(f"\nFields: {same_fields} of {compared} templates list the same fields as docxtpl's"
          " get_undeclared_template_variables()")
    for d in field_diffs:
        print("  " + d)
    print("\nNot applicable:")
    for stem in names:
        if stem in NOT_APPLICABLE:
            print(f"  {stem}: {NOT_APPLICABLE[stem]}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
