//! The responses every operation may give by the server's conventions, added to each
//! operation here instead of repeated in every route's annotation: 400 for a malformed query,
//! header or body, 401 and 403 for a secured one, 404 under a path with a code, 413 and 415
//! for a body, 500 and 503 for the server's own failures. Each names its problem codes and
//! headers (`WWW-Authenticate`, `Retry-After`); a route's own description of a status wins.

use crate::error::ErrorCode;
use serde_json::{Map, Value, json};

/// A shared response: its component name, HTTP status, the codes it carries and its headers.
struct Common {
    name: &'static str,
    status: &'static str,
    codes: &'static [ErrorCode],
    what: &'static str,
    headers: &'static [(&'static str, &'static str)],
}

const WWW_AUTHENTICATE: (&str, &str) =
    ("WWW-Authenticate", "`Bearer realm=\"motcua\"`: the scheme to authenticate with");
const RETRY_AFTER: (&str, &str) = ("Retry-After", "seconds to wait before trying again");

const COMMON: [Common; 9] = [
    Common {
        name: "BadRequest",
        status: "400",
        codes: &[ErrorCode::InvalidQuery, ErrorCode::InvalidBody],
        what: "a query, header or body the route cannot read",
        headers: &[],
    },
    Common {
        name: "Unauthorized",
        status: "401",
        codes: &[ErrorCode::Unauthorized],
        what: "no token, or an unknown, expired or revoked one",
        headers: &[WWW_AUTHENTICATE],
    },
    Common {
        name: "Forbidden",
        status: "403",
        codes: &[ErrorCode::Forbidden, ErrorCode::NotOwner, ErrorCode::ChannelNotAllowed],
        what: "the token's role, agency or channels do not allow this",
        headers: &[],
    },
    Common {
        name: "NotFound",
        status: "404",
        codes: &[ErrorCode::NotFound],
        what: "nothing of that code, or nothing the token may see",
        headers: &[],
    },
    Common {
        name: "PayloadTooLarge",
        status: "413",
        codes: &[ErrorCode::PayloadTooLarge],
        what: "a body over the route's limit",
        headers: &[],
    },
    Common {
        name: "UnsupportedMediaType",
        status: "415",
        codes: &[ErrorCode::UnsupportedMediaType],
        what: "a body of another content type than the route reads",
        headers: &[],
    },
    Common {
        name: "TooManyRequests",
        status: "429",
        codes: &[ErrorCode::TooManyRequests],
        what: "too many anonymous lookups from this address",
        headers: &[RETRY_AFTER],
    },
    Common {
        name: "Internal",
        status: "500",
        codes: &[ErrorCode::Internal, ErrorCode::RuleFailed],
        what: "the server failed, or a rule of the procedure did",
        headers: &[],
    },
    Common {
        name: "Unavailable",
        status: "503",
        codes: &[ErrorCode::Database],
        what: "the database does not answer; try again",
        headers: &[],
    },
];

fn response(common: &Common) -> Value {
    let codes: Vec<String> = common.codes.iter().map(|c| format!("`{0}` (/problems/{0})", c.as_str())).collect();
    let mut response = json!({
        "description": format!("{}: {}", common.what, codes.join(", ")),
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    });
    if !common.headers.is_empty() {
        let headers: Map<String, Value> = common
            .headers
            .iter()
            .map(|(name, description)| {
                ((*name).to_owned(), json!({"description": description, "schema": {"type": "string"}}))
            })
            .collect();
        response["headers"] = Value::Object(headers);
    }
    response
}

/// The statuses an operation may answer by convention.
fn statuses(path: &str, operation: &Value) -> Vec<&'static str> {
    let has_params = path.contains('{') || operation["parameters"].as_array().is_some_and(|p| !p.is_empty());
    let has_body = operation.get("requestBody").is_some();
    let secured = operation["security"].as_array().is_some_and(|s| !s.is_empty());
    let mut statuses = Vec::new();
    if has_params || has_body {
        statuses.push("400");
    }
    if secured {
        statuses.extend(["401", "403"]);
    }
    if path.contains('{') {
        statuses.push("404");
    }
    if has_body {
        statuses.extend(["413", "415"]);
    }
    statuses.extend(["500", "503"]);
    statuses
}

/// Tagged request bodies read with `deny_unknown_fields`, which utoipa does not carry to each
/// variant's schema, and the member that names the variant.
const CLOSED_UNIONS: [(&str, &str); 1] = [("ActionRequest", "action")];

/// Each variant of a closed union refuses other members, and the union names its
/// discriminator, so that a generated client has one type per variant.
fn close_unions(document: &mut Value) {
    for (name, tag) in CLOSED_UNIONS {
        let schema = &mut document["components"]["schemas"][name];
        if let Some(variants) = schema["oneOf"].as_array_mut() {
            for variant in variants {
                variant["additionalProperties"] = json!(false);
            }
        }
        schema["discriminator"] = json!({"propertyName": tag});
    }
}

/// An optional query parameter given empty (`?status=`) is read as absent
/// (`crate::extract::Query`): its schema says so.
fn allow_empty(operation: &mut Value) {
    let Some(parameters) = operation.get_mut("parameters").and_then(Value::as_array_mut) else { return };
    for parameter in parameters {
        if parameter["in"] == "query" && parameter["required"] != json!(true) {
            let schema = parameter["schema"].take();
            parameter["schema"] = json!({"anyOf": [schema, {"type": "string", "maxLength": 0}]});
            parameter["allowEmptyValue"] = json!(true);
        }
    }
}

/// Adds the common responses to every operation of `document` and to its components.
pub fn apply(document: &mut Value) {
    close_unions(document);
    let components = document["components"].as_object_mut().map(|c| c.entry("responses").or_insert(json!({})));
    if let Some(Value::Object(responses)) = components {
        for common in &COMMON {
            responses.insert(common.name.to_owned(), response(common));
        }
    }
    let Some(paths) = document["paths"].as_object_mut() else { return };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else { continue };
        for operation in item.values_mut() {
            allow_empty(operation);
            let wanted = statuses(path, operation);
            let Some(responses) = operation["responses"].as_object_mut() else { continue };
            for common in COMMON.iter().filter(|c| wanted.contains(&c.status)) {
                responses
                    .entry(common.status)
                    .or_insert_with(|| json!({"$ref": format!("#/components/responses/{}", common.name)}));
            }
            // A route's own 401 or 429 still says which header comes with it.
            for common in COMMON.iter().filter(|c| !c.headers.is_empty()) {
                if let Some(own) = responses.get_mut(common.status).filter(|r| r.get("$ref").is_none()) {
                    own["headers"] = response(common)["headers"].clone();
                }
            }
        }
    }
}
