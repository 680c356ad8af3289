//! Every error leaves as problem+json with a stable code, including the ones actix answers
//! itself (an unknown route, a body over the limit), and nothing bad is stored.

use crate::dossiers::land_change;
use crate::helpers::spawn_app;
use serde_json::{Value, json};

async fn problem(response: reqwest::Response) -> (u16, String) {
    let status = response.status().as_u16();
    let kind = response.headers().get("content-type").map(|v| v.to_str().expect("text").to_owned()).unwrap_or_default();
    assert!(kind.starts_with("application/problem+json"), "{status} with {kind}");
    let body: Value = response.json().await.expect("problem JSON");
    (status, body["code"].as_str().expect("code").to_owned())
}

#[tokio::test]
async fn bad_requests_get_coded_problems_and_store_nothing() {
    let app = spawn_app().await;
    let client = app.token("client", "Cổng", None, None).await;
    let post = |body: reqwest::Body, kind: &'static str| {
        app.client
            .post(format!("{}/api/v1/dossiers", app.address))
            .bearer_auth(&client)
            .header("Content-Type", kind)
            .body(body)
            .send()
    };
    assert_eq!(problem(app.get("/no/such/route").await).await, (404, "not_found".to_owned()));
    assert_eq!(
        problem(post("{\"procedure\": ".into(), "application/json").await.expect("sent")).await,
        (400, "invalid_body".to_owned())
    );
    assert_eq!(
        problem(post("procedure=1".into(), "text/plain").await.expect("sent")).await,
        (415, "unsupported_media_type".to_owned())
    );
    let huge = json!({"procedure": "1.004227", "channel": "online", "form": {"x": "a".repeat(400 * 1024)}, "applicant": {"name": "A"}});
    assert_eq!(problem(post(huge.to_string().into(), "application/json").await.expect("sent")).await.0, 413);
    let mut unknown_field = land_change("064090001234");
    unknown_field["sneaky"] = json!(true);
    assert_eq!(
        problem(post(unknown_field.to_string().into(), "application/json").await.expect("sent")).await,
        (400, "invalid_body".to_owned())
    );
    let mut long_name = land_change("064090001234");
    long_name["applicant"]["name"] = json!("Nguyễn ".repeat(100));
    assert_eq!(
        problem(post(long_name.to_string().into(), "application/json").await.expect("sent")).await,
        (400, "invalid_body".to_owned())
    );
    let page = app.get_as("/api/v1/dossiers?per_page=100000", &client).await;
    assert_eq!(problem(page).await, (400, "invalid_query".to_owned()));
    let list: Value = app.json_as("/api/v1/dossiers", &client).await;
    assert_eq!(list["total"], 0);
}
