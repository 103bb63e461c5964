//! Line breaks, tabs, paragraph and page breaks in printed values, turned into Word's
//! elements after filling, as docxtpl does: `\n` a `<w:br/>`, `\t` a `<w:tab/>` run,
//! `\u{7}` a new paragraph with the same paragraph and run properties, `\u{c}` a page break
//! between two such paragraphs. Only inside `<w:t>` text; left elsewhere, the characters XML
//! forbids are dropped. Runs only when a printed value held one of them.

use std::sync::LazyLock;

use regex::{Captures, Regex};

static PARAGRAPH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)<w:p(?: [^>]*)?>.*?</w:p>").expect("literal regex"));
static PARAGRAPH_PROPS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<w:pPr>[^\n]*?</w:pPr>").expect("literal regex"));
static RUN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)<w:r(?: [^>]*)?>.*?</w:r>").expect("literal regex"));
static RUN_PROPS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<w:rPr>[^\n]*?</w:rPr>").expect("literal regex"));
static TEXT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)<w:t(?: [^>]*)?>.*?</w:t>").expect("literal regex"));

/// `xml` with the breaks in its texts made Word elements.
pub(super) fn resolve(xml: &str) -> String {
    let out = PARAGRAPH.replace_all(xml, |p: &Captures<'_>| {
        let para = &p[0];
        let ppr = PARAGRAPH_PROPS.find(para).map_or("", |m| m.as_str());
        RUN.replace_all(para, |r: &Captures<'_>| {
            let run = &r[0];
            let rpr = RUN_PROPS.find(run).map_or("", |m| m.as_str());
            TEXT.replace_all(run, |t: &Captures<'_>| text(&t[0], ppr, rpr))
                .into_owned()
        })
        .into_owned()
    });
    out.chars()
        .filter(|c| !matches!(c, '\u{7}' | '\u{c}'))
        .collect()
}

fn text(t: &str, ppr: &str, rpr: &str) -> String {
    if !t.contains(['\t', '\u{7}', '\n', '\u{c}']) {
        return t.to_string();
    }
    t.replace(
        '\t',
        &format!("</w:t></w:r><w:r>{rpr}<w:tab/></w:r><w:r>{rpr}<w:t xml:space=\"preserve\">"),
    )
    .replace(
        '\u{7}',
        &format!("</w:t></w:r></w:p><w:p>{ppr}<w:r>{rpr}<w:t xml:space=\"preserve\">"),
    )
    .replace('\n', "</w:t><w:br/><w:t xml:space=\"preserve\">")
    .replace(
        '\u{c}',
        &format!(
            "</w:t></w:r></w:p><w:p><w:r><w:br w:type=\"page\"/></w:r></w:p><w:p>{ppr}<w:r>{rpr}<w:t xml:space=\"preserve\">"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breaks_become_elements_with_the_run_formatting() {
        let got = resolve(
            "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>a\nb\tc\u{7}d</w:t></w:r></w:p>",
        );
        assert_eq!(
            got,
            "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>a</w:t><w:br/><w:t xml:space=\"preserve\">b</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:tab/></w:r><w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">c</w:t></w:r></w:p><w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">d</w:t></w:r></w:p>"
        );
    }

    #[test]
    fn forbidden_characters_outside_text_are_dropped() {
        assert_eq!(resolve("<w:x a=\"\u{7}b\"/>"), "<w:x a=\"b\"/>");
    }

    #[test]
    fn patterns_compile() {
        for re in [&PARAGRAPH, &PARAGRAPH_PROPS, &RUN, &RUN_PROPS, &TEXT] {
            LazyLock::force(re);
        }
    }
}
