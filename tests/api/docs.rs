//! The project's documentation cannot drift from what it documents: the guide for definition
//! writers names every field of procedure.schema.json, every rule helper and every diagnostic
//! code, and the server serves each page.

use crate::helpers::spawn_app;
use serde_json::Value;

const GUIDE: &str = include_str!("../../docs/definitions.md");
const SCHEMA: &str = include_str!("../../schemas/procedure.schema.json");

/// Every property path of the schema (`fee.amount`, `steps[].role`), following `$ref`s.
fn paths(node: &Value, defs: &Value, path: &str, seen: &mut Vec<String>, out: &mut Vec<String>) {
    if let Some(name) = node["$ref"].as_str().and_then(|r| r.strip_prefix("#/$defs/"))
        && !seen.iter().any(|s| s == name)
    {
        seen.push(name.to_owned());
        paths(&defs[name], defs, path, seen, out);
        seen.pop();
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        for branch in node[key].as_array().into_iter().flatten() {
            paths(branch, defs, path, seen, out);
        }
    }
    for (name, property) in node["properties"].as_object().into_iter().flatten() {
        let here = if path.is_empty() { name.clone() } else { format!("{path}.{name}") };
        out.push(here.clone());
        paths(property, defs, &here, seen, out);
    }
    if node["items"].is_object() {
        paths(&node["items"], defs, &format!("{path}[]"), seen, out);
    }
}

#[test]
fn the_guide_names_every_field_helper_and_diagnostic() {
    let schema: Value = serde_json::from_str(SCHEMA).expect("schema");
    let mut fields = Vec::new();
    paths(&schema, &schema["$defs"], "", &mut Vec::new(), &mut fields);
    assert!(fields.len() > 50, "the walk found only {} fields", fields.len());
    let missing: Vec<&String> = fields.iter().filter(|f| !GUIDE.contains(&format!("`{f}`"))).collect();
    assert!(missing.is_empty(), "docs/definitions.md does not document {missing:?}");
    for (name, signature, _) in motcua_engine::rules::HELPERS {
        assert!(GUIDE.contains(&format!("`{name}")), "docs/definitions.md does not document `{signature}`");
    }
    for code in motcua_engine::Code::ALL {
        assert!(GUIDE.contains(&format!("`{}`", code.as_str())), "docs/definitions.md does not explain `{code}`");
    }
}

#[tokio::test]
async fn the_server_serves_the_documentation() {
    let app = spawn_app().await;
    let index = app.get("/docs").await.text().await.expect("index");
    for (path, title, _) in motcua_server::docs::PAGES {
        assert!(index.contains(&format!("/docs/{path}")), "the index does not link {path}");
        let page = app.get(&format!("/docs/{path}")).await;
        assert_eq!(page.status(), 200);
        assert!(page.headers()["content-type"].to_str().expect("type").starts_with("text/html"));
        let html = page.text().await.expect("page");
        assert!(html.contains(title) && html.contains("<h1") && html.contains("<code>"), "{path}");
    }
    assert_eq!(app.get("/docs/nothing").await.status(), 404);
}
