//! The broken-definitions corpus (STYLE.md point 14) and the command line over it.
//!
//! Every `tests/broken/*.yaml` opens with the diagnostics it must produce, one per line:
//! `# expect: CODE at LINE` or `# expect: CODE at LINE:COL`. The compiler must refuse the file,
//! report each expectation, and report no error the file does not declare: a fixture that trips
//! an unintended check no longer isolates the one it was written for.

// Helpers outside `#[test]` functions are test code too: a panic is the failure report.
#![allow(clippy::expect_used)]

use motcua_engine::calendar::Calendar;
use motcua_engine::compile::DirLoader;
use motcua_engine::{CompileContext, Diagnostic, compile};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The corpus must not silently shrink.
const MIN_FILES: usize = 30;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// One `# expect:` line.
#[derive(Debug)]
struct Expectation {
    code: String,
    line: u32,
    column: Option<u32>,
}

impl Expectation {
    /// Parses what follows `# expect:`, e.g. ` unknown_key at 14:3`.
    fn parse(text: &str) -> Result<Self, String> {
        let bad = || format!("malformed `# expect:{text}`: write `# expect: CODE at LINE[:COL]`");
        let (code, at) = text.trim().split_once(" at ").ok_or_else(bad)?;
        let (line, column) = match at.split_once(':') {
            Some((line, column)) => (line, Some(column.parse().map_err(|_| bad())?)),
            None => (at, None),
        };
        Ok(Expectation { code: code.trim().to_owned(), line: line.parse().map_err(|_| bad())?, column })
    }

    fn matches(&self, d: &Diagnostic) -> bool {
        d.code.as_str() == self.code && d.line == self.line && self.column.is_none_or(|c| c == d.column)
    }
}

/// The `# expect:` lines a file opens with; none at all is an error.
fn expectations(text: &str) -> Result<Vec<Expectation>, String> {
    let found: Vec<Expectation> =
        text.lines().map_while(|l| l.strip_prefix("# expect:")).map(Expectation::parse).collect::<Result<_, _>>()?;
    if found.is_empty() {
        return Err("the file does not open with `# expect: CODE at LINE` lines".to_owned());
    }
    Ok(found)
}

/// The corpus files, sorted.
fn broken_files() -> Vec<PathBuf> {
    let dir = repo().join("tests/broken");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("a readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

/// What is wrong with one file's compilation, empty when it behaves as declared.
fn check(name: &str, text: &str, ctx: &CompileContext) -> Vec<String> {
    let expected = match expectations(text) {
        Ok(expected) => expected,
        Err(problem) => return vec![problem],
    };
    let compilation = compile(name, text, ctx);
    let mut problems = Vec::new();
    if compilation.procedure.is_some() {
        problems.push("compiled to a procedure; a broken definition must be refused".to_owned());
    }
    for e in expected.iter().filter(|e| !compilation.diagnostics.iter().any(|d| e.matches(d))) {
        let at = e.column.map_or(e.line.to_string(), |c| format!("{}:{c}", e.line));
        problems.push(format!("expected {} at {at}, not reported", e.code));
    }
    for d in compilation.diagnostics.iter().filter(|d| d.is_error()) {
        if !expected.iter().any(|e| e.code == d.code.as_str() && e.line == d.line) {
            problems.push(format!("undeclared error {} at {}:{}", d.code, d.line, d.column));
        }
    }
    if !problems.is_empty() {
        problems.push("diagnostics:".to_owned());
        problems.extend(compilation.diagnostics.iter().map(|d| format!("  {d}")));
    }
    problems
}

#[test]
fn every_broken_definition_reports_what_it_declares() {
    let ctx = CompileContext::new(
        Calendar::vietnam().expect("the embedded calendar builds"),
        DirLoader::new(repo().join("schemas")),
    );
    let files = broken_files();
    assert!(files.len() >= MIN_FILES, "tests/broken/ holds {} files, expected at least {MIN_FILES}", files.len());
    let mut report = String::new();
    for path in &files {
        let name = path.file_name().and_then(|n| n.to_str()).expect("a UTF-8 file name");
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let problems = check(name, &text, &ctx);
        if !problems.is_empty() {
            report.push_str(&format!("\n{name}:\n    {}\n", problems.join("\n    ")));
        }
    }
    assert!(report.is_empty(), "broken definitions that do not behave as declared:{report}");
}

#[test]
fn expectation_lines_parse() {
    let e = Expectation::parse(" unknown_key at 14:3").expect("valid");
    assert_eq!((e.code.as_str(), e.line, e.column), ("unknown_key", 14, Some(3)));
    assert_eq!(Expectation::parse(" too_long at 5").expect("valid").column, None);
    assert!(Expectation::parse(" too_long 5").is_err());
    assert!(expectations("code: \"1.000894\"\n").is_err());
}

/// Runs the real binary from the repository root.
fn motcua(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_motcua")).args(args).current_dir(repo()).output().expect("the motcua binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

#[test]
fn validate_prints_located_diagnostics_and_fails() {
    let file = "tests/broken/22-unknown-role.yaml";
    let text = std::fs::read_to_string(repo().join(file)).expect("the fixture exists");
    let expected = &expectations(&text).expect("the fixture declares its codes")[0];
    let output = motcua(&["validate", file]);
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{out}");
    // Every line is `FILE:LINE:COL: error[CODE]: message`.
    for line in out.lines() {
        let mut parts = line.splitn(4, ':');
        let (f, l, c, rest) = (parts.next(), parts.next(), parts.next(), parts.next().unwrap_or_default());
        assert_eq!(f, Some(file), "{line}");
        assert!(
            l.and_then(|l| l.parse::<u32>().ok()).is_some() && c.and_then(|c| c.parse::<u32>().ok()).is_some(),
            "{line}"
        );
        assert!(rest.starts_with(" error[") && rest.contains("]: "), "{line}");
    }
    let column = expected.column.expect("the fixture declares a column");
    let prefix = format!("{file}:{}:{column}: error[{}]: ", expected.line, expected.code);
    assert!(out.lines().any(|l| l.starts_with(&prefix)), "no line starting with `{prefix}` in:\n{out}");
}

#[test]
fn validate_json_over_the_catalogue_reports_no_error() {
    let output = motcua(&["--format", "json", "validate", "procedures/"]);
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{out}");
    let report: serde_json::Value = serde_json::from_str(&out).expect("one JSON document");
    assert_eq!(report["errors"], 0, "{out}");
    assert!(report["files"].as_u64().is_some_and(|n| n >= 1), "{out}");
}

#[test]
fn the_catalogue_validates_and_its_examples_pass() {
    for command in ["validate", "test"] {
        let output = motcua(&[command, "procedures/"]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "motcua {command} procedures/:\n{}{}",
            stdout(&output),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn two_files_with_one_code_and_version_are_reported_and_serve_refuses_them() {
    let dir = std::env::temp_dir().join(format!("motcua-duplicates-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("folder");
    let original = repo().join("procedures/1.001193-dang-ky-khai-sinh.yaml");
    for name in ["a-khai-sinh.yaml", "b-khai-sinh-copy.yaml"] {
        std::fs::copy(&original, dir.join(name)).expect("copied");
    }
    let folder = dir.display().to_string();
    let output = motcua(&["--format", "json", "validate", "--schemas", "schemas", &folder]);
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{out}");
    let report: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let diagnostics = report["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diagnostics.len(), 1, "{out}");
    assert_eq!(diagnostics[0]["code"], "duplicate_version");
    assert!(diagnostics[0]["file"].as_str().is_some_and(|f| f.ends_with("b-khai-sinh-copy.yaml")), "{out}");
    assert!(diagnostics[0]["message"].as_str().is_some_and(|m| m.contains("a-khai-sinh.yaml")), "{out}");
    let text = std::fs::read_to_string(&original).expect("read");
    let line = text.lines().position(|l| l.starts_with("version:")).expect("a version line") + 1;
    assert_eq!(diagnostics[0]["line"], line, "{out}");

    // `serve` on that folder stops with the same located diagnostic, not a database error.
    let db = dir.join("motcua.db");
    let url = format!("sqlite://{}?mode=rwc", db.display());
    let output = motcua(&["serve", "--bind", "127.0.0.1:0", "--database-url", &url, "--procedures", &folder]);
    let err = String::from_utf8_lossy(&output.stderr);
    assert_ne!(output.status.code(), Some(0), "{err}");
    assert!(err.contains("error[duplicate_version]"), "{err}");
    assert!(!err.to_lowercase().contains("unique constraint"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_misspelt_key_or_role_gets_the_name_it_meant() {
    let output = motcua(&["--format", "json", "validate", "tests/broken/48-four-mistakes-one-pass.yaml"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    let help = |code: &str| {
        report["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .find(|d| d["code"] == code)
            .and_then(|d| d["help"].as_str())
            .unwrap_or_default()
            .to_owned()
    };
    assert!(help("unknown_key").starts_with("did you mean `agency_name`?"), "{report}");
    let text = std::fs::read_to_string(repo().join("tests/broken/22-unknown-role.yaml")).expect("fixture");
    let dir = std::env::temp_dir().join(format!("motcua-suggest-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("folder");
    let file = dir.join("misspelt-role.yaml");
    std::fs::write(&file, text.replace("role: lanh_dao", "role: laeder")).expect("written");
    let output = motcua(&["--format", "json", "validate", "--schemas", "schemas", &file.display().to_string()]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    let diagnostics = report["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diagnostics.len(), 1, "the format check and the semantic pass say it once: {report}");
    assert!(diagnostics[0]["help"].as_str().is_some_and(|h| h.starts_with("did you mean `leader`?")), "{report}");
    let _ = std::fs::remove_dir_all(&dir);
}
