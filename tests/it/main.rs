//! Integration tests: one binary, one module per area.

mod cli;
mod decode;
mod extract;
mod render;
mod text;
