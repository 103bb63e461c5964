//! Integration tests: one binary over fixtures and the shared vectors.

mod text;
