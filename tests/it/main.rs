//! Integration tests: one binary, one module per area.

mod cli;
mod pdf;
mod render;
mod text;
