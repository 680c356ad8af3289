//! Collects diagnostics for one file, locating JSON pointers through the YAML tree.

use crate::definition::{Node, Position};
use crate::diagnostic::{Code, Diagnostic, Severity};

/// Diagnostics of one file.
pub(crate) struct Report<'a> {
    pub file: &'a str,
    pub root: Option<&'a Node>,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Report<'a> {
    pub fn new(file: &'a str) -> Self {
        Report { file, root: None, diagnostics: Vec::new() }
    }

    pub fn locate(&self, pointer: &str) -> Position {
        self.root.map_or(Position { line: 1, column: 1 }, |root| root.locate(pointer))
    }

    /// An error at the value a pointer names.
    pub fn error(&mut self, pointer: &str, code: Code, message: String, help: impl Into<Option<String>>) {
        let at = self.locate(pointer);
        self.error_at(at, pointer, code, message, help);
    }

    /// An error at an explicit position.
    pub fn error_at(
        &mut self,
        at: Position,
        pointer: &str,
        code: Code,
        message: String,
        help: impl Into<Option<String>>,
    ) {
        self.push(at, pointer, code, Severity::Error, message, help.into());
    }

    /// A warning at the value a pointer names.
    pub fn warning(&mut self, pointer: &str, code: Code, message: String, help: impl Into<Option<String>>) {
        let at = self.locate(pointer);
        self.push(at, pointer, code, Severity::Warning, message, help.into());
    }

    fn push(
        &mut self,
        at: Position,
        pointer: &str,
        code: Code,
        severity: Severity,
        message: String,
        help: Option<String>,
    ) {
        let diagnostic = Diagnostic {
            file: self.file.to_owned(),
            line: at.line,
            column: at.column,
            path: pointer.to_owned(),
            code,
            severity,
            message,
            help,
        };
        // The same problem can be reached twice (e.g. a schema branch and a semantic check).
        if !self.diagnostics.contains(&diagnostic) {
            self.diagnostics.push(diagnostic);
        }
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}
