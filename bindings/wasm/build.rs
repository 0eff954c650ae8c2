//! Writes the built-in eco-packaging definition without its indentation into `OUT_DIR`: the
//! module embeds that copy (about half the size of the readable file, the same JSON value).

use std::path::Path;
use std::{env, fs};

/// `text` without the whitespace between JSON tokens (whitespace inside strings is kept).
fn minify(text: &str) -> String {
    let mut out = String::with_capacity(text.len() / 2);
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if !c.is_ascii_whitespace() {
            in_string = c == '"';
            out.push(c);
        }
    }
    out
}

fn main() {
    let source =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../crates/voronka/data/eco-packaging.json");
    println!("cargo::rerun-if-changed={}", source.display());
    let text = fs::read_to_string(&source).expect("the eco-packaging definition is readable");
    let out =
        Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("eco-packaging.min.json");
    fs::write(out, minify(&text)).expect("OUT_DIR is writable");
}
