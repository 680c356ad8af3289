//! HTTP conventions of RFC 9110 that every route follows: HEAD wherever GET, 405 with `Allow`,
//! preconditions on actions (412, 428), no caching of personal data, empty query parameters
//! read as absent, `Location` on a replayed submission.

use crate::dossiers::{land_change, submit};
use crate::helpers::spawn_app;
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn head_answers_as_get_without_a_body() {
    let app = spawn_app().await;
    for path in ["/health", "/api/v1/procedures", "/api/v1/procedures/1.004227", "/api/openapi.json", "/api/docs"] {
        let get = app.get(path).await;
        let get_status = get.status();
        let get_type = get.headers()["content-type"].clone();
        let head = app.client.head(format!("{}{path}", app.address)).send().await.expect("sent");
        assert_eq!(head.status(), get_status, "HEAD {path}");
        assert_eq!(head.headers()["content-type"], get_type, "HEAD {path}");
        assert!(head.bytes().await.expect("body").is_empty(), "HEAD {path} sent a body");
    }
    // With a token too, and the same status a GET would have.
    let admin = app.token("admin", "Quản trị", None, None).await;
    let head =
        app.client.head(format!("{}/api/v1/dossiers", app.address)).bearer_auth(&admin).send().await.expect("sent");
    assert_eq!(head.status(), 200);
    let head = app.client.head(format!("{}/api/v1/dossiers", app.address)).send().await.expect("sent");
    assert_eq!(head.status(), 401);
}

#[tokio::test]
async fn a_known_path_with_a_wrong_method_is_405_with_allow() {
    let app = spawn_app().await;
    for (method, path, allow) in [
        (Method::DELETE, "/api/v1/procedures/1.004227", "GET, HEAD"),
        (Method::POST, "/api/v1/procedures", "GET, HEAD"),
        (Method::PUT, "/api/v1/dossiers", "GET, POST, HEAD"),
        (Method::GET, "/api/v1/dossiers/G22.26.01.01-260302-0001/actions", "POST"),
        (Method::PATCH, "/api/v1/procedures/1.004227/owner", "GET, PUT, HEAD"),
        (Method::GET, "/api/v1/import/dossiers", "POST"),
        (Method::POST, "/health", "GET, HEAD"),
    ] {
        let response = app.client.request(method.clone(), format!("{}{path}", app.address)).send().await.expect("sent");
        assert_eq!(response.status(), 405, "{method} {path}");
        assert_eq!(response.headers()["allow"], allow, "{method} {path}");
        assert!(response.headers()["content-type"].to_str().expect("type").starts_with("application/problem+json"));
        let body: Value = response.json().await.expect("JSON");
        assert_eq!(body["code"], "method_not_allowed", "{method} {path}");
    }
    // The portal's pages too: a form page takes its post, a post-only path says so.
    for (method, path, allow) in [
        (Method::PUT, "/dang-nhap", "GET, POST, HEAD"),
        (Method::GET, "/dang-xuat", "POST"),
        (Method::DELETE, "/nop-ho-so/1.004227", "GET, POST, HEAD"),
        (Method::GET, "/nop-ho-so/1.004227/kiem-tra", "POST"),
        (Method::PUT, "/can-bo/thu-tuc/1.004227", "GET, POST, HEAD"),
    ] {
        let response = app.client.request(method.clone(), format!("{}{path}", app.address)).send().await.expect("sent");
        assert_eq!(response.status(), 405, "{method} {path}");
        assert_eq!(response.headers()["allow"], allow, "{method} {path}");
    }
    let unknown = app.client.delete(format!("{}/api/v1/nothing-here", app.address)).send().await.expect("sent");
    assert_eq!(unknown.status(), 404);
    assert!(unknown.headers().get("allow").is_none());
}

#[tokio::test]
async fn actions_need_a_current_if_match() {
    let app = spawn_app().await;
    let portal = app.client_token("Cổng dịch vụ công", &["online"]).await;
    let desk = app.token("officer", "Bộ phận một cửa", Some("G22.26.01.01"), Some("reception")).await;
    let created: Value = submit(&app, &portal, &land_change("064090000001"), None).await.json().await.expect("JSON");
    let code = created["code"].as_str().expect("code");
    let missing = app
        .client
        .post(format!("{}/api/v1/dossiers/{code}/actions", app.address))
        .bearer_auth(&desk)
        .json(&json!({"action": "accept"}))
        .send()
        .await
        .expect("sent");
    assert_eq!(missing.status(), 428);
    let stale = app.act(&desk, code, 7, &json!({"action": "accept"})).await;
    assert_eq!(stale.status(), 412);
    let body: Value = stale.json().await.expect("JSON");
    assert_eq!(body["code"], "stale_version");
    assert_eq!(app.act(&desk, code, 1, &json!({"action": "accept"})).await.status(), 200);
    // The one that read version 1 too and acts second is told the same.
    assert_eq!(app.act(&desk, code, 1, &json!({"action": "forward"})).await.status(), 412);
}

#[tokio::test]
async fn personal_data_is_never_cached() {
    let app = spawn_app().await;
    let portal = app.client_token("Cổng dịch vụ công", &["online"]).await;
    let created: Value = submit(&app, &portal, &land_change("064090000001"), None).await.json().await.expect("JSON");
    let code = created["code"].as_str().expect("code");
    let key = created["lookup_key"].as_str().expect("key");
    let personal = [
        app.get_as(&format!("/api/v1/dossiers/{code}"), &portal).await,
        app.get(&format!("/api/v1/dossiers/{code}?key={key}")).await,
        app.get(&format!("/api/v1/dossiers/{code}/receipt?key={key}")).await,
        app.get_as("/api/v1/dossiers", &portal).await,
        app.get(&format!("/api/v1/dossiers/{code}?key=wrong")).await,
    ];
    for response in personal {
        let url = response.url().to_string();
        assert_eq!(
            response.headers().get("cache-control").map(|v| v.to_str().expect("ASCII")),
            Some("no-store"),
            "{url}"
        );
    }
    let submitted = submit(&app, &portal, &land_change("064090000002"), None).await;
    assert_eq!(submitted.headers()["cache-control"], "no-store");
    // The vendored documentation assets stay cacheable.
    let script = app.get("/api/docs/swagger-ui-bundle.js").await;
    assert_eq!(script.headers()["cache-control"], "public, max-age=86400");
}

#[tokio::test]
async fn an_empty_query_parameter_is_absent() {
    let app = spawn_app().await;
    let all: Value = app.get("/api/v1/procedures").await.json().await.expect("JSON");
    let empty = app.get("/api/v1/procedures?field=&agency=&online_level").await;
    assert_eq!(empty.status(), 200);
    assert_eq!(empty.json::<Value>().await.expect("JSON"), all);
    let admin = app.token("admin", "Quản trị", None, None).await;
    let listed =
        app.get_as("/api/v1/dossiers?status=&agency=&procedure=&overdue=&due_before=&per_page=&page=", &admin).await;
    assert_eq!(listed.status(), 200, "{}", listed.text().await.unwrap_or_default());
    // A parameter with a value is still checked.
    assert_eq!(app.get_as("/api/v1/dossiers?per_page=0", &admin).await.status(), 400);
}

#[tokio::test]
async fn a_replayed_submission_says_where_the_dossier_is() {
    let app = spawn_app().await;
    let portal = app.client_token("Cổng dịch vụ công", &["online"]).await;
    let first = submit(&app, &portal, &land_change("064090000001"), Some("retry-1")).await;
    assert_eq!(first.status(), 201);
    let location = first.headers()["location"].clone();
    let again = submit(&app, &portal, &land_change("064090000001"), Some("retry-1")).await;
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.headers()["location"], location);
}

#[tokio::test]
async fn if_match_star_acts_on_the_current_version() {
    let app = spawn_app().await;
    let portal = app.client_token("Cổng dịch vụ công", &["online"]).await;
    let desk = app.token("officer", "Bộ phận một cửa", Some("G22.26.01.01"), Some("reception")).await;
    let created: Value = submit(&app, &portal, &land_change("064090000001"), None).await.json().await.expect("JSON");
    let code = created["code"].as_str().expect("code");
    let send = |value: &'static str| {
        app.client
            .post(format!("{}/api/v1/dossiers/{code}/actions", app.address))
            .bearer_auth(&desk)
            .header("If-Match", value)
            .json(&json!({"action": "accept"}))
            .send()
    };
    let accepted = send("*").await.expect("sent");
    assert_eq!(accepted.status(), 200);
    assert_eq!(accepted.headers()["etag"], "\"2\"");
    // Only `*` and ETags of ours: a bare number or a list is not one.
    for value in ["2", "\"2\", \"3\"", "W/2", "\"1234567890\""] {
        assert_eq!(send(value).await.expect("sent").status(), 400, "If-Match: {value}");
    }
}

#[tokio::test]
async fn each_action_has_its_own_closed_schema() {
    let app = spawn_app().await;
    let document: Value = app.get("/api/openapi.json").await.json().await.expect("JSON");
    let action = &document["components"]["schemas"]["ActionRequest"];
    assert_eq!(action["discriminator"]["propertyName"], "action");
    let variants = action["oneOf"].as_array().expect("one schema per action");
    let names: Vec<&str> = variants.iter().filter_map(|v| v["properties"]["action"]["enum"][0].as_str()).collect();
    for name in ["accept", "forward", "decide", "apologize", "refuse", "request_supplement_before_receipt", "resubmit"]
    {
        assert!(names.contains(&name), "no schema for `{name}`");
    }
    assert!(variants.iter().all(|v| v["additionalProperties"] == false));
    let decide = variants.iter().find(|v| v["properties"]["action"]["enum"][0] == "decide").expect("decide");
    assert!(decide["required"].as_array().expect("required").contains(&json!("approved")));
    // The submission's example is a dossier the server accepts as it is.
    let example =
        &document["paths"]["/api/v1/dossiers"]["post"]["requestBody"]["content"]["application/json"]["example"];
    let portal = app.client_token("Cổng dịch vụ công", &["online"]).await;
    assert_eq!(submit(&app, &portal, example, None).await.status(), 201);
}

#[tokio::test]
async fn a_retire_body_is_json_or_nothing_and_a_bad_one_retires_nothing() {
    let app = spawn_app().await;
    let admin = app.token("admin", "Quản trị", None, None).await;
    let retire = format!("{}/api/v1/procedures/1.004227/retire", app.address);
    let statuses = || async {
        let versions: Value = app.get("/api/v1/procedures/1.004227/versions").await.json().await.expect("JSON");
        versions["versions"].as_array().expect("versions").iter().map(|v| v["status"].clone()).collect::<Vec<_>>()
    };
    let before = statuses().await;
    // A body in another media type, or with a field retire does not have, is refused: it
    // must not be taken as "no body" and retire the newest version.
    let text = app.client.post(&retire).bearer_auth(&admin).header("content-type", "text/plain");
    let response = text.body("version=1").send().await.expect("sent");
    assert_eq!(response.status(), 415);
    let untyped = app.client.post(&retire).bearer_auth(&admin).body("{\"version\": 1}").send().await.expect("sent");
    assert_eq!(untyped.status(), 415);
    let unknown = app.client.post(&retire).bearer_auth(&admin).json(&json!({"versoin": 1})).send().await.expect("sent");
    assert_eq!(unknown.status(), 400);
    let problem: Value = unknown.json().await.expect("problem");
    assert_eq!(problem["code"], "invalid_body");
    assert_eq!(statuses().await, before, "a refused retire changed nothing");
    // No body at all retires the newest published version.
    let none = app.client.post(&retire).bearer_auth(&admin).send().await.expect("sent");
    assert_eq!(none.status(), 200);
    let retired: Value = none.json().await.expect("JSON");
    assert_eq!(retired["status"], "retired");
}
