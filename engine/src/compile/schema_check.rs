//! Validation against procedure.schema.json, with each violation located in the YAML.

use super::report::Report;
use crate::definition::located::pointer_tokens;
use crate::diagnostic::Code;
use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

/// The definition format, embedded so the engine needs no file to validate a definition.
pub const PROCEDURE_SCHEMA: &str = include_str!("../../../schemas/procedure.schema.json");

/// Builds the validator for the definition format.
pub(crate) fn procedure_validator() -> Result<jsonschema::Validator, String> {
    let schema: Value = serde_json::from_str(PROCEDURE_SCHEMA).map_err(|e| e.to_string())?;
    jsonschema::options().build(&schema).map_err(|e| e.to_string())
}

/// Reports every violation of the definition format; the unknown keys found, as the pointer
/// of their object and the key, so that the rest of the file can still be checked without them.
pub(crate) fn check(
    validator: &jsonschema::Validator,
    document: &Value,
    report: &mut Report<'_>,
) -> Vec<(String, String)> {
    let mut unknown_keys = Vec::new();
    for error in validator.iter_errors(document) {
        let pointer = error.instance_path().as_str().to_owned();
        let field = pointer_tokens(&pointer).last().unwrap_or_else(|| "document".to_owned());
        match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let known = super::suggest::format_keys();
                for key in unexpected {
                    unknown_keys.push((pointer.clone(), key.clone()));
                    let at = report
                        .root
                        .and_then(|root| locate_node(root, &pointer))
                        .and_then(|node| node.key_position(key))
                        .unwrap_or_else(|| report.locate(&pointer));
                    report.error_at(
                        at,
                        &format!("{pointer}/{key}"),
                        Code::UnknownKey,
                        format!("unknown key `{key}`"),
                        format!(
                            "{}remove it or check its spelling; the format is schemas/procedure.schema.json",
                            super::suggest::did_you_mean(key, known.iter().map(String::as_str))
                        ),
                    );
                }
            }
            ValidationErrorKind::Required { property } => {
                let key = property.as_str().unwrap_or_default();
                let place =
                    if pointer.is_empty() { "the definition".to_owned() } else { format!("`{}`", &pointer[1..]) };
                report.error(
                    &pointer,
                    Code::MissingKey,
                    format!("missing required key `{key}` in {place}"),
                    format!("add `{key}:`"),
                );
            }
            ValidationErrorKind::Type { .. } => {
                // `yes`, `no`, `on`, `off` are text in YAML 1.2, as editors read them too.
                let yaml_1_1 = error.instance().as_str().is_some_and(|text| {
                    ["yes", "no", "on", "off", "y", "n"].contains(&text.to_ascii_lowercase().as_str())
                });
                let help = yaml_1_1.then(|| "write `true` or `false`: `yes`/`no` are text in YAML 1.2".to_owned());
                report.error(&pointer, Code::WrongType, format!("`{field}`: {error}"), help);
            }
            ValidationErrorKind::MaxLength { limit } => report.error(
                &pointer,
                Code::TooLong,
                format!("`{field}` is longer than {limit} characters"),
                "shorten it; long texts belong in the legal documents the definition cites".to_owned(),
            ),
            ValidationErrorKind::MaxItems { limit } => {
                report.error(&pointer, Code::TooLong, format!("`{field}` has more than {limit} items"), None);
            }
            ValidationErrorKind::OneOfNotValid { .. } | ValidationErrorKind::OneOfMultipleValid { .. } => {
                report.error(&pointer, Code::InvalidValue, one_of_message(&pointer, &field), None);
            }
            ValidationErrorKind::Enum { .. } if is_step_role(&pointer) => {
                let (message, help) = super::suggest::unknown_role(error.instance().as_str().unwrap_or_default());
                report.error(&pointer, Code::UnknownRole, message, help);
            }
            ValidationErrorKind::Enum { .. }
            | ValidationErrorKind::Pattern { .. }
            | ValidationErrorKind::Minimum { .. }
            | ValidationErrorKind::Maximum { .. }
            | ValidationErrorKind::MinLength { .. }
            | ValidationErrorKind::MinItems { .. }
            | ValidationErrorKind::UniqueItems
            | ValidationErrorKind::Constant { .. } => {
                report.error(&pointer, Code::InvalidValue, format!("`{field}`: {error}"), None);
            }
            _ => report.error(&pointer, Code::SchemaViolation, format!("`{field}`: {error}"), None),
        }
    }
    unknown_keys
}

/// `/steps/N/role`.
fn is_step_role(pointer: &str) -> bool {
    let tokens: Vec<String> = pointer_tokens(pointer).collect();
    matches!(tokens.as_slice(), [steps, _, role] if steps == "steps" && role == "role")
}

fn locate_node<'n>(root: &'n crate::definition::Node, pointer: &str) -> Option<&'n crate::definition::Node> {
    pointer_tokens(pointer).try_fold(root, |node, token| node.child(&token))
}

/// `oneOf` messages name the alternatives in the format's own words.
fn one_of_message(pointer: &str, field: &str) -> String {
    if pointer.ends_with("/processing_time") || field == "processing_time" {
        "`processing_time` needs exactly one unit: `working_days`, `working_hours`, `calendar_days` or `same_day`"
            .to_owned()
    } else if field == "fee" {
        "`fee` needs exactly one of `amount` (VND) or `rule`".to_owned()
    } else if field == "schema" {
        "a form `schema` is a path like `forms/x.schema.json` or an inline JSON Schema object".to_owned()
    } else {
        format!("`{field}` matches none or several of its allowed shapes")
    }
}
