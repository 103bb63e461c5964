//! Integration tests: one binary, one module per area.

mod archive;
mod archive_pg;
mod cli;
mod data;
mod decode;
mod extract;
mod hardening;
mod legacy;
mod obligations;
mod pdf;
mod render;
mod robust;
mod text;
