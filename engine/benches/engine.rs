//! Compile and evaluate timed separately, each beside a bare baseline measured in the same
//! run (this machine is shared: compare ratios, not absolute times).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Datelike, Duration, FixedOffset, Weekday};
use divan::{Bencher, black_box};
use motcua_engine::calendar::{Calendar, ProcessingTime, WorkingDays};
use motcua_engine::compile::DirLoader;
use motcua_engine::definition::{Channel, Position};
use motcua_engine::rules::{Rule, RuleError, RuleInput, RuleKind, RuleSite, Sandbox, ScalarStyle, TimeBudget};
use motcua_engine::{CompileContext, Evaluation, Input, Procedure, compile, evaluate, evaluate_within};
use std::path::Path;
use std::sync::Arc;

fn main() {
    divan::main();
}

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

fn context() -> CompileContext {
    CompileContext::new(Calendar::vietnam().unwrap(), DirLoader::new(Path::new(ROOT).join("schemas")))
}

fn catalogue() -> Vec<(String, String)> {
    let mut files: Vec<_> =
        std::fs::read_dir(Path::new(ROOT).join("procedures")).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files.into_iter().map(|p| (p.display().to_string(), std::fs::read_to_string(&p).unwrap())).collect()
}

fn land_change(ctx: &CompileContext) -> Procedure {
    let (name, text) = catalogue().into_iter().find(|(name, _)| name.contains("1.004227")).unwrap();
    compile(&name, &text, ctx).procedure.unwrap()
}

fn submission() -> (serde_json::Value, Vec<String>, DateTime<FixedOffset>) {
    let form = serde_json::json!({"don_dang_ky": {
        "doi_tuong": "ca_nhan", "loai_thay_doi": "ho_ten",
        "nguoi_nop": {"ho_ten": "Nguyễn Văn An", "ngay_sinh": "1990-05-01", "so_dinh_danh": "064090001234"},
        "thua_dat": {"so_thua": 125, "to_ban_do": 14, "dia_chi": "Phường Hội Thương, Pleiku", "so_giay_chung_nhan": "CS 123456"},
        "noi_dung_thay_doi": "Thay đổi họ tên từ Nguyễn Văn Ân thành Nguyễn Văn An"}});
    let documents = ["don", "gcn", "giay_to_thay_doi"].map(String::from).to_vec();
    (form, documents, DateTime::parse_from_rfc3339("2026-02-12T09:00:00+07:00").unwrap())
}

/// The whole shipped catalogue, compiled (YAML, schema check, form schemas, rules, examples).
#[divan::bench(sample_count = 20)]
fn compile_catalogue(bencher: Bencher) {
    let ctx = context();
    let files = catalogue();
    bencher.bench(|| {
        for (name, text) in &files {
            assert!(compile(name, text, &ctx).procedure.is_some());
        }
    });
}

/// Baseline for compile: parsing the same YAML into a generic value only.
#[divan::bench(sample_count = 20)]
fn baseline_parse_catalogue_yaml(bencher: Bencher) {
    let files = catalogue();
    bencher.bench(|| {
        for (_, text) in &files {
            black_box(motcua_engine::definition::Node::parse(text).unwrap());
        }
    });
}

/// A realistic land-change submission: form schema, documents, eligibility, fee, due time.
#[divan::bench]
fn evaluate_land_change(bencher: Bencher) {
    let procedure = land_change(&context());
    let (form, documents, now) = submission();
    bencher.bench(|| {
        let outcome = evaluate(
            black_box(&procedure),
            Input { channel: Channel::Counter, form: black_box(&form), documents: &documents, received_at: now },
        )
        .unwrap();
        assert!(matches!(outcome, Evaluation::Accepted(_)));
    });
}

/// Baseline for evaluate: only validating the form against its compiled JSON Schema.
#[divan::bench]
fn baseline_form_schema_only(bencher: Bencher) {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(ROOT).join("schemas/forms/don-dang-ky-bien-dong.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::options().should_validate_formats(true).build(&schema).unwrap();
    let (form, _, _) = submission();
    bencher.bench(|| assert!(validator.is_valid(black_box(&form["don_dang_ky"]))));
}

/// 30 working days from a receipt time (crossing weekends; Tết from late January).
#[divan::bench(args = ["2026-02-12T09:00:00+07:00", "2026-06-15T14:30:00+07:00"])]
fn add_working_days_30(bencher: Bencher, from: &str) {
    let calendar = Calendar::vietnam().unwrap();
    let from = DateTime::parse_from_rfc3339(from).unwrap();
    let time = ProcessingTime::WorkingDays(WorkingDays::try_from(30.0).unwrap());
    bencher.bench(|| calendar.add(black_box(from), black_box(&time)).unwrap());
}

/// Baseline for add: a bare day-by-day walk that skips weekends only (no holidays, no hours).
#[divan::bench]
fn baseline_weekday_walk_30(bencher: Bencher) {
    let from = DateTime::parse_from_rfc3339("2026-02-12T09:00:00+07:00").unwrap();
    bencher.bench(|| {
        let (mut day, mut left) = (black_box(from), 30);
        while left > 0 {
            day += Duration::days(1);
            if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
                left -= 1;
            }
        }
        day
    });
}

/// Rules that never end, each built to make one operation as costly as the sandbox lets it.
const RUNAWAY: &[(&str, &str)] = &[
    ("empty loop", "loop { }"),
    ("calendar helper", r#"loop { working_days_between("2000-01-01", "2099-12-31"); }"#),
    ("16 KB string copy", r#"let s = "x"; while s.len() < 8000 { s += s; } loop { let t = s + s; }"#),
    (
        "2,000-item array sort",
        "let a = []; for i in 0..1999 { a.push((i * 7919) % 2000); } loop { let b = a; b.sort(); }",
    ),
    ("2,000-item array search", "let a = []; for i in 0..1999 { a.push(i); } loop { a.contains(-1); }"),
    ("2,000-entry map compare", "let m = #{}; for i in 0..1999 { m[`k${i}`] = i; } let n = m; loop { m == n; }"),
];

fn runaway_rule(name: &str) -> (Sandbox, Rule) {
    let sandbox = Sandbox::new(&Calendar::vietnam().unwrap());
    let text = RUNAWAY.iter().find(|(n, _)| *n == name).unwrap().1;
    let site =
        RuleSite { pointer: "/eligibility".to_owned(), at: Position { line: 1, column: 1 }, style: ScalarStyle::Plain };
    let rule = Rule::compile(&sandbox.engine(), RuleKind::Eligibility, text, site).unwrap();
    (sandbox, rule)
}

/// A runaway rule under the sandbox limits alone: stopped by the operation limit, after
/// milliseconds for cheap operations and seconds for costly ones.
#[divan::bench(args = ["empty loop", "calendar helper", "16 KB string copy", "2,000-item array sort"], sample_count = 5, sample_size = 1)]
fn runaway_without_time_budget(bencher: Bencher, name: &str) {
    let (sandbox, rule) = runaway_rule(name);
    bencher.bench(|| {
        let mut input = RuleInput::new(&serde_json::json!({}), "online", "2026-03-02", &[]);
        assert!(rule.reasons(&sandbox.engine(), &mut input).is_err());
    });
}

/// The same rules, and the costliest, under a 20 ms time budget, the caller's clock being
/// `Instant` as in the server: each stops at its first limit.
#[divan::bench(args = ["calendar helper", "16 KB string copy", "2,000-item array sort", "2,000-item array search", "2,000-entry map compare"], sample_count = 5, sample_size = 1)]
#[allow(clippy::disallowed_methods)] // the bench plays the server, which owns the clock
fn runaway_within_time_budget(bencher: Bencher, name: &str) {
    let (sandbox, rule) = runaway_rule(name);
    let origin = std::time::Instant::now();
    let budget = TimeBudget::new(std::time::Duration::from_millis(20), Arc::new(move || origin.elapsed()));
    bencher.bench(|| {
        let mut input = RuleInput::new(&serde_json::json!({}), "online", "2026-03-02", &[]);
        assert!(matches!(
            rule.reasons(&sandbox.engine_within(Some(&budget)), &mut input),
            Err(RuleError::Limit { .. })
        ));
    });
}

/// The realistic submission under a time budget: the cost of the clock readings.
#[divan::bench]
#[allow(clippy::disallowed_methods)] // the bench plays the server, which owns the clock
fn evaluate_land_change_within_time_budget(bencher: Bencher) {
    let procedure = land_change(&context());
    let (form, documents, now) = submission();
    let origin = std::time::Instant::now();
    let budget = TimeBudget::new(std::time::Duration::from_millis(50), Arc::new(move || origin.elapsed()));
    bencher.bench(|| {
        let outcome = evaluate_within(
            black_box(&procedure),
            Input { channel: Channel::Counter, form: black_box(&form), documents: &documents, received_at: now },
            Some(&budget),
        )
        .unwrap();
        assert!(matches!(outcome, Evaluation::Accepted(_)));
    });
}
