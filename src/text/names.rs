//! Names of bodies written as running text: `UBND HUYỆN CHỢ ĐỒN` (a header line, in
//! capitals) → `Ủy ban nhân dân huyện Chợ Đồn`, by the capitalisation rules of Decree 30,
//! Appendix II: the first letter of the name, of each word of a place name, and of the
//! first word of each field of work (`Bộ Tài nguyên và Môi trường`).

/// Abbreviations written out in running text.
const EXPANSIONS: &[(&str, &str)] = &[
    ("ubnd", "ủy ban nhân dân"),
    ("hđnd", "hội đồng nhân dân"),
    ("mttq", "mặt trận tổ quốc"),
];

/// Words after which a place name follows: each of its words is capitalised.
const PLACE_LEVELS: &[&str] = &[
    "tỉnh",
    "thành phố",
    "huyện",
    "quận",
    "thị xã",
    "xã",
    "phường",
    "thị trấn",
    "huyện ủy",
    "tỉnh ủy",
    "thành ủy",
    "quận ủy",
    "thị ủy",
    "đảng ủy",
];

/// Kinds of body followed by a field of work, whose first word is capitalised (and the
/// first word after `và`): `Bộ Tài nguyên và Môi trường`, `Sở Giáo dục và Đào tạo`.
const FIELD_BODIES: &[&str] = &[
    "bộ",
    "sở",
    "tổng cục",
    "cục",
    "chi cục",
    "vụ",
    "ban",
    "phòng",
    "viện",
    "trung tâm",
    "ủy ban",
];

/// Names of bodies written as they are, in lower case after their first letter.
const FIXED: &[&str] = &["ủy ban nhân dân", "hội đồng nhân dân"];

/// Fields written with every word capitalised by custom (`Sở Công Thương`).
const FIELDS_ALL_CAPITALISED: &[&str] = &["công thương", "nội vụ"];

/// Parts of a Party committee's name written with a capital: `Ban Thường vụ Huyện ủy`.
const PARTY_UNITS: &[&str] = &[
    "huyện ủy",
    "tỉnh ủy",
    "thành ủy",
    "quận ủy",
    "thị ủy",
    "đảng ủy",
];

/// The name of a body as written in running text, from the form it has in a header
/// (often in capitals). Text already in mixed case is returned as it is.
pub fn body_name(name: &str) -> String {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.chars().any(char::is_lowercase) {
        return name;
    }
    let mut lower = name.to_lowercase();
    for (short, long) in EXPANSIONS {
        lower = lower
            .split(' ')
            .map(|w| if w == *short { *long } else { w })
            .collect::<Vec<_>>()
            .join(" ");
    }
    let words: Vec<&str> = lower.split(' ').collect();
    let mut caps = vec![false; words.len()];
    if !caps.is_empty() {
        caps[0] = true;
    }
    let starts = |k: usize, phrase: &str| {
        let parts: Vec<&str> = phrase.split(' ').collect();
        words.get(k..k + parts.len()) == Some(parts.as_slice())
    };
    let mut k = 0;
    while k < words.len() {
        let level = PLACE_LEVELS
            .iter()
            .filter(|p| starts(k, p))
            .max_by_key(|p| p.len());
        if let Some(level) = level {
            let after = k + level.split(' ').count();
            if PARTY_UNITS.contains(level) && k > 0 {
                caps[k] = true;
            }
            // A place name runs to the end of the name.
            if after < words.len() && !FIELD_BODIES.iter().any(|b| starts(after, b)) {
                caps[after..].iter_mut().for_each(|c| *c = true);
                break;
            }
            k = after;
            continue;
        }
        if let Some(fixed) = FIXED.iter().find(|f| starts(k, f)) {
            k += fixed.split(' ').count();
            continue;
        }
        if let Some(body) = FIELD_BODIES.iter().find(|b| starts(k, b)) {
            let after = k + body.split(' ').count();
            if after < words.len() {
                caps[k] = true;
                caps[after] = true;
                if let Some(field) = FIELDS_ALL_CAPITALISED.iter().find(|f| starts(after, f)) {
                    let n = field.split(' ').count();
                    caps[after..after + n].iter_mut().for_each(|c| *c = true);
                }
                // `… và Môi trường`: the first word of the next field too.
                let mut j = after;
                while j < words.len() && !PLACE_LEVELS.iter().any(|p| starts(j, p)) {
                    if words[j] == "và" && j + 1 < words.len() {
                        caps[j + 1] = true;
                    }
                    j += 1;
                }
                // The field's own words are not kinds of body (`Ban Thường vụ`).
                k = j;
                continue;
            }
            k = after;
            continue;
        }
        k += 1;
    }
    words
        .iter()
        .zip(caps)
        .map(|(w, cap)| if cap { capitalise(w) } else { (*w).to_string() })
        .collect::<Vec<_>>()
        .join(" ")
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::body_name;

    #[test]
    fn header_names_become_running_text() {
        for (header, text) in [
            ("UBND HUYỆN CHỢ ĐỒN", "Ủy ban nhân dân huyện Chợ Đồn"),
            (
                "ỦY BAN NHÂN DÂN TỈNH LÀO CAI",
                "Ủy ban nhân dân tỉnh Lào Cai",
            ),
            ("BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG", "Bộ Tài nguyên và Môi trường"),
            ("SỞ CÔNG THƯƠNG TỈNH LÀO CAI", "Sở Công Thương tỉnh Lào Cai"),
            ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Sở Giáo dục và Đào tạo"),
            ("HUYỆN ỦY PHÚ LƯƠNG", "Huyện ủy Phú Lương"),
            ("BAN THƯỜNG VỤ HUYỆN ỦY", "Ban Thường vụ Huyện ủy"),
            ("VĂN PHÒNG", "Văn phòng"),
            ("Văn phòng Chính phủ", "Văn phòng Chính phủ"),
        ] {
            assert_eq!(body_name(header), text, "{header}");
        }
    }
}
