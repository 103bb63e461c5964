#!/usr/bin/env python3
"""Words of vanban's PDF text layer against poppler's pdftotext, per good-layer PDF.

For every PDF whose INDEX.tsv row says the text layer is good (`text_layer` = yes), both
texts are cut into words (NFC, runs of letters and digits) and compared as bags: vanban
must have at least 99.5 % of pdftotext's words ("found"), and invent none: every word of
vanban's beyond pdftotext's count must be part of a word pdftotext has (pdftotext glues a
symbol broken at its hyphen across lines, `NĐ-` + `CP` → `NĐCP`, and text an e-office
system stamped next to a word, `ngày15`; vanban keeps `NĐ-CP` and `ngày 15`). vanban's text is what `vanban normalize` prints plus the lines it took
out of the body as page furniture (page numbers, e-signature captions), which
`vanban decode -f json` lists per page.

Then, for each PDF whose transcript is in FOLDER/../texts (the corpus keeps four), `vanban
extract` of the PDF must give the same document number, kind, issuer, date and citations
as `vanban extract` of the transcript.

Usage: check-pdf-words.py [FOLDER]   (default: ../shared/corpus/pdf, else fixtures/pdf)
Needs pdftotext (poppler-utils). Exit 1 if a PDF falls short.
"""
import collections
import csv
import json
import os
import re
import subprocess
import sys
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FOUND_MIN = 0.995


def words(text):
    text = unicodedata.normalize("NFC", text)
    return collections.Counter(re.findall(r"[^\W_]+", text))


def vanban(binary, pdf):
    text = subprocess.run([binary, "normalize", "-q", pdf], capture_output=True, check=True).stdout
    meta = subprocess.run([binary, "decode", "-q", "-f", "json", pdf], capture_output=True, check=True).stdout
    furniture = []
    for line in meta.decode().splitlines():
        for page in json.loads(line).get("pages", []):
            furniture.extend(page.get("furniture", []))
    return text.decode() + "\n" + "\n".join(furniture)


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else None
    if folder is None:
        shared = os.path.join(ROOT, "..", "shared", "corpus", "pdf")
        folder = shared if os.path.isdir(shared) else os.path.join(ROOT, "fixtures", "pdf")
    binary = os.environ.get("VANBAN", os.path.join(ROOT, "target", "debug", "vanban"))
    with open(os.path.join(folder, "INDEX.tsv"), newline="") as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t") if r["text_layer"] == "yes"]
    failed = 0
    print(f"{'file':44} {'pdftotext':>9} {'found':>7} {'invented':>8}")
    for row in rows:
        pdf = os.path.join(folder, row["file"])
        if not os.path.exists(pdf):
            continue
        reference = words(subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True, check=True).stdout.decode())
        ours = words(vanban(binary, pdf))
        total = sum(reference.values())
        found = sum(min(n, ours[w]) for w, n in reference.items())
        excess = ours - reference
        glued = " ".join(reference - ours)
        invented = collections.Counter({w: n for w, n in excess.items() if w not in glued})
        share = found / total if total else 1.0
        ok = share >= FOUND_MIN and not invented
        failed += not ok
        print(f"{row['file']:44} {total:9} {share:7.2%} {sum(invented.values()):8}{'' if ok else '  FAIL'}")
        if not ok:
            missing = reference - ours
            print("   missing:", " ".join(f"{w}×{n}" for w, n in missing.most_common(12)))
            print("   invented:", " ".join(f"{w}×{n}" for w, n in invented.most_common(12)))
    failed += check_transcripts(binary, folder)
    sys.exit(1 if failed else 0)


def identity(binary, path):
    out = subprocess.run([binary, "extract", "-q", path], capture_output=True, check=True).stdout
    record = json.loads(out)
    doc = record["document"]
    cites = sorted({r["number"] for r in record.get("references", [])})
    return {k: doc.get(k) for k in ("number", "kind", "issuer", "date")}, cites


def check_transcripts(binary, folder):
    texts = os.path.join(folder, "..", "texts")
    if not os.path.isdir(texts):
        return 0
    failed = 0
    for name in sorted(os.listdir(folder)):
        stem, ext = os.path.splitext(name)
        transcript = os.path.join(texts, stem + ".txt")
        if ext != ".pdf" or not os.path.exists(transcript):
            continue
        pdf = identity(binary, os.path.join(folder, name))
        txt = identity(binary, transcript)
        same = pdf == txt
        failed += not same
        print(f"{name:44} identity and citations {'as the transcript' if same else 'DIFFER'}")
        if not same:
            print("   pdf:", pdf)
            print("   txt:", txt)
    return failed


if __name__ == "__main__":
    main()
