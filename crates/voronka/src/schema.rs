//! The JSON Schema of the definition format, generated from the Rust types.

use crate::definition::Definition;

/// The JSON Schema (draft 2020-12) of [`Definition`].
pub fn definition_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(Definition);
    schema.to_value()
}
