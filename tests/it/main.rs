//! Integration tests: one binary, one module per area.

mod cli;
mod decode;
mod render;
mod text;
