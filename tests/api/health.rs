use crate::helpers::spawn_app;

#[tokio::test]
async fn health_reports_the_database() {
    let app = spawn_app().await;
    let response = app.get("/health").await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(body["database"], "ok");
    assert!(body["background"]["instance"].as_str().is_some_and(|i| !i.is_empty()), "{body}");
    // The only instance of its database leads the background work once its first tick ran.
    for _ in 0..100 {
        let body: serde_json::Value = app.get("/health").await.json().await.expect("JSON");
        if body["background"]["leader"] == true {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the only instance never became the leader");
}

#[tokio::test]
async fn requests_carry_an_id_and_are_counted() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(format!("{}/health", app.address))
        .header("X-Request-Id", "trace-42")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.headers()["x-request-id"], "trace-42");
    let generated = app.get("/api/v1/procedures/9.999999").await;
    assert_eq!(generated.headers()["x-request-id"].len(), 16);
    assert_eq!(app.get("/metrics").await.status(), 401, "metrics need an admin token");
    let admin = app.token("admin", "Prometheus", None, None).await;
    let text = app.get_as("/metrics", &admin).await.text().await.expect("text");
    assert!(text.contains("motcua_http_requests_total{method=\"GET\",route=\"/health\",status=\"200\"} 1"), "{text}");
    assert!(text.contains("route=\"/api/v1/procedures/{code}\",status=\"404\""), "{text}");
    assert!(text.contains("motcua_http_request_duration_seconds_bucket{route=\"/health\",le=\"+Inf\"} 1"), "{text}");
}
