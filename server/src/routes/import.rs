//! `POST /api/v1/import/dossiers`: historic dossiers from the office's previous system, as
//! NDJSON. Deadlines and lateness are recomputed by the engine from the definitions, never
//! taken from the file.

use crate::auth::{ApiRole, Principal, hash_secret};
use crate::catalogue::Catalogue;
use crate::clock::Clock;
use crate::error::{ApiError, ErrorCode};
use crate::evaluation::Evaluator;
use crate::intake::{Submission, Submitter, evaluate, take_in};
use crate::repository::dossiers;
use crate::repository::write_queue::DossierWriter;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Duration, FixedOffset};
use motcua_engine::lifecycle::{Action, Actor, Event, transition};
use serde::Deserialize;
use serde_json::{Value, json};

/// How far in the future a historic receipt time may lie (clocks of two systems differ).
const MAX_CLOCK_SKEW_MINUTES: i64 = 5;
/// Content types of an import.
const NDJSON: [&str; 2] = ["application/x-ndjson", "application/jsonl"];

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
    writer: &DossierWriter,
    catalogue: &Catalogue,
    evaluator: &Evaluator,
    principal: &Principal,
    now: DateTime<FixedOffset>,
    line: &str,
) -> Result<String, LineError> {
    let invalid = |message: String| LineError { code: "invalid_line", message, extra: None };
    // One line: the submission's fields, plus when it was received and what happened since.
    let mut value = crate::strict_json::parse(line.as_bytes()).map_err(|e| invalid(e.to_string()))?;
    let fields = value.as_object_mut().ok_or_else(|| invalid("a line is a JSON object".to_owned()))?;
    let received_at = fields.remove("received_at").ok_or_else(|| invalid("missing `received_at`".to_owned()))?;
    let events = fields.remove("events").unwrap_or(Value::Array(Vec::new()));
    let received: DateTime<FixedOffset> =
        serde_json::from_value(received_at).map_err(|e| invalid(format!("`received_at`: {e}")))?;
    if received > now + Duration::minutes(MAX_CLOCK_SKEW_MINUTES) {
        return Err(LineError {
            code: "received_in_future",
            message: format!("`received_at` {received} is in the future"),
            extra: None,
        });
    }
    let events: Vec<HistoricEvent> = serde_json::from_value(events).map_err(|e| invalid(format!("`events`: {e}")))?;
    let submission = Submission::from_json(value)?;
    let channel =
        submission.channel.ok_or_else(|| invalid("missing `channel`: online, counter or postal".to_owned()))?;
    let procedure = catalogue.get(&submission.procedure, None, received.date_naive()).ok_or_else(|| LineError {
        code: "not_in_force",
        message: format!("no version of `{}` was in force on {}", submission.procedure, received.date_naive()),
        extra: None,
    })?;
    let submitter = Submitter {
        token: principal.id,
        name: &format!("import ({})", principal.name),
        idempotency_key: None,
        request_hash: hash_secret(line),
        desk: None,
    };
    let intake = evaluate(evaluator, &procedure, &submission, channel, received).await?;
    // History: the dossier was received when the file says, whatever its channel.
    let (mut new, receipt) = take_in(&procedure, &submission, channel, intake, received, submitter, true)?;
    let mut history: Vec<(Event, Value)> = Vec::new();
    let mut last = received;
    for (i, event) in events.into_iter().enumerate() {
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
    let row = dossiers::insert_with_history(writer, &new, &receipt, &history)
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
    clock: web::Data<dyn Clock>,
    evaluator: web::Data<Evaluator>,
    writer: web::Data<DossierWriter>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    principal.require(&[ApiRole::Admin])?;
    let kind = req.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !NDJSON.contains(&kind.split(';').next().unwrap_or_default().trim()) {
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
        match import_line(&writer, &catalogue, &evaluator, &principal, clock.now(), line).await {
            Ok(code) => imported.push(json!({"line": index + 1, "code": code})),
            Err(error) => failed
                .push(json!({"line": index + 1, "code": error.code, "message": error.message, "detail": error.extra})),
        }
    }
    Ok(HttpResponse::Ok()
        .json(json!({"imported": imported.len(), "failed": failed.len(), "dossiers": imported, "errors": failed})))
}
