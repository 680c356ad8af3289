//! `GET …/diff?from=&to=`: what changed between two versions, field by field.

use crate::auth::MaybePrincipal;
use crate::catalogue::DRAFT;
use crate::error::{ApiError, ErrorCode};
use crate::repository::procedures;
use crate::state::AppState;
use actix_web::{HttpResponse, get, web};
use motcua_engine::definition::Node;
use serde::Deserialize;
use serde_json::Value;

/// The two versions: numbers, or `draft`.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DiffQuery {
    /// A version number, or `draft`.
    #[param(pattern = "^([0-9]+|draft)$", max_length = 10)]
    from: String,
    /// A version number, or `draft`.
    #[param(pattern = "^([0-9]+|draft)$", max_length = 10)]
    to: String,
}

/// The changes between two versions.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Diff {
    /// The procedure code.
    code: String,
    /// The version compared from, as asked.
    from: String,
    /// The version compared to, as asked.
    to: String,
    /// Every change, depth first.
    changes: Vec<FieldChange>,
}

/// One change, at a JSON pointer into the definition.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct FieldChange {
    /// The JSON pointer (`/processing_time/working_days`).
    path: String,
    /// What happened there.
    change: ChangeKind,
    /// The old value, unless it was added (it may itself be null).
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<Value>,
    /// The new value, unless it was removed (it may itself be null).
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<Value>,
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

/// The changes from one version to another (`from=1&to=2`, or `to=draft` for editors), as
/// JSON pointers with the old and new values — e.g. `/processing_time/working_days` 10 → 5.
#[utoipa::path(get, path = "/api/v1/procedures/{code}/diff", tag = "definitions", params(("code" = String, Path, description = "procedure code, e.g. 1.004227"), DiffQuery), responses((status = 200, description = "changes as JSON pointers with old and new values", body = Diff), (status = 404, description = "no such version", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/procedures/{code}/diff")]
pub async fn diff(
    principal: MaybePrincipal,
    state: web::Data<AppState>,
    code: web::Path<String>,
    query: crate::extract::Query<DiffQuery>,
) -> Result<HttpResponse, ApiError> {
    let rows = procedures::versions(&state.db, &code).await?;
    let editor = super::is_editor(principal.0.as_ref(), &state.db, &code, &rows).await?;
    let pick = |wanted: &str| -> Result<Value, ApiError> {
        let row = rows
            .iter()
            .find(|v| {
                if wanted == DRAFT {
                    editor && v.status == DRAFT
                } else {
                    v.status != DRAFT && v.version.to_string() == wanted
                }
            })
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("`{code}` has no version `{wanted}`")))?;
        Node::parse(&row.yaml).map(|n| n.to_json()).map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))
    };
    let (from, to) = (pick(&query.from)?, pick(&query.to)?);
    let mut out = Vec::new();
    changes("", &from, &to, &mut out);
    Ok(HttpResponse::Ok().json(Diff { code: code.into_inner(), from: query.0.from, to: query.0.to, changes: out }))
}
