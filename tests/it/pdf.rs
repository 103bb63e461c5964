//! Templates → Document → PDF, checked without poppler: the PDF is taken apart here (its
//! objects, the ToUnicode maps, the content streams), and the text it draws is compared
//! with the Document's own words. `.ci/check-pdf.sh` compares with LibreOffice.

use std::collections::HashMap;

use serde_json::Value;
use vanban::document::{self, Block, Document, Draft, Span, Standard};
use vanban::render::{self, RenderOptions};
use vanban::template::Templates;

use crate::cli::{Dir, vanban};

fn records(name: &str) -> Vec<Value> {
    let path = format!("{}/fixtures/data/{name}", env!("CARGO_MANIFEST_DIR"));
    vanban::template::data::from_json(&std::fs::read(path).unwrap()).unwrap()
}

fn doc(template: &str, record: &Value) -> Document {
    document::layout(&Templates::builtin().fill(template, record).unwrap())
}

fn pdf(doc: &Document) -> Vec<u8> {
    render::pdf(doc, &RenderOptions::default()).unwrap()
}

/// The stream of every object that has one, inflated, keyed by object number; and the
/// dictionary text of every object.
struct Parsed {
    dicts: HashMap<u32, String>,
    streams: HashMap<u32, Vec<u8>>,
}

fn parse(pdf: &[u8]) -> Parsed {
    let obj = regex::bytes::Regex::new(r"(?m)^(\d+) 0 obj\n").unwrap();
    let starts: Vec<(u32, usize)> = obj
        .captures_iter(pdf)
        .map(|c| {
            let id = std::str::from_utf8(&c[1]).unwrap().parse().unwrap();
            (id, c.get(0).unwrap().end())
        })
        .collect();
    let mut dicts = HashMap::new();
    let mut streams = HashMap::new();
    let length = regex::Regex::new(r"/Length (\d+)").unwrap();
    for (id, start) in starts {
        let rest = &pdf[start..];
        let end = find(rest, b"endobj").unwrap();
        let body = &rest[..end];
        match find(body, b"stream\n") {
            Some(s) => {
                let dict = String::from_utf8_lossy(&body[..s]).into_owned();
                let len: usize = length.captures(&dict).unwrap()[1].parse().unwrap();
                let data = &body[s + 7..s + 7 + len];
                let data = if dict.contains("/FlateDecode") {
                    let mut out = Vec::new();
                    std::io::Read::read_to_end(&mut flate2::read::ZlibDecoder::new(data), &mut out)
                        .unwrap();
                    out
                } else {
                    data.to_vec()
                };
                streams.insert(id, data);
                dicts.insert(id, dict);
            }
            None => {
                dicts.insert(id, String::from_utf8_lossy(body).into_owned());
            }
        }
    }
    Parsed { dicts, streams }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn refs(dict: &str, key: &str) -> Vec<u32> {
    let re = regex::Regex::new(&format!(r"{key} (\d+) 0 R")).unwrap();
    re.captures_iter(dict)
        .map(|c| c[1].parse().unwrap())
        .collect()
}

/// A token of a content stream: only what text decoding needs.
#[derive(Debug)]
enum Token {
    Name(Vec<u8>),
    Str(Vec<u8>),
    ArrayEnd,
    Op(Vec<u8>),
    Other,
}

/// Splits a content stream into tokens: names, strings (literal with balanced
/// parentheses and escapes, or hex), array ends, operators.
fn tokens(c: &[u8]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut i = 0;
    let delim = |b: u8| b.is_ascii_whitespace() || b"()<>[]/".contains(&b);
    while i < c.len() {
        match c[i] {
            b if b.is_ascii_whitespace() => i += 1,
            b'[' => i += 1,
            b']' => {
                out.push(Token::ArrayEnd);
                i += 1;
            }
            b'/' => {
                let start = i + 1;
                i = start;
                while i < c.len() && !delim(c[i]) {
                    i += 1;
                }
                out.push(Token::Name(c[start..i].to_vec()));
            }
            b'<' => {
                let end = i + c[i..].iter().position(|b| *b == b'>').unwrap();
                let hex = std::str::from_utf8(&c[i + 1..end]).unwrap();
                let bytes = (0..hex.len() / 2)
                    .map(|k| u8::from_str_radix(&hex[k * 2..k * 2 + 2], 16).unwrap())
                    .collect();
                out.push(Token::Str(bytes));
                i = end + 1;
            }
            b'(' => {
                let mut depth = 1;
                let mut bytes = Vec::new();
                i += 1;
                while depth > 0 {
                    match c[i] {
                        b'\\' => {
                            i += 1;
                            match c[i] {
                                b'0'..=b'7' => {
                                    let mut v = 0u32;
                                    let mut n = 0;
                                    while n < 3 && (b'0'..=b'7').contains(&c[i]) {
                                        v = v * 8 + u32::from(c[i] - b'0');
                                        i += 1;
                                        n += 1;
                                    }
                                    bytes.push(v as u8);
                                    continue;
                                }
                                b'n' => bytes.push(b'\n'),
                                b'r' => bytes.push(b'\r'),
                                b't' => bytes.push(b'\t'),
                                b'b' => bytes.push(8),
                                b'f' => bytes.push(12),
                                other => bytes.push(other),
                            }
                        }
                        b'(' => {
                            depth += 1;
                            bytes.push(b'(');
                        }
                        b')' => {
                            depth -= 1;
                            if depth > 0 {
                                bytes.push(b')');
                            }
                        }
                        other => bytes.push(other),
                    }
                    i += 1;
                }
                out.push(Token::Str(bytes));
            }
            b if b.is_ascii_alphabetic() || b == b'\'' || b == b'"' => {
                let start = i;
                while i < c.len() && !delim(c[i]) {
                    i += 1;
                }
                out.push(Token::Op(c[start..i].to_vec()));
            }
            _ => {
                while i < c.len() && !delim(c[i]) {
                    i += 1;
                }
                out.push(Token::Other);
            }
        }
    }
    out
}

/// Each page's content stream, inflated.
pub(crate) fn page_contents(pdf: &[u8]) -> Vec<Vec<u8>> {
    let p = parse(pdf);
    let kids = regex::Regex::new(r"/Kids \[([^\]]*)\]").unwrap();
    let tree = p
        .dicts
        .values()
        .find(|d| d.contains("/Type /Pages"))
        .unwrap();
    kids.captures(tree).unwrap()[1]
        .split(" 0 R")
        .filter_map(|s| s.trim().parse::<u32>().ok())
        .map(|page| p.streams[&refs(&p.dicts[&page], "/Contents")[0]].clone())
        .collect()
}

/// The text each page draws, one string per text-showing operation, decoded through the
/// fonts' ToUnicode maps.
pub(crate) fn page_texts(pdf: &[u8]) -> Vec<Vec<String>> {
    let p = parse(pdf);
    // Type0 font object → (code → char, whether codes are one byte).
    let mut maps: HashMap<u32, (HashMap<u16, char>, bool)> = HashMap::new();
    let bfchar = regex::Regex::new(r"<([0-9A-F]{2}|[0-9A-F]{4})> <([0-9A-F]{4,8})>").unwrap();
    for (id, dict) in &p.dicts {
        if dict.contains("/Subtype /Type0") {
            let cmap = refs(dict, "/ToUnicode")[0];
            let text = String::from_utf8_lossy(&p.streams[&cmap]).into_owned();
            let body = &text[text.find("beginbfchar").unwrap()..];
            let map = bfchar
                .captures_iter(body)
                .map(|c| {
                    let cid = u16::from_str_radix(&c[1], 16).unwrap();
                    let units: Vec<u16> = (0..c[2].len() / 4)
                        .map(|i| u16::from_str_radix(&c[2][i * 4..i * 4 + 4], 16).unwrap())
                        .collect();
                    let ch = char::decode_utf16(units).next().unwrap().unwrap();
                    (cid, ch)
                })
                .collect();
            maps.insert(*id, (map, !dict.contains("/Identity-H")));
        }
    }
    let kids = regex::Regex::new(r"/Kids \[([^\]]*)\]").unwrap();
    let tree = p
        .dicts
        .values()
        .find(|d| d.contains("/Type /Pages"))
        .unwrap();
    let pages: Vec<u32> = kids.captures(tree).unwrap()[1]
        .split(" 0 R")
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let font_res = regex::Regex::new(r"/(F\d) (\d+) 0 R").unwrap();
    pages
        .iter()
        .map(|page| {
            let dict = &p.dicts[page];
            let fonts: HashMap<String, u32> = font_res
                .captures_iter(dict)
                .map(|c| (c[1].to_string(), c[2].parse().unwrap()))
                .collect();
            let content = &p.streams[&refs(dict, "/Contents")[0]];
            let mut font = None;
            let mut out = Vec::new();
            let mut current = String::new();
            let mut last_name = None;
            for t in tokens(content) {
                match t {
                    Token::Name(n) => last_name = Some(String::from_utf8(n).unwrap()),
                    Token::Op(op) if op == b"Tf" => {
                        font = Some(fonts[last_name.as_deref().unwrap()]);
                    }
                    Token::Str(bytes) => {
                        let (map, one_byte) = &maps[&font.unwrap()];
                        if *one_byte {
                            current.extend(bytes.iter().map(|b| map[&u16::from(*b)]));
                        } else {
                            for pair in bytes.chunks(2) {
                                current.push(map[&u16::from_be_bytes([pair[0], pair[1]])]);
                            }
                        }
                    }
                    Token::Op(op) if op == b"TJ" || op == b"Tj" => {
                        out.push(std::mem::take(&mut current));
                    }
                    Token::ArrayEnd | Token::Op(_) | Token::Other => {}
                }
            }
            out
        })
        .collect()
}

fn spans_text(spans: &[Span]) -> String {
    spans.iter().map(|s| s.text.as_str()).collect()
}

/// Every word the Document holds, in no particular order (page numbers left out).
fn document_words(doc: &Document) -> Vec<String> {
    let l = &doc.layout;
    let h = &doc.header;
    let mut parts: Vec<String> = vec![
        h.parent_body.clone(),
        h.issuing_body.clone(),
        h.number.clone(),
        h.date_line.clone(),
        doc.subject.clone(),
    ];
    // A công văn prints no type name.
    if doc.form != document::Form::Letter {
        parts.push(doc.kind.clone());
    }
    if !doc.addressees.is_empty() {
        parts.push(l.addressee_label.clone());
        parts.extend(doc.addressees.iter().cloned());
    }
    parts.extend(l.title_lines.iter().cloned());
    if l.issuer_mark == document::IssuerMark::Star {
        parts.push("*".into());
    }
    if let document::SubjectMark::Text(t) = &l.subject_mark
        && doc.form != document::Form::Letter
    {
        parts.push(t.clone());
    }
    for block in &doc.blocks {
        match block {
            Block::Paragraph { spans, .. } => parts.push(spans_text(spans)),
            Block::Table(t) => {
                for cell in t.header.iter().chain(t.rows.iter().flatten()) {
                    parts.push(spans_text(cell));
                }
            }
            Block::Chart(c) => {
                parts.push(c.caption.clone());
                for bar in &c.bars {
                    parts.extend([bar.label.clone(), bar.value.to_string()]);
                }
            }
        }
    }
    for s in &doc.signatures {
        parts.extend([s.authority.clone(), s.position.clone(), s.name.clone()]);
    }
    parts.push(l.recipients_label.clone());
    parts.extend(doc.recipients.iter().cloned());
    let mut words: Vec<String> = parts
        .iter()
        .flat_map(|p| p.split_whitespace().map(str::to_string))
        .collect();
    words.sort();
    words
}

/// The words the PDF draws, page numbers (each page's first line from page 2) left out,
/// and a table header's words only once per table.
fn drawn_words(pdf: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let pages = page_texts(pdf);
    let mut words = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let lines = if i == 0 { &page[..] } else { &page[1..] };
        if i > 0 {
            assert_eq!(
                page[0],
                (i + 1).to_string(),
                "page {} starts with its number",
                i + 1
            );
        }
        words.extend(
            lines
                .iter()
                .flat_map(|l| l.split_whitespace().map(str::to_string)),
        );
    }
    words.sort();
    (words, pages)
}

#[test]
fn every_builtin_template_draws_exactly_its_text() {
    let cases = [
        ("ke-hoach", "ke-hoach.json"),
        ("bien-ban", "bien-ban.json"),
        ("bao-cao", "bao-cao.json"),
        ("ke-hoach-trien-khai", "chi-thi-45.json"),
        ("cong-van", "cong-van.json"),
        ("quyet-dinh", "quyet-dinh.json"),
        ("to-trinh", "to-trinh.json"),
        ("thong-bao", "thong-bao.json"),
        ("giay-moi", "giay-moi.json"),
    ];
    for (template, data) in cases {
        for record in records(data) {
            for standard in [Standard::NhaNuoc, Standard::Dang] {
                // Laid out under the other standard's rules: the frame follows them.
                let draft = Templates::builtin().fill(template, &record).unwrap();
                let d = document::layout_with(&draft, document::Layout::for_standard(standard));
                let bytes = pdf(&d);
                assert!(bytes.starts_with(b"%PDF-1.7"), "{template}");
                assert!(bytes.ends_with(b"%%EOF") || bytes.ends_with(b"%%EOF\n"));
                let (mut drawn, pages) = drawn_words(&bytes);
                // Repeated table headers: drop the copies drawn on later pages.
                for page in pages.iter().skip(1) {
                    for block in &d.blocks {
                        if let Block::Table(t) = block {
                            let head: Vec<String> =
                                t.header.iter().map(|c| spans_text(c)).collect();
                            if page.len() > head.len() && page[1..=head.len()] == head[..] {
                                for w in head.iter().flat_map(|h| h.split_whitespace()) {
                                    let i = drawn.iter().position(|x| x == w).unwrap();
                                    drawn.remove(i);
                                }
                            }
                        }
                    }
                }
                assert_eq!(drawn, document_words(&d), "{template} {standard:?}");
            }
        }
    }
}

#[test]
fn a_chart_is_drawn_as_filled_rectangles_with_its_labels_and_values_as_text() {
    let draft = Draft {
        kind: "Báo cáo".into(),
        issuing_body: "Văn phòng".into(),
        recipients: vec!["Lưu: VT".into()],
        body: "Trước.\n\n```chart Theo loại\nKế hoạch | 4\nQuyết định | 2\nThông báo | 0\n```\n\nSau.\n"
            .into(),
        ..Draft::default()
    };
    let d = document::layout(&draft);
    let bytes = pdf(&d);
    let content = String::from_utf8_lossy(&page_contents(&bytes)[0]).into_owned();
    // Two bars (a zero draws none), one filled path, in grey.
    let rects: Vec<Vec<f32>> = content
        .lines()
        .filter(|l| l.ends_with(" re"))
        .map(|l| l.split(' ').take(4).map(|n| n.parse().unwrap()).collect())
        .collect();
    assert_eq!(rects.len(), 2, "{content}");
    assert!(content.contains("\nf\n"), "{content}");
    assert!((rects[0][2] - 2.0 * rects[1][2]).abs() < 0.05, "{rects:?}");
    assert_eq!(rects[0][0], rects[1][0], "bars start at one axis");
    assert!(rects[0][1] > rects[1][1], "the first bar on top");
    let texts = page_texts(&bytes).concat();
    let chart: Vec<&str> = texts
        .iter()
        .map(String::as_str)
        .skip_while(|t| *t != "Theo loại")
        .take(7)
        .collect();
    assert_eq!(
        chart,
        [
            "Theo loại",
            "Kế hoạch",
            "4",
            "Quyết định",
            "2",
            "Thông báo",
            "0"
        ]
    );
    let (drawn, _) = drawn_words(&bytes);
    assert_eq!(drawn, document_words(&d));
}

#[test]
fn ke_hoach_is_small_subset_fonts_and_deterministic() {
    let d = doc("ke-hoach", &records("ke-hoach.json")[0]);
    let a = pdf(&d);
    assert!(a.len() <= 60 * 1024, "{} bytes", a.len());
    let p = parse(&a);
    let fonts: Vec<&String> = p
        .dicts
        .values()
        .filter(|d| d.contains("/Subtype /CIDFontType2"))
        .collect();
    assert_eq!(fonts.len(), 4, "regular, bold, italic, bold italic");
    let tag = regex::Regex::new(r"/BaseFont /[A-Z]{6}\+LiberationSerif").unwrap();
    assert!(fonts.iter().all(|f| tag.is_match(f)), "{fonts:?}");
    for (id, dict) in &p.dicts {
        if dict.contains("/Length1") {
            let program = &p.streams[id];
            assert!(
                program.len() < 40_000,
                "a subset, not the whole font: {}",
                program.len()
            );
            assert!(ttf_parser::Face::parse(program, 0).is_ok());
        }
    }
    // Same input, same bytes; the date and the identifier come from the options.
    assert_eq!(a, pdf(&d));
    let opts = RenderOptions {
        created: "2025-10-14T08:00:00Z".into(),
        document_id: Some("0123456789abcdef0123456789abcdef".into()),
    };
    let b = render::pdf(&d, &opts).unwrap();
    let text = String::from_utf8_lossy(&b);
    assert!(
        text.contains("/CreationDate (D:20251014080000Z"),
        "creation date"
    );
    assert!(
        text.contains("/ID [(0123456789abcdef0123456789abcdef)"),
        "file id"
    );
    assert_eq!(b, render::pdf(&d, &opts).unwrap());
}

#[test]
fn vietnamese_is_drawn_from_nfc_glyphs() {
    let draft = Draft {
        kind: "Kế hoạch".into(),
        issuing_body: "Ủy ban nhân dân".into(),
        number: "1/KH-UBND".into(),
        // NFD: e + circumflex + acute, u + horn + hook above.
        body: "Ke\u{302}\u{301} hoa\u{323}ch thu\u{31b}\u{309}c hie\u{323}\u{302}n.".into(),
        ..Draft::default()
    };
    let d = document::layout(&draft);
    let pages = page_texts(&pdf(&d));
    let all: String = pages[0].join("\n");
    assert!(all.contains("Kế hoạch thửc hiện."), "{all}");
    assert!(
        !all.chars().any(|c| ('\u{300}'..='\u{36f}').contains(&c)),
        "no combining marks"
    );
}

#[test]
fn long_words_and_huge_tables_stay_on_the_page() {
    let word = "Đ".repeat(400);
    let rows: String = (1..=300)
        .map(|i| {
            format!(
                "| {i} | nội dung số {i} rất dài {} | x |\n",
                "chữ ".repeat(i % 40)
            )
        })
        .collect();
    let draft = Draft {
        kind: "Báo cáo".into(),
        issuing_body: "Sở".into(),
        body: format!(
            "{word}\n\n| TT | Nội dung | Ghi chú |\n|---|---|---|\n{rows}| 1 | {} | y |\n",
            "dài ".repeat(3000)
        ),
        signer: "A".into(),
        ..Draft::default()
    };
    let d = document::layout(&draft);
    let bytes = pdf(&d);
    let pages = page_texts(&bytes);
    assert!(pages.len() > 10, "{} pages", pages.len());
    // The long word is broken at the margin, all of it drawn.
    let first: String = pages[0]
        .iter()
        .filter(|l| l.chars().all(|c| c == 'Đ'))
        .cloned()
        .collect();
    assert_eq!(first, word);
    // Every page the table reaches starts with its header row (after the page number).
    let with_header = pages
        .iter()
        .skip(1)
        .filter(|p| p[1..].join(" ").starts_with("TT Nội dung Ghi chú"))
        .count();
    assert!(
        with_header + 2 >= pages.len(),
        "{with_header} of {}",
        pages.len()
    );
    // Nothing is drawn outside the paper.
    let re = regex::Regex::new(r"1 0 0 1 (-?[\d.]+) (-?[\d.]+) Tm").unwrap();
    let p = parse(&bytes);
    for data in p.streams.values() {
        let text = String::from_utf8_lossy(data);
        for c in re.captures_iter(&text) {
            let (x, y): (f32, f32) = (c[1].parse().unwrap(), c[2].parse().unwrap());
            assert!(
                (0.0..595.0).contains(&x) && (0.0..842.0).contains(&y),
                "{x} {y}"
            );
        }
    }
}

#[test]
fn an_empty_document_renders() {
    let d = document::layout(&Draft::default());
    let pages = page_texts(&pdf(&d));
    assert_eq!(pages.len(), 1);
}

#[test]
fn render_writes_docx_and_pdf() {
    let dir = Dir::new("pdf-render");
    let data = format!("{}/fixtures/data/ke-hoach.json", env!("CARGO_MANIFEST_DIR"));
    let out = vanban(
        dir.path(),
        &[
            "render",
            "-t",
            "ke-hoach",
            "-d",
            &data,
            "-o",
            "out",
            "-f",
            "docx,pdf",
            "--name",
            "kh-{{ so }}",
        ],
        b"",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pdfs = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "pdf"))
        .count();
    assert_eq!(pdfs, 5);
    let pdf = std::fs::read(dir.path().join("out/kh-15-KH-HU.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    assert!(dir.path().join("out/kh-15-KH-HU.docx").exists());
    let bad = vanban(
        dir.path(),
        &["render", "-t", "ke-hoach", "-d", &data, "-f", "odt"],
        b"",
    );
    assert_eq!(bad.status.code(), Some(2));
}
