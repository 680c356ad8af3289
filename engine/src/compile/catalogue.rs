//! Checks across the files of one catalogue: what no single file can tell.

use crate::definition::{Node, Position};
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::procedure::Procedure;
use std::collections::BTreeMap;

/// One compiled file of a catalogue: its name, its text and what it compiled to.
pub struct CatalogueFile<'a> {
    /// The file as named in diagnostics.
    pub file: &'a str,
    /// Its text, to locate the diagnostic.
    pub text: &'a str,
    /// The compiled procedure.
    pub procedure: &'a Procedure,
}

/// A diagnostic on every file that repeats a code and version an earlier file already
/// defines: a version is published once, so the folder could never be loaded whole.
pub fn duplicate_versions(files: &[CatalogueFile<'_>]) -> Vec<Diagnostic> {
    let mut first: BTreeMap<(String, u32), &str> = BTreeMap::new();
    let mut diagnostics = Vec::new();
    for file in files {
        let key = (file.procedure.code.to_string(), file.procedure.version);
        match first.get(&key) {
            None => {
                first.insert(key, file.file);
            }
            Some(earlier) => {
                let at = Node::parse(file.text)
                    .map(|root| root.locate("/version"))
                    .unwrap_or(Position { line: 1, column: 1 });
                diagnostics.push(Diagnostic {
                    file: file.file.to_owned(),
                    line: at.line,
                    column: at.column,
                    path: "/version".to_owned(),
                    code: Code::DuplicateVersion,
                    severity: Severity::Error,
                    message: format!("`{}` version {} is already defined in `{earlier}`", key.0, key.1),
                    help: Some("give this file the next version number, or remove one of the two".to_owned()),
                });
            }
        }
    }
    diagnostics
}
