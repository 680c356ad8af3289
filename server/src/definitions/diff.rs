//! What changed between two versions of a definition, field by field, as JSON pointers.

use super::Definitions;
use crate::auth::Principal;
use crate::catalogue::DRAFT;
use crate::error::{ApiError, ErrorCode};
use motcua_engine::definition::Node;
use serde_json::Value;

/// The changes between two versions.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Diff {
    /// The procedure code.
    pub code: String,
    /// The version compared from, as asked.
    pub from: String,
    /// The version compared to, as asked.
    pub to: String,
    /// Every change, depth first.
    pub changes: Vec<FieldChange>,
}

/// One change, at a JSON pointer into the definition.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct FieldChange {
    /// The JSON pointer (`/processing_time/working_days`).
    pub path: String,
    /// What happened there.
    pub change: ChangeKind,
    /// The old value, unless it was added (it may itself be null).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<Value>,
    /// The new value, unless it was removed (it may itself be null).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<Value>,
}

/// What happened at a path.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Only the old version has it.
    Removed,
    /// Only the new version has it.
    Added,
    /// Both have it, with different values.
    Changed,
}

impl FieldChange {
    fn removed(path: String, from: &Value) -> Self {
        Self { path, change: ChangeKind::Removed, from: Some(from.clone()), to: None }
    }

    fn added(path: String, to: &Value) -> Self {
        Self { path, change: ChangeKind::Added, from: None, to: Some(to.clone()) }
    }
}

/// The changes from `from` to `to`, below `path`.
fn changes(path: &str, from: &Value, to: &Value, out: &mut Vec<FieldChange>) {
    match (from, to) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let child = format!("{path}/{}", key.replace('~', "~0").replace('/', "~1"));
                match b.get(key) {
                    Some(other) => changes(&child, value, other, out),
                    None => out.push(FieldChange::removed(child, value)),
                }
            }
            for (key, value) in b.iter().filter(|(k, _)| !a.contains_key(*k)) {
                out.push(FieldChange::added(format!("{path}/{}", key.replace('~', "~0").replace('/', "~1")), value));
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for i in 0..a.len().max(b.len()) {
                let child = format!("{path}/{i}");
                match (a.get(i), b.get(i)) {
                    (Some(x), Some(y)) => changes(&child, x, y, out),
                    (Some(x), None) => out.push(FieldChange::removed(child, x)),
                    (None, Some(y)) => out.push(FieldChange::added(child, y)),
                    (None, None) => {}
                }
            }
        }
        (a, b) if a != b => out.push(FieldChange {
            path: path.to_owned(),
            change: ChangeKind::Changed,
            from: Some(a.clone()),
            to: Some(b.clone()),
        }),
        _ => {}
    }
}

impl Definitions<'_> {
    /// The changes from version `from` to version `to` of `code` (numbers, or `draft` for
    /// those who may edit it).
    pub async fn diff(
        &self,
        principal: Option<&Principal>,
        code: &str,
        from: &str,
        to: &str,
    ) -> Result<Diff, ApiError> {
        let rows = self.stored(principal, code).await?;
        let pick = |wanted: &str| -> Result<Value, ApiError> {
            let row = rows
                .iter()
                .find(|v| {
                    if wanted == DRAFT {
                        v.status == DRAFT
                    } else {
                        v.status != DRAFT && v.version.to_string() == wanted
                    }
                })
                .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("`{code}` has no version `{wanted}`")))?;
            Node::parse(&row.yaml).map(|n| n.to_json()).map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))
        };
        let (old, new) = (pick(from)?, pick(to)?);
        let mut out = Vec::new();
        changes("", &old, &new, &mut out);
        Ok(Diff { code: code.to_owned(), from: from.to_owned(), to: to.to_owned(), changes: out })
    }
}
