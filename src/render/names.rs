//! Output file names: a filled `--name` pattern made safe for every file system (no path
//! separators or traversal, no reserved characters or device names) and unique within a
//! batch.

use std::collections::HashSet;

const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// Makes `name` a safe file stem: `/ \ : * ? " < > |` and control characters become `-`,
/// leading dots and spaces go, runs of `-` collapse, at most 100 characters, Windows device
/// names get a `_`. Empty results become `fallback`.
pub fn safe_name(name: &str, fallback: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let c = if c.is_control()
            || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
        {
            '-'
        } else {
            c
        };
        if c == '-' && out.ends_with('-') {
            continue;
        }
        out.push(c);
    }
    let trimmed = out
        .trim_start_matches(['.', ' ', '-'])
        .trim_end_matches(['.', ' ', '-']);
    let mut s: String = trimmed.chars().take(100).collect();
    let s_trim = s.trim_end_matches(['.', ' ']).len();
    s.truncate(s_trim);
    if s.is_empty() {
        return fallback.to_string();
    }
    let stem = s.split('.').next().unwrap_or("").to_ascii_uppercase();
    if RESERVED.contains(&stem.as_str()) {
        s.insert(0, '_');
    }
    s
}

/// Hands out unique names: a repeat of `a` (compared without case) becomes `a-2`, `a-3`.
#[derive(Debug, Default)]
pub struct Unique {
    seen: HashSet<String>,
}

impl Unique {
    /// Returns `name`, or `name-N` for the first N that is still free.
    pub fn claim(&mut self, name: &str) -> String {
        let mut candidate = name.to_string();
        let mut n = 1;
        while !self.seen.insert(candidate.to_lowercase()) {
            n += 1;
            candidate = format!("{name}-{n}");
        }
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe() {
        let cases = [
            ("18-KH/TU", "18-KH-TU"),
            ("../../etc/passwd", "etc-passwd"),
            ("..", "x"),
            ("", "x"),
            ("a:b*c?d\"e<f>g|h", "a-b-c-d-e-f-g-h"),
            ("CON", "_CON"),
            ("nul.txt", "_nul.txt"),
            ("Kế hoạch số 15", "Kế hoạch số 15"),
            ("a\nb", "a-b"),
        ];
        for (input, want) in cases {
            assert_eq!(safe_name(input, "x"), want, "{input}");
        }
    }

    #[test]
    fn names_are_unique() {
        let mut u = Unique::default();
        assert_eq!(u.claim("a"), "a");
        assert_eq!(u.claim("A"), "A-2");
        assert_eq!(u.claim("a"), "a-3");
        assert_eq!(u.claim("b"), "b");
    }
}
