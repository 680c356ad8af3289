//! The catalogue of codes: complete (every code any enum returns has titles and help, and the
//! texts name no code that does not exist), stable (a snapshot of the list: codes are added,
//! never renamed or dropped), and served where each problem's `type` points.

use crate::helpers::spawn_app;
use motcua_server::problems::{Family, catalogue, drift};
use serde_json::Value;
use std::collections::BTreeSet;

const SNAPSHOT: &str = "tests/snapshots/codes.txt";

#[test]
fn every_code_has_titles_and_help_and_no_text_is_orphaned() {
    let (orphans, undescribed) = drift();
    assert!(undescribed.is_empty(), "codes without an entry in server/src/problems/texts.yaml: {undescribed:?}");
    assert!(orphans.is_empty(), "entries of server/src/problems/texts.yaml that no enum returns: {orphans:?}");
    for entry in catalogue() {
        for (what, text) in [("en", &entry.en), ("vi", &entry.vi), ("help", &entry.help), ("help_vi", &entry.help_vi)] {
            assert!(
                !text.trim().is_empty() && text != entry.code,
                "{} `{}` has no {what}",
                entry.family.as_str(),
                entry.code
            );
        }
    }
}

#[test]
fn codes_are_added_never_renamed_or_dropped() {
    let current: Vec<String> =
        catalogue().iter().map(|e| format!("{} {} {}", e.family.as_str(), e.code, e.status)).collect();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(SNAPSHOT);
    let recorded = std::fs::read_to_string(&path).unwrap_or_default();
    let recorded: Vec<&str> = recorded.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).collect();
    let now: BTreeSet<&str> = current.iter().map(String::as_str).collect();
    let gone: Vec<&&str> = recorded.iter().filter(|line| !now.contains(**line)).collect();
    assert!(
        gone.is_empty(),
        "codes renamed, dropped or answered with another status (clients match on them): {gone:?}"
    );
    let added: Vec<&String> = current.iter().filter(|line| !recorded.contains(&line.as_str())).collect();
    if std::env::var_os("MOTCUA_UPDATE_SNAPSHOTS").is_some() {
        let mut text =
            "# family code status: every code of the catalogue. Lines are added, never changed or removed.\n"
                .to_owned();
        text.push_str(&current.join("\n"));
        text.push('\n');
        std::fs::write(&path, text).expect("snapshot written");
        return;
    }
    assert!(added.is_empty(), "new codes {added:?}: run with MOTCUA_UPDATE_SNAPSHOTS=1 to record them in {SNAPSHOT}");
}

#[tokio::test]
async fn a_problem_type_leads_to_its_page_and_the_catalogue_lists_every_code() {
    let app = spawn_app().await;
    let missing: Value = app.get("/api/v1/dossiers/G22.26.01.01-260302-0001").await.json().await.expect("JSON");
    let page = app.get(missing["type"].as_str().expect("type")).await;
    assert_eq!(page.status(), 200);
    assert!(page.headers()["content-type"].to_str().expect("type").starts_with("text/html"));
    let html = page.text().await.expect("page");
    assert!(html.contains("<code>not_found</code>") && html.contains("Không tìm thấy"), "{html}");

    // A problem carrying codes lists them on its page.
    let refused = app.get("/problems/submission_refused").await.text().await.expect("page");
    for code in ["missing_document", "invalid_field", "ineligible"] {
        assert!(refused.contains(&format!("id=\"refusal-{code}\"")), "submission_refused does not list {code}");
    }

    let index = app.get("/problems").await.text().await.expect("catalogue");
    for entry in catalogue() {
        let anchor = format!("id=\"{}-{}\"", entry.family.as_str(), entry.code);
        assert!(index.contains(&anchor), "the catalogue page does not list {anchor}");
    }
    assert!(Family::ALL.iter().all(|f| index.contains(&format!("id=\"{}\"", f.as_str()))));

    let unknown = app.get("/problems/no_such_code").await;
    assert_eq!(unknown.status(), 404);
}
