//! Integration tests: one binary, one module per area.

mod cli;
mod extract;
mod render;
mod text;
