//! The background deadline scan on a clock the test moves: a near-deadline warning one working
//! day ahead (across a weekend), an overdue one past the due time, each raised once, none for
//! finished or paused dossiers; who sees them; their metrics.

use crate::dossiers::{land_change, submit_received};
use crate::helpers::{TestApp, spawn_app_with};
use chrono::{DateTime, FixedOffset};
use serde_json::{Value, json};
use std::time::Duration;

/// How often the test server scans.
pub const SCAN: Duration = Duration::from_millis(50);

fn at(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).expect("time")
}

async fn act(app: &TestApp, token: &str, code: &str, version: u32, action: Value) {
    let response = app.act(token, code, version, &action).await;
    assert_eq!(response.status(), 200, "{action}: {}", response.text().await.unwrap_or_default());
}

/// Moves the clock and waits until a scan has run at the new time.
pub async fn scan_at(app: &TestApp, time: &str) {
    app.clock.set(at(time));
    for _ in 0..400 {
        let health: Value = app.get("/health").await.json().await.expect("JSON");
        let last = health["background"]["last_scan"].as_str().map(at);
        if last == Some(at(time)) {
            return;
        }
        tokio::time::sleep(SCAN).await;
    }
    panic!("no scan ran at {time}");
}

/// (kind, dossier code) of every alert the token sees, oldest first.
pub async fn alerts(app: &TestApp, token: &str, query: &str) -> Vec<(String, String)> {
    let page: Value = app.json_as(&format!("/api/v1/alerts{query}"), token).await;
    let mut alerts: Vec<(String, String)> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|a| {
            (a["kind"].as_str().expect("kind").to_owned(), a["dossier"]["code"].as_str().expect("code").to_owned())
        })
        .collect();
    alerts.reverse();
    alerts
}

fn counter(metrics: &str, name: &str) -> u64 {
    metrics
        .lines()
        .find_map(|line| line.strip_prefix(name)?.trim().parse().ok())
        .unwrap_or_else(|| panic!("no `{name}` in\n{metrics}"))
}

#[tokio::test]
async fn the_scan_warns_once_near_the_deadline_and_once_past_it() {
    let app = spawn_app_with(|settings| settings.deadline_scan_interval = SCAN).await;
    let portal = app.token("client", "Cổng dịch vụ công", None, None).await;
    let desk = app.token("officer", "Một cửa", Some("G22.26.01.01"), Some("reception")).await;
    let specialist = app.token("officer", "Chuyên viên", Some("G22.26.01.03"), Some("specialist")).await;
    let leader = app.token("officer", "Phó giám đốc", Some("G22.26.01.03"), Some("leader")).await;
    let other = app.token("department", "Sở Tư pháp", Some("G22.11"), None).await;
    let admin = app.token("admin", "Quản trị", None, None).await;

    // Monday 2 March 08:00: three dossiers due Monday 9 March 08:00 (5 working days).
    let mut codes = Vec::new();
    for id in ["064090000001", "064090000002", "064090000003"] {
        let created = submit_received(&app, &portal, &land_change(id)).await;
        assert_eq!(created["due"], "2026-03-09T08:00:00+07:00");
        codes.push(created["code"].as_str().expect("code").to_owned());
    }
    let (running, finished, paused) = (&codes[0], &codes[1], &codes[2]);
    // One is returned early, one waits for the applicant's supplement (its clock stands still).
    act(&app, &desk, finished, 2, json!({"action": "forward"})).await;
    act(&app, &specialist, finished, 3, json!({"action": "forward"})).await;
    act(&app, &leader, finished, 4, json!({"action": "decide", "approved": true})).await;
    act(&app, &desk, finished, 5, json!({"action": "return_result", "channel": "online"})).await;
    act(&app, &desk, paused, 2, json!({"action": "forward"})).await;
    act(&app, &specialist, paused, 3, json!({"action": "request_supplement", "items": ["Bản sao CCCD"]})).await;
    scan_at(&app, "2026-03-02T08:00:00+07:00").await;
    assert_eq!(alerts(&app, &admin, "").await, []);

    // Thursday 09:00: the due time is more than one working day away.
    scan_at(&app, "2026-03-05T09:00:00+07:00").await;
    assert_eq!(alerts(&app, &admin, "").await, []);

    // Friday 09:00: Monday 08:00 is within one working day of office time (6 h left on Friday,
    // 2 h on Monday), the weekend not counted: a warning, raised once over many scans.
    scan_at(&app, "2026-03-06T09:00:00+07:00").await;
    scan_at(&app, "2026-03-06T16:00:00+07:00").await;
    let near = vec![("near_deadline".to_owned(), running.clone())];
    assert_eq!(alerts(&app, &admin, "").await, near);

    // Monday 9 March 09:00: past the due time. Later scans add nothing.
    scan_at(&app, "2026-03-09T09:00:00+07:00").await;
    scan_at(&app, "2026-03-10T09:00:00+07:00").await;
    let mut both = near.clone();
    both.push(("overdue".to_owned(), running.clone()));
    assert_eq!(alerts(&app, &admin, "").await, both);
    assert_eq!(alerts(&app, &admin, "?kind=overdue").await, both[1..]);
    let page: Value = app.json_as("/api/v1/alerts?kind=overdue", &admin).await;
    let alert = &page["items"][0];
    assert_eq!(alert["due"], "2026-03-09T08:00:00+07:00");
    assert_eq!(alert["raised_at"], "2026-03-09T09:00:00+07:00");
    let health: Value = app.get("/health").await.json().await.expect("JSON");
    assert_eq!(health["background"]["leader"], true, "one instance: it leads");
    assert_eq!(alert["instance"], health["background"]["instance"]);

    // The desk and the step's unit see them; another agency does not; clients may not ask.
    assert_eq!(alerts(&app, &desk, "").await, both);
    assert_eq!(alerts(&app, &specialist, "?open=true").await, both);
    assert_eq!(alerts(&app, &other, "").await, []);
    assert_eq!(app.get_as("/api/v1/alerts", &portal).await.status(), 403);
    assert_eq!(app.get_as("/api/v1/alerts?kind=late", &admin).await.status(), 400);

    // Once the result is returned the alerts stay, but no longer among the open ones.
    act(&app, &desk, running, 2, json!({"action": "forward"})).await;
    act(&app, &specialist, running, 3, json!({"action": "forward"})).await;
    act(&app, &leader, running, 4, json!({"action": "decide", "approved": true})).await;
    assert_eq!(alerts(&app, &admin, "?open=true").await, both);
    let apology = json!({"action": "apologize", "reason": "Chờ xác minh", "new_due": "2026-03-12T17:00:00+07:00"});
    let head = app.token("department", "Giám đốc chi nhánh", Some("G22.26.01"), None).await;
    act(&app, &head, running, 5, apology).await;
    act(&app, &desk, running, 6, json!({"action": "return_result", "channel": "online"})).await;
    scan_at(&app, "2026-03-11T09:00:00+07:00").await;
    assert_eq!(alerts(&app, &admin, "?open=true").await, []);
    assert_eq!(alerts(&app, &admin, "").await, both);

    let metrics = app.get_as("/metrics", &admin).await.text().await.expect("text");
    assert_eq!(counter(&metrics, "motcua_deadline_alerts_raised_total{kind=\"overdue\"}"), 1);
    assert_eq!(counter(&metrics, "motcua_deadline_alerts_raised_total{kind=\"near_deadline\"}"), 1);
    assert!(counter(&metrics, "motcua_deadline_scans_total{outcome=\"ok\"}") >= 7);
    assert_eq!(counter(&metrics, "motcua_deadline_scans_total{outcome=\"failed\"}"), 0);
    assert_eq!(counter(&metrics, "motcua_background_leader"), 1);
}
