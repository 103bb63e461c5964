//! PDF input (temporary stub on the h-sig branch: only the signature checker).

pub mod signature;
