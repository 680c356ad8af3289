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
    let _ = std::fs::remove_file(&file);
}
