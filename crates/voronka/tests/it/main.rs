//! Integration tests of the voronka core: scenarios of the reference case (lead funnel L1–L7,
//! deal funnel D1–D14), compile errors, language-neutral conformance fixtures, property tests
//! and decoding of bad input. One test binary, several modules.

mod compile;
mod conformance;
mod deals;
mod decode;
mod leads;
mod processes;
mod properties;
mod support;
