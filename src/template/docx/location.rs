//! Where in a Word form a tag is, in the words a person editing it in Word uses: the part
//! (body, a header…), the table, row and cell, the paragraph's text, and the tag as typed.

use super::patch::{PARAGRAPH_FILTER, RUN_FILTER};
use super::xml;

/// A tag's place in a part's Jinja source, from the byte offset `at` of an error.
pub(super) fn describe(part: &str, source: &str, at: usize) -> String {
    let at = crate::text::floor_boundary(source, at.min(source.len()));
    let mut words = vec![part_words(part)];
    words.extend(table_path(source, at));
    let tag = enclosing_tag(source, at);
    let paragraph = paragraph_text(source, at);
    match (&paragraph, &tag) {
        (Some(p), Some(t)) if p.trim() != t.trim() => {
            words.push(format!("paragraph \"{}\"", shorten(p, 120)));
        }
        (Some(p), None) => words.push(format!("paragraph \"{}\"", shorten(p, 120))),
        _ => {}
    }
    if let Some(t) = tag {
        words.push(format!("tag {}", shorten(&t, 120)));
    }
    words.join(", ")
}

/// `word/header2.xml` → `header2.xml (a page header)`.
fn part_words(part: &str) -> String {
    let file = part.rsplit('/').next().unwrap_or(part);
    let what = if file.starts_with("header") {
        "page header"
    } else if file.starts_with("footer") {
        "page footer"
    } else if file.starts_with("footnotes") {
        "footnotes"
    } else if file.starts_with("endnotes") {
        "endnotes"
    } else if part.starts_with("docProps/") {
        "document properties"
    } else {
        "body"
    };
    format!("{what} ({part})")
}

fn shorten(s: &str, max: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.len() <= max {
        return s;
    }
    let end = crate::text::floor_boundary(&s, max - 3);
    format!("{}...", &s[..end])
}

/// `table 2, row 3, cell 1` (nested tables as `table 1, row 2, cell 1, table 1, …`),
/// counting rows and cells a tag replaced (`{%tr %}`, marked `{#tr#}`) as Word shows them.
fn table_path(source: &str, at: usize) -> Vec<String> {
    // (table number among its siblings, rows seen, cells seen in the current row).
    let mut stack: Vec<(usize, usize, usize)> = Vec::new();
    let mut tables_at_level: Vec<usize> = vec![0];
    let s = &source[..at];
    let mut i = 0;
    while let Some(p) = s[i..].find(['<', '{']) {
        let j = i + p;
        let rest = &s[j..];
        let opens = |name: &str| {
            rest.starts_with(name)
                && matches!(rest.as_bytes().get(name.len()), Some(b' ' | b'>' | b'/'))
        };
        if opens("<w:tbl") {
            let level = stack.len();
            tables_at_level[level] += 1;
            stack.push((tables_at_level[level], 0, 0));
            tables_at_level.push(0);
        } else if rest.starts_with("</w:tbl>") && stack.pop().is_some() {
            tables_at_level.pop();
        } else if opens("<w:tr") || rest.starts_with("{#tr#}") {
            if let Some(t) = stack.last_mut() {
                t.1 += 1;
                t.2 = 0;
            }
        } else if (opens("<w:tc") || rest.starts_with("{#tc#}"))
            && let Some(t) = stack.last_mut()
        {
            t.2 += 1;
        }
        i = j + 1;
    }
    let mut out = Vec::new();
    for (n, row, cell) in stack {
        out.push(format!("table {n}"));
        if row > 0 {
            out.push(format!("row {row}"));
        }
        if cell > 0 {
            out.push(format!("cell {cell}"));
        }
    }
    out
}

/// The text of the paragraph holding `at` (tags as typed), when `at` is in one.
fn paragraph_text(source: &str, at: usize) -> Option<String> {
    let b = source.as_bytes();
    let mut start = None;
    let mut i = at;
    while let Some(p) = source[..i].rfind("<w:p") {
        if matches!(b.get(p + 4), Some(b' ' | b'>')) {
            start = Some(p);
            break;
        }
        i = p;
    }
    let start = start?;
    if source[start..at].contains("</w:p>") {
        return None;
    }
    let end = source[at..].find("</w:p>").map_or(source.len(), |e| at + e);
    let mut text = String::new();
    let mut rest = &source[start..end];
    while let Some(p) = rest.find('<') {
        text.push_str(&rest[..p]);
        match rest[p..].find('>') {
            Some(e) => rest = &rest[p + e + 1..],
            None => {
                rest = "";
            }
        }
    }
    text.push_str(rest);
    Some(readable(&xml::unescape(&text)))
}

/// The source of the `{{ }}` or `{% %}` tag around `at`.
pub(super) fn tag_at(source: &str, at: usize) -> Option<String> {
    let head = &source[..crate::text::floor_boundary(source, (at + 2).min(source.len()))];
    let start = ["{{", "{%"].iter().filter_map(|o| head.rfind(o)).max()?;
    let closer = if source[start..].starts_with("{{") {
        "}}"
    } else {
        "%}"
    };
    let end = source[start + 2..].find(closer)? + start + 4;
    (end >= at).then(|| source[start..end].to_string())
}

/// The names a tag reads that could be fields: identifiers not after `.` or `|`, not
/// called, not inside quotes, not Jinja's words.
pub(super) fn names(tag: &str) -> Vec<String> {
    const WORDS: [&str; 16] = [
        "if", "else", "elif", "endif", "for", "in", "endfor", "not", "and", "or", "is", "true",
        "false", "none", "set", "loop",
    ];
    let b = tag.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut quote = None;
    while i < b.len() {
        let c = b[i];
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        if c == b'"' || c == b'\'' {
            quote = Some(c);
            i += 1;
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            let before = tag[..start].trim_end().bytes().last();
            let called = tag[i..].trim_start().starts_with('(');
            let word = &tag[start..i];
            if !matches!(before, Some(b'.' | b'|')) && !called && !WORDS.contains(&word) {
                out.push(word.to_string());
            }
            continue;
        }
        i += 1;
    }
    out
}

/// The `{{ }}`, `{% %}` or `{# #}` tag around `at`, as the user typed it.
fn enclosing_tag(source: &str, at: usize) -> Option<String> {
    let head = &source[..crate::text::floor_boundary(source, (at + 2).min(source.len()))];
    let start = ["{{", "{%"].iter().filter_map(|o| head.rfind(o)).max()?;
    let closer = if source[start..].starts_with("{{") {
        "}}"
    } else {
        "%}"
    };
    // An unclosed tag shows up to the end of its text.
    let text_end = source[start..]
        .find('<')
        .map_or(source.len(), |e| start + e);
    let end = match source[start + 2..].find(closer).map(|e| start + 2 + e + 2) {
        Some(end) if end <= text_end => end,
        _ => text_end,
    };
    if end < at {
        return None;
    }
    let marker = ["{#tr#}", "{#tc#}", "{#p#}"]
        .into_iter()
        .find(|m| source[end..].starts_with(m));
    let tag = &source[start..end];
    Some(match marker {
        Some(m) if !tag.contains("__vb_") => {
            format!("{}{}{}", &tag[..2], &m[2..m.len() - 2], &tag[2..])
        }
        _ => readable(tag),
    })
}

/// A piece of source as the user typed it: `{{ (x) | __vb_run(0) }}` → `{{r x }}`, the
/// markers dropped.
fn readable(s: &str) -> String {
    let mut out = s
        .replace("{#tr#}", "")
        .replace("{#tc#}", "")
        .replace("{#p#}", "");
    for (filter, kind) in [(RUN_FILTER, "r"), (PARAGRAPH_FILTER, "p")] {
        while let Some(p) = out.find(&format!(") | {filter}(")) {
            let Some(open) = out[..p].rfind("{{ (") else {
                break;
            };
            let Some(close) = out[p..].find("}}").map(|e| p + e + 2) else {
                break;
            };
            let expr = out[open + 4..p].to_string();
            out.replace_range(open..close, &format!("{{{{{kind} {expr} }}}}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_in_a_looped_row_is_placed_as_in_word() {
        let src = "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Hạn</w:t></w:r></w:p></w:tc></w:tr>{% for t in v %}{#tr#}<w:tr><w:tc><w:p/></w:tc><w:tc><w:p><w:r><w:t>Ngày: {{ t.han | dmy }}</w:t></w:r></w:p></w:tc></w:tr>";
        let at = src.find("t.han").unwrap();
        assert_eq!(
            describe("word/document.xml", src, at),
            "body (word/document.xml), table 1, row 3, cell 2, paragraph \"Ngày: {{ t.han | dmy }}\", tag {{ t.han | dmy }}"
        );
    }

    #[test]
    fn names_a_tag_reads() {
        assert_eq!(
            names("{{ ngay | date_line(dia_danh) if x.y else 'z' }}"),
            ["ngay", "dia_danh", "x"]
        );
    }

    #[test]
    fn rewritten_tags_read_as_typed() {
        assert_eq!(readable("a {{ (x.y) | __vb_run(3) }} b"), "a {{r x.y }} b");
        let src = "<w:p/>{% if a %}{#p#}<w:p/>";
        assert_eq!(
            describe("word/header1.xml", src, src.find("if").unwrap()),
            "page header (word/header1.xml), tag {%p if a %}"
        );
    }
}
