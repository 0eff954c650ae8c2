//! Smoke test: the built-in example compiles.
#[test]
fn eco_packaging_compiles() {
    if let Err(e) = voronka::examples::eco_packaging() {
        panic!("{:#?}", e.diagnostics());
    }
}
