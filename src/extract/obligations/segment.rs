//! The extractor: blocks (paragraphs and list items) → sentences → clauses → obligations.

mod rules;

use std::borrow::Cow;
use std::ops::Range;

use super::lexicon::{
    expand, is_actor, is_actor_lowered, lower, lower_char_same_len_alike, lower_cow, verb_at,
    word_core,
};
use super::{Deadline, Obligation, Role, deadline};
use crate::extract::pattern::regexes;

/// A run of the text with whitespace collapsed, mapped back to byte offsets.
struct View<'a> {
    /// The whole text the run is taken from.
    text: &'a str,
    s: String,
    /// `s` in lower case, character by character with the same byte lengths
    /// ([`lower_char_same_len`]), so that ranges of `s` index it too.
    lower: String,
    /// Whether `lower` is also what [`lower`](super::lexicon::lower) makes of every
    /// piece of `s` (no "İ", "Σ" and the like), so that words can be sliced out of it.
    lower_exact: bool,
    /// Where the runs of `s` copied from `text` byte for byte start: (offset in `s`,
    /// offset in `text`), in order. A collapsed white space run is a run of its own
    /// unless it was one byte. [`start`](View::start) reads the offsets from them.
    marks: Vec<(usize, usize)>,
}

impl<'a> View<'a> {
    fn new(text: &'a str, range: Range<usize>) -> View<'a> {
        let n = range.len();
        let mut v = View {
            text,
            s: String::with_capacity(n),
            lower: String::with_capacity(n),
            lower_exact: true,
            marks: Vec::new(),
        };
        let Some(slice) = text.get(range.clone()) else {
            return v;
        };
        let mut pending_space: Option<usize> = None;
        // where in `text` the byte pushed next continues the last run
        let mut next_at = usize::MAX;
        for (i, c) in slice.char_indices() {
            let at = range.start + i;
            // ASCII (most of the text, even in Vietnamese): no tables needed
            if c.is_ascii() {
                if c <= ' ' || c == '\x7f' {
                    // white space or a control character
                    pending_space.get_or_insert(at);
                    continue;
                }
                v.push_space(&mut pending_space, &mut next_at);
                v.push(at, c, c.to_ascii_lowercase(), &mut next_at);
                continue;
            }
            // (no Latin letter with diacritics, most of what is not ASCII, is either)
            if !matches!(c, '\u{C0}'..='\u{24F}' | '\u{1E00}'..='\u{1EFF}')
                && (c.is_whitespace() || c.is_control())
            {
                pending_space.get_or_insert(at);
                continue;
            }
            v.push_space(&mut pending_space, &mut next_at);
            let (l, alike) = lower_char_same_len_alike(c);
            v.push(at, c, l, &mut next_at);
            v.lower_exact &= alike;
        }
        v
    }

    /// Appends `c`, found at `at` in the text, and its lower case `l`; a new run starts
    /// where `c` does not follow the last byte copied (`next_at`).
    // (inlined into both branches of `new`: in the ASCII one the pushes are byte pushes)
    #[inline(always)]
    fn push(&mut self, at: usize, c: char, l: char, next_at: &mut usize) {
        if at != *next_at {
            self.marks.push((self.s.len(), at));
        }
        *next_at = at + c.len_utf8();
        self.s.push(c);
        self.lower.push(l);
    }

    /// The one space a run of white space (starting at `pending` in the text) becomes
    /// before the next character; none at the start.
    #[inline(always)]
    fn push_space(&mut self, pending: &mut Option<usize>, next_at: &mut usize) {
        if let Some(a) = pending.take()
            && !self.s.is_empty()
        {
            self.push(a, ' ', ' ', next_at);
        }
    }

    /// The words of the clause `r` (a byte range of `s`).
    fn words(&self, r: Range<usize>) -> Words<'_> {
        words_with(&self.s, self.lower_exact.then_some(&self.lower[..]), r)
    }

    /// The words of `sub`, a piece of `s`: [`words_with`] on it, with the lower case
    /// sliced out of `lower` when it can be (a string that is not a piece of `s` has
    /// its words lowered one by one).
    fn words_of<'v>(&'v self, sub: &'v str) -> Words<'v> {
        self.words_of_upto(sub, usize::MAX)
    }

    /// The first `limit` words of [`words_of`](View::words_of).
    fn words_of_upto<'v>(&'v self, sub: &'v str, limit: usize) -> Words<'v> {
        let at = (sub.as_ptr() as usize).wrapping_sub(self.s.as_ptr() as usize);
        let lower = at
            .checked_add(sub.len())
            .filter(|&end| self.lower_exact && end <= self.s.len())
            .and_then(|end| self.lower.get(at..end));
        words_upto(sub, lower, 0..sub.len(), limit)
    }

    /// [`lower`] of `sub`, sliced out of `lower` when `sub` is a piece of `s` (and
    /// `lower_exact` says the two agree).
    fn lower_of<'v>(&'v self, sub: &'v str) -> Cow<'v, str> {
        let at = (sub.as_ptr() as usize).wrapping_sub(self.s.as_ptr() as usize);
        at.checked_add(sub.len())
            .filter(|&end| self.lower_exact && end <= self.s.len())
            .and_then(|end| self.lower.get(at..end))
            .map_or_else(|| Cow::Owned(lower(sub)), Cow::Borrowed)
    }

    /// [`is_actor`] of `sub`, with the lower case of its words sliced out of `lower`
    /// when `sub` is a piece of `s`.
    fn is_actor(&self, sub: &str) -> bool {
        let at = (sub.as_ptr() as usize).wrapping_sub(self.s.as_ptr() as usize);
        let lower = at
            .checked_add(sub.len())
            .filter(|&end| self.lower_exact && end <= self.s.len())
            .and_then(|end| self.lower.get(at..end));
        is_actor_lowered(sub, lower)
    }

    /// Where the character of byte `k` of `s` (for a collapsed white space run: its
    /// first character) starts in `text`; `None` past the end of `s`.
    ///
    /// Inside a run of [`marks`](View::marks) `s` and `text` hold the same bytes (a
    /// collapsed space that is not a run's first byte stood for one byte of white
    /// space), so the character starts where it does in `s`, as far from the run's start.
    fn start(&self, k: usize) -> Option<usize> {
        if k >= self.s.len() {
            return None;
        }
        let m = self.marks.partition_point(|&(at, _)| at <= k);
        let (run_s, run_text) = self.marks[m - 1];
        let mut c = k;
        while !self.s.is_char_boundary(c) {
            c -= 1;
        }
        Some(run_text + (c - run_s))
    }

    /// The text range of `r` (a byte range of `s`).
    fn span(&self, r: Range<usize>) -> Range<usize> {
        if r.start >= r.end || r.end > self.s.len() {
            let p = self.start(r.start).unwrap_or(0);
            return p..p;
        }
        // the end of the last character: where it starts, plus its length
        let last = self.start(r.end - 1).unwrap_or(0);
        let len = self.text[last..].chars().next().map_or(0, char::len_utf8);
        self.start(r.start).unwrap_or(0)..last + len
    }
}

/// List markers other than chapter headings, in the order they are tried: (rank, pattern).
/// Rank 0 is an article or a section; deeper items have larger ranks.
const MARKERS: [(u8, &str); 11] = [
    (0, r"(?:Điều|ĐIỀU)\s+\d+[a-z]?\s*[.:]?\s*"),
    (0, r"[IVXLC]+\s*[.\-/)]\s+"),
    (1, r"[A-ZĐ]\s*[.)]\s+"),
    (3, r"\d{1,2}\.\d{1,2}\.\d{1,2}\.?\s+"),
    (2, r"\d{1,2}\.\d{1,2}\.?\s+"),
    (2, r"[IVX]+\.\d{1,2}\.?\s+"),
    (1, r"\d{1,2}\s*[.)/]\s*"),
    (4, r"[a-zđ]\s*[).]\s+"),
    (4, r"\((?:[ivx]{1,4}|\d{1,2}|[a-zđ])\)\.?\s*"),
    (5, r"[-–—•*]\s*"),
    (6, r"\+\s*"),
];

/// The words that open a chapter, part or section heading ("Chương IV", "Mục 2").
const HEADING_WORDS: [&str; 6] = ["Chương", "CHƯƠNG", "Phần", "PHẦN", "Mục", "MỤC"];

/// List marker at the start of `s`: (rank, byte length). Rank 0 is an article or a
/// section; deeper items have larger ranks.
///
/// A heading ("Chương IV.") is `word \s+ [IVXLC\d]+ \b \.? \s*`. The `\b` is spelled
/// out instead: the numeral run is maximal, so the boundary holds unless a word
/// character follows it. (A Unicode `\b` makes the regex engine drop its DFA on
/// non-ASCII text and run a backtracker over the whole block.) Nothing else can match
/// a text that opens with a heading word, and no heading can match any other text.
fn marker(s: &str) -> Option<(u8, usize)> {
    if !may_be_marker(s) {
        return None;
    }
    if HEADING_WORDS.iter().any(|h| s.starts_with(h)) {
        let c = MARKER_HEADING.captures(s)?;
        return match c.get(1) {
            Some(_) => None, // a word character right after the numeral: no boundary
            None => Some((0, c.get(0)?.end())),
        };
    }
    // The alternative that matches is the first that can match at all, with its own
    // match: the first character tells which few may, and each of those is tried
    // alone, a search without captures. (Other characters take the alternation.)
    let first = s.chars().next()?;
    let candidates: &[usize] = match first {
        'Đ' => &[0, 2],
        'I' | 'V' | 'X' => &[1, 2, 5],
        'L' | 'C' => &[1, 2],
        'A'..='Z' => &[2],
        '0'..='9' => &[3, 4, 6],
        'a'..='z' | 'đ' => &[7],
        '(' => &[8],
        // `[-–—•*]\s*` and `\+\s*` match whatever follows: the character and the white
        // space after it (`\s` is Unicode's White_Space, as `char::is_whitespace`)
        '-' | '–' | '—' | '•' | '*' => return Some((MARKERS[9].0, bullet_len(s))),
        '+' => return Some((MARKERS[10].0, bullet_len(s))),
        c if c.is_ascii() => &[],
        _ => {
            let c = MARKER_ANY.captures(s)?;
            let k = (1..=MARKERS.len()).find(|&i| c.get(i).is_some())?;
            return Some((MARKERS[k - 1].0, c.get(0)?.end()));
        }
    };
    candidates
        .iter()
        .find_map(|&k| MARKER_AT[k].find(s).map(|m| (MARKERS[k].0, m.end())))
}

/// The length of the first character of `s` and the white space after it.
fn bullet_len(s: &str) -> usize {
    let mut chars = s.chars();
    let first = chars.next().map_or(0, char::len_utf8);
    let rest = chars.as_str();
    first + (rest.len() - rest.trim_start().len())
}

/// A cheap test that `s` may start with a marker: the markers that open with a letter
/// are a heading word, or ASCII letters (or "đ") and then punctuation ("a)", "IV.").
fn may_be_marker(s: &str) -> bool {
    let Some(c) = s.chars().next() else {
        return false;
    };
    if !c.is_alphabetic() {
        return true;
    }
    if s.starts_with("Điều") || s.starts_with("ĐIỀU") {
        return true;
    }
    if HEADING_WORDS.iter().any(|h| s.starts_with(h)) {
        return true;
    }
    s.trim_start_matches(|c: char| c.is_ascii_alphabetic() || c == 'Đ' || c == 'đ')
        .trim_start()
        .starts_with(['.', '-', '/', ')'])
}

struct Block {
    range: Range<usize>,
    after_blank: bool,
    /// The line before ended mid-sentence in a hard-wrapped text: the same paragraph.
    continues: bool,
}

fn is_page_number(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && t.len() <= 4 && t.chars().all(|c| c.is_ascii_digit())
}

/// A line of a table laid out with spaces (text extracted from PDF): columns are
/// separated by runs of spaces or tabs inside the line.
fn is_layout_table_line(t: &str) -> bool {
    has_three_spaces(t) || t.contains('\t')
}

/// Whether `t` holds three spaces in a row. Of any three bytes in a row, one is at an
/// index that is a multiple of three: only those are looked at until a space turns up,
/// instead of a substring search over every line.
fn has_three_spaces(t: &str) -> bool {
    let b = t.as_bytes();
    (0..b.len()).step_by(3).any(|i| {
        if b[i] != b' ' {
            return false;
        }
        let before = b[..i]
            .iter()
            .rev()
            .take(2)
            .take_while(|&&x| x == b' ')
            .count();
        let after = b[i + 1..]
            .iter()
            .take(2)
            .take_while(|&&x| x == b' ')
            .count();
        before + 1 + after >= 3
    })
}

/// Splits the text into blocks: paragraphs and list items, hard-wrapped lines joined.
/// `all` is `text.split_inclusive('\n')`.
fn blocks(all: &[&str], skip: &[Range<usize>]) -> Vec<Block> {
    // hard-wrapped text (from PDF) has short lines; otherwise every line is a paragraph
    // (`all` holds the lines of `text.lines()` with their line ends, which trimming drops)
    let mut lens: Vec<usize> = all
        .iter()
        .map(|l| l.trim().chars().count())
        .filter(|&n| n > 0)
        .collect();
    lens.sort_unstable();
    let wrapped = lens.get(lens.len() * 9 / 10).is_none_or(|&n| n <= 100);
    let mut out: Vec<Block> = Vec::new();
    let mut offset = 0;
    let mut blank_gap = false;
    let mut skipping = false;
    let mut prev_end_punct = true;
    let mut force_break = false;
    let mut prev_lead = usize::MAX;
    let indent = |l: &str| l.len() - l.trim_start().len();
    for (li, line) in all.iter().enumerate() {
        let line: &str = line;
        let start = offset;
        offset += line.len();
        let t = line.trim();
        if skip.iter().any(|r| r.contains(&start)) {
            continue;
        }
        if t.is_empty() || is_page_number(t) || t == "PAGE" || t.starts_with("PAGE ") {
            if t.is_empty() {
                blank_gap = true;
            }
            continue;
        }
        let lead = line.len() - line.trim_start().len();
        let content = start + lead..start + lead + t.len();
        // recipient lists ("Kính gửi:", "Nơi nhận:") and what they hold
        if t.starts_with("Nơi nhận") || t.starts_with("Kính gửi") {
            skipping = true;
            blank_gap = false;
            continue;
        }
        if skipping {
            let dash = t.starts_with(['-', '+', '•', '–']);
            let lower = t.chars().next().is_some_and(char::is_lowercase);
            if dash || lower {
                continue;
            }
            skipping = false;
        }
        if is_layout_table_line(t) {
            continue;
        }
        let m = marker(t);
        let first_upper = t.chars().next().is_some_and(|c| c.is_uppercase());
        let new_block = out.is_empty()
            || m.is_some()
            || (prev_end_punct && first_upper)
            || (!wrapped && first_upper)
            || force_break
            || (wrapped && first_upper && lead > prev_lead + 2)
            || (blank_gap && (first_upper || prev_end_punct));
        if new_block {
            out.push(Block {
                range: content.clone(),
                after_blank: blank_gap,
                // hard-wrapped paragraphs indent their first line only
                continues: wrapped
                    && m.is_none()
                    && all[li + 1..]
                        .iter()
                        .find(|l| !l.trim().is_empty())
                        .is_some_and(|next| lead <= indent(next) + 1),
            });
        } else if let Some(b) = out.last_mut() {
            b.range.end = content.end;
        }
        prev_end_punct =
            t.ends_with(['.', ':', ';', '!', '?']) && !t.ends_with("Tp.") || t.ends_with(".)");
        if t.ends_with(';') {
            prev_end_punct = true;
        }
        // an article or section heading is a line of its own
        force_break = m.is_some_and(|m| m.0 == 0) && !wrapped;
        blank_gap = false;
        prev_lead = lead;
    }
    out
}

/// Sentences of a block (byte ranges of the view string).
fn sentences(s: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    // "." "!" "?" are ASCII and found with memchr; "…" by its bytes. The next place of
    // each is kept until the search has gone past it: searching again for both at each
    // stop read the rest of the block once per stop when one of them no longer occurs (a
    // block of ellipses was quadratic).
    let bytes = s.as_bytes();
    const ELLIPSIS: &[u8] = "…".as_bytes();
    let mut ellipsis = memchr::memmem::find(bytes, ELLIPSIS);
    let mut stop = memchr::memchr3(b'.', b'!', b'?', bytes);
    let mut after = 0;
    while after < bytes.len() {
        if ellipsis.is_some_and(|e| e < after) {
            ellipsis = memchr::memmem::find(&bytes[after..], ELLIPSIS).map(|k| after + k);
            #[cfg(test)]
            crate::extract::scan::work::add(ellipsis.unwrap_or(bytes.len()) - after);
        }
        if stop.is_some_and(|d| d < after) {
            stop = memchr::memchr3(b'.', b'!', b'?', &bytes[after..]).map(|k| after + k);
            #[cfg(test)]
            crate::extract::scan::work::add(stop.unwrap_or(bytes.len()) - after);
        }
        let i = match (stop, ellipsis) {
            (Some(d), Some(e)) if e < d => e,
            (Some(d), _) => d,
            (None, Some(e)) => e,
            (None, None) => break,
        };
        after = i + if Some(i) == ellipsis {
            ELLIPSIS.len()
        } else {
            1
        };
        let mut rest = s[after..].char_indices();
        let next = rest.next().map(|x| x.1);
        let next2 = rest.next();
        let ends = match (next, next2.map(|x| x.1)) {
            (None, _) => true,
            (Some(' '), Some(n)) => n.is_uppercase() || n == '-' || n == '+',
            _ => false,
        };
        if !ends {
            continue;
        }
        // not after a one- or two-letter abbreviation (TP., Tp., ông (bà).)
        let word_before = s[start..i].rsplit(' ').next().unwrap_or("");
        let letters = word_before.chars().filter(|c| c.is_alphabetic()).count();
        let abbreviation = (letters == 1 && word_before.chars().count() <= 2)
            || ((2..=4).contains(&letters) && word_before.chars().all(|c| c.is_uppercase()))
            || matches!(word_before, "Tp" | "ĐT" | "TT" | "(bà)" | "bà)");
        if !abbreviation || next.is_none() {
            out.push(start..after);
            start = next2.map_or(s.len(), |x| after + x.0);
        }
    }
    if start < s.len() {
        out.push(start..s.len());
    }
    out.retain(|r| !s[r.clone()].trim().is_empty());
    out
}

/// Clauses of a sentence: split at semicolons outside brackets.
fn clauses(s: &str, r: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = r.start;
    let mut depth = 0i32;
    // (the brackets and the semicolon are ASCII: the bytes will do)
    let bytes = &s.as_bytes()[r.clone()];
    for i in memchr::memchr3_iter(b'(', b')', b';', bytes) {
        match bytes[i] {
            b'(' => depth += 1,
            b')' => depth -= 1,
            _ if depth <= 0 => {
                out.push(start..r.start + i);
                start = r.start + i + 1;
            }
            _ => {}
        }
    }
    out.push(start..r.end);
    out.into_iter()
        .map(|c| {
            let t = &s[c.clone()];
            let a = c.start + (t.len() - t.trim_start().len());
            let b = c.start + t.trim_end().len();
            a..b.max(a)
        })
        .filter(|c| !c.is_empty())
        .collect()
}

/// A word of a clause: byte range in the view string and its lower-case core.
struct Words<'a> {
    text: &'a str,
    ranges: Vec<Range<usize>>,
    lower: Vec<Cow<'a, str>>,
}

impl Words<'_> {
    /// The word `i` as written.
    fn raw(&self, i: usize) -> &str {
        &self.text[self.ranges[i].clone()]
    }
}

/// The words of `s[r]`, split at spaces. `lower`, when given, is `s` in lower case with
/// the same byte offsets and the same result as [`lower`] on any piece: the words' lower
/// case is sliced out of it instead of being made word by word.
fn words_with<'a>(s: &'a str, lower: Option<&'a str>, r: Range<usize>) -> Words<'a> {
    words_upto(s, lower, r, usize::MAX)
}

/// The first `limit` words of [`words_with`]: the words a test of the first few needs.
fn words_upto<'a>(s: &'a str, lower: Option<&'a str>, r: Range<usize>, limit: usize) -> Words<'a> {
    let guess = (r.len() / 4 + 1).min(limit);
    let mut w = Words {
        text: s,
        ranges: Vec::with_capacity(guess),
        lower: Vec::with_capacity(guess),
    };
    let bytes = s.as_bytes();
    let mut a = r.start;
    while a <= r.end && w.ranges.len() < limit {
        let b = bytes[a..r.end]
            .iter()
            .position(|&x| x == b' ')
            .map_or(r.end, |k| a + k);
        if b > a {
            let part = &s[a..b];
            // a word that opens and ends with an ASCII letter or digit is its own core
            let core = if bytes[a].is_ascii_alphanumeric() && bytes[b - 1].is_ascii_alphanumeric() {
                part
            } else {
                word_core(part)
            };
            w.ranges.push(a..b);
            w.lower.push(match lower {
                Some(l) => {
                    let at = a + (core.as_ptr() as usize - part.as_ptr() as usize);
                    Cow::Borrowed(&l[at..at + core.len()])
                }
                None => lower_cow(core),
            });
        }
        a = b + 1;
    }
    w
}

fn starts_upper(w: &str) -> bool {
    w.chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(char::is_uppercase)
}

/// The first word at or after `from` that opens an action (a verb of the lexicon not
/// inside a proper name).
fn action_start(w: &Words<'_>, from: usize) -> Option<usize> {
    action_start_from(w, from, true)
}

/// Whether word `i` opens an action, that is `action_start(w, i) == Some(i)`: the first
/// word a search starts from needs only to be a verb of the lexicon, so the words after
/// it need no looking at.
fn opens_action(w: &Words<'_>, i: usize) -> bool {
    verb_at(&w.lower, i).is_some()
}

/// Like [`action_start`], but the word at `from` must pass the same checks as the rest
/// (it continues a name: "Ban chỉ đạo …").
fn action_start_from(w: &Words<'_>, from: usize, first_ok: bool) -> Option<usize> {
    (from..w.lower.len()).find(|&i| {
        let Some(verb_len) = verb_at(&w.lower, i) else {
            return false;
        };
        if i == from && (first_ok || i == 0) {
            return true;
        }
        let prev = &*w.lower[i - 1];
        let prev_raw = w.raw(i - 1);
        let coordination = matches!(
            (&*w.lower[i], w.lower.get(i + 1).map(|x| &**x)),
            ("chủ", Some("trì")) | ("phối", Some("hợp"))
        );
        if starts_upper(w.raw(i)) && !prev_raw.ends_with([',', ':']) && !coordination {
            return false; // "Ban Quản lý", "Bộ Giáo dục và Đào tạo"
        }
        if matches!(
            prev,
            "ban"
                | "tổ"
                | "quyền"
                | "phận"
                | "các"
                | "và"
                | "được"
                | "cần"
                | "nhà"
                | "sự"
                | "việc"
                | "đã"
                | "có"
        ) {
            return false;
        }
        let w0 = &*w.lower[i];
        if w0 == "tổ" && w.lower.get(i + 1).is_some_and(|n| n == "chức") {
            // "các cơ quan, tổ chức" is a noun; "tổ chức thực hiện" a verb
            if prev_raw.ends_with(',') || matches!(prev, "quan" | "các" | "và") {
                return false;
            }
            if w.lower.get(i + 2).is_some_and(|n| {
                matches!(
                    &**n,
                    "đảng"
                        | "chính"
                        | "tín"
                        | "cá"
                        | "có"
                        | "kinh"
                        | "xã"
                        | "quản"
                        | "khác"
                        | "liên"
                        | "đoàn"
                        | "hội"
                )
            }) {
                return false;
            }
        }
        if w0 == "cấp" && !prev_raw.ends_with(',') {
            return false; // "ủy ban nhân dân cấp tỉnh"
        }
        if matches!(
            w0,
            "đào" | "tuyển" | "ký" | "thanh" | "đầu" | "thông" | "bảo" | "cập" | "lập" | "quy"
        ) && !prev_raw.ends_with(',')
            && !is_subject_end(prev)
        {
            return false; // "chuyên ngành đào tạo", "Thư ký", "Hội đồng tuyển dụng"
        }
        if verb_len == 1
            && matches!(
                w0,
                "trực"
                    | "phòng"
                    | "chống"
                    | "thu"
                    | "chi"
                    | "in"
                    | "báo"
                    | "giao"
                    | "mở"
                    | "hội"
                    | "tiếp"
                    | "trả"
                    | "giữ"
                    | "sắp"
                    | "tự"
                    | "mua"
                    | "bán"
                    | "cử"
                    | "ghi"
                    | "lưu"
                    | "làm"
                    | "nhận"
                    | "viết"
                    | "tăng"
                    | "giảm"
                    | "giúp"
            )
        {
            return false; // too often part of a noun after the first word
        }
        true
    })
}

/// Words after which a verb starts the predicate rather than continuing a noun.
fn is_subject_end(w: &str) -> bool {
    matches!(
        w,
        "tỉnh"
            | "huyện"
            | "xã"
            | "phố"
            | "vụ"
            | "chính"
            | "sở"
            | "bộ"
            | "ban"
            | "ương"
            | "ngành"
            | "phương"
            | "vị"
            | "quan"
            | "dân"
            | "đồng"
            | "trì"
            | "phòng"
            | "toán"
            | "trưởng"
            | "ty"
            | "nghiệp"
            | "chức"
            | "cc"
            | "viên"
            | "đạo"
            | "tịch"
            | "đốc"
    )
}

#[derive(Clone)]
struct ActorRef {
    text: String,
}

struct Hit {
    /// Words put before the action text ("quy định" for "… do X quy định").
    verb: Option<String>,
    actor: String,
    role: Role,
    modality: String,
    action: Range<usize>,
    support: Option<String>,
}

regexes! {
    /// A chapter, part or section heading at the start of a block ([`marker`]).
    static MARKER_HEADING = format!(
        r"^(?:{})\s+[IVXLC\d]+(\w)?\.?\s*",
        HEADING_WORDS.join("|")
    );
    /// The [`MARKERS`] in one anchored alternation: the first alternative that matches wins,
    /// with the match it would have alone (leftmost-first), so it is the same as trying them
    /// in turn.
    static MARKER_ANY = {
        let alts: Vec<String> = MARKERS.iter().map(|(_, p)| format!("({p})")).collect();
        format!("^(?:{})", alts.join("|"))
    };
    /// Where an action's purpose clause starts (`, bảo đảm …`, ` nhằm …`): [`trim_action`]
    /// cuts it off.
    static ACTION_CUT = r"(?i),\s+(?:bảo đảm|đảm bảo|góp phần|nhằm)\s|\s+nhằm\s";
    static TRIGGER = r"(?i)(?:^|\s)(giao cho|giao|đề nghị|yêu cầu|chỉ đạo|mời)\s";
    static MODAL = r"(?:^|\s)(có trách nhiệm|chịu trách nhiệm|có nhiệm vụ|có nghĩa vụ|cần phải|phải|cần|chủ trì)(?:\s|,|:|$)";
    static PREDICATIVE = r"(?i)^(.{3,}?)\s+do\s+(.{2,120}?)\s+(quy định|quyết định|hướng dẫn|ban hành|cấp|phê duyệt|tổ chức thực hiện|thực hiện)(\s+theo[^.;]*)?\s*[.:]?$";
    static LABEL = r"(?i)^(?:cơ quan|đơn vị|bộ phận)\s+(chủ trì|phối hợp|thực hiện)\s*:\s*(?:mời\s+)?|^trách nhiệm\s+(?:chỉ đạo\s+)?(?:thực hiện|chủ trì)\s*:\s*";
    static HONORIFIC = r"(?i)^(?:các\s+)?(?:ông\s*\(bà\)|ông\s*,?\s*bà|ông/bà|ông\s+\(bà\))\s*:?\s*";
    static LEADIN_GENERIC = r"(?i)(?:sau|như sau|sau đây|cụ thể|cụ thể như sau|chủ yếu sau)\s*:?\s*$";
    static HEADING_LEADIN = r"(?i)^(?:nhiệm vụ|trách nhiệm|nghĩa vụ|nội dung quản lý)[^.;]*?\s+(?:của|đối với)\s+(.+?)\s*[.:]?$";
    static RIGHTS_HEADING = r"(?i)^(?:quyền|những việc|các hành vi bị cấm|nghiêm cấm|điều kiện|tiêu chuẩn)";
    static SKIP = r"(?i)^(?:căn cứ\s+(?:luật|nghị|quyết|thông|chỉ|công|kế|pháp|hiến|văn|số|điều|ý kiến|vào)|xét\s|theo đề nghị|quyết định\s*:|nơi nhận|kính gửi|tm\.|kt\.|t/m|k/t)";
    static LEAD_ADVERBIAL = r"(?i)^(?:đồng thời|trân trọng|mặt khác|ngoài ra|bên cạnh đó)\s*,?\s*";
    static TIME_ADVERBIAL = r"(?i)^(?:căn cứ (?:theo |vào )?chức năng,? nhiệm vụ(?: được giao)?,?\s*|phấn đấu(?:\s+để)?\s+đến\s+năm\s+\d{4},?\s*|(?:(?:phấn đấu\s+)?(?:để\s+)?(?:đến|trong|hàng|hằng|định kỳ|chậm nhất|trước|sau|khi|căn cứ|trên cơ sở|để|kể từ|tính từ|nếu|trường hợp)\s[^,:]{1,50}[,:]\s*)+)";
    static NOT_DUTIES = r"(?i)\b(?:gồm|bao gồm|hình thức|được hưởng|được cộng|ưu tiên|có quyền|quyền lợi|đối tượng|điều kiện|kỷ luật theo|thuộc một trong)\b";
    static CONDITION = r"(?i)^(?:khi|nếu|trường hợp|trong trường hợp)\s";
    /// Each of the [`MARKERS`] alone, anchored, in their order ([`marker`]).
    static MARKER_AT: [_] = MARKERS.iter().map(|(_, p)| format!("^(?:{p})"));
    static ADVERBIAL_START = r"(?i)^(?:căn cứ|trên cơ sở|theo|trong|để|đối với|tùy|tuỳ|sau khi|khi|ngoài ra|đồng thời|hàng|hằng|định kỳ|mỗi|đến|chậm nhất|trước)\s";
}

/// Groups of words that rules of [`rules::analyse`] look for in a clause's lower case.
#[derive(Clone, Copy)]
enum Cue {
    /// The closing clause: "… chịu trách nhiệm thi hành Quyết định này".
    Closing,
    /// The words of [`TRIGGER`].
    Trigger,
    /// "Trường hợp …, thì X V …".
    Then,
    /// The words of [`MODAL`].
    Modal,
    /// "… do X quy định": the word "do" …
    Do,
    /// … and the verbs of [`PREDICATIVE`].
    PredicativeVerb,
}

/// Pieces of [`MODAL`]'s words: a clause with none of them cannot match it.
const MODAL_WORDS: &[&str] = &[
    "phải",
    "cần",
    "trách nhiệm",
    "nhiệm vụ",
    "nghĩa vụ",
    "chủ trì",
];

/// The verbs of [`PREDICATIVE`] (but "tổ chức thực hiện", which ends like "thực hiện").
const PREDICATIVE_VERBS: &[&str] = &[
    "quy định",
    "quyết định",
    "hướng dẫn",
    "ban hành",
    "cấp",
    "phê duyệt",
    "thực hiện",
];

impl Cue {
    /// The cue a word of a clause (its lower-case core, [`Words::lower`]) gives, as a
    /// bit of [`Cues`].
    ///
    /// Each rule a cue lets through needs a word of the clause that its own test reads
    /// whole: one that stands between the clause's spaces (the only white space of a
    /// [`View`], and what `\s` matches there), or one that opens after a space and
    /// whose core, punctuation after it or not, starts with the cue's word:
    /// - closing: "… nhiệm thi hành": "thi";
    /// - [`TRIGGER`]: its words are followed by white space: "giao", "mời", and the
    ///   first of "đề nghị", "yêu cầu", "chỉ đạo";
    /// - then: " thì ";
    /// - [`MODAL`]: the first word of "có/chịu trách nhiệm", "có nhiệm vụ", "có nghĩa
    ///   vụ" is followed by a space, so is "trách", "nhiệm" or "nghĩa" then; "phải",
    ///   "cần" and "chủ trì" may have "," or ":" and more after them, their word starts
    ///   with "phải", "cần" or "trì";
    /// - do: "do" between white space ([`has_word`]);
    /// - [`PREDICATIVE`]: its verbs follow white space, and all but "cấp" have a space
    ///   after their first word; "cấp" ends the clause, "." or ":" after it.
    ///
    /// The case-insensitive patterns hold no letter that another character folds to
    /// (as "K" does to "k"), so their words are these in lower case.
    fn of_word(w: &str) -> u32 {
        let cue = match w {
            "thi" => Cue::Closing,
            "giao" | "mời" | "đề" | "yêu" | "chỉ" => Cue::Trigger,
            "thì" => Cue::Then,
            "trách" | "nhiệm" | "nghĩa" => Cue::Modal,
            "do" => Cue::Do,
            "quy" | "quyết" | "hướng" | "ban" | "cấp" | "phê" | "thực" | "tổ" => {
                Cue::PredicativeVerb
            }
            _ if w.starts_with("phải") || w.starts_with("cần") || w.starts_with("trì") => {
                Cue::Modal
            }
            _ => return 0,
        };
        1 << cue as u32
    }
}

/// The [`Cue`] groups with a word in a clause: a look at each word instead of a
/// substring search per cue. (They only let rules through: a cue that is there when
/// the rule finds nothing costs that rule's test, nothing else.)
#[derive(Clone, Copy)]
struct Cues(u32);

impl Cues {
    fn of(w: &Words<'_>) -> Cues {
        Cues(w.lower.iter().fold(0, |seen, x| seen | Cue::of_word(x)))
    }

    fn any(self, cue: Cue) -> bool {
        self.0 & (1 << cue as u32) != 0
    }
}

/// The words of [`TRIGGER`] or [`MODAL`] (their group 1) in a match of either in a
/// [`View`] string: the match without the one white space character before them and the
/// one space, "," or ":" after them. The view holds no white space but " ", so this is
/// what the captures would say, without the slower search for them.
fn cue_words(m: regex::Match<'_>) -> Range<usize> {
    let t = m.as_str();
    let a = m.start() + usize::from(t.starts_with(' '));
    let b = m.end() - usize::from(t.ends_with([' ', ',', ':']));
    a..b.max(a)
}

/// A cheap test that [`PREDICATIVE`] may match a clause, given its lower case `lc` (a
/// [`View`] string, whose only white space is " "): its verb is followed either by
/// "theo …" or by the end of the clause, with at most spaces and one "." or ":" between.
/// (The regex search with its captures is slow over a long clause.)
fn may_be_predicative(lc: &str) -> bool {
    let end = lc
        .strip_suffix(['.', ':'])
        .unwrap_or(lc)
        .trim_end_matches(' ');
    lc.contains(" theo") || PREDICATIVE_VERBS.iter().any(|v| end.ends_with(v))
}

/// A cheap test that a case-insensitive pattern anchored at the start, whose ASCII
/// first letters are `firsts` (in lower case), may match `s`: not when `s` opens with
/// another ASCII character. (A character that is not ASCII may fold to one of them,
/// "K" to "k": the pattern has to say.)
fn may_open_with(s: &str, firsts: &[u8]) -> bool {
    s.as_bytes()
        .first()
        .is_none_or(|b| !b.is_ascii() || firsts.contains(&b.to_ascii_lowercase()))
}

/// Whether `w` occurs in `s` with white space on both sides.
fn has_word(s: &str, w: &str) -> bool {
    s.match_indices(w).any(|(k, _)| {
        s[..k].chars().next_back().is_some_and(char::is_whitespace)
            && s[k + w.len()..]
                .chars()
                .next()
                .is_some_and(char::is_whitespace)
    })
}

fn trim_action(s: &str, r: Range<usize>) -> Range<usize> {
    let t = &s[r.clone()];
    let mut end = r.end;
    if let Some(m) = ACTION_CUT.find(t)
        && m.start() > 20
    {
        end = r.start + m.start();
    }
    let t = &s[r.start..end];
    let trimmed = t.trim_end_matches(|c: char| {
        c == '.' || c == '/' || c == ',' || c == ':' || c == ';' || c.is_whitespace()
    });
    let a = r.start
        + (trimmed.len()
            - trimmed
                .trim_start_matches(|c: char| c == ',' || c == ':' || c.is_whitespace())
                .len());
    a..(r.start + trimmed.len()).max(a)
}

fn clean_actor(a: &str) -> String {
    let a = HONORIFIC.replace(a.trim(), "");
    let a = a
        .trim()
        .trim_matches(|c: char| c == ',' || c == ':' || c == ';' || c == '.' || c.is_whitespace());
    let mut a = a
        .strip_prefix("Đối với ")
        .or_else(|| a.strip_prefix("đối với "))
        .unwrap_or(a);
    for tail in [" đều", " cũng", " cần", " sẽ", " thì"] {
        if let Some(x) = a.strip_suffix(tail) {
            a = x;
        }
    }
    a.trim_end_matches([',', ' ']).to_string()
}

fn role_of(actor: &str) -> Role {
    // ("," and ";" have no case: they are looked for before the lowering)
    if actor.contains([',', ';']) {
        return Role::All;
    }
    let l = lower(actor);
    if l.contains(" và ")
        || l.starts_with("các ")
        || l.starts_with("tất cả")
        || l.starts_with("mỗi")
        || l.starts_with("từng")
        || l.starts_with("những")
        || l.starts_with("cán bộ")
        || l.starts_with("người")
        || l.contains("doanh nghiệp")
    {
        Role::All
    } else {
        Role::Lead
    }
}

/// A list lead-in in force: the items under it take its actor.
struct ListScope {
    /// The actor of the items; `None` for a list of no duties (rights, compositions).
    actor: Option<ActorRef>,
    /// The rank of the lead-in's own marker; `None` for a plain paragraph.
    rank: Option<u8>,
    /// The lead-in names duties ("có trách nhiệm:", "Nhiệm vụ của X"), so every item is
    /// one, verb or not.
    duties: bool,
    /// The rank of the first item, for lead-ins that are plain paragraphs.
    item_rank: Option<u8>,
}

impl ListScope {
    /// A lead-in of `rank` naming `actor`'s duties.
    fn duties_of(actor: String, rank: Option<u8>) -> ListScope {
        ListScope {
            actor: Some(ActorRef { text: actor }),
            rank,
            duties: true,
            item_rank: None,
        }
    }

    /// A lead-in of `rank` whose items are no duties.
    fn no_duties(rank: Option<u8>) -> ListScope {
        ListScope {
            actor: None,
            rank,
            duties: false,
            item_rank: None,
        }
    }

    /// Whether a block of `rank` (after a blank line or not) ends the list.
    fn ends_at(&self, rank: Option<u8>, after_blank: bool) -> bool {
        match (self.rank, rank) {
            (_, Some(0)) => true,
            (Some(lr), Some(r)) => r <= lr,
            (Some(_), None) => false,
            (None, None) => after_blank,
            // items of a lead-in paragraph: the list ends at a shallower item
            (None, Some(r)) => self.item_rank.is_some_and(|ir| r < ir),
        }
    }

    /// Whether a block of `rank` is an item of the list.
    fn holds(&self, rank: Option<u8>) -> bool {
        match (self.rank, rank) {
            (Some(lr), Some(r)) => r > lr,
            (Some(_), None) => true,
            (None, Some(_)) => true,
            (None, None) => false,
        }
    }
}

/// What reading the blocks in order carries from one to the next.
struct Reader<'t> {
    text: &'t str,
    /// The document's date, for deadlines counted from it.
    document_date: Option<&'t str>,
    out: Vec<Obligation>,
    /// The list lead-in in force.
    list: Option<ListScope>,
    /// The last heading that assigned nothing, the task of a "Cơ quan chủ trì: X" line.
    heading: Option<String>,
    /// The actor of the last assignment, for a subjectless sentence after it.
    prev_actor: Option<ActorRef>,
}

/// A block as its sentences are read: where its marker leaves off and its list.
struct BlockScope<'v> {
    v: &'v View<'v>,
    /// The rank of its list marker, if it has one.
    rank: Option<u8>,
    /// The block after its marker (a range of `v.s`).
    content: Range<usize>,
    /// It is an item of the list in force …
    in_list: bool,
    /// … whose actor is this.
    list_actor: Option<ActorRef>,
}

/// The whole extractor. `all` is `text.split_inclusive('\n')`; `skip` the tables.
pub(super) fn extract(
    text: &str,
    all: &[&str],
    document_date: Option<&str>,
    skip: &[Range<usize>],
) -> Vec<Obligation> {
    let mut reader = Reader {
        text,
        document_date,
        out: Vec::new(),
        list: None,
        heading: None,
        prev_actor: None,
    };
    for b in blocks(all, skip) {
        reader.block(&b);
    }
    dedupe(reader.out)
}

impl Reader<'_> {
    /// Reads one block: a paragraph or a list item.
    fn block(&mut self, b: &Block) {
        let v = View::new(self.text, b.range.clone());
        if v.s.is_empty() {
            return;
        }
        let (rank, mlen) = marker(&v.s).map_or((None, 0), |(k, l)| (Some(k), l));
        let content = mlen..v.s.len();
        let body = &v.s[content.clone()];
        // scope of a list lead-in
        if let Some(l) = &mut self.list {
            if l.ends_at(rank, b.after_blank) {
                self.list = None;
            } else if l.item_rank.is_none() {
                l.item_rank = rank;
            }
        }
        // a subjectless paragraph continues the previous one only when wrapped
        if rank.is_some() || b.after_blank || !b.continues {
            self.prev_actor = None;
        }
        if rank == Some(0) {
            self.heading = None;
            if let Some(l) = section_lead_in(body.trim()) {
                self.list = Some(l);
            }
        }
        if self.label_line(&v, content.clone()) {
            return;
        }
        if let Some(l) = actor_heading(&v, rank, body) {
            self.list = Some(l);
            return;
        }
        let in_list = self.list.as_ref().is_some_and(|l| l.holds(rank));
        let list_actor = if in_list {
            self.list.as_ref().and_then(|l| l.actor.clone())
        } else {
            None
        };
        // (a block in a list with no actor analyses no clause: none of its sentences
        // gives or changes anything, so they need not be cut)
        let suppressed = in_list && list_actor.is_none();
        let block = BlockScope {
            v: &v,
            rank,
            content,
            in_list,
            list_actor,
        };
        let emitted = !suppressed && self.read_sentences(&block);
        if !emitted && rank.is_some_and(|r| r <= 4) {
            self.heading = Some(body.trim().trim_end_matches([':', '.', ' ']).to_string());
        }
    }

    /// "Cơ quan chủ trì: X" / "Trách nhiệm chỉ đạo thực hiện: X": X is given the heading
    /// above as its task. Whether the block (`content` of `v.s`) is such a line.
    fn label_line(&mut self, v: &View<'_>, content: Range<usize>) -> bool {
        let body = &v.s[content.clone()];
        if !may_open_with(body, b"cbt") {
            return false;
        }
        let Some(m) = LABEL.captures(body) else {
            return false;
        };
        let label = m.get(1).map_or("chủ trì", |g| g.as_str());
        let label = lower(label);
        let a = content.start + m.get(0).map_or(0, |g| g.end());
        let actor = clean_actor(&v.s[a..]);
        if let Some(h) = &self.heading
            && !actor.is_empty()
        {
            let role = if label == "phối hợp" {
                Role::Support
            } else {
                role_of(&actor)
            };
            self.out.push(Obligation {
                actor_normalized: expand(&actor),
                actor,
                role,
                action: h.clone(),
                modality: label,
                deadline: None,
                span: v.span(content),
            });
        }
        true
    }

    /// Reads the sentences of a block; whether any gave an obligation.
    fn read_sentences(&mut self, block: &BlockScope<'_>) -> bool {
        let v = block.v;
        let content = &block.content;
        let mut emitted_in_block = false;
        let mut block_start = self.out.len();
        for sr in sentences(&v.s[..])
            .into_iter()
            .filter(|x| x.end > content.start)
            .map(|x| x.start.max(content.start)..x.end)
        {
            let sentence = &v.s[sr.clone()];
            let hits = self.read_clauses(block, sr);
            if hits.is_empty() {
                // a sentence that only gives a deadline belongs to the assignment before it
                let head = sentence
                    .char_indices()
                    .nth(4)
                    .map_or(sentence, |x| &sentence[..x.0]);
                if emitted_in_block
                    && lower(head).starts_with("thời")
                    && let Some(f) = deadline::find(sentence, self.document_date)
                {
                    for o in &mut self.out[block_start..] {
                        if o.deadline.is_none() {
                            o.deadline = Some(f.deadline.clone());
                        }
                    }
                }
                continue;
            }
            block_start = self.out.len();
            emitted_in_block = true;
            self.out.extend(hits);
        }
        emitted_in_block
    }

    /// The obligations of the clauses of the sentence `sr` (a range of `v.s`). A lead-in
    /// ("X có trách nhiệm:") sets the list instead.
    fn read_clauses(&mut self, block: &BlockScope<'_>, sr: Range<usize>) -> Vec<Obligation> {
        let v = block.v;
        let is_leadin = v.s[sr.clone()].trim_end().ends_with(':');
        let mut sentence_hits: Vec<Obligation> = Vec::new();
        let mut lead_deadline: Option<Deadline> = None;
        for (ci, cr) in clauses(&v.s, sr).into_iter().enumerate() {
            let item_start = (block.rank.is_some()
                || self.list.as_ref().is_some_and(|l| l.rank == Some(0)))
                && cr.start <= block.content.start + 1;
            let scope = rules::Scope {
                inherited: self.prev_actor.as_ref().or(block.list_actor.as_ref()),
                list_mode: block.list_actor.is_some(),
                item_start,
                duties: block.in_list && self.list.as_ref().is_some_and(|l| l.duties),
            };
            let Some(h) = rules::analyse(v, cr.clone(), scope) else {
                if ci > 0 {
                    objects_clause(v, cr, &mut sentence_hits, self.document_date);
                }
                continue;
            };
            let found = deadline::find(&v.s[cr.clone()], self.document_date).map(|f| f.deadline);
            if ci == 0 {
                lead_deadline = found.clone();
            }
            let deadline = found.or_else(|| lead_deadline.clone());
            let action = action_text(v, &h);
            self.prev_actor = Some(ActorRef {
                text: h.actor.clone(),
            });
            if action.trim().is_empty() {
                self.list = Some(ListScope::duties_of(h.actor, block.rank));
                continue;
            }
            if is_leadin && NOT_DUTIES.is_match(&action) {
                // compositions, sanctions, eligibility: the items are no duties
                self.list = Some(ListScope::no_duties(block.rank));
                continue;
            }
            if is_leadin {
                self.list = Some(ListScope::duties_of(h.actor.clone(), block.rank));
                if LEADIN_GENERIC.is_match(&action) || action.split_whitespace().count() <= 6 {
                    continue;
                }
            }
            push_hit(&mut sentence_hits, h, action, deadline, v.span(cr));
        }
        sentence_hits
    }
}

/// The list a section heading opens: "Đối với X", "Nhiệm vụ của X" (X's duties),
/// "Quyền …", "Nghiêm cấm …" (no duties); `None` for another heading.
fn section_lead_in(title: &str) -> Option<ListScope> {
    let doi_voi = title
        .strip_prefix("Đối với ")
        .map(|x| clean_actor(x.trim_end_matches([':', ' ', '.'])))
        .filter(|x| is_actor(x));
    if let Some(a) = doi_voi {
        return Some(ListScope::duties_of(a, Some(0)));
    }
    if let Some(c) = HEADING_LEADIN.captures(title) {
        let a = clean_actor(&c[1]);
        return is_actor(&a).then(|| ListScope::duties_of(a, Some(0)));
    }
    RIGHTS_HEADING
        .is_match(title)
        .then(|| ListScope::no_duties(Some(0)))
}

/// A heading that is only an actor ("1. Các cấp ủy, tổ chức đảng", "Đối với X:", "2. Giao
/// Sở Xây dựng"): the list of its duties.
fn actor_heading(v: &View<'_>, rank: Option<u8>, body: &str) -> Option<ListScope> {
    let trimmed = body.trim().trim_end_matches([':', '.']).trim();
    let bare = trimmed
        .strip_prefix("Đối với ")
        .or_else(|| trimmed.strip_prefix("đối với "));
    if !(rank.is_some_and(|r| r > 0) || bare.is_some()) {
        return None;
    }
    let cand = bare.unwrap_or(trimmed);
    let cand = cand.strip_prefix("Giao ").unwrap_or(cand);
    let colon = body.trim_end().ends_with(':');
    // (the cheap tests first: the text is often a whole paragraph)
    if (bare.is_some() || rank.is_some_and(|r| r <= 2))
        && !cand.contains(';')
        // (26 words at most are cut: when there are 25 or fewer, they are all)
        && let cw = v.words_of_upto(cand, 26)
        && cw.lower.len() <= 25
        && is_actor(cand)
        && action_start(&cw, 0).is_none()
    {
        return Some(ListScope {
            actor: Some(ActorRef {
                text: clean_actor(cand),
            }),
            rank,
            duties: bare.is_some() || colon,
            item_rank: None,
        });
    }
    None
}

/// A clause of objects after a semicolon (no verb of its own) belongs to the task before
/// it: it is added to the actions of the sentence's last assignment (`hits`), whose
/// deadline it may give.
fn objects_clause(
    v: &View<'_>,
    cr: Range<usize>,
    hits: &mut [Obligation],
    document_date: Option<&str>,
) {
    if let Some(last) = hits.last()
        && let cw = v.words(cr.clone())
        && !opens_action(&cw, 0)
        && !cw.lower.is_empty()
        && last.span.end <= v.span(cr.clone()).start
    {
        let extra = v.s[cr.clone()]
            .trim_end_matches(['.', ' ', ';'])
            .to_string();
        let lead_action = last.action.clone();
        let found = deadline::find(&extra, document_date).map(|f| f.deadline);
        for o in hits.iter_mut().filter(|o| o.action == lead_action) {
            o.action = format!("{}; {}", o.action, extra);
            if o.deadline.is_none() {
                o.deadline.clone_from(&found);
            }
            o.span.end = v.span(cr.clone()).end;
        }
    }
}

/// The action of `h` as written, after the verb of a predicative clause ("quy định
/// mẫu báo cáo" for "Mẫu báo cáo do X quy định").
fn action_text(v: &View<'_>, h: &Hit) -> String {
    match &h.verb {
        Some(verb) => {
            let t = &v.s[h.action.clone()];
            let mut first = t.chars();
            let lowered: String = first
                .next()
                .map(|c| c.to_lowercase().chain(first).collect())
                .unwrap_or_default();
            format!("{verb} {lowered}")
        }
        None => v.s[h.action.clone()].to_string(),
    }
}

/// Pushes the obligation of `h`, and its partner's ("phối hợp với Y").
fn push_hit(
    hits: &mut Vec<Obligation>,
    h: Hit,
    action: String,
    deadline: Option<Deadline>,
    span: Range<usize>,
) {
    hits.push(Obligation {
        actor_normalized: expand(&h.actor),
        actor: h.actor,
        role: h.role,
        action: action.clone(),
        modality: h.modality,
        deadline: deadline.clone(),
        span: span.clone(),
    });
    if let Some(y) = h.support {
        hits.push(Obligation {
            actor_normalized: expand(&y),
            actor: y,
            role: Role::Support,
            action,
            modality: "phối hợp".into(),
            deadline,
            span,
        });
    }
}

fn dedupe(v: Vec<Obligation>) -> Vec<Obligation> {
    let mut out: Vec<Obligation> = Vec::with_capacity(v.len());
    for o in v {
        if out
            .iter()
            .any(|p| p.actor == o.actor && p.action == o.action && p.role == o.role)
        {
            continue;
        }
        out.push(o);
    }
    out
}

#[cfg(test)]
mod tests {
    use regex::Regex;

    use super::*;

    #[test]
    fn predicative_needs_what_may_be_predicative_looks_for() {
        let mut lines = vec![
            "Mẫu do Bộ Tài chính quy định.".to_string(),
            "Mẫu do Bộ Tài chính QUY ĐỊNH :".to_string(),
            "Việc cấp phép do Sở cấp theo quy định tại Điều 5.".to_string(),
        ];
        for text in crate::extract::corpus_texts() {
            lines.extend(
                text.split(['.', ';', '\n'])
                    .map(|l| format!("{} .", l.trim())),
            );
        }
        let mut matched = 0;
        for line in &lines {
            let v = View::new(line, 0..line.len());
            if PREDICATIVE.is_match(&v.s) {
                assert!(may_be_predicative(&v.lower), "{line}");
                matched += 1;
            }
        }
        assert!(matched >= 3, "{matched}");
    }

    #[test]
    fn anchored_patterns_open_with_their_first_letters() {
        let mut lines: Vec<String> = [
            "Đồng thời, giao",
            "TRÂN TRỌNG",
            "Mặt khác",
            "NGOÀI RA",
            "Bên cạnh đó",
            "Căn cứ Luật",
            "XÉT đề nghị",
            "Theo đề nghị",
            "QUYẾT ĐỊNH:",
            "Nơi nhận",
            "Kính gửi",
            "TM. UBND",
            "KT. CHỦ TỊCH",
            "T/M",
            "K/T",
            "Cơ quan chủ trì: Sở",
            "ĐƠN VỊ THỰC HIỆN: Sở",
            "Bộ phận phối hợp: Sở",
            "Trách nhiệm thực hiện: Sở",
            "PHẤN ĐẤU đến năm 2030, ",
            "Hằng năm, ",
            "Kể từ ngày 1, ",
            "Sau khi xong, ",
            "Nếu có, ",
            "Mỗi năm",
            "Tùy tình hình",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for text in crate::extract::corpus_texts() {
            lines.extend(text.lines().map(|l| l.trim().to_string()));
        }
        for line in &lines {
            for (re, firsts) in [
                (&*LEAD_ADVERBIAL, &b"tmnb"[..]),
                (&*SKIP, b"cxtqnk"),
                (&*LABEL, b"cbt"),
                (&*TIME_ADVERBIAL, b"cpthskn"),
                (&*ADVERBIAL_START, b"ctsknhm"),
            ] {
                if re.is_match(line) {
                    assert!(may_open_with(line, firsts), "{line}");
                }
            }
        }
    }

    #[test]
    fn cue_words_are_the_captured_group() {
        let mut texts = vec![
            "Giao cho Sở Tài chính: chủ trì, phải\u{a0}báo cáo; cần, có nhiệm vụ:".to_string(),
        ];
        texts.extend(crate::extract::corpus_texts());
        for text in &texts {
            let v = View::new(text, 0..text.len());
            for re in [&*TRIGGER, &*MODAL] {
                let found: Vec<Range<usize>> = re.find_iter(&v.s).map(cue_words).collect();
                let captured: Vec<Range<usize>> = re
                    .captures_iter(&v.s)
                    .map(|c| c.get(1).map_or(0..0, |g| g.range()))
                    .collect();
                assert_eq!(found, captured);
            }
        }
    }

    #[test]
    fn latin_letters_with_diacritics_are_no_space() {
        for c in ('\u{C0}'..='\u{24F}').chain('\u{1E00}'..='\u{1EFF}') {
            assert!(!c.is_whitespace() && !c.is_control(), "{c:?}");
        }
    }

    /// [`View::start`] against a table of every byte's start, made as `View::new` made
    /// it before the runs.
    #[test]
    fn view_starts_are_those_of_every_byte() {
        let texts = [
            "  Giao  Sở Tài\tchính,\u{a0}(chủ trì)\n\r\n phối hợp…\u{2003}\u{2003}a\x07b ",
            "x",
            "\u{a0}",
            "Điều 1.\u{85}Ủy ban nhân dân\u{3000}tỉnh  ",
        ];
        for text in texts {
            for (from, to) in [(0, text.len()), (1, text.len()), (0, 0)] {
                if !text.is_char_boundary(from) {
                    continue;
                }
                let v = View::new(text, from..to);
                let mut want: Vec<usize> = Vec::new();
                let mut pending = None;
                for (i, c) in text[from..to].char_indices() {
                    let at = from + i;
                    let space = if c.is_ascii() {
                        c <= ' ' || c == '\x7f'
                    } else {
                        !matches!(c, '\u{C0}'..='\u{24F}' | '\u{1E00}'..='\u{1EFF}')
                            && (c.is_whitespace() || c.is_control())
                    };
                    if space {
                        pending.get_or_insert(at);
                        continue;
                    }
                    if let Some(a) = pending.take()
                        && !want.is_empty()
                    {
                        want.push(a);
                    }
                    want.extend(std::iter::repeat_n(at, c.len_utf8()));
                }
                assert_eq!(want.len(), v.s.len(), "{text:?}");
                for (k, &w) in want.iter().enumerate() {
                    assert_eq!(v.start(k), Some(w), "{text:?} {k}");
                }
                assert_eq!(v.start(want.len()), None);
            }
        }
    }

    /// Bullets ("-", "+" …) are measured as their regexes matched them.
    #[test]
    fn bullets_are_their_regex_matches() {
        let dash = Regex::new(&format!("^(?:{})", MARKERS[9].1)).expect("regex");
        let plus = Regex::new(&format!("^(?:{})", MARKERS[10].1)).expect("regex");
        let mut lines: Vec<String> = [
            "- a",
            "-",
            "–\u{a0}\u{2003} x",
            "—\t\ty",
            "•x",
            "*  \u{85}z",
            "+",
            "+ \u{3000}b",
            "-\u{200b}x",
        ]
        .iter()
        .map(|x| x.to_string())
        .collect();
        for text in crate::extract::corpus_texts() {
            lines.extend(text.lines().map(|l| l.trim().to_string()));
        }
        let mut seen = 0;
        for l in &lines {
            let re = match l.chars().next() {
                Some('-' | '–' | '—' | '•' | '*') => (&dash, MARKERS[9].0),
                Some('+') => (&plus, MARKERS[10].0),
                _ => continue,
            };
            seen += 1;
            let want = re.0.find(l).map(|m| (re.1, m.end()));
            assert_eq!(marker(l), want, "{l:?}");
        }
        assert!(seen > 9);
    }

    #[test]
    fn words_upto_are_the_first_words() {
        let text = "Giao  Sở Tài chính, (chủ trì) phối hợp với các đơn vị…";
        let v = View::new(text, 0..text.len());
        let all = v.words_of(&v.s);
        for limit in 0..all.lower.len() + 2 {
            let first = v.words_of_upto(&v.s, limit);
            let n = limit.min(all.lower.len());
            assert_eq!(first.ranges, all.ranges[..n]);
            assert_eq!(first.lower, all.lower[..n]);
        }
    }

    /// Every test a cue lets through, on a clause: it may find something only when the
    /// cue is there.
    #[test]
    fn cues_are_there_when_their_rules_may_match() {
        let mut lines: Vec<String> = [
            "Sở Y tế chịu trách nhiệm thi hành Quyết định này",
            "Các ông CÓ TRÁCH NHIỆM THI HÀNH quyết định",
            "GIAO CHO Sở Tài chính",
            "Mời đại diện",
            "Đề Nghị Bộ",
            "yêu cầu các",
            "Chỉ đạo các",
            "Trường hợp cần thiết thì Sở",
            "Sở phải,kể cả",
            "Sở cần:ngay",
            "Sở chủ trì,phối hợp",
            "Sở chủ trì",
            "Sở có nghĩa vụ:",
            "Sở có nhiệm vụ",
            "Mẫu do Bộ Tài chính quy định.",
            "Mẫu do Bộ Tài chính QUY ĐỊNH :",
            "Giấy phép do Sở cấp.",
            "Giấy phép do Sở cấp:",
            "Giấy phép do Sở cấp",
            "Việc này do Sở tổ chức thực hiện theo kế hoạch",
            "Việc cấp phép do Sở cấp theo quy định tại Điều 5.",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for text in crate::extract::corpus_texts() {
            lines.extend(text.split(['.', ';', '\n']).map(str::to_string));
            lines.extend(text.split([';', '\n']).map(str::to_string));
        }
        let mut seen = [0; 6];
        for line in &lines {
            let v = View::new(line, 0..line.len());
            let (c, lc) = (&v.s[..], &v.lower[..]);
            let cues = Cues::of(&v.words(0..c.len()));
            let rules = [
                (
                    Cue::Closing,
                    lc.contains("chịu trách nhiệm thi hành")
                        || lc.contains("có trách nhiệm thi hành"),
                ),
                (Cue::Trigger, TRIGGER.is_match(c)),
                (Cue::Then, lc.contains(" thì ")),
                (Cue::Modal, MODAL.is_match(c)),
                (Cue::Do, has_word(lc, "do")),
                (Cue::PredicativeVerb, PREDICATIVE.is_match(c)),
            ];
            for (k, (cue, matched)) in rules.into_iter().enumerate() {
                if matched {
                    assert!(cues.any(cue), "{k} {line}");
                    seen[k] += 1;
                }
            }
        }
        assert!(seen.iter().all(|&n| n >= 3), "{seen:?}");
    }

    #[test]
    fn lower_of_is_lower() {
        let mut lines = vec![
            "\u{212A}iến nghị TRÂN TRỌNG đề nghị".to_string(),
            "İSTANBUL Giao Sở".to_string(),
            "ΟΔΟΣ Σ".to_string(),
        ];
        for text in crate::extract::corpus_texts() {
            lines.extend(text.lines().map(str::to_string));
        }
        for line in &lines {
            let v = View::new(line, 0..line.len());
            let mut pieces: Vec<&str> = v.s.split(' ').collect();
            pieces.extend(v.s.match_indices(' ').map(|(k, _)| &v.s[..k]));
            pieces.push(&v.s);
            for p in pieces {
                assert_eq!(*v.lower_of(p), lower(p), "{line}");
            }
            let copy = v.s.clone();
            assert_eq!(*v.lower_of(&copy), lower(&copy), "{line}");
        }
    }

    #[test]
    fn sentences_end_at_stops_and_ellipses_before_a_capital() {
        let cut = |s: &str| -> Vec<String> {
            sentences(s).into_iter().map(|r| s[r].to_string()).collect()
        };
        assert_eq!(
            cut("Sở Y tế chủ trì… Sở Tài chính phối hợp. Xong! Thật? Hết"),
            [
                "Sở Y tế chủ trì…",
                "Sở Tài chính phối hợp.",
                "Xong!",
                "Thật?",
                "Hết"
            ]
        );
        // quotes and dashes share the ellipsis's first byte; "TP." is an abbreviation
        assert_eq!(
            cut("Theo “Kế hoạch” – số 5. UBND TP. Hà Nội giao… việc… Các sở"),
            [
                "Theo “Kế hoạch” – số 5.",
                "UBND TP. Hà Nội giao… việc…",
                "Các sở"
            ]
        );
        // no end inside a number or before a lower-case word
        assert_eq!(cut("Năm 2.025 xong. tiếp…"), ["Năm 2.025 xong. tiếp…"]);
    }

    #[test]
    fn three_spaces_as_a_substring_search() {
        let base = ["a", " ", "  ", "   ", "    ", "Điều", "x y", "ệ  "];
        for a in base {
            for b in base {
                for c in base {
                    let t = format!("{a}{b}{c}");
                    assert_eq!(has_three_spaces(&t), t.contains("   "), "{t:?}");
                }
            }
        }
    }

    /// The markers as one alternation with the heading's Unicode `\b`, as the pattern was
    /// written before [`marker`] spelled the boundary out: the two must agree.
    fn markers_with_headings() -> Vec<(u8, &'static str)> {
        let mut markers: Vec<(u8, &str)> = MARKERS.to_vec();
        let heading = r"(?:Chương|CHƯƠNG|Phần|PHẦN|Mục|MỤC)\s+[IVXLC\d]+\b\.?\s*";
        markers.insert(1, (0, heading));
        markers
    }

    fn marker_by_one_regex(re: &Regex, s: &str) -> Option<(u8, usize)> {
        let markers = markers_with_headings();
        let c = re.captures(s)?;
        let k = (1..=markers.len()).find(|&i| c.get(i).is_some())?;
        Some((markers[k - 1].0, c.get(0)?.end()))
    }

    #[test]
    fn marker_agrees_with_the_single_regex() {
        let mut lines: Vec<String> = [
            "Chương IV. Tổ chức thực hiện",
            "Chương IV: Tổ chức",
            "CHƯƠNG II",
            "Chương IVa",
            "Chương IVđ",
            "Chương 2_",
            "Chương ٣ x",
            "Mục 1.  Quy định chung",
            "Mục tiêu",
            "Phần thứ hai",
            "PHẦN I- MỞ ĐẦU",
            "Điều 5. Hiệu lực",
            "Điều khoản",
            "IV. Tổ chức",
            "a) Sở Tài chính",
            "1.2.3. Mục",
            "(ii) Các",
            "- Giao",
            "+ Sở",
            "٣. Arabic-Indic digit",
            "３) fullwidth digit",
            "• a",
            "— b",
            "* c",
            "L. x",
            "C) y",
            "XI.2 z",
            "V) v",
            "Đ. x",
            "đ) x",
            "Đ.",
            "Ⅳ. Roman numeral sign",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for text in crate::extract::corpus_texts() {
            lines.extend(text.lines().map(|l| l.trim().to_string()));
        }
        let alts: Vec<String> = markers_with_headings()
            .iter()
            .map(|(_, p)| format!("({p})"))
            .collect();
        let re = Regex::new(&format!("^(?:{})", alts.join("|"))).expect("literal regex");
        for line in &lines {
            assert_eq!(marker(line), marker_by_one_regex(&re, line), "{line}");
        }
    }
}
