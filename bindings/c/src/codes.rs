//! The table behind `voronka_error_name` and `voronka_error_message`: every stable code of the
//! core and of the binding, as static NUL-terminated strings.

use std::ffi::CStr;

/// One code: its number, its stable snake_case name and a short English message.
pub(crate) struct CodeInfo {
    pub(crate) code: u32,
    pub(crate) name: &'static CStr,
    pub(crate) message: &'static CStr,
}

const fn c(code: u32, name: &'static CStr, message: &'static CStr) -> CodeInfo {
    CodeInfo {
        code,
        name,
        message,
    }
}

/// Every code, in increasing order.
pub(crate) static CODES: &[CodeInfo] = &[
    c(0, c"ok", c"Success"),
    // 1xxx: decoding JSON.
    c(
        1001,
        c"malformed_json",
        c"The input is not well-formed JSON",
    ),
    c(
        1002,
        c"invalid_shape",
        c"The JSON is well-formed but does not have the expected shape",
    ),
    c(1003, c"input_too_large", c"The input exceeds a size limit"),
    c(
        1004,
        c"nesting_too_deep",
        c"The input nests arrays and objects deeper than allowed",
    ),
    // 2xxx: problems of a definition.
    c(
        2001,
        c"unsupported_format",
        c"The definition's format version is not supported",
    ),
    c(
        2002,
        c"invalid_code",
        c"A code is not a lowercase identifier",
    ),
    c(2003, c"duplicate_code", c"Two items share a code"),
    c(2004, c"empty_label", c"A label is empty"),
    c(
        2005,
        c"unknown_entity",
        c"A pipeline names an unknown entity",
    ),
    c(
        2006,
        c"unknown_field",
        c"A requirement or condition names an unknown field",
    ),
    c(2007, c"unknown_stage", c"A move names an unknown stage"),
    c(2008, c"unknown_role", c"A permission names an unknown role"),
    c(
        2009,
        c"unreachable_stage",
        c"No allowed move leads to this stage",
    ),
    c(2010, c"no_won_stage", c"A pipeline has no won stage"),
    c(
        2011,
        c"never_fillable",
        c"A stage requires a field nobody may fill",
    ),
    c(2012, c"no_stages", c"A pipeline has no stages"),
    c(
        2013,
        c"initial_stage_closed",
        c"Records would be created in a closed stage",
    ),
    c(
        2014,
        c"attribute_not_applicable",
        c"A field attribute does not apply to the field's type",
    ),
    c(2015, c"empty_choice", c"A choice field has no options"),
    c(
        2016,
        c"invalid_condition_value",
        c"A condition compares a field with a value it can never have",
    ),
    c(
        2017,
        c"invalid_bounds",
        c"A field's min is greater than its max",
    ),
    c(2018, c"too_many", c"A limit of the definition is exceeded"),
    c(
        2019,
        c"duplicate_kind",
        c"Two entities claim the same built-in kind",
    ),
    c(
        2020,
        c"invalid_currency",
        c"A currency is not an ISO 4217 code",
    ),
    c(
        2021,
        c"invalid_move",
        c"A move is contradictory (to itself, or a return from a closed stage)",
    ),
    c(
        2022,
        c"unknown_task",
        c"A condition or wait names a task the automation does not have",
    ),
    c(
        2023,
        c"unknown_reference",
        c"An automation names an unknown e-mail template, document or other item",
    ),
    c(2024, c"invalid_template", c"A template does not parse"),
    c(2025, c"invalid_activity", c"An activity is malformed"),
    c(2026, c"invalid_calendar", c"The calendar is malformed"),
    c(2027, c"unreachable_activity", c"An activity can never run"),
    c(
        2028,
        c"loop_without_wait",
        c"A loop whose body never waits: it has no exit but its round limit",
    ),
    // 3xxx: rejected commands.
    c(
        3001,
        c"missing_fields",
        c"Fields are missing to enter the stage",
    ),
    c(3002, c"invalid_values", c"Some values are invalid"),
    c(
        3003,
        c"transition_not_allowed",
        c"This move between stages is not allowed",
    ),
    c(3004, c"not_permitted", c"The actor may not do this"),
    c(
        3005,
        c"stale_version",
        c"The record changed since the command was built",
    ),
    c(
        3006,
        c"duplicate_command",
        c"A command with this idempotency key was already applied",
    ),
    c(
        3007,
        c"unknown_stage_in_command",
        c"The command names a stage the pipeline does not have",
    ),
    c(
        3008,
        c"unknown_fields_in_command",
        c"The command names fields the entity does not have",
    ),
    c(
        3009,
        c"record_exists",
        c"A record with this id already exists",
    ),
    c(
        3010,
        c"record_missing",
        c"The command needs a record and none was given",
    ),
    c(
        3011,
        c"unknown_pipeline",
        c"The command or record names a pipeline the model does not have",
    ),
    c(
        3012,
        c"clock_went_back",
        c"The command's now is earlier than the record's last change",
    ),
    c(
        3013,
        c"already_in_stage",
        c"The record is already in that stage",
    ),
    c(
        3014,
        c"would_break_requirements",
        c"The change would empty a field the current stage requires",
    ),
    c(3015, c"invalid_command", c"The command itself is malformed"),
    c(
        3016,
        c"unknown_task_in_command",
        c"The record has no task with this id",
    ),
    c(
        3017,
        c"task_closed",
        c"The task is already done or cancelled",
    ),
    c(
        3018,
        c"missing_answers",
        c"Required answers of a task's form are missing",
    ),
    c(3019, c"invalid_answers", c"Some answers are invalid"),
    c(
        3020,
        c"checklist_incomplete",
        c"Required checklist items are not checked",
    ),
    c(
        3021,
        c"nothing_to_resolve",
        c"No conversion is waiting for a duplicate look-up",
    ),
    c(
        3022,
        c"automation_limit",
        c"A command would run more automation steps than allowed",
    ),
    c(
        3023,
        c"limit_exceeded",
        c"A command exceeds a limit of the model (a value's length, events, timers per tick)",
    ),
    // 31xx: why a field value is invalid (found in the details of 3002 and 3019).
    c(3101, c"wrong_type", c"The JSON type is wrong"),
    c(3102, c"too_long", c"Longer than allowed"),
    c(3103, c"out_of_range", c"Outside the allowed range"),
    c(
        3104,
        c"too_precise",
        c"More digits after the point than allowed",
    ),
    c(3105, c"invalid_decimal", c"Not a decimal number"),
    c(
        3106,
        c"float_not_allowed",
        c"A JSON number with a fraction: decimals are written as strings",
    ),
    c(3107, c"invalid_date", c"Not a valid date (YYYY-MM-DD)"),
    c(
        3108,
        c"invalid_date_time",
        c"Not a valid RFC 3339 date and time",
    ),
    c(3109, c"invalid_email", c"Not a valid e-mail address"),
    c(
        3110,
        c"invalid_phone",
        c"Not a valid international phone number",
    ),
    c(3111, c"invalid_url", c"Not a valid http(s) address"),
    c(3112, c"unknown_option", c"Not one of the options"),
    c(
        3113,
        c"other_text_not_allowed",
        c"Free text given with an option other than \"other\"",
    ),
    c(
        3114,
        c"not_multiple",
        c"Several values for a single-value field",
    ),
    c(3115, c"duplicate_option", c"The same option twice"),
    c(
        3116,
        c"invalid_currency",
        c"Not a three-letter currency code",
    ),
    c(
        3117,
        c"currency_not_allowed",
        c"A currency the field does not allow",
    ),
    c(
        3118,
        c"missing_part",
        c"A required part of a structured value is missing or empty",
    ),
    c(
        3119,
        c"unknown_part",
        c"A part that the value's type does not have",
    ),
    c(3120, c"empty", c"The value is empty"),
    // 5xxx: documents (voronka-docs).
    c(
        5001,
        c"unknown_template",
        c"No bundled document has this code",
    ),
    c(
        5002,
        c"template_error",
        c"The template does not compile (file, line and column in the report)",
    ),
    c(5003, c"invalid_data", c"The data does not fit the document"),
    c(
        5004,
        c"amount_out_of_range",
        c"An amount cannot be written in words",
    ),
    c(
        5005,
        c"invalid_number_format",
        c"A document number format is malformed",
    ),
    c(5006, c"page_out_of_range", c"The document has no such page"),
    c(5007, c"export_failed", c"Writing the PDF or PNG failed"),
    c(
        5008,
        c"missing_record_field",
        c"A record field the document needs is empty",
    ),
    // 9xxx: the C binding.
    c(
        9001,
        c"null_pointer",
        c"A required pointer argument is NULL",
    ),
    c(9002, c"invalid_utf8", c"An input is not valid UTF-8"),
    c(
        9003,
        c"panic",
        c"The library panicked; the call had no effect (please report it)",
    ),
    c(
        9004,
        c"bad_handle",
        c"The handle is not a live handle of this library (freed, or never created)",
    ),
    c(
        9005,
        c"invalid_argument",
        c"An argument is out of range (an unknown language, a time that is not RFC 3339)",
    ),
    c(
        9006,
        c"unsupported",
        c"The library was built without this feature",
    ),
];

/// The entry for `code`, if the library knows it.
pub(crate) fn lookup(code: u32) -> Option<&'static CodeInfo> {
    CODES
        .binary_search_by_key(&code, |info| info.code)
        .ok()
        .map(|i| &CODES[i])
}
