//! Schemas of the engine's value types, from the engine's own lists and patterns, so that the
//! document accepts exactly what the server does (`schema_with` on the request types).

use motcua_engine::codes::{AGENCY_CODE_PATTERN, MAX_AGENCY_CODE_LEN, PROCEDURE_CODE_PATTERN};
use motcua_engine::definition::Channel;
use motcua_engine::lifecycle::State;
use utoipa::openapi::schema::{Object, ObjectBuilder, SchemaType, Type};

fn one_of(values: impl IntoIterator<Item = &'static str>, description: &str) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values.into_iter().collect::<Vec<_>>()))
        .description(Some(description))
        .build()
}

/// An agency's electronic identifier (`G22.26.01.01`).
pub fn agency_code() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(AGENCY_CODE_PATTERN))
        .max_length(Some(MAX_AGENCY_CODE_LEN))
        .description(Some("an agency's electronic identifier, e.g. G22.26.01.01"))
        .build()
}

/// A procedure code (`1.004227`, or with a local suffix).
pub fn procedure_code() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(PROCEDURE_CODE_PATTERN))
        .description(Some("a procedure code, e.g. 1.004227"))
        .build()
}

/// `schema`, or null.
fn or_null(schema: Object) -> Object {
    let mut schema = schema;
    schema.schema_type = SchemaType::from_iter([Type::String, Type::Null]);
    if let Some(values) = schema.enum_values.as_mut() {
        values.push(serde_json::Value::Null);
    }
    schema
}

/// [`agency_code`], or null.
pub fn agency_code_or_null() -> Object {
    or_null(agency_code())
}

/// [`channel`], or null (the token's channel).
pub fn channel_or_null() -> Object {
    or_null(channel())
}

/// Text of the previous system (an identifier, an old code): 1 to 200 characters, not all
/// blank, no control character.
pub fn source_text() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .max_length(Some(200))
        .pattern(Some(r"^(?=.*\S)[^\u0000-\u001F\u007F-\u009F]+$"))
        .build()
}

/// An `Idempotency-Key`: 1 to 200 printable ASCII characters.
pub fn idempotency_key() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .max_length(Some(crate::extract::MAX_IDEMPOTENCY_KEY))
        .pattern(Some("^[!-~]([ -~]*[!-~])?$"))
        .description(Some("a retry with the same key returns the same dossier"))
        .build()
}

/// An `If-Match` value: `*`, or one of the dossier's ETags (`"3"`, `W/"3"`).
pub fn if_match() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(crate::extract::IF_MATCH_PATTERN))
        .description(Some("the dossier's ETag, as the last answer gave it, or `*` for whichever version is current"))
        .build()
}

/// How a finished dossier compares with its due time, if finished.
pub fn timing_or_null() -> Object {
    or_null(one_of(
        motcua_engine::lifecycle::Timing::NAMES,
        "finished before the due day, on it, or after the due time",
    ))
}

/// A procedure's online service level.
pub fn online_level() -> Object {
    one_of(["full", "partial", "info"], "full (toàn trình), partial (một phần) or info (information only)")
}

/// A dossier state's name.
pub fn state_name() -> Object {
    one_of(State::NAMES, "a dossier state")
}

/// A channel a dossier arrives by.
pub fn channel() -> Object {
    one_of(Channel::ALL.iter().map(|c| c.as_str()), "online, counter or postal")
}

/// A kind of deadline alert.
pub fn alert_kind() -> Object {
    use crate::repository::alerts::AlertKind;
    one_of(AlertKind::ALL.iter().map(|k| k.as_str()), "overdue, near_deadline or unreceived")
}
