//! Integration tests: one binary, one module per area.

mod cli;
mod legacy;
mod render;
mod text;
