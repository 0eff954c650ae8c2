//! Integration tests of the voronka core: scenarios of the reference case (lead funnel L1–L7,
//! deal funnel D1–D14), compile errors, language-neutral conformance fixtures, property tests
//! and decoding of bad input. One test binary, several modules.

mod automation_deals;
mod automation_leads;
mod automation_policies;
mod automation_properties;
mod bad_inputs;
mod codes;
mod compile;
mod conformance;
mod deals;
mod decode;
mod decode_paths;
mod flow;
mod leads;
mod limits;
mod processes;
mod processes_more;
mod processes_properties;
mod properties;
mod requisites;
mod support;
