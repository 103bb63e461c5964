//! The regexes of extraction, each declared once through [`regexes!`], so that one test
//! (`every_regex_compiles_and_is_listed`) compiles every one of them: a bad pattern fails
//! there, not in a user's batch.

use regex::Regex;

/// Declares a module's regexes: each entry becomes a `static` [`LazyLock`] compiled on
/// first use (no work per call beyond the deref), and the block a function `regexes()`
/// (tests only) listing them all by name, compiled.
///
/// ```text
/// regexes! {
///     /// What it finds.
///     static LABEL = r"(?i)s[ốôo][ \t]*:?";
///     /// A pattern built from others: any expression giving a `String` or `&str`.
///     static LABEL_AT = format!("^(?:{})", LABEL.as_str());
///     /// A list (`[_]`): any expression giving an iterator of patterns.
///     static MARKER_AT: [_] = MARKERS.iter().map(|p| format!("^(?:{p})"));
/// }
/// ```
///
/// One block per module, its entries written `static NAME =` or `static NAME: [_] =` (a
/// form no other `static` has: the test counts them in the sources).
///
/// [`LazyLock`]: std::sync::LazyLock
macro_rules! regexes {
    ($(
        $(#[$attr:meta])*
        $vis:vis static $name:ident $(: [$list:tt])? = $pattern:expr;
    )*) => {
        $(
            $crate::extract::pattern::regexes!(@static $(#[$attr])* $vis $name $([$list])? = $pattern);
        )*

        /// The regexes this module declares, by name, each compiled.
        #[cfg(test)]
        pub(crate) fn regexes() -> Vec<(&'static str, &'static [regex::Regex])> {
            vec![$(
                (
                    stringify!($name),
                    $crate::extract::pattern::regexes!(@compiled $name $([$list])?),
                ),
            )*]
        }
    };
    (@static $(#[$attr:meta])* $vis:vis $name:ident = $pattern:expr) => {
        $(#[$attr])*
        $vis static $name: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            $crate::extract::pattern::compile(stringify!($name), &$pattern)
        });
    };
    (@static $(#[$attr:meta])* $vis:vis $name:ident [$list:tt] = $patterns:expr) => {
        $(#[$attr])*
        $vis static $name: std::sync::LazyLock<Vec<regex::Regex>> = std::sync::LazyLock::new(|| {
            $patterns
                .into_iter()
                .map(|p| $crate::extract::pattern::compile(stringify!($name), &p))
                .collect()
        });
    };
    (@compiled $name:ident) => {
        std::slice::from_ref(&*$name)
    };
    (@compiled $name:ident [$list:tt]) => {
        &$name[..]
    };
}

pub(crate) use regexes;

/// Compiles one of the crate's own patterns (`name` is its static's). They are literals
/// or built from literals, and the test below compiles each: this never fails on input.
pub(crate) fn compile(name: &str, pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("the pattern of {name} does not compile: {e}"))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::{dates, header, obligations, refs, symbol, terms};

    /// Every block's regexes: a module with a block must be here, or the count in
    /// `every_regex_compiles_and_is_listed` differs.
    fn declared() -> Vec<(&'static str, &'static [regex::Regex])> {
        [
            dates::regexes(),
            header::regexes(),
            refs::regexes(),
            symbol::regexes(),
            terms::regexes(),
            obligations::segment_regexes(),
            obligations::deadline_regexes(),
            obligations::table_regexes(),
        ]
        .concat()
    }

    /// Each `.rs` file under `dir`, with its text up to its test module.
    fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).expect("a source folder") {
            let path = entry.expect("a source entry").path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("a source file");
                let code = text.split("\n#[cfg(test)]\nmod tests").next().unwrap_or("");
                out.push((path.display().to_string(), code.to_string()));
            }
        }
    }

    /// Whether `line` declares an entry of a [`regexes!`] block: `static NAME =` or
    /// `static NAME: [_] =`, with a visibility or not.
    fn is_entry(line: &str) -> bool {
        let t = line.trim_start();
        let t = match t.strip_prefix("pub") {
            Some(rest) => rest.trim_start_matches(|c: char| c != ' ').trim_start(),
            None => t,
        };
        let Some(rest) = t.strip_prefix("static ") else {
            return false;
        };
        let name_len = rest
            .find(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
            .unwrap_or(rest.len());
        let after = &rest[name_len..];
        name_len > 0 && (after.starts_with(" =") || after.starts_with(": [_] ="))
    }

    #[test]
    fn every_regex_compiles_and_is_listed() {
        // (compiling happens here: a bad pattern panics naming its static)
        let declared = declared();
        assert!(declared.iter().all(|(_, compiled)| !compiled.is_empty()));

        let mut files = Vec::new();
        sources(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut files,
        );
        let entries: usize = files
            .iter()
            .map(|(_, code)| code.lines().filter(|l| is_entry(l)).count())
            .sum();
        assert_eq!(
            declared.len(),
            entries,
            "regexes declared in the sources and listed by the blocks here"
        );
        // no regex of extraction made outside a block (this file's macro and helper aside;
        // the CLI's benchmark builds one of its own and reports a bad one as an error)
        for (path, code) in &files {
            if !path.contains("/src/extract/") || path.ends_with("extract/pattern.rs") {
                continue;
            }
            // (`Regex>`: a `LazyLock<Regex>`, `OnceLock<regex::Regex>`, `Vec<Regex>` …)
            for needle in ["Regex::new(", "RegexBuilder", "Regex>"] {
                assert!(
                    !code.contains(needle),
                    "{path}: {needle} outside a regexes! block"
                );
            }
        }
    }

    #[test]
    fn entries_are_told_from_other_statics() {
        for line in [
            "static LABEL = r\"x\";",
            "    pub(crate) static A_1 = format!(\"{X}\");",
            "static MARKER_AT: [_] = MARKERS.iter();",
        ] {
            assert!(is_entry(line), "{line}");
        }
        for line in [
            "static LABEL: LazyLock<Regex> = x;",
            "static KINDS_UPPER: LazyLock<Vec<(&'static str, String)>> =",
            "let x = 1;",
            "static = 1;",
        ] {
            assert!(!is_entry(line), "{line}");
        }
    }
}
