//! The built-in eco-packaging example: the reference case's lead and deal funnels as data.
//!
//! The same file is `examples/eco-packaging/definition.json` in the repository.

use crate::error::LoadError;
use crate::model::Model;

/// The eco-packaging definition as JSON: lead funnel L1–L7 and deal funnel D1–D14.
pub const ECO_PACKAGING: &str = include_str!("../data/eco-packaging.json");

/// The eco-packaging definition compiled into a model, ready for commands.
pub fn eco_packaging() -> Result<Model, LoadError> {
    Model::from_json(ECO_PACKAGING)
}
