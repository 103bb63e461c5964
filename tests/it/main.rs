//! Integration tests: one binary, one module per area.

mod archive;
mod cli;
mod data;
mod decode;
mod docx_template;
mod extract;
mod hardening;
mod layout;
mod legacy;
mod obligations;
mod pdf;
mod pdf_read;
mod render;
mod robust;
mod text;
