//! Extraction: what a document says. (Obligations only on this branch; the Record, dates
//! and references come with the extraction helper's branch.)

pub mod obligations;
