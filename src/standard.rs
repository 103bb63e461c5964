//! The two rule books of Vietnamese official documents, one [`Standard`] for what
//! extraction reads and what layout writes.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Which rule book a document follows: Nghị định 30/2020/NĐ-CP for the State's documents,
/// Hướng dẫn 36-HD/VPTW for the Party's.
///
/// Two spellings, each where it has always been: a record (`vanban extract`,
/// [`crate::extract::Document::standard`], [`crate::extract::Symbol::standard`]) writes
/// `state` or `party` (the serde names); templates, data and [`crate::document::Layout`]
/// write `nha-nuoc` or `dang` ([`Standard::as_str`], [`Standard::parse`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Standard {
    /// State documents, Nghị định 30/2020/NĐ-CP, and legal documents (VBQPPL): `state`,
    /// `nha-nuoc`.
    #[serde(rename = "state")]
    NhaNuoc,
    /// Party documents, Hướng dẫn 36-HD/VPTW, and the Youth Union's, which follow them:
    /// `party`, `dang`.
    #[serde(rename = "party")]
    Dang,
}

impl Standard {
    /// The name used in templates and data: `nha-nuoc` or `dang`.
    pub fn as_str(self) -> &'static str {
        match self {
            Standard::NhaNuoc => "nha-nuoc",
            Standard::Dang => "dang",
        }
    }

    /// Parses `nha-nuoc` / `dang` (also `nd30`, `hd36`); `None` for anything else.
    pub fn parse(s: &str) -> Option<Standard> {
        match s.trim().to_ascii_lowercase().as_str() {
            "nha-nuoc" | "nhanuoc" | "nha_nuoc" | "nd30" => Some(Standard::NhaNuoc),
            "dang" | "hd36" => Some(Standard::Dang),
            _ => None,
        }
    }
}

/// Serde for a [`Standard`] under its template name, `nha-nuoc` or `dang` (and only
/// those): `#[serde(with = "crate::standard::template_name")]`.
pub(crate) mod template_name {
    use super::*;

    /// Writes `standard` as `nha-nuoc` or `dang`.
    pub(crate) fn serialize<S: Serializer>(standard: &Standard, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(standard.as_str())
    }

    /// Reads `nha-nuoc` or `dang`.
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Standard, D::Error> {
        let name = std::borrow::Cow::<'de, str>::deserialize(d)?;
        match &*name {
            "nha-nuoc" => Ok(Standard::NhaNuoc),
            "dang" => Ok(Standard::Dang),
            other => Err(serde::de::Error::unknown_variant(
                other,
                &["nha-nuoc", "dang"],
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The template names as serde wrote them when the layout had its own enum.
    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    #[serde(rename_all = "kebab-case")]
    enum LayoutStandard {
        NhaNuoc,
        Dang,
    }

    #[derive(Serialize, Deserialize)]
    struct InLayout {
        #[serde(with = "template_name")]
        standard: Standard,
    }

    fn json<T: Serialize>(value: &T) -> String {
        serde_json::to_string(value).expect("serialises")
    }

    #[test]
    fn both_spellings_are_those_of_before() {
        for (standard, record, layout) in [
            (Standard::NhaNuoc, "state", LayoutStandard::NhaNuoc),
            (Standard::Dang, "party", LayoutStandard::Dang),
        ] {
            assert_eq!(json(&standard), format!("\"{record}\""));
            let before = format!("{{\"standard\":{}}}", json(&layout));
            assert_eq!(json(&InLayout { standard }), before);
            let back: InLayout = serde_json::from_str(&before).expect("reads back");
            assert_eq!(back.standard, standard);
            let back: Standard = serde_json::from_str(&json(&standard)).expect("reads back");
            assert_eq!(back, standard);
            assert_eq!(Standard::parse(standard.as_str()), Some(standard));
        }
        // serde takes its own names only, not the template reader's others
        assert!(serde_json::from_str::<InLayout>(r#"{"standard":"nd30"}"#).is_err());
        assert!(serde_json::from_str::<Standard>(r#""nha-nuoc""#).is_err());
    }
}
