//! The shipped catalogue: every definition compiles cleanly, carries scenario tests that pass,
//! and every form schema is used and compiles.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use motcua_engine::calendar::Calendar;
use motcua_engine::compile::DirLoader;
use motcua_engine::definition::Channel;
use motcua_engine::examples::run_examples;
use motcua_engine::{CompileContext, Evaluation, Input, Procedure, compile, evaluate};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn files(dir: &str, extension: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(Path::new(ROOT).join(dir))
        .expect("folder exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.to_string_lossy().ends_with(extension))
        .collect();
    files.sort();
    files
}

fn catalogue() -> Vec<Procedure> {
    let ctx =
        CompileContext::new(Calendar::vietnam().expect("calendar"), DirLoader::new(Path::new(ROOT).join("schemas")));
    files("procedures", ".yaml")
        .iter()
        .map(|file| {
            let text = std::fs::read_to_string(file).expect("readable definition");
            let compilation = compile(&file.display().to_string(), &text, &ctx);
            let rendered: Vec<String> = compilation.diagnostics.iter().map(ToString::to_string).collect();
            assert!(rendered.is_empty(), "{}", rendered.join("\n"));
            compilation.procedure.expect("compiles")
        })
        .collect()
}

#[test]
fn every_definition_compiles_and_its_examples_pass() {
    for procedure in catalogue() {
        let outcomes = run_examples(&procedure);
        assert!(outcomes.len() >= 3, "{}: at least 3 scenarios, found {}", procedure.source, outcomes.len());
        if let Some(outcome) = outcomes.iter().find(|o| !o.passed()) {
            panic!("{}:{}: `{}`: {}", procedure.source, outcome.line, outcome.name, outcome.failures.join("; "));
        }
        let refusals = procedure.examples.iter().filter(|(e, _)| !e.expect.accepted).count();
        assert!(refusals >= 1, "{}: at least one refusal scenario", procedure.source);
        assert!(
            !days_off_crossed(&procedure).is_empty(),
            "{}: no accepted scenario crosses a day off",
            procedure.source
        );
    }
}

/// Names of the days off between receipt and due time of the accepted scenarios.
fn days_off_crossed(procedure: &Procedure) -> Vec<String> {
    procedure
        .examples
        .iter()
        .filter(|(e, _)| e.expect.accepted)
        .filter_map(|(e, _)| {
            let received = chrono::DateTime::parse_from_rfc3339(&e.received_at).ok()?;
            let due = chrono::DateTime::parse_from_rfc3339(e.expect.due.as_deref()?).ok()?;
            let mut day = received.date_naive();
            let mut names = Vec::new();
            while day <= due.date_naive() {
                if let Ok(Some(off)) = procedure.calendar().day_off(day) {
                    names.push(off.name);
                }
                day = day.succ_opt()?;
            }
            Some(names)
        })
        .flatten()
        .collect()
}

#[test]
fn scenarios_cross_tet() {
    let crossing = catalogue().iter().filter(|p| days_off_crossed(p).iter().any(|n| n.contains("Tết Âm lịch"))).count();
    assert!(crossing >= 3, "only {crossing} procedures have a scenario across Tết");
}

#[test]
fn every_form_schema_is_used_and_compiles() {
    let procedures = catalogue();
    let used: BTreeSet<&str> = procedures.iter().flat_map(|p| p.forms.iter().map(|f| f.schema_ref.as_str())).collect();
    for file in files("schemas/forms", ".schema.json") {
        let name = format!("forms/{}", file.file_name().expect("file name").to_string_lossy());
        assert!(used.contains(name.as_str()), "{name} is used by no procedure");
        let schema: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&file).expect("readable")).expect("JSON");
        jsonschema::options().build(&schema).unwrap_or_else(|e| panic!("{name} does not compile: {e}"));
    }
}

#[test]
fn online_only_procedures_refuse_the_counter_with_a_clear_message() {
    for procedure in catalogue().iter().filter(|p| p.channels == [Channel::Online]) {
        let now = chrono::DateTime::parse_from_rfc3339("2026-03-02T08:00:00+07:00").expect("time");
        let outcome = evaluate(
            procedure,
            Input { channel: Channel::Counter, form: &serde_json::json!({}), documents: &[], received_at: now },
        )
        .expect("evaluates");
        let Evaluation::Refused { reasons } = outcome else {
            panic!("{} accepted a counter dossier", procedure.source)
        };
        let channel = reasons.iter().find(|r| r.code() == "channel_refused").expect("channel refusal");
        assert!(channel.message().contains("chỉ tiếp nhận trực tuyến"), "{}", channel.message());
    }
}

#[test]
fn at_least_twenty_procedures_across_six_fields() {
    let procedures = catalogue();
    let codes: BTreeSet<&str> = procedures.iter().map(|p| p.code.as_str()).collect();
    let fields: BTreeSet<&str> = procedures.iter().map(|p| p.field.as_str()).collect();
    assert!(codes.len() >= 20, "{} procedures: {codes:?}", codes.len());
    assert!(fields.len() >= 6, "{fields:?}");
}

#[test]
fn the_historic_debt_clearance_was_cut_from_twelve_to_six_working_days() {
    let procedure = catalogue()
        .into_iter()
        .find(|p| p.name == "Đăng ký xóa nợ tiền sử dụng đất")
        .expect("the 2021 version of the debt clearance");
    assert_eq!(procedure.processing_time.to_string(), "6 ngày làm việc");
    assert_eq!(procedure.statutory_time.map(|t| t.to_string()).as_deref(), Some("12 ngày làm việc"));
}

#[test]
fn the_cut_land_procedure_shows_both_times_and_uses_the_committed_one() {
    let land = catalogue().into_iter().find(|p| p.code.as_str() == "1.004227").expect("the land-change procedure");
    assert_eq!(land.processing_time.to_string(), "5 ngày làm việc");
    assert_eq!(land.statutory_time.map(|t| t.to_string()).as_deref(), Some("10 ngày làm việc"));
    // Received Thursday 12/2/2026 09:00: 5 working days across Tết, not 10.
    let now = chrono::DateTime::parse_from_rfc3339("2026-02-12T09:00:00+07:00").expect("time");
    let due = land.calendar().add(now, &land.processing_time).expect("due");
    assert_eq!(due.to_rfc3339(), "2026-02-26T09:00:00+07:00");
}

#[test]
fn every_conditional_document_says_when_in_plain_words() {
    let mut missing = Vec::new();
    for procedure in catalogue() {
        for document in procedure.documents.iter().filter(|d| d.condition.is_some()) {
            match &document.condition_text {
                Some(text) if text.starts_with("Nộp khi ") && !text.contains("form.") => {
                    println!("{} {}: {text}", procedure.code, document.id);
                }
                other => missing.push(format!("{} {}: {other:?}", procedure.code, document.id)),
            }
        }
    }
    assert!(missing.is_empty(), "no plain words:\n{}", missing.join("\n"));
}
