//! Where the lines of the header and the signature break: the names of bodies, the date
//! line and the signing authority are split into lines here, by the font metrics, where a
//! person would break them (between the body and its place, before or after `VÀ`, after
//! the place's comma), never inside a place name or a date, into lines as even as the
//! breaks allow. The renderers draw the lines as decided (line breaks in one paragraph).

use super::{TextStyle, fonts};

/// Room kept free on each line, so that a line that only just fits is broken here rather
/// than by a renderer whose rounding differs (1 pt).
const SLACK: u32 = 20;

/// Words that start a place: the administrative levels (Phụ lục II).
const LEVELS: [&[&str]; 8] = [
    &["TỈNH"],
    &["THÀNH", "PHỐ"],
    &["HUYỆN"],
    &["QUẬN"],
    &["THỊ", "XÃ"],
    &["XÃ"],
    &["PHƯỜNG"],
    &["THỊ", "TRẤN"],
];

/// Names of bodies that stay on one line.
const PHRASES: [&[&str]; 9] = [
    &["ỦY", "BAN", "NHÂN", "DÂN"],
    &["UỶ", "BAN", "NHÂN", "DÂN"],
    &["HỘI", "ĐỒNG", "NHÂN", "DÂN"],
    &["BAN", "THƯỜNG", "VỤ"],
    &["BAN", "CHẤP", "HÀNH"],
    &["ĐẢNG", "BỘ"],
    &["CHI", "BỘ"],
    &["ĐẢNG", "ỦY"],
    &["ĐẢNG", "UỶ"],
];

/// How bad a break between two words is.
mod cost {
    /// At a connector: before or after `VÀ`, after a comma, around a dash.
    pub(super) const CONNECTOR: u32 = 0;
    /// Between a body and its place (`ĐẢNG BỘ / TỈNH THÁI NGUYÊN`, `HUYỆN ỦY / MƯỜNG
    /// KHƯƠNG`), or after the name of a body (`ỦY BAN NHÂN DÂN / …`).
    pub(super) const BODY_PLACE: u32 = 1;
    /// Between two words of no known phrase (maybe a compound word).
    pub(super) const WORDS: u32 = 8;
    /// Inside a known phrase (`ỦY BAN / NHÂN DÂN`).
    pub(super) const PHRASE: u32 = 50;
    /// Inside a place name (`THÁI / NGUYÊN`) or a date: only when nothing else fits.
    pub(super) const NAME: u32 = 1000;
}

/// Where the place that starts at word `from` ends: at a connector (`VÀ`, `-`) or after
/// a comma, else at the end.
/// In text written in capitals, a place runs to a connector; in mixed case, while its
/// words start with a capital (`xã Pha Long về …`).
fn place_end(words: &[&str], upper: &[String], from: usize, caps: bool) -> usize {
    (from..upper.len())
        .find(|&j| {
            let connector = matches!(upper[j].as_str(), "VÀ" | "-")
                || (j > from && upper[j - 1].ends_with(','));
            connector || (!caps && !words[j].starts_with(char::is_uppercase))
        })
        .unwrap_or(upper.len())
}

/// Words a number stays with (`ngày 20/6/2020`, `số 45`, `khóa XV`).
const BEFORE_NUMBER: [&str; 9] = [
    "NGÀY", "THÁNG", "NĂM", "SỐ", "KHÓA", "KHOÁ", "QUÝ", "ĐIỀU", "KỲ",
];

/// The cost of breaking before each word of `words` (index 0 unused).
fn break_costs(words: &[&str]) -> Vec<u32> {
    let upper: Vec<String> = words.iter().map(|w| super::vi::upper(w)).collect();
    let caps = words.iter().zip(&upper).all(|(w, u)| w == u);
    let n = words.len();
    let mut costs = vec![cost::WORDS; n];
    let starts = |i: usize, phrase: &[&str]| {
        i + phrase.len() <= n && phrase.iter().zip(&upper[i..]).all(|(p, w)| p == w)
    };
    let protect = |costs: &mut [u32], range: std::ops::Range<usize>| {
        for c in &mut costs[range] {
            *c = cost::NAME;
        }
    };
    for i in 0..n {
        for phrase in PHRASES {
            if starts(i, phrase) {
                for c in &mut costs[i + 1..i + phrase.len()] {
                    *c = (*c).max(cost::PHRASE);
                }
                if i + phrase.len() < n {
                    costs[i + phrase.len()] = cost::BODY_PLACE;
                }
            }
        }
    }
    // Places: after a level (`TỈNH THÁI NGUYÊN`, kept whole with its level), or after a
    // committee (`HUYỆN ỦY / MƯỜNG KHƯƠNG`, the place alone).
    let mut i = 0;
    while i < n {
        let committee = i + 1 < n
            && matches!(
                upper[i].as_str(),
                "TỈNH" | "THÀNH" | "HUYỆN" | "QUẬN" | "THỊ"
            )
            && matches!(upper[i + 1].as_str(), "ỦY" | "UỶ")
            && upper.get(i + 2).is_none_or(|w| w != "BAN");
        let (head, place) = if committee {
            (2, i + 2)
        } else if let Some(level) = LEVELS.iter().find(|l| starts(i, l)) {
            (level.len(), i + level.len())
        } else {
            i += 1;
            continue;
        };
        let end = place_end(words, &upper, place, caps);
        if place >= end {
            i += head;
            continue;
        }
        if committee {
            protect(&mut costs, i + 1..place);
            costs[place] = cost::BODY_PLACE;
            protect(&mut costs, place + 1..end);
        } else {
            protect(&mut costs, i + 1..end);
            if i > 0 {
                costs[i] = costs[i].min(cost::BODY_PLACE);
            }
        }
        i = end;
    }
    for j in 1..n {
        let numbered = BEFORE_NUMBER.contains(&upper[j - 1].as_str())
            && upper[j].starts_with(|c: char| c.is_ascii_digit() || "IVXLC".contains(c));
        if numbered {
            costs[j] = costs[j].max(cost::PHRASE);
        }
        let connector = matches!(upper[j].as_str(), "VÀ" | "-")
            || matches!(upper[j - 1].as_str(), "VÀ" | "-")
            || upper[j - 1].ends_with(',');
        if connector && costs[j] < cost::NAME {
            costs[j] = cost::CONNECTOR;
        }
    }
    costs
}

/// The best split of `words` into lines of at most `width` twips: the fewest breaks
/// inside a name, then the fewest lines, then the cheapest breaks, then the most even
/// lines. `None` when no split fits.
fn best_split(words: &[&str], costs: &[u32], style: TextStyle, width: u32) -> Option<Vec<usize>> {
    /// (breaks inside names, lines, cost, widest line): smaller is better.
    type Score = (u32, usize, u32, u32);
    let n = words.len();
    let line_width = |a: usize, b: usize| fonts::width(&words[a..b].join(" "), style);
    // best[i]: the best way to set words[i..], and its breaks.
    let mut best: Vec<Option<(Score, Vec<usize>)>> = vec![None; n + 1];
    best[n] = Some(((0, 0, 0, 0), Vec::new()));
    for i in (0..n).rev() {
        for j in i + 1..=n {
            let here = line_width(i, j);
            if here + SLACK > width {
                break;
            }
            let Some(((names, lines, c, widest), breaks)) = &best[j] else {
                continue;
            };
            let brk = if j < n { costs[j] } else { 0 };
            let score = (
                names + u32::from(brk >= cost::NAME),
                lines + 1,
                c + brk,
                (*widest).max(here),
            );
            if best[i].as_ref().is_none_or(|(b, _)| score < *b) {
                let breaks = std::iter::once(j).chain(breaks.iter().copied()).collect();
                best[i] = Some((score, breaks));
            }
        }
    }
    best[0].take().map(|(_, breaks)| breaks)
}

/// The lines of a body's name (or any short centred text in capitals or mixed case) in a
/// box `width` twips wide: the template's own breaks (line feeds) kept, and each part that
/// does not fit broken where a person would, into lines as even as the breaks allow.
pub(crate) fn name_lines(name: &str, style: TextStyle, width: u32) -> Vec<String> {
    let mut out = Vec::new();
    for part in name.split('\n').map(str::trim).filter(|p| !p.is_empty()) {
        let words: Vec<&str> = part.split_whitespace().collect();
        let costs = break_costs(&words);
        match best_split(&words, &costs, style, width) {
            Some(breaks) => {
                let mut start = 0;
                for end in breaks {
                    out.push(words[start..end].join(" "));
                    start = end;
                }
            }
            // Not even one word per line fits: one line, which the renderer wraps.
            None => out.push(words.join(" ")),
        }
    }
    out
}

/// The lines of the place and date line in a cell `width` twips wide: one line, or the
/// place with its comma over the date when both do not fit on one.
pub(crate) fn date_lines(line: &str, place: &str, style: TextStyle, width: u32) -> Vec<String> {
    if fonts::width(line, style) + SLACK <= width || place.is_empty() {
        return vec![line.to_string()];
    }
    match line
        .strip_prefix(place)
        .and_then(|rest| rest.strip_prefix(','))
    {
        Some(date) => vec![format!("{place},"), date.trim().to_string()],
        None => vec![line.to_string()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn style(size: u32, bold: bool) -> TextStyle {
        TextStyle {
            size,
            bold,
            italic: false,
            caps: true,
        }
    }

    fn check(name: &str, st: TextStyle, width: u32, want: &[&str]) {
        assert_eq!(name_lines(name, st, width), want, "{name} in {width}");
    }

    #[test]
    fn names_break_between_the_body_and_its_place() {
        // Party header: 14 pt in a 4036-twip cell.
        let (regular, bold) = (style(28, false), style(28, true));
        check(
            "HUYỆN ỦY MƯỜNG KHƯƠNG",
            bold,
            4036,
            &["HUYỆN ỦY", "MƯỜNG KHƯƠNG"],
        );
        check(
            "ĐẢNG BỘ TỈNH THÁI NGUYÊN",
            regular,
            3900,
            &["ĐẢNG BỘ", "TỈNH THÁI NGUYÊN"],
        );
        check(
            "ĐẢNG BỘ TỈNH THÁI NGUYÊN",
            regular,
            4036,
            &["ĐẢNG BỘ TỈNH THÁI NGUYÊN"],
        );
        check(
            "ỦY BAN NHÂN DÂN HUYỆN MƯỜNG KHƯƠNG",
            style(26, true),
            3384,
            &["ỦY BAN NHÂN DÂN", "HUYỆN MƯỜNG KHƯƠNG"],
        );
        check(
            "ĐẢNG ỦY ỦY BAN NHÂN DÂN TỈNH",
            bold,
            4036,
            &["ĐẢNG ỦY", "ỦY BAN NHÂN DÂN TỈNH"],
        );
        let place = fonts::width("THÀNH PHỐ HỒ CHÍ MINH", style(26, false));
        check(
            "UBND THÀNH PHỐ HỒ CHÍ MINH",
            style(26, false),
            place + 100,
            &["UBND", "THÀNH PHỐ HỒ CHÍ MINH"],
        );
        // A place that does not fit on one line is broken only then.
        check(
            "UBND THÀNH PHỐ HỒ CHÍ MINH",
            style(26, false),
            2000,
            &["UBND", "THÀNH PHỐ", "HỒ CHÍ MINH"],
        );
    }

    #[test]
    fn long_names_break_at_their_connectors() {
        let bold = style(26, true);
        let lines = name_lines("PHÒNG NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN", bold, 3384);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(
            lines[0].ends_with(" VÀ") || lines[1].starts_with("VÀ "),
            "{lines:?}"
        );
        let lines = name_lines("SỞ THÔNG TIN VÀ TRUYỀN THÔNG", bold, 3384);
        assert!(
            lines == ["SỞ THÔNG TIN VÀ", "TRUYỀN THÔNG"]
                || lines == ["SỞ THÔNG TIN", "VÀ TRUYỀN THÔNG"],
            "{lines:?}"
        );
    }

    #[test]
    fn titles_break_evenly_and_keep_places_and_numbers() {
        let bold = style(28, true);
        let lines = name_lines(
            "kết luận của Thường trực Huyện ủy tại buổi làm việc với Đảng ủy xã Pha Long",
            bold,
            9355,
        );
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[1].ends_with("xã Pha Long"), "{lines:?}");
        let lines = name_lines(
            "thực hiện Chỉ thị số 45-CT/TW ngày 20/6/2020 của Bộ Chính trị về lãnh đạo cuộc bầu cử đại biểu Quốc hội khóa XV",
            bold,
            9355,
        );
        for (a, b) in lines.iter().zip(lines.iter().skip(1)) {
            let last = a.split_whitespace().last().unwrap();
            let first = b.split_whitespace().next().unwrap();
            assert!(
                !["số", "ngày", "khóa"].contains(&last),
                "{last} / {first}: {lines:?}"
            );
        }
    }

    #[test]
    fn a_template_break_is_kept() {
        let bold = style(28, true);
        check(
            "ĐẢNG ỦY\nỦY BAN NHÂN DÂN TỈNH",
            bold,
            9000,
            &["ĐẢNG ỦY", "ỦY BAN NHÂN DÂN TỈNH"],
        );
    }

    #[test]
    fn the_date_line_breaks_after_the_place() {
        let italic = TextStyle {
            size: 28,
            bold: false,
            italic: true,
            caps: false,
        };
        let line = "Mường Khương, ngày 13 tháng 3 năm 2025";
        assert_eq!(
            date_lines(line, "Mường Khương", italic, 4887),
            ["Mường Khương,", "ngày 13 tháng 3 năm 2025"]
        );
        assert_eq!(date_lines(line, "Mường Khương", italic, 5539), [line]);
    }
}
