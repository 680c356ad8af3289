//! The channel is decided by who files: a client token serves the channels it was issued
//! for, counter dossiers come only from the desk's reception officers, and the statistics
//! by channel count what really happened.

use crate::dossiers::{land_change, submit};
use crate::helpers::spawn_app;
use serde_json::{Value, json};

fn with_channel(id_number: &str, channel: Option<&str>) -> Value {
    let mut body = land_change(id_number);
    match channel {
        Some(channel) => body["channel"] = json!(channel),
        None => {
            body.as_object_mut().expect("object").remove("channel");
        }
    }
    body
}

#[tokio::test]
async fn a_client_claiming_a_channel_it_does_not_serve_is_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let portal = app.token("client", "Cổng dịch vụ công", None, None).await;
    let admin = app.token("admin", "Quản trị", None, None).await;
    for (claimed, mention) in [("counter", "reception officers"), ("postal", "online only")] {
        let response = submit(&app, &portal, &with_channel("064090000001", Some(claimed)), None).await;
        assert_eq!(response.status(), 403, "{claimed}");
        let problem: Value = response.json().await.expect("JSON");
        assert_eq!(problem["code"], "channel_not_allowed", "{problem}");
        assert!(problem["detail"].as_str().is_some_and(|d| d.contains(mention)), "{problem}");
        assert_eq!(problem["channels"], json!(["online"]), "{problem}");
    }
    let list = app.json_as("/api/v1/dossiers", &admin).await;
    assert_eq!(list["total"], 0, "nothing stored: {list}");
}

#[tokio::test]
async fn the_token_decides_the_channel_and_the_statistics_count_it() {
    let app = spawn_app().await;
    let portal = app.token("client", "Cổng dịch vụ công", None, None).await;
    let post_office = app.client_token("Bưu điện tỉnh", &["postal"]).await;
    let both = app.client_token("Ứng dụng hai kênh", &["online", "postal"]).await;
    let desk = app.token("officer", "Một cửa", Some("G22.26.01.01"), Some("reception")).await;
    let admin = app.token("admin", "Quản trị", None, None).await;

    let filed = |token: String, body: Value| {
        let app = &app;
        async move {
            let response = submit(app, &token, &body, None).await;
            let status = response.status();
            let body: Value = response.json().await.expect("JSON");
            assert_eq!(status, 201, "{body}");
            body["channel"].as_str().expect("channel").to_owned()
        }
    };
    assert_eq!(filed(portal.clone(), with_channel("064090000001", None)).await, "online");
    assert_eq!(filed(post_office.clone(), with_channel("064090000002", None)).await, "postal");
    assert_eq!(filed(desk.clone(), with_channel("064090000003", None)).await, "counter");
    assert_eq!(filed(both.clone(), with_channel("064090000004", Some("postal"))).await, "postal");

    // A token serving two channels must say which; an officer cannot file an online dossier.
    let response = submit(&app, &both, &with_channel("064090000005", None), None).await;
    assert_eq!(response.status(), 400);
    let response = submit(&app, &desk, &with_channel("064090000006", Some("online")), None).await;
    assert_eq!(response.status(), 403);
    let problem: Value = response.json().await.expect("JSON");
    assert_eq!(problem["code"], "channel_not_allowed");

    // Received are the dossiers reception accepted: the counter one at once, the others when
    // the desk accepts them.
    let stats = app.json_as("/api/v1/stats?from=2026-03-01&to=2026-03-31", &admin).await;
    assert_eq!(stats["received"]["by_channel"], json!({"counter": 1, "online": 0, "postal": 0}), "{stats}");
    let list = app.json_as("/api/v1/dossiers?status=submitted", &admin).await;
    for item in list["items"].as_array().expect("items") {
        let code = item["code"].as_str().expect("code");
        let accepted = app
            .client
            .post(format!("{}/api/v1/dossiers/{code}/actions", app.address))
            .bearer_auth(&desk)
            .header("If-Match", "\"1\"")
            .json(&json!({"action": "accept"}))
            .send()
            .await
            .expect("sent");
        assert_eq!(accepted.status(), 200);
    }
    let stats = app.json_as("/api/v1/stats?from=2026-03-01&to=2026-03-31", &admin).await;
    assert_eq!(stats["received"]["by_channel"], json!({"counter": 1, "online": 1, "postal": 2}), "{stats}");
}
