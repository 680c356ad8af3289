//! `motcua token create|list|revoke`: the secret is printed once and never stored or listed.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use serde_json::Value;
use std::process::Command;

fn motcua(args: &[&str]) -> (i32, Value) {
    let output = Command::new(env!("CARGO_BIN_EXE_motcua")).args(args).output().expect("the motcua binary runs");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    (output.status.code().unwrap_or(-1), serde_json::from_str(&stdout).unwrap_or(Value::Null))
}

#[test]
fn create_list_revoke() {
    let file = std::env::temp_dir().join(format!("motcua_tokens_{}.db", std::process::id()));
    let url = format!("sqlite://{}?mode=rwc", file.display());
    let _ = std::fs::remove_file(&file);
    // A database that does not exist yet is not created silently: the token would land where
    // no server reads it.
    let (code, refused) =
        motcua(&["--format", "json", "token", "create", "--role", "admin", "--name", "x", "--database-url", &url]);
    assert_eq!(code, 1, "{refused}");
    assert!(refused["error"].as_str().is_some_and(|e| e.contains("motcua serve")), "{refused}");
    assert!(!file.exists(), "no file was created");
    tokio::runtime::Runtime::new().expect("runtime").block_on(async {
        motcua_server::db::connect(&url).await.expect("the server's database is created");
    });
    let (code, created) = motcua(&[
        "--format",
        "json",
        "token",
        "create",
        "--role",
        "officer",
        "--name",
        "Cán bộ một cửa",
        "--agency",
        "G22.26.01.01",
        "--duty",
        "reception",
        "--database-url",
        &url,
    ]);
    assert_eq!(code, 0);
    assert_eq!(created["database"], url.as_str(), "it says where it wrote");
    let secret = created["token"].as_str().expect("token").to_owned();
    assert!(secret.starts_with("mc_") && secret.len() == 67);
    let (code, listed) = motcua(&["--format", "json", "token", "list", "--database-url", &url]);
    assert_eq!(code, 0);
    assert!(!listed.to_string().contains(&secret[3..]), "the secret is never listed");
    let id = listed["tokens"][0]["id"].as_i64().expect("id").to_string();
    assert_eq!(motcua(&["--format", "json", "token", "revoke", &id, "--database-url", &url]).0, 0);
    let (code, again) = motcua(&["--format", "json", "token", "revoke", &id, "--database-url", &url]);
    assert_eq!(code, 1, "already revoked");
    assert!(again["error"].is_string());
    let (code, _) =
        motcua(&["--format", "json", "token", "create", "--role", "officer", "--name", "x", "--database-url", &url]);
    assert_eq!(code, 1, "an officer needs an agency and a duty");
    let client = |channels: &str| {
        motcua(&[
            "--format",
            "json",
            "token",
            "create",
            "--role",
            "client",
            "--name",
            "Bưu điện",
            "--channels",
            channels,
            "--database-url",
            &url,
        ])
    };
    assert_eq!(client("postal").0, 0);
    let (code, refused) = client("online,counter");
    assert_eq!(code, 1, "a client never files at the counter: {refused}");
    let (_, listed) = motcua(&["--format", "json", "token", "list", "--database-url", &url]);
    let tokens = listed["tokens"].as_array().expect("tokens");
    assert_eq!(tokens.last().expect("the postal client")["channels"], "postal", "{listed}");
    let _ = std::fs::remove_file(&file);
}
