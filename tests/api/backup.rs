//! A backup of the live SQLite database, taken while the server runs, restores every
//! acknowledged dossier.

use crate::dossiers::{land_change, submit};
use crate::helpers::{on_postgres, spawn_app, spawn_app_on};
use serde_json::Value;

#[tokio::test]
async fn a_backup_of_the_live_database_restores_every_acknowledged_dossier() {
    if on_postgres() {
        return; // PostgreSQL is backed up with pg_dump / pg_basebackup (README).
    }
    let app = spawn_app().await;
    let client = app.token("client", "Cổng", None, None).await;
    let mut codes = Vec::new();
    for i in 0..5 {
        let body: Value =
            submit(&app, &client, &land_change(&format!("06409000{i:04}")), None).await.json().await.expect("JSON");
        codes.push(body["code"].as_str().expect("code").to_owned());
    }
    let target = std::env::temp_dir().join(format!("motcua_backup_{}_{}.db", std::process::id(), codes.len()));
    let _ = std::fs::remove_file(&target);
    let db = motcua_server::db::connect(&app.database_url).await.expect("database");
    // Submissions go on while the copy is made.
    let writer = {
        let (address, client, token) = (app.address.clone(), app.client.clone(), client.clone());
        tokio::spawn(async move {
            for i in 0..20 {
                let body = land_change(&format!("06419000{i:04}"));
                let _ = client.post(format!("{address}/api/v1/dossiers")).bearer_auth(&token).json(&body).send().await;
            }
        })
    };
    motcua_server::backup::backup_sqlite(&db, &target).await.expect("backup written");
    writer.await.expect("writer");
    assert!(motcua_server::backup::backup_sqlite(&db, &target).await.is_err(), "never overwrites");

    let restored = spawn_app_on(format!("sqlite://{}?mode=rwc", target.display())).await;
    let admin = restored.token("admin", "Quản trị", None, None).await;
    let list = restored.json_as("/api/v1/dossiers", &admin).await;
    let found: Vec<String> =
        list["items"].as_array().expect("items").iter().map(|d| d["code"].as_str().expect("code").to_owned()).collect();
    for code in &codes {
        assert!(found.contains(code), "{code}, acknowledged before the backup, is missing");
    }
    // Whatever the copy holds is whole: each dossier with its receipt's audit row.
    let copy = motcua_server::db::connect(&format!("sqlite://{}?mode=rwc", target.display())).await.expect("copy");
    use sea_orm::{ConnectionTrait, Statement};
    let orphans = copy
        .query_one_raw(Statement::from_string(
            sea_orm::DbBackend::Sqlite,
            "SELECT COUNT(*) AS n FROM dossiers d WHERE NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.dossier_id = d.id)",
        ))
        .await
        .expect("query")
        .expect("row")
        .try_get::<i64>("", "n")
        .expect("count");
    assert_eq!(orphans, 0);
    let _ = std::fs::remove_file(&target);
}
