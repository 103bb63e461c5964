//! Vietnamese formatting rules: the date line, the leading-zero rule for numbers,
//! numbers in words, money, and upper/lower case. Pure functions; the template filters
//! and the layout step both use them.

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    /// Year, e.g. 2021.
    pub year: i32,
    /// Month, 1-12.
    pub month: u32,
    /// Day of the month, 1-31.
    pub day: u32,
}

impl Date {
    /// Parses `2021-01-14` (ISO, as data carries it), `14/01/2021`, `14/1/2021` or
    /// `14-01-2021`. `None` when it is not a valid calendar date.
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        // `2021-01-14T00:00:00`: keep the date part.
        let s = match s.as_bytes().get(10) {
            Some(b'T') => &s[..10],
            _ => s,
        };
        let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
        let [a, b, c] = parts.as_slice() else {
            return None;
        };
        let num = |x: &str| -> Option<i64> {
            (!x.is_empty() && x.len() <= 4 && x.bytes().all(|b| b.is_ascii_digit()))
                .then(|| x.parse().ok())
                .flatten()
        };
        let (y, m, d) = if a.len() == 4 {
            (num(a)?, num(b)?, num(c)?)
        } else if c.len() == 4 {
            (num(c)?, num(b)?, num(a)?)
        } else {
            return None;
        };
        let date = Date {
            year: i32::try_from(y).ok()?,
            month: u32::try_from(m).ok()?,
            day: u32::try_from(d).ok()?,
        };
        date.is_valid().then_some(date)
    }

    fn is_valid(&self) -> bool {
        let leap = (self.year % 4 == 0 && self.year % 100 != 0) || self.year % 400 == 0;
        let days = match self.month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return false,
        };
        self.year > 0 && (1..=days).contains(&self.day)
    }

    /// Day as printed: days below 10 get a leading zero (`05`).
    fn day_str(&self) -> String {
        format!("{:02}", self.day)
    }

    /// Month as printed: months 1 and 2 get a leading zero (`01`, `02`), 3-12 do not.
    fn month_str(&self) -> String {
        if self.month < 3 {
            format!("{:02}", self.month)
        } else {
            self.month.to_string()
        }
    }

    /// `ngày 14 tháng 01 năm 2021` (Decree 30 padding rule).
    pub fn words(&self) -> String {
        format!(
            "ngày {} tháng {} năm {}",
            self.day_str(),
            self.month_str(),
            self.year
        )
    }

    /// `14/01/2021`, `05/3/2020`: the numeric form with the same padding.
    pub fn numeric(&self) -> String {
        format!("{}/{}/{}", self.day_str(), self.month_str(), self.year)
    }
}

/// `Bắc Kạn, ngày 14 tháng 01 năm 2021`; without a place, just the date words.
pub fn date_line(place: &str, date: &Date) -> String {
    let place = place.trim();
    if place.is_empty() {
        date.words()
    } else {
        format!("{place}, {}", date.words())
    }
}

/// The leading-zero rule for document numbers: numbers below 10 get a `0` (`05`).
pub fn pad_number(n: i64) -> String {
    if (0..10).contains(&n) {
        format!("0{n}")
    } else {
        n.to_string()
    }
}

const DIGITS: [&str; 10] = [
    "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
];

/// Reads a group of three digits. `full` says a higher group precedes it, so leading
/// zeros are read (`không trăm linh năm`).
fn group_words(n: u64, full: bool, out: &mut Vec<&'static str>) {
    let (h, t, u) = (
        (n / 100) as usize,
        ((n / 10) % 10) as usize,
        (n % 10) as usize,
    );
    if h > 0 || full {
        out.extend([DIGITS[h], "trăm"]);
    }
    match t {
        0 if u > 0 && (h > 0 || full) => out.push("linh"),
        0 => {}
        1 => out.push("mười"),
        t => out.extend([DIGITS[t], "mươi"]),
    }
    match u {
        0 => {}
        1 if t >= 2 => out.push("mốt"),
        5 if t >= 1 => out.push("lăm"),
        u => out.push(DIGITS[u]),
    }
}

/// A number in Vietnamese words: 21 → `hai mươi mốt`, 105 → `một trăm linh năm`,
/// 1250000 → `một triệu hai trăm năm mươi nghìn`. Negative numbers get `âm`.
pub fn number_words(n: i64) -> String {
    if n == 0 {
        return "không".into();
    }
    let mut words: Vec<&'static str> = Vec::new();
    if n < 0 {
        words.push("âm");
    }
    let mut rest = n.unsigned_abs();
    // Groups of three digits, most significant first; units cycle nghìn, triệu, tỷ.
    let mut groups = Vec::new();
    while rest > 0 {
        groups.push(rest % 1000);
        rest /= 1000;
    }
    const UNITS: [&str; 4] = ["", "nghìn", "triệu", "tỷ"];
    let top = groups.len() - 1;
    for (i, &g) in groups.iter().enumerate().rev() {
        let higher = i < top;
        if g == 0 {
            // A zero group still names "tỷ" when it closes a billions cycle.
            if i % 3 == 0 && i > 0 && higher {
                words.push("tỷ");
            }
            continue;
        }
        group_words(g, higher, &mut words);
        let unit = if i == 0 {
            ""
        } else if i % 3 == 0 {
            "tỷ"
        } else {
            UNITS[i % 3]
        };
        if !unit.is_empty() {
            words.push(unit);
        }
    }
    words.join(" ")
}

/// Digits grouped with dots: 1250000 → `1.250.000`.
pub fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// Money: 1250000 → `1.250.000 đồng`.
pub fn money(n: i64) -> String {
    format!("{} đồng", group_thousands(n))
}

/// Vietnamese upper case (`Ủy ban` → `ỦY BAN`, `đ` → `Đ`).
pub fn upper(s: &str) -> String {
    s.to_uppercase()
}

/// Vietnamese lower case.
pub fn lower(s: &str) -> String {
    s.to_lowercase()
}

/// First letter in capitals, the rest unchanged (`hai mươi` → `Hai mươi`).
pub fn capitalize_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_line_follows_the_padding_rule() {
        let cases = [
            ("2020-03-05", "ngày 05 tháng 3 năm 2020"),
            ("2021-01-14", "ngày 14 tháng 01 năm 2021"),
            ("2018-02-20", "ngày 20 tháng 02 năm 2018"),
            ("2016-07-01", "ngày 01 tháng 7 năm 2016"),
            ("31/12/2016", "ngày 31 tháng 12 năm 2016"),
            ("5/3/2020", "ngày 05 tháng 3 năm 2020"),
        ];
        for (input, want) in cases {
            assert_eq!(Date::parse(input).unwrap().words(), want, "{input}");
        }
        let d = Date::parse("2021-01-14").unwrap();
        assert_eq!(
            date_line("Bắc Kạn", &d),
            "Bắc Kạn, ngày 14 tháng 01 năm 2021"
        );
        assert_eq!(d.numeric(), "14/01/2021");
        for bad in [
            "2021-02-30",
            "2021-13-01",
            "hôm nay",
            "",
            "14/01",
            "2021-1-1x",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn numbers_in_words() {
        let cases = [
            (0, "không"),
            (5, "năm"),
            (10, "mười"),
            (15, "mười lăm"),
            (21, "hai mươi mốt"),
            (24, "hai mươi bốn"),
            (25, "hai mươi lăm"),
            (105, "một trăm linh năm"),
            (110, "một trăm mười"),
            (1005, "một nghìn không trăm linh năm"),
            (1_250_000, "một triệu hai trăm năm mươi nghìn"),
            (2_000_000_000, "hai tỷ"),
            (-3, "âm ba"),
        ];
        for (n, want) in cases {
            assert_eq!(number_words(n), want, "{n}");
        }
    }

    #[test]
    fn money_pad_and_case() {
        assert_eq!(money(1_250_000), "1.250.000 đồng");
        assert_eq!(money(500), "500 đồng");
        assert_eq!(pad_number(5), "05");
        assert_eq!(pad_number(18), "18");
        assert_eq!(upper("Huyện ủy Chợ Đồn"), "HUYỆN ỦY CHỢ ĐỒN");
        assert_eq!(lower("ĐẢNG BỘ"), "đảng bộ");
        assert_eq!(capitalize_first("đồng"), "Đồng");
    }
}
