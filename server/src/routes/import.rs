//! `POST /api/v1/import/dossiers`: historic dossiers from the office's previous system, as
//! NDJSON. Deadlines and lateness are recomputed by the engine from the definitions, never
//! taken from the file.

use crate::auth::{ApiRole, Principal, hash_secret};
use crate::catalogue::Catalogue;
use crate::error::{ApiError, ErrorCode};
use crate::intake::{Applicant, Submission, Submitter, receive};
use crate::repository::dossiers;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, FixedOffset};
use motcua_engine::definition::Channel;
use motcua_engine::lifecycle::{Action, Actor, Event, transition};
use sea_orm::DatabaseConnection;
use serde::Deserialize;
use serde_json::{Value, json};

/// Largest import body.
pub const MAX_IMPORT_BODY: usize = 32 * 1024 * 1024;

/// One transition of a historic dossier, as it happened.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HistoricEvent {
    at: DateTime<FixedOffset>,
    actor: Actor,
    action: Action,
}

/// One line: the submission, when it was received, and what happened to it since.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HistoricDossier {
    procedure: String,
    channel: Channel,
    received_at: DateTime<FixedOffset>,
    #[serde(default)]
    form: Value,
    #[serde(default)]
    documents: Vec<String>,
    applicant: Applicant,
    #[serde(default)]
    events: Vec<HistoricEvent>,
}

/// Why a line was not imported.
struct LineError {
    code: &'static str,
    message: String,
    extra: Option<Value>,
}

impl From<ApiError> for LineError {
    fn from(error: ApiError) -> Self {
        LineError { code: error.code(), message: error.to_string(), extra: None }
    }
}

async fn import_line(
    db: &DatabaseConnection,
    catalogue: &Catalogue,
    principal: &Principal,
    line: &str,
) -> Result<String, LineError> {
    let historic: HistoricDossier = serde_json::from_str(line).map_err(|e| LineError {
        code: "invalid_line",
        message: e.to_string(),
        extra: None,
    })?;
    let received = historic.received_at;
    let procedure = catalogue.get(&historic.procedure, None, received.date_naive()).ok_or_else(|| LineError {
        code: "not_in_force",
        message: format!("no version of `{}` was in force on {}", historic.procedure, received.date_naive()),
        extra: None,
    })?;
    let submission = Submission {
        procedure: historic.procedure,
        channel: historic.channel,
        form: historic.form,
        documents: historic.documents,
        applicant: historic.applicant,
    };
    submission.check()?;
    let submitter = Submitter {
        token: principal.id,
        name: &format!("import ({})", principal.name),
        idempotency_key: None,
        request_hash: hash_secret(line),
    };
    let (mut new, receipt) = receive(&procedure, &submission, received, submitter).map_err(|e| {
        let reasons = e.to_string();
        LineError { code: "submission_refused", message: reasons, extra: None }
    })?;
    let mut history: Vec<(Event, Value)> = Vec::new();
    let mut last = received;
    for (i, event) in historic.events.into_iter().enumerate() {
        if event.at < last {
            return Err(LineError {
                code: "events_out_of_order",
                message: format!("event {i} at {} is before the one before it", event.at),
                extra: None,
            });
        }
        last = event.at;
        let payload = json!({"import": true, "action": event.action});
        let (next, recorded) =
            transition(&procedure, &new.lifecycle, &event.actor, event.action, event.at).map_err(|e| LineError {
                code: "action_refused",
                message: format!("event {i}: {e}"),
                extra: Some(json!({"event": i, "refusal": e.code()})),
            })?;
        new.lifecycle = next;
        history.push((recorded, payload));
    }
    let row = dossiers::insert_with_history(db, &new, &receipt, &history)
        .await
        .map_err(|e| LineError::from(ApiError::from(e)))?;
    Ok(row.code)
}

/// Imports historic dossiers, one JSON object a line (admin). Each line is evaluated under the
/// version in force on its `received_at` and replayed through its `events`; a bad line is
/// reported with its line number and nothing of it is stored, the others are.
#[utoipa::path(post, path = "/api/v1/import/dossiers", tag = "import", request_body(content = String, content_type = "application/x-ndjson", description = "one historic dossier a line"), responses((status = 200, description = "imported count and every bad line with its number", body = Object), (status = 415, description = "not NDJSON", body = crate::error::Problem, content_type = "application/problem+json"), (status = 401, description = "missing, unknown, expired or revoked token", body = crate::error::Problem, content_type = "application/problem+json"), (status = 403, description = "the token's role or agency does not allow this", body = crate::error::Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
pub async fn import(
    req: HttpRequest,
    principal: Principal,
    catalogue: web::Data<Catalogue>,
    db: web::Data<DatabaseConnection>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    principal.require(&[ApiRole::Admin])?;
    let kind = req.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !kind.starts_with("application/x-ndjson") && !kind.starts_with("application/jsonl") {
        return Err(ApiError::new(
            ErrorCode::UnsupportedMediaType,
            "send NDJSON as `Content-Type: application/x-ndjson`",
        ));
    }
    let text = std::str::from_utf8(&body)
        .map_err(|e| ApiError::new(ErrorCode::InvalidBody, format!("the body is not UTF-8: {e}")))?;
    let (mut imported, mut failed) = (Vec::new(), Vec::new());
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match import_line(&db, &catalogue, &principal, line).await {
            Ok(code) => imported.push(json!({"line": index + 1, "code": code})),
            Err(error) => failed
                .push(json!({"line": index + 1, "code": error.code, "message": error.message, "detail": error.extra})),
        }
    }
    Ok(HttpResponse::Ok()
        .json(json!({"imported": imported.len(), "failed": failed.len(), "dossiers": imported, "errors": failed})))
}
