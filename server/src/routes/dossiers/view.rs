//! What a dossier looks like in responses: in full for who may see it, reduced for the public
//! tracking lookup.

use crate::db::entities::dossier;
use crate::error::{ApiError, ErrorCode};
use crate::repository::dossiers::{RepoError, lifecycle};
use actix_web::HttpResponse;
use actix_web::http::header;
use chrono::{DateTime, FixedOffset};
use motcua_engine::calendar::VIETNAM_OFFSET;
use motcua_engine::lifecycle::Dossier;
use serde_json::{Value, json};

impl From<RepoError> for ApiError {
    fn from(error: RepoError) -> Self {
        match error {
            RepoError::Stale(version) => ApiError::new(
                ErrorCode::StaleVersion,
                format!("the dossier is no longer at version {version}; read it again"),
            ),
            RepoError::DuplicateKey => {
                ApiError::new(ErrorCode::IdempotencyKeyReused, "this idempotency key was already used")
            }
            RepoError::Database(e) => e.into(),
            RepoError::Corrupt(detail) => {
                tracing::error!(%detail, "corrupt dossier row");
                ApiError::new(ErrorCode::Internal, "a stored dossier could not be read")
            }
        }
    }
}

/// An instant in UTC+7: PostgreSQL hands `timestamptz` back in UTC, SQLite as stored.
fn local(at: Option<DateTime<FixedOffset>>) -> Option<DateTime<FixedOffset>> {
    at.map(|t| t.with_timezone(&VIETNAM_OFFSET))
}

/// The full view.
pub fn full(row: &dossier::Model) -> Result<Value, ApiError> {
    let d = lifecycle(row)?;
    let submission: Value = serde_json::from_str(&row.submission).unwrap_or(Value::Null);
    Ok(view(row, &d, &submission))
}

/// The full view from a row and its lifecycle and submission already in memory (a dossier just
/// stored need not be parsed back).
pub fn view(row: &dossier::Model, d: &Dossier, submission: &Value) -> Value {
    json!({
        "code": row.code,
        "lookup_key": submission["receipt"]["lookup_key"],
        "version": row.row_version,
        "procedure": {"code": row.procedure_code, "version": row.procedure_version},
        "agency": row.agency,
        "channel": row.channel,
        "state": row.state,
        "status_code": row.status_code,
        "submitted_at": local(Some(row.submitted_at)),
        "received_at": local(row.received_at),
        "due": local(row.due_at),
        "appointment": d.appointment(),
        "finished_at": local(row.finished_at),
        "timing": row.timing,
        "fee": row.fee,
        "steps": d.steps,
        "pause": d.pause,
        "apology": d.apology,
        "decision": d.decision,
        "reasons": d.reasons,
        "late_agencies": d.late_agencies(),
        "applicant": submission["applicant"],
        "form": submission["form"],
        "documents": submission["documents"],
        "receipt": submission["receipt"],
    })
}

/// What anyone holding the receipt's code and lookup key may see: no personal data.
pub fn public(row: &dossier::Model) -> Result<Value, ApiError> {
    let d = lifecycle(row)?;
    Ok(json!({
        "code": row.code,
        "procedure": {"code": row.procedure_code, "version": row.procedure_version},
        "state": row.state,
        "status_code": row.status_code,
        "received_at": local(row.received_at),
        "appointment": d.appointment(),
        "finished_at": local(row.finished_at),
    }))
}

/// A response with the dossier's version as ETag, for `If-Match` on the next action.
pub fn with_etag(mut response: actix_web::HttpResponseBuilder, row: &dossier::Model, body: Value) -> HttpResponse {
    response.insert_header((header::ETAG, format!("\"{}\"", row.row_version))).json(body)
}
