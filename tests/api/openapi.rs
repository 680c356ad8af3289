//! The OpenAPI document describes every route, and the browsable page works offline.

use crate::helpers::spawn_app;
use serde_json::Value;

const ROUTES: [(&str, &str); 30] = [
    ("get", "/health"),
    ("get", "/metrics"),
    ("get", "/api/v1/procedures"),
    ("get", "/api/v1/procedures/{code}"),
    ("put", "/api/v1/procedures/{code}/draft"),
    ("post", "/api/v1/procedures/{code}/publish"),
    ("post", "/api/v1/procedures/{code}/retire"),
    ("get", "/api/v1/procedures/{code}/versions"),
    ("get", "/api/v1/procedures/{code}/diff"),
    ("get", "/api/v1/procedures/{code}/impact"),
    ("get", "/api/v1/procedures/{code}/owner"),
    ("put", "/api/v1/procedures/{code}/owner"),
    ("post", "/api/v1/dossiers"),
    ("get", "/api/v1/dossiers"),
    ("get", "/api/v1/dossiers/{code}"),
    ("post", "/api/v1/dossiers/{code}/actions"),
    ("get", "/api/v1/dossiers/{code}/receipt"),
    ("get", "/api/v1/dossiers/{code}/apology"),
    ("get", "/api/v1/dossiers/{code}/control-slip"),
    ("get", "/api/v1/dossiers/{code}/supplement-request"),
    ("get", "/api/v1/dossiers/{code}/refusal"),
    ("get", "/api/v1/alerts"),
    ("get", "/api/v1/agencies"),
    ("put", "/api/v1/agencies/{code}"),
    ("get", "/api/v1/stats"),
    ("post", "/api/v1/import/dossiers"),
    ("post", "/api/v1/uploads"),
    ("get", "/api/v1/uploads/{id}"),
    ("get", "/api/v1/dossiers/{code}/files"),
    ("get", "/api/v1/dossiers/{code}/files/{id}"),
];

#[tokio::test]
async fn every_route_is_documented_with_its_errors() {
    let app = spawn_app().await;
    let document: Value = app.get("/api/openapi.json").await.json().await.expect("JSON");
    for (method, path) in ROUTES {
        let operation = &document["paths"][path][method];
        assert!(operation.is_object(), "{method} {path} is not documented");
        let described = ["summary", "description"].iter().any(|k| operation[k].as_str().is_some_and(|d| !d.is_empty()));
        assert!(described, "{method} {path} has no description");
        let responses = operation["responses"].as_object().expect("responses");
        assert!(responses.keys().any(|s| s.starts_with('2')), "{method} {path} has no success response");
    }
    assert_eq!(
        document["paths"]["/api/v1/dossiers"]["post"]["responses"]["422"]["content"]["application/problem+json"]["schema"]
            ["$ref"],
        "#/components/schemas/Problem"
    );
    assert!(document["components"]["securitySchemes"]["bearer"].is_object());
    let documented: usize =
        document["paths"].as_object().expect("paths").values().map(|p| p.as_object().expect("methods").len()).sum();
    assert_eq!(documented, ROUTES.len(), "a route is documented that the test does not list, or the reverse");
    // Clients are generated from the document: every operation has its own id.
    let mut ids: Vec<&str> = document["paths"]
        .as_object()
        .expect("paths")
        .values()
        .flat_map(|p| p.as_object().expect("methods").values())
        .map(|op| op["operationId"].as_str().expect("operationId"))
        .collect();
    ids.sort_unstable();
    let before = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), before, "operationIds repeat: {ids:?}");
}

#[tokio::test]
async fn the_docs_page_uses_only_vendored_assets() {
    let app = spawn_app().await;
    let page = app.get("/api/docs").await.text().await.expect("text");
    assert!(!page.contains("http://") && !page.contains("https://"), "{page}");
    for asset in ["/api/docs/swagger-ui-bundle.js", "/api/docs/swagger-ui.css"] {
        assert!(page.contains(asset));
        let response = app.get(asset).await;
        assert_eq!(response.status(), 200);
        assert!(response.bytes().await.expect("bytes").len() > 10_000);
    }
}
