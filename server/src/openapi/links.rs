//! Links between operations (OpenAPI `links`): what a client does next with an answer, e.g.
//! acting on the dossier it just submitted with the ETag it got. Generated clients follow
//! them, and the contract tests chain requests along them.

use serde_json::{Value, json};

/// From the answer of an operation (operationId, status) to another operation, with where
/// each of its parameters comes from (a runtime expression).
type Link = (&'static str, &'static str, &'static str, &'static [(&'static str, &'static str)]);

const LINKS: [Link; 9] = [
    ("submit_dossier", "201", "get_dossier", &[("code", "$response.body#/code")]),
    (
        "submit_dossier",
        "201",
        "act_on_dossier",
        &[("code", "$response.body#/code"), ("header.If-Match", "$response.header.ETag")],
    ),
    ("act_on_dossier", "200", "receipt", &[("code", "$request.path.code")]),
    (
        "act_on_dossier",
        "200",
        "act_on_dossier",
        &[("code", "$request.path.code"), ("header.If-Match", "$response.header.ETag")],
    ),
    ("act_on_dossier", "200", "get_dossier", &[("code", "$request.path.code")]),
    (
        "get_dossier",
        "200",
        "act_on_dossier",
        &[("code", "$request.path.code"), ("header.If-Match", "$response.header.ETag")],
    ),
    ("put_draft", "200", "publish", &[("code", "$request.path.code")]),
    ("publish", "200", "get_procedure", &[("code", "$request.path.code")]),
    ("publish", "200", "retire", &[("code", "$request.path.code")]),
];

/// Adds the links to the operations' responses.
pub fn apply(document: &mut Value) {
    let Some(paths) = document["paths"].as_object_mut() else { return };
    let operations = paths.values_mut().filter_map(Value::as_object_mut).flat_map(|item| item.values_mut());
    for operation in operations {
        let id = operation["operationId"].as_str().unwrap_or_default().to_owned();
        for (_, status, to, parameters) in LINKS.iter().filter(|(from, ..)| *from == id) {
            let Some(response) = operation["responses"].get_mut(*status).filter(|r| r.is_object()) else { continue };
            let parameters: serde_json::Map<String, Value> =
                parameters.iter().map(|(name, source)| ((*name).to_owned(), json!(source))).collect();
            response["links"][*to] = json!({"operationId": to, "parameters": parameters});
        }
    }
}
