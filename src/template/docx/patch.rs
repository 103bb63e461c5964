//! A Word part's XML → the Jinja source that fills it, with docxtpl's tag language.
//!
//! The steps, in docxtpl's order (each is a function below, with its rule in its doc):
//! 1. delimiters split across runs are joined (`{` `{` → `{{`), then the runs between a
//!    tag's delimiters are merged into the run where the tag starts;
//! 2. `{% colspan n %}` and `{% cellbg c %}` become the cell's `w:gridSpan` / `w:shd`;
//! 3. a `w:t` holding a tag keeps its spaces (`xml:space="preserve"`);
//! 4. `{{r …}}` and `{%r …%}` get a run of their own;
//! 5. `{%-` and `-%}` merge the tag with the text of the paragraph before / after;
//! 6. `{%tr %}`, `{%tc %}`, `{%p %}`, `{%r %}` (and `{{p }}`, `{{r }}`) replace their row,
//!    cell, paragraph or run; `{#tr #}`, `{#tc #}`, `{#p #}` remove theirs;
//! 7. `{% vm %}` and `{% hm %}` merge a cell with its copies made by a loop;
//! 8. inside tags, XML entities and Word's curly quotes become plain characters.
//!
//! docxtpl does these with regular expressions over the XML; the rules here are those
//! expressions' meaning (which element a tag belongs to, how far a merge reaches), written
//! as searches, so that a docxtpl user's template gives the same document. Where docxtpl
//! writes a cell property out of the schema's order, it is written in order here.
//!
//! Markers for error messages: a row, cell or paragraph replaced by its tag is followed by
//! the comment `{#tr#}`, `{#tc#}` or `{#p#}` (free at run time), so that a tag can be placed
//! as the user sees it in Word (`table 2, row 3`).

use super::xml;

/// What the source needs besides the text: the run and paragraph properties of the
/// places where `{{r }}` and `{{p }}` print (indexed by the filters' argument).
#[derive(Debug, Default, Clone)]
pub(super) struct Styles {
    /// `<w:rPr>…</w:rPr>` (or empty) of the run a `{{r }}` tag was in.
    pub(super) runs: Vec<String>,
    /// (`<w:pPr>…</w:pPr>`, `<w:rPr>…</w:rPr>`) of the paragraph a `{{p }}` tag was in.
    pub(super) paragraphs: Vec<(String, String)>,
}

/// The filter `{{r }}` prints through: `value | __vb_run(k)`.
pub(super) const RUN_FILTER: &str = "__vb_run";
/// The filter `{{p }}` prints through: `value | __vb_para(k)`.
pub(super) const PARAGRAPH_FILTER: &str = "__vb_para";

/// Marks a table whose cells a loop makes (`{%tc %}`, `{% colspan %}`, `{% hm %}`): its
/// grid is fitted to its rows after filling.
pub(super) const FIT_GRID: &str = "<!--vanban:grid-->";

/// The Jinja source of a part, or why its tags cannot be read.
pub(super) fn patch(xml: &str, styles: &mut Styles) -> Result<String, String> {
    let s = join_split_delimiters(xml);
    let s = merge_runs_inside_tags(&s);
    let s = cell_property(&s, "colspan", "gridSpan", |v| {
        format!("w:val=\"{{{{{v}}}}}\"")
    });
    let s = cell_property(&s, "cellbg", "shd", |v| {
        format!("w:val=\"clear\" w:color=\"auto\" w:fill=\"{{{{{v}}}}}\"")
    });
    let s = preserve_spaces(&s);
    let s = split_run_tags(&s, styles);
    let s = merge_before(&s);
    let s = merge_after(&s);
    let mut s = s;
    for kind in [Kind::Tr, Kind::Tc, Kind::P, Kind::R] {
        s = element_tags(&s, kind, styles)?;
    }
    for kind in [Kind::Tr, Kind::Tc, Kind::P] {
        s = element_comments(&s, kind);
    }
    let s = vertical_merge(&s);
    let s = horizontal_merge(&s);
    let s = clean_tags(&s);
    Ok(escapes(&s))
}

/// True when a part's XML holds anything docxtpl would fill or change: a tag (also split
/// across runs) or an escape (`{_{`).
pub(super) fn has_tags(xml: &str) -> bool {
    let joined;
    let s = if xml.contains('{') && xml.contains("{<") {
        joined = join_split_delimiters(xml);
        &joined
    } else {
        xml
    };
    ["{{", "{%", "{#", "{_{", "{_%", "}_}", "%_}"]
        .iter()
        .any(|d| s.contains(d))
}

/// The XML elements tags attach to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Tr,
    Tc,
    P,
    R,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Tr => "tr",
            Kind::Tc => "tc",
            Kind::P => "p",
            Kind::R => "r",
        }
    }
}

/// True when `s[i..]` opens element `w:NAME` (`<w:p>` or `<w:p …`, not `<w:pPr>`).
fn opens(s: &str, i: usize, name: &str) -> bool {
    let b = s.as_bytes();
    let n = name.len();
    b.get(i..i + 3) == Some(b"<w:")
        && b.get(i + 3..i + 3 + n) == Some(name.as_bytes())
        && matches!(b.get(i + 3 + n), Some(b' ' | b'>'))
}

/// The first position in `from..` where `w:NAME` opens.
fn next_open(s: &str, name: &str, from: usize) -> Option<usize> {
    let pat = format!("<w:{name}");
    let mut i = from;
    while let Some(p) = s.get(i..).and_then(|t| t.find(&pat)) {
        if opens(s, i + p, name) {
            return Some(i + p);
        }
        i += p + 1;
    }
    None
}

/// The last position in `from..to` where `w:NAME` opens.
fn last_open(s: &str, name: &str, from: usize, to: usize) -> Option<usize> {
    let pat = format!("<w:{name}");
    let mut end = to;
    while let Some(p) = s.get(from..end).and_then(|t| t.rfind(&pat)) {
        if opens(s, from + p, name) {
            return Some(from + p);
        }
        end = from + p;
    }
    None
}

fn find_at(s: &str, pat: &str, from: usize) -> Option<usize> {
    s.get(from..).and_then(|t| t.find(pat)).map(|p| from + p)
}

/// Step 1a: `{` and `{`, `%` or `#` with only XML tags between are joined, and so are `%`,
/// `}` or `#` and `}` (docxtpl: `(?<={)(<[^>]*>)+(?=[{%#])`, `(?<=[%}#])(<[^>]*>)+(?=})`).
fn join_split_delimiters(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut copied = 0;
    let mut i = 1;
    while i < b.len() {
        if b[i] != b'<' || !matches!(b[i - 1], b'{' | b'%' | b'}' | b'#') {
            i += 1;
            continue;
        }
        // A run of whole tags.
        let mut j = i;
        while b.get(j) == Some(&b'<') {
            match s[j..].find('>') {
                Some(p) if !s[j + 1..j + p].contains('<') => j += p + 1,
                _ => break,
            }
        }
        let next = b.get(j).copied();
        let joins = match b[i - 1] {
            b'{' => matches!(next, Some(b'{' | b'%' | b'#')),
            _ => next == Some(b'}'),
        };
        if j > i && joins {
            out.push_str(&s[copied..i]);
            copied = j;
            i = j;
        } else {
            i += 1;
        }
    }
    out.push_str(&s[copied..]);
    out
}

/// Step 1b: inside each tag (from `{%`, `{#` or `{{` to its closer, or to the end of the
/// part when it has none), everything from a `</w:t>` to the next `<w:t>` goes: the tag's
/// text joins the run where it starts.
fn merge_runs_inside_tags(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut copied = 0;
    let mut i = 0;
    while i + 1 < b.len() {
        if b[i] != b'{' {
            i += 1;
            continue;
        }
        let closer = match b[i + 1] {
            b'%' => "%}",
            b'#' => "#}",
            b'{' => "}}",
            _ => {
                i += 1;
                continue;
            }
        };
        let end = find_at(s, closer, i + 2).unwrap_or(s.len());
        out.push_str(&s[copied..i]);
        out.push_str(&strip_run_breaks(&s[i..end]));
        copied = end;
        i = end.max(i + 2);
    }
    out.push_str(&s[copied..]);
    out
}

/// Removes every `</w:t>…<w:t>` (or `<w:t …>`) stretch, lazily, from `tag`.
fn strip_run_breaks(tag: &str) -> String {
    if !tag.contains("</w:t>") {
        return tag.to_string();
    }
    let mut out = String::with_capacity(tag.len());
    let mut rest = tag;
    while let Some(p) = rest.find("</w:t>") {
        let after = &rest[p + 6..];
        match next_text_open(after) {
            Some((_, end)) => {
                out.push_str(&rest[..p]);
                rest = &after[end..];
            }
            None => {
                out.push_str(&rest[..p + 6]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The first `<w:t>` or `<w:t …>` in `s`: (start, end after `>`).
fn next_text_open(s: &str) -> Option<(usize, usize)> {
    let mut i = 0;
    while let Some(p) = s[i..].find("<w:t") {
        let at = i + p;
        match s.as_bytes().get(at + 4) {
            Some(b'>') => return Some((at, at + 5)),
            Some(b' ') => return s[at..].find('>').map(|e| (at, at + e + 1)),
            _ => i = at + 4,
        }
    }
    None
}

/// The `{% NAME value %}` tags of step 2, from `from`: (start, end, value).
fn find_property_tag(s: &str, name: &str, from: usize) -> Option<(usize, usize, String)> {
    let mut i = from;
    while let Some(start) = find_at(s, "{%", i) {
        let rest = &s[start + 2..];
        let trimmed = rest.trim_start();
        if let Some(after) = trimmed.strip_prefix(name)
            && after.starts_with(|c: char| c.is_whitespace())
        {
            let value_start = s.len() - after.len();
            let pct = find_at(s, "%", value_start)?;
            if s[pct..].starts_with("%}") {
                return Some((start, pct + 2, s[value_start..pct].trim_start().to_string()));
            }
        }
        i = start + 2;
    }
    None
}

/// Step 2: `{% colspan n %}` / `{% cellbg c %}`. The tag leaves its cell; runs left with
/// an empty `<w:t></w:t>` go; the cell gets `<w:gridSpan w:val="{{n}}"/>` or
/// `<w:shd … w:fill="{{c}}"/>` in place of its own. `attrs` makes the attributes from the
/// tag's value (spaces before `%}` included, as docxtpl keeps them).
fn cell_property(s: &str, tag: &str, element: &str, attrs: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(s.len() + 64);
    let mut copied = 0;
    let mut from = 0;
    while let Some((start, end, value)) = find_property_tag(s, tag, from) {
        let (Some(cell), Some(cell_end)) = (
            last_open(s, "tc", copied, start),
            find_at(s, "</w:tc>", end).map(|p| p + 7),
        ) else {
            from = end;
            continue;
        };
        let xml = remove_empty_runs(&format!("{}{}", &s[cell..start], &s[end..cell_end]));
        let property = format!("<w:{element} {}/>", attrs(&value));
        out.push_str(&s[copied..cell]);
        out.push_str(&set_cell_property(&xml, element, &property));
        copied = cell_end;
        from = cell_end;
    }
    out.push_str(&s[copied..]);
    out
}

/// Removes the runs holding an empty `<w:t></w:t>`.
fn remove_empty_runs(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len());
    let mut copied = 0;
    let mut from = 0;
    while let Some(empty) = find_at(cell, "<w:t></w:t>", from) {
        let run = last_open(cell, "r", copied, empty);
        let end = find_at(cell, "</w:r>", empty).map(|p| p + 6);
        match (run, end) {
            (Some(run), Some(end)) => {
                out.push_str(&cell[copied..run]);
                copied = end;
                from = end;
            }
            _ => from = empty + 11,
        }
    }
    out.push_str(&cell[copied..]);
    out
}

/// The children of `w:tcPr` in the schema's order (ECMA-376, CT_TcPr).
const TC_PR_ORDER: [&str; 18] = [
    "cnfStyle",
    "tcW",
    "gridSpan",
    "hMerge",
    "vMerge",
    "tcBorders",
    "shd",
    "noWrap",
    "tcMar",
    "textDirection",
    "tcFitText",
    "vAlign",
    "hideMark",
    "headers",
    "cellIns",
    "cellDel",
    "cellMerge",
    "tcPrChange",
];

/// Puts `element_xml` (a `w:ELEMENT`) into the `w:tcPr` of the cell starting `cell`, in the
/// schema's order, replacing the cell's own; makes the `w:tcPr` when the cell has none.
fn set_cell_property(cell: &str, element: &str, element_xml: &str) -> String {
    let Some(open_end) = cell.find('>').map(|p| p + 1) else {
        return cell.to_string();
    };
    let rest = &cell[open_end..];
    let (pr_start, pr_end, inner) = if rest.starts_with("<w:tcPr/>") {
        (open_end, open_end + 9, String::new())
    } else if rest.starts_with("<w:tcPr>") || rest.starts_with("<w:tcPr ") {
        let Some(close) = rest.find("</w:tcPr>") else {
            return cell.to_string();
        };
        let body_start = rest.find('>').map_or(0, |p| p + 1);
        (
            open_end,
            open_end + close + 9,
            rest[body_start..close].to_string(),
        )
    } else {
        (open_end, open_end, String::new())
    };
    let rank = |name: &str| TC_PR_ORDER.iter().position(|n| *n == name).unwrap_or(99);
    let want = rank(element);
    let mut children = xml::children(&inner);
    if let Some(i) = children.iter().position(|c| c.0 == element) {
        children.remove(i);
    }
    let at = children
        .iter()
        .position(|c| rank(&c.0) > want)
        .unwrap_or(children.len());
    children.insert(at, (element.to_string(), element_xml.to_string()));
    let open_tag = if pr_end > pr_start && !cell[pr_start..].starts_with("<w:tcPr/>") {
        let t = &cell[pr_start..];
        t[..t.find('>').map_or(0, |p| p + 1)].to_string()
    } else {
        "<w:tcPr>".to_string()
    };
    let mut out = String::with_capacity(cell.len() + element_xml.len() + 20);
    out.push_str(&cell[..pr_start]);
    out.push_str(&open_tag);
    for (_, xml) in children {
        out.push_str(&xml);
    }
    out.push_str("</w:tcPr>");
    out.push_str(&cell[pr_end..]);
    out
}

/// Step 3: a `<w:t>` followed by a `{{ }}` or `{% %}` tag before the next `<w:t>` gets
/// `xml:space="preserve"`, so Word keeps the spaces around the printed value.
fn preserve_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 256);
    let mut copied = 0;
    let mut from = 0;
    while let Some(t) = find_at(s, "<w:t>", from) {
        let region_end = find_at(s, "<w:t>", t + 5).unwrap_or(s.len());
        let region = &s[t + 5..region_end];
        let tagged = ["{{", "{%"].iter().any(|open| {
            region.find(open).is_some_and(|p| {
                let closer = if *open == "{{" { "}}" } else { "%}" };
                find_at(s, closer, t + 5 + p + 2).is_some()
            })
        });
        if tagged {
            out.push_str(&s[copied..t]);
            out.push_str("<w:t xml:space=\"preserve\">");
            copied = t + 5;
        }
        from = t + 5;
    }
    out.push_str(&s[copied..]);
    out
}

/// The `<w:rPr>…</w:rPr>` (or `<w:rPr/>`) that opens the element starting at `start`
/// (a run), or "".
fn properties_after(s: &str, start: usize, name: &str) -> String {
    let Some(open_end) = s[start..].find('>').map(|p| start + p + 1) else {
        return String::new();
    };
    let rest = &s[open_end..];
    let empty = format!("<w:{name}/>");
    if rest.starts_with(&empty) {
        return empty;
    }
    if rest.starts_with(&format!("<w:{name}>")) || rest.starts_with(&format!("<w:{name} ")) {
        let close = format!("</w:{name}>");
        if let Some(p) = rest.find(&close) {
            return rest[..p + close.len()].to_string();
        }
    }
    String::new()
}

/// Step 4: `{{r …}}` and `{%r …%}` leave the run they are in. docxtpl closes the run,
/// puts the tag in a run of its own (removed in step 6) and opens a run without
/// properties for the text after it; here that run keeps the properties of the run the
/// tag was in, and `{{r x}}` prints through [`RUN_FILTER`] with them (a plain text then
/// keeps the run's formatting).
fn split_run_tags(s: &str, styles: &mut Styles) -> String {
    let mut out = String::with_capacity(s.len() + 256);
    let mut copied = 0;
    let mut i = 0;
    while let Some(p) = s[i..].find('{') {
        let at = i + p;
        let rest = &s[at..];
        let (closer, printing) = if rest.starts_with("{{r") {
            ("}}", true)
        } else if rest.starts_with("{%r") {
            ("%}", false)
        } else {
            i = at + 1;
            continue;
        };
        if !rest[3..].starts_with(|c: char| c.is_whitespace()) {
            i = at + 1;
            continue;
        }
        let Some(end) = find_at(s, closer, at + 3).map(|e| e + 2) else {
            i = at + 1;
            continue;
        };
        out.push_str(&s[copied..at]);
        // The run the tag is in, as written so far (an earlier tag may have split it).
        let rpr = last_open(&out, "r", 0, out.len())
            .filter(|r| !out[*r..].contains("</w:r>"))
            .map(|r| properties_after(&out, r, "rPr"))
            .unwrap_or_default();
        out.push_str("</w:t></w:r>");
        if printing {
            let expr = &s[at + 3..end - 2];
            styles.runs.push(rpr.clone());
            out.push_str(&format!(
                "{{{{ ({}) | {RUN_FILTER}({}) }}}}",
                expr.trim(),
                styles.runs.len() - 1
            ));
        } else {
            out.push_str("<w:r><w:t xml:space=\"preserve\">");
            out.push_str(&s[at..end]);
            out.push_str("</w:t></w:r>");
        }
        out.push_str("<w:r>");
        out.push_str(&rpr);
        out.push_str("<w:t xml:space=\"preserve\">");
        copied = end;
        i = end;
    }
    out.push_str(&s[copied..]);
    out
}

/// Step 5a: `{%-` takes the place of everything back to the last `</w:t>` before it (the
/// end of the paragraph before, when the tag opens its own), and becomes `{%`.
fn merge_before(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut copied = 0;
    let mut from = 0;
    while let Some(tag) = find_at(s, "{%-", from) {
        if let Some(p) = s[copied..tag].rfind("</w:t>") {
            out.push_str(&s[copied..copied + p]);
            out.push_str("{%");
            copied = tag + 3;
        }
        from = tag + 3;
    }
    out.push_str(&s[copied..]);
    out
}

/// Step 5b: `-%}` takes the place of everything up to the next tag starting with `<w:t`
/// (`<w:t>`, and also `<w:tab/>`, `<w:tbl>`…, as docxtpl's expression reads), unless a
/// `{%` or `{{` comes first; it becomes `%}`.
fn merge_after(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut copied = 0;
    let mut from = 0;
    while let Some(tag) = find_at(s, "-%}", from) {
        let mut j = tag + 3;
        let b = s.as_bytes();
        let mut end = None;
        while j < b.len() {
            let rest = &b[j..];
            if rest.starts_with(b"<w:t") {
                end = s[j..].find('>').map(|p| j + p + 1);
                break;
            }
            if rest.starts_with(b"{%") || rest.starts_with(b"{{") {
                break;
            }
            j += 1;
        }
        match end {
            Some(end) => {
                out.push_str(&s[copied..tag]);
                out.push_str("%}");
                copied = end;
                from = end;
            }
            None => from = tag + 3,
        }
    }
    out.push_str(&s[copied..]);
    out
}

/// The last `{%K ` or `{{K ` tag (K the element's name) starting in `from..to` whose text
/// has no `}` or `%` before its closer: (start, end, opener, content from after `K `).
fn last_element_tag(
    s: &str,
    kind: Kind,
    open: &[&str],
    from: usize,
    to: usize,
) -> Option<(usize, usize, char)> {
    let name = kind.name();
    let mut best = None;
    for o in open {
        let pat = format!("{o}{name} ");
        let mut i = from;
        while let Some(p) = s.get(i..to).and_then(|t| t.find(&pat)) {
            let at = i + p;
            let content = at + pat.len();
            let stop = s[content..].find(['}', '%']).map(|q| content + q);
            let closed = stop.and_then(|q| {
                let closer = &s[q..];
                (closer.starts_with("%}") || closer.starts_with("}}")).then_some(q + 2)
            });
            if let Some(end) = closed
                && best.is_none_or(|(b, _, _)| at > b)
            {
                best = Some((at, end, o.chars().nth(1).unwrap_or('%')));
            }
            i = at + 1;
        }
    }
    best
}

/// Step 6: a row, cell, paragraph or run holding a `{%K …%}` (or `{{K …}}`) tag is
/// replaced by the tag, as `{% … %}` (`{{ … }}`). When one element holds several, the
/// last one wins (docxtpl's expression is greedy). `{{p x}}` prints through
/// [`PARAGRAPH_FILTER`] with the paragraph's properties.
fn element_tags(s: &str, kind: Kind, styles: &mut Styles) -> Result<String, String> {
    let name = kind.name();
    let mut out = String::with_capacity(s.len());
    let mut copied = 0;
    let mut from = 0;
    while let Some(start) = next_open(s, name, from) {
        let region_end = next_open(s, name, start + 1).unwrap_or(s.len());
        let Some((tag, tag_end, opener)) =
            last_element_tag(s, kind, &["{%", "{{"], start, region_end)
        else {
            from = start + 1;
            continue;
        };
        let close = format!("</w:{name}>");
        let Some(end) = find_at(s, &close, tag_end).map(|p| p + close.len()) else {
            from = start + 1;
            continue;
        };
        let content = &s[tag + 2 + name.len() + 1..tag_end - 2];
        out.push_str(&s[copied..start]);
        match (opener, kind) {
            ('%', _) => {
                out.push_str("{% ");
                out.push_str(content);
                out.push_str("%}");
                if kind != Kind::R {
                    out.push_str(&format!("{{#{name}#}}"));
                }
            }
            ('{', Kind::P) => {
                let ppr = properties_after(s, start, "pPr");
                let rpr = next_open(s, "r", start)
                    .filter(|r| *r < tag)
                    .map(|r| properties_after(s, r, "rPr"))
                    .unwrap_or_default();
                styles.paragraphs.push((ppr, rpr));
                out.push_str(&format!(
                    "{{{{ ({}) | {PARAGRAPH_FILTER}({}) }}}}{{#p#}}",
                    content.trim(),
                    styles.paragraphs.len() - 1
                ));
            }
            ('{', Kind::R) => {
                out.push_str("{{ ");
                out.push_str(content);
                out.push_str("}}");
            }
            _ => {
                return Err(format!(
                    "{{{{{name} {} }}}}: a value cannot take the place of a {}; use {{%{name} … %}} for a loop or a condition",
                    content.trim(),
                    if kind == Kind::Tr { "row" } else { "cell" }
                ));
            }
        }
        copied = end;
        from = end;
    }
    out.push_str(&s[copied..]);
    Ok(out)
}

/// Step 6, comments: a row, cell or paragraph holding `{#K …#}` is replaced by the
/// comment (so it disappears).
fn element_comments(s: &str, kind: Kind) -> String {
    let name = kind.name();
    let pat = format!("{{#{name} ");
    let mut out = String::with_capacity(s.len());
    let mut copied = 0;
    let mut from = 0;
    while let Some(start) = next_open(s, name, from) {
        let region_end = next_open(s, name, start + 1).unwrap_or(s.len());
        // The last comment starting in the region whose text has no `}` or `#` before `#}`.
        let mut found = None;
        let mut i = start;
        while let Some(p) = s.get(i..region_end).and_then(|t| t.find(&pat)) {
            let at = i + p;
            let content = at + pat.len();
            if let Some(q) = s[content..].find(['}', '#']).map(|q| content + q)
                && s[q..].starts_with("#}")
            {
                found = Some((at, q + 2));
            }
            i = at + 1;
        }
        let close = format!("</w:{name}>");
        let end = found.and_then(|(_, e)| find_at(s, &close, e).map(|p| p + close.len()));
        match (found, end) {
            (Some((at, tag_end)), Some(end)) => {
                out.push_str(&s[copied..start]);
                out.push_str("{# ");
                out.push_str(&s[at + pat.len()..tag_end]);
                out.push_str(&format!("{{#{name}#}}"));
                copied = end;
                from = end;
            }
            _ => from = start + 1,
        }
    }
    out.push_str(&s[copied..]);
    out
}

/// The first `{% NAME %}` tag (spaces optional) in `from..to`: (start, end).
fn find_word_tag(s: &str, word: &str, from: usize, to: usize) -> Option<(usize, usize)> {
    let mut i = from;
    while let Some(p) = s.get(i..to).and_then(|t| t.find("{%")) {
        let at = i + p;
        let rest = s[at + 2..].trim_start();
        if let Some(after) = rest.strip_prefix(word) {
            let after = after.trim_start();
            if after.starts_with("%}") {
                let end = s.len() - after.len() + 2;
                return Some((at, end));
            }
        }
        i = at + 2;
    }
    None
}

/// The cells holding a `{% WORD %}` tag: (cell start, tag, end after `</w:tc>`), in order.
fn cells_with(s: &str, word: &str) -> Vec<(usize, (usize, usize), usize)> {
    let mut cells = Vec::new();
    let mut from = 0;
    while let Some(start) = next_open(s, "tc", from) {
        let region_end = next_open(s, "tc", start + 1).unwrap_or(s.len());
        let Some(tag) = find_word_tag(s, word, start, region_end) else {
            from = start + 1;
            continue;
        };
        let Some(end) = find_at(s, "</w:tc", tag.1)
            .filter(|p| matches!(s.as_bytes().get(p + 6), Some(b' ' | b'>')))
            .map(|p| p + 7)
        else {
            from = start + 1;
            continue;
        };
        cells.push((start, tag, end));
        from = end;
    }
    cells
}

/// In `cell`, the text from the first `<w:t…>` after its properties to the `</w:t>` after
/// the tag at `tag` is wrapped in `{% if loop.first %}…{% endif %}`, and the tag removed:
/// (text before the wrapped part, wrapped part, rest). None when the cell has no text
/// element before the tag.
fn wrap_first(cell: &str, tag: (usize, usize)) -> Option<String> {
    let pr_end = cell.find("</w:tcPr").map_or(0, |p| p + 8);
    let t = find_at(cell, "<w:t", pr_end)?;
    let t_end = find_at(cell, ">", t)? + 1;
    if t_end > tag.0 {
        return None;
    }
    let close = find_at(cell, "</w:t>", tag.1)?;
    Some(format!(
        "{}{{% if loop.first %}}{}{}{{% endif %}}{}",
        &cell[..t_end],
        &cell[t_end..tag.0],
        &cell[tag.1..close],
        &cell[close..]
    ))
}

/// Step 7: `{% vm %}` in a cell copied by a row loop: the first copy starts a vertical
/// merge (`restart`) and keeps the text around the tag, the others continue it.
fn vertical_merge(s: &str) -> String {
    let cells = cells_with(s, "vm");
    if cells.is_empty() {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + cells.len() * 128);
    let mut copied = 0;
    for (start, _, end) in cells {
        let merged = set_cell_property(
            &s[start..end],
            "vMerge",
            "<w:vMerge w:val=\"{% if loop.first %}restart{% else %}continue{% endif %}\"/>",
        );
        let Some(wrapped) =
            find_word_tag(&merged, "vm", 0, merged.len()).and_then(|tag| wrap_first(&merged, tag))
        else {
            continue;
        };
        out.push_str(&s[copied..start]);
        out.push_str(&wrapped);
        copied = end;
    }
    out.push_str(&s[copied..]);
    out
}

/// Step 7: `{% hm %}` in a cell copied by a cell loop: only the first copy is kept, and it
/// spans the loop's length (times its own span).
fn horizontal_merge(s: &str) -> String {
    let cells = cells_with(s, "hm");
    if cells.is_empty() {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + cells.len() * 128);
    let mut copied = 0;
    for (start, tag, end) in cells {
        let cell = &s[start..end];
        let local = (tag.0 - start, tag.1 - start);
        let patched = if let Some(span) = grid_span(cell) {
            let without = format!("{}{}", &cell[..local.0], &cell[local.1..]);
            set_cell_property(
                &without,
                "gridSpan",
                &format!("<w:gridSpan w:val=\"{{{{ {span} * loop.length }}}}\"/>"),
            )
        } else {
            let without = format!("{}{}", &cell[..local.0], &cell[local.1..]);
            set_cell_property(
                &without,
                "gridSpan",
                "<w:gridSpan w:val=\"{{ loop.length }}\"/>",
            )
        };
        out.push_str(&s[copied..start]);
        out.push_str("{% if loop.first %}");
        out.push_str(&patched);
        out.push_str("{% endif %}");
        copied = end;
    }
    out.push_str(&s[copied..]);
    out
}

/// The `w:gridSpan` value of a cell, when it has one.
fn grid_span(cell: &str) -> Option<u32> {
    let p = cell.find("<w:gridSpan w:val=\"")?;
    let rest = &cell[p + 19..];
    rest[..rest.find('"')?].parse().ok()
}

/// Step 8: inside `{{ }}` and `{% %}`, XML entities become characters, Word's curly quotes
/// straight ones and no-break spaces spaces, so that Jinja reads what the user typed.
fn clean_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut copied = 0;
    let mut i = 0;
    while let Some(p) = s[i..].find('{') {
        let at = i + p;
        if !matches!(s.as_bytes().get(at + 1), Some(b'{' | b'%')) {
            i = at + 1;
            continue;
        }
        let content = at + 2;
        // The first `}}` or `%}` on the same line.
        let line_end = s[content..].find('\n').map_or(s.len(), |q| content + q);
        let end = [find_at(s, "}}", content), find_at(s, "%}", content)]
            .into_iter()
            .flatten()
            .filter(|e| *e <= line_end)
            .min();
        let Some(end) = end else {
            i = content;
            continue;
        };
        out.push_str(&s[copied..content]);
        let text = xml::unescape(&s[content..end]);
        out.extend(text.chars().map(|c| match c {
            '\u{201c}' | '\u{201d}' => '"',
            '\u{2018}' | '\u{2019}' => '\'',
            '\u{a0}' => ' ',
            c => c,
        }));
        copied = end;
        i = end;
    }
    out.push_str(&s[copied..]);
    out
}

/// docxtpl's escapes: `{_{`, `}_}`, `{_%`, `%_}` print `{{`, `}}`, `{%`, `%}`.
fn escapes(s: &str) -> String {
    if !["{_{", "}_}", "{_%", "%_}"].iter().any(|e| s.contains(e)) {
        return s.to_string();
    }
    s.replace("{_{", "{{ '{{' }}")
        .replace("}_}", "{{ '}}' }}")
        .replace("{_%", "{{ '{%' }}")
        .replace("%_}", "{{ '%}' }}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(xml: &str, want: &str) {
        let mut styles = Styles::default();
        assert_eq!(patch(xml, &mut styles).unwrap(), want, "{xml}");
    }

    #[test]
    fn split_delimiters_and_runs_are_joined() {
        check(
            "<w:p><w:r><w:t>{</w:t></w:r><w:r><w:t>{ so</w:t></w:r><w:proofErr/><w:r><w:rPr><w:b/></w:rPr><w:t>_vb }</w:t></w:r><w:r><w:t>}</w:t></w:r></w:p>",
            "<w:p><w:r><w:t xml:space=\"preserve\">{{ so_vb }}</w:t></w:r></w:p>",
        );
    }

    #[test]
    fn paragraph_and_row_tags_replace_their_element() {
        check(
            "<w:p><w:r><w:t>{%p if a %}</w:t></w:r></w:p><w:p><w:r><w:t>x</w:t></w:r></w:p><w:p><w:r><w:t>{%p endif %}</w:t></w:r></w:p>",
            "{% if a %}{#p#}<w:p><w:r><w:t>x</w:t></w:r></w:p>{% endif %}{#p#}",
        );
        check(
            "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>{%tr for t in v %}</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>{{ t }}</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
            "<w:tbl>{% for t in v %}{#tr#}<w:tr><w:tc><w:p><w:r><w:t xml:space=\"preserve\">{{ t }}</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
        );
    }

    #[test]
    fn run_tags_keep_the_run_properties() {
        let mut styles = Styles::default();
        let got = patch(
            "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>A {{r x }}B</w:t></w:r></w:p>",
            &mut styles,
        )
        .unwrap();
        assert_eq!(
            got,
            "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">A </w:t></w:r>{{ (x) | __vb_run(0) }}<w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">B</w:t></w:r></w:p>"
        );
        assert_eq!(styles.runs, ["<w:rPr><w:b/></w:rPr>"]);
    }

    #[test]
    fn merges_with_the_paragraph_before_and_after() {
        check(
            "<w:p><w:r><w:t>A</w:t></w:r></w:p><w:p><w:r><w:t>{%- if x -%}</w:t></w:r></w:p><w:p><w:r><w:t>B</w:t></w:r></w:p>",
            "<w:p><w:r><w:t>A{% if x %}B</w:t></w:r></w:p>",
        );
    }

    #[test]
    fn colspan_and_cellbg_set_cell_properties_in_order() {
        check(
            "<w:tc><w:tcPr><w:tcW w:w=\"1\"/><w:vAlign w:val=\"top\"/></w:tcPr><w:p><w:r><w:t>{% cellbg c %}</w:t></w:r><w:r><w:t>{% colspan n %}</w:t></w:r><w:r><w:t>x</w:t></w:r></w:p></w:tc>",
            "<w:tc><w:tcPr><w:tcW w:w=\"1\"/><w:gridSpan w:val=\"{{n }}\"/><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{{c }}\"/><w:vAlign w:val=\"top\"/></w:tcPr><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc>",
        );
    }

    #[test]
    fn entities_and_curly_quotes_inside_tags_are_read_as_typed() {
        check(
            "<w:t>{{ a|default(&quot;Testé&amp;xx;&quot;) }} &amp; {% if b &lt; ‘c’ %}</w:t>",
            "<w:t xml:space=\"preserve\">{{ a|default(\"Testé&xx;\") }} &amp; {% if b < 'c' %}</w:t>",
        );
    }

    #[test]
    fn escapes_print_delimiters() {
        check("<w:t>{_{ x }_}</w:t>", "<w:t>{{ '{{' }} x {{ '}}' }}</w:t>");
    }

    proptest::proptest! {
        /// Any mix of XML, braces and Vietnamese letters is patched without a panic.
        #[test]
        fn patching_never_panics(pieces in proptest::collection::vec(0usize..PIECES.len(), 0..60)) {
            let xml: String = pieces.iter().map(|i| PIECES[*i]).collect();
            let mut styles = Styles::default();
            if let Ok(src) = patch(&xml, &mut styles) {
                for at in (0..src.len()).step_by(7) {
                    super::super::location::describe("word/document.xml", &src, at);
                }
                super::super::tables::fit_grids(&src);
                super::super::listing::resolve(&src);
            }
        }
    }

    const PIECES: [&str; 40] = [
        "{",
        "}",
        "%",
        "#",
        "{{",
        "}}",
        "{%",
        "%}",
        "{#",
        "#}",
        "-",
        "<w:p>",
        "</w:p>",
        "<w:r>",
        "</w:r>",
        "<w:t>",
        "</w:t>",
        "<w:tc>",
        "</w:tc>",
        "<w:tr>",
        "</w:tr>",
        "<w:tbl>",
        "</w:tbl>",
        "<w:tcPr>",
        "</w:tcPr>",
        "ệ",
        "Đ",
        " ",
        "p ",
        "tr ",
        "tc ",
        "r ",
        "vm",
        "hm",
        "colspan ",
        "cellbg ",
        "&amp;",
        "x",
        "_",
        "\n",
    ];

    #[test]
    fn tags_are_found_even_when_split() {
        assert!(has_tags("<w:t>{</w:t></w:r><w:r><w:t>{x}}</w:t>"));
        assert!(!has_tags("<w:t>{ x }</w:t>"));
    }
}
