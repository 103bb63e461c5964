//! Integration tests: one binary, one module per area.

mod cli;
mod obligations;
mod render;
mod text;
