//! The definition format: what a company writes (in JSON) to describe its funnels.
//!
//! A [`Definition`] is plain data, decoded strictly (unknown keys are errors) and checked as a
//! whole by [`Model::compile`](crate::Model::compile). The JSON Schema of this format is
//! committed as `crates/voronka/schema/definition.schema.json` and generated from these types.
//!
//! ```json
//! {
//!   "format": 1,
//!   "code": "shop",
//!   "label": { "en": "Shop", "ru": "Магазин" },
//!   "roles": [{ "code": "manager", "label": { "en": "Manager", "ru": "Менеджер" } }],
//!   "entities": [{
//!     "code": "deal", "kind": "deal", "label": { "en": "Deal", "ru": "Сделка" },
//!     "fields": [
//!       { "code": "website", "type": "url", "label": { "en": "Website", "ru": "Сайт" } },
//!       { "code": "kind", "type": "choice", "label": { "en": "Kind", "ru": "Тип" },
//!         "options": [{ "code": "retail", "label": { "en": "Retail", "ru": "Розница" } }],
//!         "other": { "code": "other", "label": { "en": "Other", "ru": "Другое" } } }
//!     ]
//!   }],
//!   "pipelines": [{
//!     "code": "sales", "entity": "deal", "label": { "en": "Sales", "ru": "Продажи" },
//!     "stages": [
//!       { "code": "new", "label": { "en": "New", "ru": "Новая" } },
//!       { "code": "offer", "label": { "en": "Offer", "ru": "КП" }, "requires": ["website", "kind"] },
//!       { "code": "won", "label": { "en": "Won", "ru": "Выиграна" }, "semantics": "won" }
//!     ],
//!     "moves": { "next": true, "previous": true }
//!   }]
//! }
//! ```

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::automation::{AutomationDef, CalendarDef, DocumentDef, EmailTemplateDef};
use crate::i18n::Label;

/// The version of the definition format this library reads.
pub const FORMAT_VERSION: u32 = 1;

/// A whole definition: roles, entities with their fields, and pipelines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Definition {
    /// Format version; must be [`FORMAT_VERSION`].
    pub format: u32,
    /// A stable identifier of this definition.
    pub code: String,
    /// Its name.
    pub label: Label,
    /// Roles actors may hold; permissions name them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<RoleDef>,
    /// Record types: lead, deal, contact, company and custom ones.
    pub entities: Vec<EntityDef>,
    /// Funnels: ordered stages of one entity each.
    pub pipelines: Vec<PipelineDef>,
    /// The working calendar for deadlines and business-day offsets.
    #[serde(default)]
    pub calendar: CalendarDef,
    /// E-mail templates the automations send.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub email_templates: Vec<EmailTemplateDef>,
    /// Documents the automations render.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<DocumentDef>,
    /// How leads arrive from inbound channels (L1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_capture: Option<LeadCaptureDef>,
}

/// How a lead captured from an inbound channel becomes a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LeadCaptureDef {
    /// The pipeline leads are created in.
    pub pipeline: String,
    /// The choice field recording the channel; channel codes are its options (unknown
    /// channels become "other" with the channel's name as text).
    pub source_field: String,
}

/// A role (manager, head, director, …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RoleDef {
    /// Stable code, e.g. `"manager"`.
    pub code: String,
    /// Its name.
    pub label: Label,
}

/// What an entity is, for the parts of the library that treat some kinds specially
/// (lead conversion creates a contact, a company and a deal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// An inbound lead.
    Lead,
    /// A deal.
    Deal,
    /// A person.
    Contact,
    /// An organisation.
    Company,
    /// Anything else the definition declares (payment request, leave request, …).
    Custom,
}

/// A record type with its fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EntityDef {
    /// Stable code, e.g. `"deal"`.
    pub code: String,
    /// What kind of entity this is.
    pub kind: EntityKind,
    /// Its name.
    pub label: Label,
    /// Its fields.
    #[serde(default)]
    pub fields: Vec<FieldDef>,
}

/// The type of a field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    /// One line of text.
    Text,
    /// Several lines of text.
    LongText,
    /// A whole number (`min`/`max` bound it).
    Integer,
    /// An exact decimal, written as a string (`"12.50"`) or a JSON integer.
    Decimal,
    /// An amount and a currency: `{"amount": "1250.00", "currency": "EUR"}`.
    Money,
    /// A decimal from 0 to 100.
    Percent,
    /// A calendar date, `"2026-11-27"`.
    Date,
    /// A moment, RFC 3339 (`"2026-11-27T10:00:00Z"`); stored in UTC.
    DateTime,
    /// `true` or `false`.
    YesNo,
    /// One option code (or several, with `multiple`), possibly "other" with free text.
    Choice,
    /// An e-mail address.
    Email,
    /// A phone number in international form; stored as `+` and digits.
    Phone,
    /// An `http` or `https` address.
    Url,
    /// A postal address: `{"country", "city", "street", "postal_code"?, "region"?}`.
    Address,
    /// A person's name: `{"last", "first", "middle"?}`.
    PersonName,
    /// A user id of the host's user directory.
    User,
    /// A file the host stores: `{"id", "name"}` (an array with `multiple`).
    File,
    /// Line items for documents: name, quantity, unit, price, VAT rate, weight.
    LineItems,
    /// A Russian taxpayer number (ИНН): 10 digits for a company, 12 for a person, with their
    /// check digits.
    Inn,
    /// A tax registration reason code (КПП): 9 characters, capital letters allowed in places 5–6.
    Kpp,
    /// A state registration number: ОГРН (13 digits) or ОГРНИП (15), with its check digit.
    Ogrn,
    /// A Russian bank identification code (БИК): 9 digits.
    Bik,
    /// A settlement account: 20 digits; with `bik_field`, its key is checked against that БИК.
    BankAccount,
    /// A correspondent account: 20 digits; with `bik_field`, its key is checked against that БИК.
    CorrAccount,
}

impl FieldType {
    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::LongText => "long_text",
            FieldType::Integer => "integer",
            FieldType::Decimal => "decimal",
            FieldType::Money => "money",
            FieldType::Percent => "percent",
            FieldType::Date => "date",
            FieldType::DateTime => "date_time",
            FieldType::YesNo => "yes_no",
            FieldType::Choice => "choice",
            FieldType::Email => "email",
            FieldType::Phone => "phone",
            FieldType::Url => "url",
            FieldType::Address => "address",
            FieldType::PersonName => "person_name",
            FieldType::User => "user",
            FieldType::File => "file",
            FieldType::LineItems => "line_items",
            FieldType::Inn => "inn",
            FieldType::Kpp => "kpp",
            FieldType::Ogrn => "ogrn",
            FieldType::Bik => "bik",
            FieldType::BankAccount => "bank_account",
            FieldType::CorrAccount => "corr_account",
        }
    }
}

/// A field of an entity. Attributes that do not apply to its type are reported by compile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    /// Stable code, e.g. `"website"`.
    pub code: String,
    /// Its name.
    pub label: Label,
    /// The type of its value.
    #[serde(rename = "type")]
    pub field_type: FieldType,
    /// Help text for people filling it in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<Label>,
    /// Choice: the options.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<ChoiceOption>,
    /// Choice: the "other" option, whose selection needs a free-text value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<ChoiceOption>,
    /// Choice and file: several values allowed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub multiple: bool,
    /// Integer, decimal, money: the least value allowed.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::definition::decimal_opt"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub min: Option<Decimal>,
    /// Integer, decimal, money: the greatest value allowed.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::definition::decimal_opt"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>"))]
    pub max: Option<Decimal>,
    /// Decimal and money: the most digits after the point (money defaults to 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<u32>,
    /// Text and long text: the most characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// Money: the ISO 4217 currencies allowed (any when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub currencies: Vec<String>,
    /// Roles that may edit this field; when absent, the pipeline's `edit` roles.
    /// An empty list means nobody may edit it by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub editable_by: Option<Vec<String>>,
    /// Bank and correspondent accounts: the БИК field of the same entity whose value the
    /// account's key digit must agree with (checked whenever either changes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bik_field: Option<String>,
}

/// An option of a choice field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    /// Stable code stored in records.
    pub code: String,
    /// Its name.
    pub label: Label,
}

/// Whether a stage is still in progress or closes the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Semantics {
    /// Work in progress.
    #[default]
    Open,
    /// Closed successfully.
    Won,
    /// Closed unsuccessfully.
    Lost,
}

/// A funnel: the ordered stages of one entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PipelineDef {
    /// Stable code, e.g. `"deals"`.
    pub code: String,
    /// The entity whose records move through it.
    pub entity: String,
    /// Its name.
    pub label: Label,
    /// Stages in order.
    pub stages: Vec<StageDef>,
    /// Which moves between stages are allowed.
    #[serde(default)]
    pub moves: MovesDef,
    /// Which roles may create, move, edit and override.
    #[serde(default)]
    pub permissions: PermissionsDef,
    /// Stage automations and other reactions of this pipeline.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub automations: Vec<AutomationDef>,
}

/// A stage of a pipeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct StageDef {
    /// Stable code, e.g. `"offer"`.
    pub code: String,
    /// Its name.
    pub label: Label,
    /// Open, won or lost.
    #[serde(default)]
    pub semantics: Semantics,
    /// A stage outside the main sequence (postponed, lost): `next` and `previous` skip it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub side: bool,
    /// Records may be created in this stage. When no stage says so, the first stage is.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub initial: bool,
    /// What must be filled to enter this stage.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<Requirement>,
    /// Only these roles may move a record into this stage (on top of the pipeline's `move`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enter_roles: Option<Vec<String>>,
    /// What happens here, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Label>,
}

crate::tagged::decoded_enum! {
(untagged), shadow = RequirementDe [remote = "Requirement"];
/// A requirement to enter a stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum Requirement {
    /// This field must be filled (and, for a choice on "other", its text too).
    Field(String),
    /// This field must be filled when the condition holds (always, without `when`).
    Conditional(ConditionalRequirement),
    /// At least one of these fields must be filled (when the condition holds).
    AnyOf(AnyOfRequirement),
}
}

/// `{"field": "reason", "when": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ConditionalRequirement {
    /// The field required.
    pub field: String,
    /// When it is required; always when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
}

/// `{"any_of": ["phone", "email"], "when": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AnyOfRequirement {
    /// The fields of which one must be filled.
    pub any_of: Vec<String>,
    /// When it is required; always when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
}

crate::tagged::decoded_enum! {
(untagged), shadow = ConditionDe [remote = "Condition", deny_unknown_fields];
/// A condition over a record's field values.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
// `deny_unknown_fields`: without it `{"field", "equals", "filled"}` would silently decode as
// `Filled` and drop `equals`.
#[serde(untagged, deny_unknown_fields)]
pub enum Condition {
    /// `{"field": "a", "filled": true}`: the field is (or is not) filled.
    Filled {
        /// The field.
        field: String,
        /// In an automation: the task whose form answer is meant (latest in the run).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        task: Option<String>,
        /// `true`: filled; `false`: empty.
        filled: bool,
    },
    /// `{"field": "a", "equals": V}`: the field's value equals V (for a choice: the option
    /// code is selected).
    Equals {
        /// The field.
        field: String,
        /// In an automation: the task whose form answer is meant (latest in the run).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        task: Option<String>,
        /// The value compared with.
        equals: Value,
    },
    /// `{"field": "a", "one_of": [V, W]}`: the field's value is one of these.
    OneOf {
        /// The field.
        field: String,
        /// In an automation: the task whose form answer is meant (latest in the run).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        task: Option<String>,
        /// The values compared with.
        one_of: Vec<Value>,
    },
    /// `{"all": [...]}`: every condition holds.
    All {
        /// The conditions.
        all: Vec<Condition>,
    },
    /// `{"any": [...]}`: at least one condition holds.
    Any {
        /// The conditions.
        any: Vec<Condition>,
    },
    /// `{"not": C}`: the condition does not hold.
    Not {
        /// The condition negated.
        not: Box<Condition>,
    },
}
}

/// Which moves between stages a pipeline allows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MovesDef {
    /// From an open stage of the main sequence to the next one (default `true`).
    #[serde(default = "yes")]
    pub next: bool,
    /// From an open stage of the main sequence back to the previous one.
    #[serde(default)]
    pub previous: bool,
    /// Named exceptions, e.g. negotiation → commercial offer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<MoveDef>,
    /// Stages every open stage may move to (postponed, lost).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub from_any_open: Vec<String>,
    /// Stages a record leaves by returning to the stage it came from (postponed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub return_from: Vec<String>,
}

fn yes() -> bool {
    true
}

impl Default for MovesDef {
    fn default() -> Self {
        MovesDef {
            next: true,
            previous: false,
            extra: Vec::new(),
            from_any_open: Vec::new(),
            return_from: Vec::new(),
        }
    }
}

/// One allowed move.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MoveDef {
    /// The stage moved from.
    pub from: String,
    /// The stage moved to.
    pub to: String,
}

/// Roles allowed to act on a pipeline's records. An absent list allows every actor;
/// an empty one allows none.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PermissionsDef {
    /// Who may create records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create: Option<Vec<String>>,
    /// Who may move records between stages.
    #[serde(default, rename = "move", skip_serializing_if = "Option::is_none")]
    pub move_: Option<Vec<String>>,
    /// Who may edit fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edit: Option<Vec<String>>,
    /// Who may move a record despite unmet requirements, giving a reason (nobody by default).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub override_requirements: Vec<String>,
    /// Who may complete any task of the pipeline's records, not only their own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub complete_any_task: Vec<String>,
}

/// Serde for optional decimals written as strings or JSON integers, never floats.
pub(crate) mod decimal_opt {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};
    use serde_json::Value;

    pub fn serialize<S: Serializer>(value: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(d) => s.serialize_str(&d.to_string()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        let value = Option::<Value>::deserialize(d)?;
        match value {
            None | Some(Value::Null) => Ok(None),
            Some(v) => crate::value::decimal_from_json(&v)
                .map(Some)
                .map_err(|_| D::Error::custom("expected a decimal as a string or an integer")),
        }
    }
}
