//! voronka wasm binding: lands with its issue.
