//! The last phase: the catalog, the document information (title, producer, dates) and
//! the file identifier, then the finished file.

use pdf_writer::{Date, Finish, Ref, TextStr};

use super::{Writer, hash};
use crate::document::Document;
use crate::render::RenderOptions;

/// The objects numbered before all others, so that every PDF starts alike.
pub(super) struct Refs {
    pub(super) catalog: Ref,
    pub(super) page_tree: Ref,
    pub(super) info: Ref,
}

/// Writes the catalog and the document information, sets the file identifier, and
/// returns the file.
pub(super) fn write_catalog(
    mut w: Writer,
    refs: &Refs,
    doc: &Document,
    opts: &RenderOptions,
) -> Vec<u8> {
    w.pdf
        .catalog(refs.catalog)
        .pages(refs.page_tree)
        .lang(TextStr("vi"));
    write_info(&mut w, refs.info, doc, opts);
    let id = file_id(&w, opts);
    w.pdf.set_file_id((id.clone(), id));
    w.pdf.finish()
}

/// The document information: the type name and trích yếu as the title, the issuing body
/// as the author, the creation date from the options or the document's date.
fn write_info(w: &mut Writer, id: Ref, doc: &Document, opts: &RenderOptions) {
    let title = crate::render::title(doc);
    let author = crate::render::creator(doc);
    let mut info = w.pdf.document_info(id);
    info.title(TextStr(&title)).producer(TextStr("vanban"));
    if !author.is_empty() {
        info.author(TextStr(&author));
    }
    if let Some(date) = pdf_date(&crate::render::created(doc, opts)) {
        info.creation_date(date).modified_date(date);
    }
    info.finish();
}

/// The options' identifier, or a hash of the font programs and page contents.
fn file_id(w: &Writer, opts: &RenderOptions) -> Vec<u8> {
    match &opts.document_id {
        Some(id) => id.as_bytes().to_vec(),
        None => {
            let parts: Vec<&[u8]> = w.hashed.iter().map(Vec::as_slice).collect();
            format!("{:032x}", hash(&parts)).into_bytes()
        }
    }
}

/// A PDF date from W3CDTF text (`2021-01-14T08:30:00Z`); missing parts are left out.
fn pdf_date(s: &str) -> Option<Date> {
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|t| t.parse::<u8>().ok());
    let year = s.get(0..4)?.parse::<u16>().ok()?;
    let mut d = Date::new(year);
    if let Some(m) = num(5..7) {
        d = d.month(m);
        if let Some(day) = num(8..10) {
            d = d.day(day);
            if let (Some(h), Some(min)) = (num(11..13), num(14..16)) {
                d = d.hour(h).minute(min);
                if let Some(sec) = num(17..19) {
                    d = d.second(sec);
                }
                if s.ends_with('Z') {
                    d = d.utc_offset_hour(0).utc_offset_minute(0);
                }
            }
        }
    }
    Some(d)
}

#[cfg(test)]
mod tests {
    use pdf_writer::Pdf;

    use super::*;

    #[test]
    fn dates_follow_w3cdtf() {
        let mut pdf = Pdf::new();
        let d = pdf_date("2021-01-14T08:30:05Z").unwrap();
        pdf.document_info(Ref::new(1)).creation_date(d);
        let bytes = pdf.finish();
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("(D:20210114083005Z"), "{text}");
        assert!(pdf_date("bad").is_none());
    }
}
