//! Form schemas: where they are loaded from, how they compile, which fields they declare.

use serde_json::Value;
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

/// Why a schema could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    /// No schema at that path.
    #[error("no form schema at `{0}`")]
    NotFound(String),
    /// The path leaves the schema root or is absolute.
    #[error("`{0}` is not a path inside the schemas folder")]
    Outside(String),
    /// The file exists but cannot be read.
    #[error("cannot read `{path}`: {reason}")]
    Unreadable {
        /// The path.
        path: String,
        /// The I/O error.
        reason: String,
    },
}

/// Where form schemas named by path come from: the schemas/ folder for files, the server's
/// store for definitions uploaded through the API. Both compile the same way.
pub trait SchemaLoader: Send + Sync {
    /// The schema text at `path` (relative to the schema root, e.g. `forms/x.schema.json`).
    fn load(&self, path: &str) -> Result<String, LoadError>;
    /// How to name the schema's file in diagnostics.
    fn display(&self, path: &str) -> String {
        path.to_owned()
    }
}

/// Rejects absolute paths and `..`: a definition may only name schemas under the root.
fn checked(path: &str) -> Result<&Path, LoadError> {
    let candidate = Path::new(path);
    if candidate.components().all(|c| matches!(c, Component::Normal(_))) {
        Ok(candidate)
    } else {
        Err(LoadError::Outside(path.to_owned()))
    }
}

/// Loads schemas from a folder (the repository's `schemas/`).
#[derive(Debug, Clone)]
pub struct DirLoader {
    root: PathBuf,
}

impl DirLoader {
    /// Schemas under `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        DirLoader { root: root.into() }
    }
}

impl SchemaLoader for DirLoader {
    fn load(&self, path: &str) -> Result<String, LoadError> {
        let full = self.root.join(checked(path)?);
        std::fs::read_to_string(&full).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => LoadError::NotFound(path.to_owned()),
            _ => LoadError::Unreadable { path: path.to_owned(), reason: e.to_string() },
        })
    }

    fn display(&self, path: &str) -> String {
        self.root.join(path).display().to_string()
    }
}

/// Schemas held in memory, by path.
#[derive(Debug, Clone, Default)]
pub struct MemoryLoader {
    schemas: HashMap<String, String>,
}

impl MemoryLoader {
    /// An empty store.
    pub fn new() -> Self {
        MemoryLoader::default()
    }

    /// Adds or replaces a schema.
    pub fn insert(&mut self, path: impl Into<String>, text: impl Into<String>) {
        self.schemas.insert(path.into(), text.into());
    }
}

impl SchemaLoader for MemoryLoader {
    fn load(&self, path: &str) -> Result<String, LoadError> {
        checked(path)?;
        self.schemas.get(path).cloned().ok_or_else(|| LoadError::NotFound(path.to_owned()))
    }
}

/// Compiles a form schema with format validation on (dates, e-mails are checked).
pub(crate) fn compile_schema(schema: &Value) -> Result<jsonschema::Validator, String> {
    jsonschema::options().should_validate_formats(true).build(schema).map_err(|e| e.to_string())
}

/// Whether a field path (`["nguoi_nop", "ngay_sinh"]`) is declared by a form schema, as far as
/// the schema says: `Some(false)` when an object schema lists its properties and the name is
/// not among them, `None` when the schema leaves it open.
pub(crate) fn declares(schema: &Value, path: &[String]) -> Option<bool> {
    let mut node = resolve(schema, schema);
    for segment in path {
        let properties = node.get("properties").and_then(Value::as_object)?;
        match properties.get(segment) {
            Some(next) => node = resolve(schema, next),
            None => {
                let open = matches!(node.get("additionalProperties"), Some(Value::Bool(true) | Value::Object(_)));
                return if open { None } else { Some(false) };
            }
        }
    }
    Some(true)
}

/// The field names declared beside the last segment of `path`: where a misspelt field's
/// correct name is.
pub(crate) fn sibling_fields(schema: &Value, path: &[String]) -> Vec<String> {
    let mut node = resolve(schema, schema);
    for segment in path.iter().take(path.len().saturating_sub(1)) {
        match node.get("properties").and_then(|p| p.get(segment)) {
            Some(next) => node = resolve(schema, next),
            None => return Vec::new(),
        }
    }
    node.get("properties").and_then(Value::as_object).map(|p| p.keys().cloned().collect()).unwrap_or_default()
}

/// Follows a local `$ref` (`#/$defs/x`) once; other references are left alone.
pub(crate) fn resolve<'v>(root: &'v Value, node: &'v Value) -> &'v Value {
    node.get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|pointer| root.pointer(pointer))
        .unwrap_or(node)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn declared_fields() {
        let schema = json!({"type":"object","properties":{"a":{"$ref":"#/$defs/p"}},"$defs":{"p":{"type":"object","properties":{"b":{"type":"string"}}}}});
        let path = |p: &[&str]| p.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(declares(&schema, &path(&["a", "b"])), Some(true));
        assert_eq!(declares(&schema, &path(&["a", "c"])), Some(false));
        assert_eq!(declares(&schema, &path(&["z"])), Some(false));
        assert_eq!(declares(&json!({"type":"object"}), &path(&["z"])), None);
    }

    #[test]
    fn loaders_refuse_paths_outside_the_root() {
        let loader = MemoryLoader::new();
        assert!(matches!(loader.load("../etc/passwd"), Err(LoadError::Outside(_))));
        assert!(matches!(DirLoader::new("/tmp").load("/etc/passwd"), Err(LoadError::Outside(_))));
        assert!(matches!(loader.load("forms/x.json"), Err(LoadError::NotFound(_))));
    }
}
