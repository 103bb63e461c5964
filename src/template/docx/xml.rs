//! The little XML a Word form needs: escaping values, reading entities, listing an
//! element's children. Parts are patched as text; nothing here builds a tree.

use std::borrow::Cow;

/// Appends `text` to `out` escaped for XML text and attribute values (`&`, `<`, `>`, `"`).
/// Characters XML 1.0 forbids are dropped, except the ones a value uses for line,
/// paragraph and page breaks and tabs (`\n`, `\u{7}`, `\u{c}`, `\t`), which are kept for
/// [`super::listing`] and counted in the return value. `\r\n` and `\r` become `\n`.
pub(super) fn escape_into(text: &str, out: &mut String) -> usize {
    let mut breaks = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' | '\t' | '\u{7}' | '\u{c}' => {
                breaks += 1;
                out.push(c);
            }
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    breaks += 1;
                    out.push('\n');
                }
            }
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    breaks
}

/// `text` with the five named entities and numeric character references read.
pub(super) fn unescape(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        let tail = &rest[p..];
        let decoded = tail.find(';').filter(|e| *e <= 12).and_then(|e| {
            let name = &tail[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => {
                    let n = if let Some(hex) = name.strip_prefix("#x").or(name.strip_prefix("#X")) {
                        u32::from_str_radix(hex, 16).ok()
                    } else {
                        name.strip_prefix('#').and_then(|d| d.parse().ok())
                    };
                    n.and_then(char::from_u32)
                }
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &tail[len..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The child elements of an element whose inner XML is `inner`: (local name after `w:`,
/// the child's XML). Text and comments between children are dropped.
pub(super) fn children(inner: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut i = 0;
    let b = inner.as_bytes();
    while let Some(p) = inner[i..].find('<') {
        let start = i + p;
        if b.get(start + 1)
            .is_some_and(|c| matches!(c, b'/' | b'!' | b'?'))
        {
            i = start + 1;
            continue;
        }
        let Some(tag_end) = inner[start..].find('>').map(|e| start + e + 1) else {
            break;
        };
        let tag = &inner[start + 1..tag_end - 1];
        let qname = tag
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or_default();
        let name = qname.rsplit(':').next().unwrap_or(qname).to_string();
        let end = if tag.ends_with('/') {
            tag_end
        } else {
            element_end(inner, tag_end, qname).unwrap_or(inner.len())
        };
        out.push((name, inner[start..end].to_string()));
        i = end;
    }
    out
}

/// The end (after its closing tag) of the element `qname` whose content starts at `from`,
/// counting nested elements of the same name.
pub(super) fn element_end(s: &str, from: usize, qname: &str) -> Option<usize> {
    let open = format!("<{qname}");
    let close = format!("</{qname}>");
    let mut depth = 1;
    let mut i = from;
    loop {
        let next_close = s[i..].find(&close).map(|p| i + p)?;
        let mut j = i;
        while let Some(p) = s[j..next_close].find(&open) {
            let at = j + p;
            // `<x>` and `<x …>` open one more (`<x/>` and `<x …/>` close at once).
            let tag_end = s[at..].find('>').map_or(at, |e| at + e);
            let after = s.as_bytes().get(at + open.len());
            if matches!(after, Some(b' ' | b'>')) && s.as_bytes()[tag_end - 1] != b'/' {
                depth += 1;
            }
            j = at + open.len();
        }
        depth -= 1;
        i = next_close + close.len();
        if depth == 0 {
            return Some(i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_drops_what_xml_forbids_and_keeps_breaks() {
        let mut out = String::new();
        let breaks = escape_into("a<b & \"c\"\u{1}\r\nd\u{7}", &mut out);
        assert_eq!(out, "a&lt;b &amp; &quot;c&quot;\nd\u{7}");
        assert_eq!(breaks, 2);
    }

    #[test]
    fn entities_are_read() {
        assert_eq!(
            unescape("a &amp;&lt;&#8216;&#x41;&bogus; &"),
            "a &<\u{2018}A&bogus; &"
        );
    }

    #[test]
    fn children_are_listed_with_nested_ones_inside() {
        let kids = children("<w:tcW w:w=\"1\"/><w:tcBorders><w:top/></w:tcBorders>x<w:shd/>");
        let names: Vec<&str> = kids.iter().map(|k| k.0.as_str()).collect();
        assert_eq!(names, ["tcW", "tcBorders", "shd"]);
        assert_eq!(kids[1].1, "<w:tcBorders><w:top/></w:tcBorders>");
    }
}
