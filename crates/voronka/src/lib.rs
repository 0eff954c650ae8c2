//! # voronka
//!
//! Sales funnels and approval processes as pure functions over state.
//!
//! A company describes its funnels in a JSON [`Definition`]: entities (lead, deal, contact,
//! company, custom ones) with typed fields, pipelines of ordered stages, what each stage
//! requires, which moves are allowed and who may make them. [`Model::compile`] checks the
//! definition as a whole and reports every problem with its JSON path and a stable code.
//!
//! **This crate performs no I/O and never reads the clock**: the host stores records
//! wherever it likes, passes a record, a [`Command`] and `now`, and gets back the events that
//! happened and the new record. The protocol:
//!
//! 1. [`Model::decide`] checks the command against the record and returns the events, or a
//!    [`Rejection`] with a stable [`code`](Rejection::code), structured details and a
//!    message in English and Russian. Nothing changes on rejection.
//! 2. [`Record::evolve`] applies one event; it cannot fail. [`Record::replay`] rebuilds a
//!    record from its events exactly. The record is a snapshot of what is live: the host
//!    stores it and appends the events to a log of its own.
//! 3. [`Model::apply`] does both and returns an [`Outcome`].
//!
//! [`Model::requirements`] tells what entering a stage needs without trying, for a move
//! dialog. Records carry a `version` and commands may carry the version they expect and an
//! idempotency key, so a host can use compare-and-swap storage and retry safely.
//!
//! ```
//! use voronka::{Action, Actor, Command, ErrorCode, Model};
//!
//! let model = Model::from_json(voronka::examples::ECO_PACKAGING).unwrap();
//! let manager = Actor::new("u-anna", &["manager"]);
//! let now = "2026-11-27T09:00:00Z".parse().unwrap();
//! let command = |action| Command::new(manager.clone(), now, action);
//!
//! // A deal starts in "establish contact" (case: D1).
//! let created = model
//!     .apply(None, &command(Action::Create {
//!         id: "deal-1".into(),
//!         pipeline: "deals".into(),
//!         stage: None,
//!         responsible: Some("u-anna".into()),
//!         fields: Default::default(),
//!     }))
//!     .unwrap();
//! assert_eq!(created.record.stage, "contact");
//!
//! // The commercial offer stage needs company type, website and delivery address (case: D2).
//! let move_to_offer = command(Action::Move {
//!     to: "offer".into(),
//!     fields: Default::default(),
//!     override_reason: None,
//! });
//! let rejection = model.apply(Some(&created.record), &move_to_offer).unwrap_err();
//! assert_eq!(rejection.code(), ErrorCode::MissingFields);
//! println!("{}", rejection.message(voronka::Lang::Ru));
//! ```
//!
//! The definition format is described in [`definition`]; the canonical JSON forms of field
//! values in [`value`]; error codes in [`error`].

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod api;
pub mod automation;
mod calendar;
pub mod command;
pub mod decide;
pub mod definition;
pub mod effect;
mod engine;
pub mod error;
pub mod examples;
pub mod i18n;
pub mod limits;
pub mod model;
pub mod org;
pub mod record;
mod requisites;
mod scan;
#[cfg(feature = "schema")]
pub mod schema;
mod tagged;
mod template;
mod utc;
pub mod value;

/// The README's Rust example, compiled and run as a doc test.
#[doc = include_str!("../../../README.md")]
#[cfg(doctest)]
pub struct ReadmeExample;

pub use command::{Action, Actor, Command};
pub use decide::{Decision, Outcome, Requirements};
pub use definition::{Definition, FieldDef, FieldType};
pub use effect::Effect;
pub use engine::{TraceEntry, TraceKind, company_key, duplicate_keys};
pub use error::{
    DecodeError, DefinitionErrors, Diagnostic, Error, ErrorCode, ErrorReport, LoadError,
    MissingField, Rejection, decode_json,
};
pub use i18n::{Label, Lang};
pub use limits::Limits;
pub use model::{AllowedMove, Model};
pub use org::Org;
pub use record::{Change, Event, RecentKey, Record, Task, TaskStatus, Timer};
