//! `motcua validate` and `motcua test` over files and folders of definitions.

use crate::output::{Format, print_json};
use motcua_engine::calendar::Calendar;
use motcua_engine::compile::DirLoader;
use motcua_engine::compile::catalogue::{CatalogueFile, duplicate_versions};
use motcua_engine::examples::run_examples;
use motcua_engine::{Compilation, CompileContext, Diagnostic, compile};
use serde_json::json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Definition files under the given paths, sorted, or the paths that could not be read.
fn definition_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for path in paths {
        collect(path, &mut files).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    }
    files.sort();
    Ok(files)
}

fn collect(path: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if path.is_dir() {
        for entry in std::fs::read_dir(path)? {
            collect(&entry?.path(), files)?;
        }
    } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") || path.is_file() {
        // A file named explicitly is checked whatever its extension; in folders only YAML.
        if path.exists() {
            files.push(path.to_owned());
        } else {
            return Err(std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"));
        }
    } else if !path.exists() {
        return Err(std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or folder"));
    }
    Ok(())
}

/// The nearest `schemas/` folder at or above the file's folder.
fn schemas_for(file: &Path) -> PathBuf {
    let start = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_owned());
    start
        .ancestors()
        .skip(1)
        .map(|dir| dir.join("schemas"))
        .find(|dir| dir.is_dir())
        .unwrap_or_else(|| PathBuf::from("schemas"))
}

/// Compiles every file, sharing one context per schema folder.
fn compile_all(
    paths: &[PathBuf],
    schemas: Option<&Path>,
    calendar: &Calendar,
) -> Result<Vec<(PathBuf, Compilation)>, String> {
    let files = definition_files(paths)?;
    let mut contexts: BTreeMap<PathBuf, CompileContext> = BTreeMap::new();
    let mut results = Vec::new();
    let mut texts = Vec::new();
    for file in files {
        let root = schemas.map_or_else(|| schemas_for(&file), Path::to_owned);
        let ctx =
            contexts.entry(root.clone()).or_insert_with(|| CompileContext::new(calendar.clone(), DirLoader::new(root)));
        let name = file.display().to_string();
        let text = match std::fs::read(&file) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|e| format!("`{name}` is not UTF-8 text: {e}"))?,
            Err(e) => return Err(format!("cannot read `{name}`: {e}")),
        };
        results.push((file, compile(&name, &text, ctx)));
        texts.push((name, text));
    }
    let compiled: Vec<CatalogueFile<'_>> = results
        .iter()
        .zip(&texts)
        .filter_map(|((_, c), (file, text))| {
            c.procedure.as_ref().map(|procedure| CatalogueFile { file, text, procedure })
        })
        .collect();
    let duplicates = duplicate_versions(&compiled);
    for diagnostic in duplicates {
        if let Some((_, compilation)) = results.iter_mut().find(|(f, _)| f.display().to_string() == diagnostic.file) {
            compilation.procedure = None;
            compilation.diagnostics.push(diagnostic);
        }
    }
    Ok(results)
}

/// `motcua validate`: true when no file has an error.
pub fn validate(paths: &[PathBuf], schemas: Option<&Path>, calendar: &Calendar, format: Format) -> bool {
    let results = match compile_all(paths, schemas, calendar) {
        Ok(results) => results,
        Err(message) => return fail(&message, format),
    };
    let diagnostics: Vec<&Diagnostic> = results.iter().flat_map(|(_, c)| &c.diagnostics).collect();
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    match format {
        Format::Json => print_json(&json!({
            "files": results.len(),
            "errors": errors,
            "warnings": diagnostics.len() - errors,
            "diagnostics": diagnostics,
        })),
        Format::Text => {
            for d in &diagnostics {
                println!("{d}");
            }
            eprintln!("{} file(s), {errors} error(s), {} warning(s)", results.len(), diagnostics.len() - errors);
        }
    }
    errors == 0
}

/// `motcua test`: true when every file compiles and every example passes.
pub fn test(paths: &[PathBuf], schemas: Option<&Path>, calendar: &Calendar, format: Format) -> bool {
    let results = match compile_all(paths, schemas, calendar) {
        Ok(results) => results,
        Err(message) => return fail(&message, format),
    };
    let (mut passed, mut failed) = (0, 0);
    let mut report = Vec::new();
    for (file, compilation) in &results {
        let name = file.display().to_string();
        let Some(procedure) = &compilation.procedure else {
            failed += 1;
            for d in compilation.diagnostics.iter().filter(|d| d.is_error()) {
                report.push(json!({"file": name, "line": d.line, "example": null, "passed": false, "failures": [d.to_string()]}));
                if format == Format::Text {
                    println!("{d}");
                }
            }
            continue;
        };
        for outcome in run_examples(procedure) {
            if outcome.passed() {
                passed += 1;
            } else {
                failed += 1;
                if format == Format::Text {
                    for failure in &outcome.failures {
                        println!("{name}:{}:1: error[example_failed]: `{}`: {failure}", outcome.line, outcome.name);
                    }
                }
            }
            report.push(json!({"file": name, "line": outcome.line, "example": outcome.name, "passed": outcome.passed(), "failures": outcome.failures}));
        }
    }
    match format {
        Format::Json => print_json(&json!({"passed": passed, "failed": failed, "results": report})),
        Format::Text => println!("{passed} passed, {failed} failed"),
    }
    failed == 0
}

fn fail(message: &str, format: Format) -> bool {
    match format {
        Format::Json => print_json(&json!({"error": message})),
        Format::Text => eprintln!("error: {message}"),
    }
    false
}
