//! The audit log is tamper-evident: `motcua audit verify` passes on the log the API wrote and
//! names each record edited, deleted or moved afterwards, directly in the database.

use crate::dossiers::{land_change, submit_received};
use crate::helpers::{TestApp, spawn_app};
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};

/// `motcua --format json audit verify` on the app's database and its files: its exit status
/// and report.
pub(crate) fn verify(app: &TestApp) -> (bool, Value) {
    let files = crate::helpers::test_files_folder(&app.database_url);
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args(["--format", "json", "audit", "verify", "--database-url", &app.database_url, "--files-url", &files])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("motcua runs");
    let report = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stderr)));
    (output.status.success(), report)
}

/// Submits a land change, has the desk accept it and applies `actions` in turn; its code.
async fn dossier(app: &TestApp, portal: &str, officers: &[(&str, Value)], id: &str) -> String {
    let created = submit_received(app, portal, &land_change(id)).await;
    let code = created["code"].as_str().expect("code").to_owned();
    for (version, (token, action)) in (2..).zip(officers) {
        let response = app
            .client
            .post(format!("{}/api/v1/dossiers/{code}/actions", app.address))
            .bearer_auth(token)
            .header("If-Match", format!("\"{version}\""))
            .json(action)
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), 200, "{action}");
    }
    code
}

fn problems(report: &Value) -> Vec<(String, Option<i64>, String)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| (f["dossier"].as_str().expect("dossier").to_owned(), f["position"].as_i64(), f["problem"].to_string()))
        .collect()
}

#[tokio::test]
async fn verify_passes_on_the_log_written_and_names_every_tampered_record() {
    let app = spawn_app().await;
    let portal = app.token("client", "Cổng dịch vụ công", None, None).await;
    let desk = app.token("officer", "Bộ phận một cửa", Some("G22.26.01.01"), Some("reception")).await;
    let specialist = app.token("officer", "Chuyên viên", Some("G22.26.01.03"), Some("specialist")).await;
    let forward = json!({"action": "forward"});
    let steps = [(desk.as_str(), forward.clone()), (specialist.as_str(), forward.clone())];
    let edited = dossier(&app, &portal, &steps, "064090000011").await;
    let truncated = dossier(&app, &portal, &steps, "064090000012").await;
    let holed = dossier(&app, &portal, &steps, "064090000013").await;
    let deleted = dossier(&app, &portal, &steps[..1], "064090000014").await;

    let (intact, report) = verify(&app);
    assert!(intact, "{report}");
    assert_eq!((report["dossiers"].as_i64(), report["records"].as_i64()), (Some(4), Some(15)), "{report}");
    assert_eq!(report["gaps"], json!([]));

    let db = Database::connect(&app.database_url).await.expect("database");
    let id_of = |code: &str| format!("(SELECT \"id\" FROM \"dossiers\" WHERE \"code\" = '{code}')");
    for sql in [
        // A forged payload on the second record.
        format!(
            "UPDATE \"audit_events\" SET \"payload\" = '{{\"request\":{{\"action\":\"forward\"}},\"forged\":true}}' \
             WHERE \"dossier_id\" = {} AND \"position\" = 3",
            id_of(&edited)
        ),
        // The last record of another removed.
        format!("DELETE FROM \"audit_events\" WHERE \"dossier_id\" = {} AND \"position\" = 4", id_of(&truncated)),
        // The middle record of a third removed.
        format!("DELETE FROM \"audit_events\" WHERE \"dossier_id\" = {} AND \"position\" = 3", id_of(&holed)),
        // A whole dossier and its records removed: only the day's counter remembers it.
        format!("DELETE FROM \"audit_events\" WHERE \"dossier_id\" = {}", id_of(&deleted)),
        format!("DELETE FROM \"dossiers\" WHERE \"code\" = '{deleted}'"),
    ] {
        db.execute_unprepared(&sql).await.expect(&sql);
    }

    let (intact, report) = verify(&app);
    assert!(!intact, "{report}");
    assert_eq!(
        problems(&report),
        vec![
            (edited.clone(), Some(3), "\"edited_record\"".to_owned()),
            (truncated.clone(), None, "\"head_mismatch\"".to_owned()),
            (holed.clone(), Some(3), "\"missing_record\"".to_owned()),
            // A dossier deleted with its records: its number was drawn, and nothing burned it.
            (deleted.rsplit_once('-').expect("code").0.to_owned(), None, "\"unexplained_gap\"".to_owned()),
        ],
        "{report}"
    );
    let day = deleted.rsplit_once('-').expect("code").0;
    assert_eq!(report["gaps"], json!([{"day": day, "drawn": 4, "found": 3, "unexplained": [4]}]), "{report}");
}

#[tokio::test]
async fn verify_names_a_dossier_row_edited_behind_the_server() {
    let app = spawn_app().await;
    let portal = app.token("client", "Cổng dịch vụ công", None, None).await;
    let desk = app.token("officer", "Bộ phận một cửa", Some("G22.26.01.01"), Some("reception")).await;
    let forward = json!({"action": "forward"});
    let steps = [(desk.as_str(), forward)];
    let codes = [
        dossier(&app, &portal, &steps, "064090000021").await,
        dossier(&app, &portal, &steps, "064090000022").await,
        dossier(&app, &portal, &steps, "064090000023").await,
        dossier(&app, &portal, &steps, "064090000024").await,
    ];
    let (intact, report) = verify(&app);
    assert!(intact, "{report}");

    let db = Database::connect(&app.database_url).await.expect("database");
    let [regraded, cheaper, moved, rewritten] = &codes;
    for sql in [
        // What the statistics count: a late or open dossier made to look early.
        format!("UPDATE \"dossiers\" SET \"timing\" = 'early' WHERE \"code\" = '{regraded}'"),
        // The fee the engine decided.
        format!("UPDATE \"dossiers\" SET \"fee\" = 0 WHERE \"code\" = '{cheaper}'"),
        // A due time pushed back a week.
        format!("UPDATE \"dossiers\" SET \"due_at\" = \"received_at\" WHERE \"code\" = '{moved}'"),
        // The lifecycle itself, with its columns to match.
        format!(
            "UPDATE \"dossiers\" SET \"lifecycle\" = REPLACE(\"lifecycle\", '\"supplement_requested\":false', \
             '\"supplement_requested\":true') WHERE \"code\" = '{rewritten}'"
        ),
    ] {
        db.execute_unprepared(&sql).await.expect(&sql);
    }
    let (intact, report) = verify(&app);
    assert!(!intact, "{report}");
    let found: Vec<(String, String)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (f["dossier"].as_str().expect("dossier").to_owned(), f["problem"].as_str().expect("problem").to_owned())
        })
        .collect();
    for code in &codes {
        assert!(found.contains(&(code.clone(), "edited_dossier".to_owned())), "{code} not named: {report}");
    }
    let message = |code: &str| {
        report["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter(|f| f["dossier"] == code)
            .map(|f| f["message"].as_str().unwrap_or_default().to_owned())
            .collect::<Vec<_>>()
            .join(" | ")
    };
    assert!(message(regraded).contains("`timing`"), "{}", message(regraded));
    assert!(message(moved).contains("`due_at`"), "{}", message(moved));
}
