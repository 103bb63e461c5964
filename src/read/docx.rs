//! DOCX: the text of the body, then headers and footers, read with zip + quick-xml.
//!
//! Paragraphs and table cells end in a line break, tabs stay tabs, field codes and deleted
//! revisions are skipped (a field shows its result), and a text box drawn twice in
//! `mc:AlternateContent` is read once. Never parsed with docx-rs, which panics on real files.

use std::io::Read;
use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::{Error, Result};

/// The most uncompressed XML read from one DOCX part; a larger part is refused (zip bombs).
pub(crate) const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;

/// The most uncompressed XML read from all parts of one DOCX together: forty parts just
/// under the per-part cap would otherwise unpack to gigabytes.
pub(crate) const MAX_UNPACKED_BYTES: u64 = 128 * 1024 * 1024;

/// Extracts the text of a DOCX: body, then headers, then footers, one line per paragraph.
pub(crate) fn text(path: &Path, bytes: &[u8]) -> Result<String> {
    let corrupt = |reason: String| Error::Corrupt {
        path: path.to_path_buf(),
        format: "docx",
        reason,
    };
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| corrupt(format!("not a readable zip archive ({e})")))?;
    if archive.index_for_name("word/document.xml").is_none() {
        return Err(Error::Unsupported {
            path: path.to_path_buf(),
            what: "a zip archive without word/document.xml (not a DOCX)".into(),
        });
    }
    let mut parts = vec!["word/document.xml".to_string()];
    for prefix in ["word/header", "word/footer"] {
        let mut names: Vec<&str> = archive
            .file_names()
            .filter(|n| n.starts_with(prefix) && n.ends_with(".xml"))
            .collect();
        names.sort_by_key(|n| (n.len(), *n));
        parts.extend(names.into_iter().map(str::to_string));
    }
    let mut out = String::new();
    let mut budget = MAX_UNPACKED_BYTES;
    for name in parts {
        let xml = read_part(&mut archive, &name, budget).map_err(&corrupt)?;
        budget -= xml.len() as u64;
        let part_text = paragraphs(&xml).map_err(|e| corrupt(format!("{name}: {e}")))?;
        if !out.is_empty() && !part_text.trim().is_empty() {
            out.push('\n');
        }
        out.push_str(&part_text);
    }
    Ok(out)
}

fn read_part(
    archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    name: &str,
    budget: u64,
) -> std::result::Result<Vec<u8>, String> {
    let file = archive.by_name(name).map_err(|e| format!("{name}: {e}"))?;
    if file.size() > MAX_PART_BYTES {
        return Err(format!(
            "{name} unpacks to {} bytes, over the limit of {MAX_PART_BYTES}",
            file.size()
        ));
    }
    let cap = MAX_PART_BYTES.min(budget);
    let mut xml = Vec::new();
    // The declared size can lie: cap what is actually inflated too.
    file.take(cap + 1)
        .read_to_end(&mut xml)
        .map_err(|e| format!("{name}: {e}"))?;
    if xml.len() as u64 > cap {
        return Err(if cap < MAX_PART_BYTES {
            format!(
                "{name}: the parts unpack to more than {MAX_UNPACKED_BYTES} bytes together, over the limit"
            )
        } else {
            format!("{name} unpacks to more than {MAX_PART_BYTES} bytes")
        });
    }
    Ok(xml)
}

/// Walks WordprocessingML and returns its text, one line per paragraph.
fn paragraphs(xml: &[u8]) -> std::result::Result<String, quick_xml::Error> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut out = String::new();
    // Depth counters for elements whose content is not visible text.
    let mut skip = 0usize;
    let mut in_text = false;
    loop {
        match reader.read_event_into(&mut buf)? {
            Event::Start(e) => match e.local_name().as_ref() {
                b"t" if skip == 0 => in_text = true,
                b"instrText" | b"delText" | b"del" | b"Fallback" | b"moveFrom" => skip += 1,
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"instrText" | b"delText" | b"del" | b"Fallback" | b"moveFrom" => {
                    skip = skip.saturating_sub(1)
                }
                b"p" if skip == 0 => out.push('\n'),
                _ => {}
            },
            Event::Empty(e) if skip == 0 => match e.local_name().as_ref() {
                b"tab" | b"ptab" => out.push('\t'),
                b"br" | b"cr" => out.push('\n'),
                b"noBreakHyphen" => out.push('-'),
                b"p" => out.push('\n'),
                _ => {}
            },
            Event::Text(t) if in_text && skip == 0 => out.push_str(&t.unescape()?),
            Event::CData(t) if in_text && skip == 0 => {
                out.push_str(&String::from_utf8_lossy(&t.into_inner()))
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(body: &str, expected: &str) {
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="w" xmlns:mc="mc"><w:body>{body}</w:body></w:document>"#
        );
        assert_eq!(paragraphs(xml.as_bytes()).unwrap(), expected);
    }

    #[test]
    fn paragraphs_runs_and_tables() {
        check(
            r#"<w:p><w:r><w:t>Số: 18</w:t></w:r><w:r><w:t xml:space="preserve">-KH/TU</w:t></w:r></w:p>"#,
            "Số: 18-KH/TU\n",
        );
        check(
            r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>A</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>B</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#,
            "A\nB\n",
        );
        check(
            r#"<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t></w:r></w:p>"#,
            "a\tb\nc\n",
        );
        check(
            r#"<w:p><w:r><w:t>&lt;Hà Nội&amp;&gt;</w:t></w:r></w:p>"#,
            "<Hà Nội&>\n",
        );
    }

    #[test]
    fn fields_show_results_and_deletions_are_skipped() {
        check(
            r#"<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>2</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>"#,
            "2\n",
        );
        check(
            r#"<w:p><w:del><w:r><w:delText>cũ</w:delText></w:r></w:del><w:ins><w:r><w:t>mới</w:t></w:r></w:ins></w:p>"#,
            "mới\n",
        );
        check(
            r#"<w:p><w:r><mc:AlternateContent><mc:Choice><w:t>hộp</w:t></mc:Choice><mc:Fallback><w:t>hộp</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>"#,
            "hộp\n",
        );
    }

    #[test]
    fn broken_zip_names_the_file() {
        let err = text(Path::new("hs/qd.docx"), b"PK\x03\x04garbage")
            .unwrap_err()
            .to_string();
        assert!(err.contains("hs/qd.docx") && err.contains("docx"), "{err}");
    }
}
