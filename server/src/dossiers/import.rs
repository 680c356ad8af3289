//! Importing historic dossiers from the office's previous system, one JSON object a line.
//! Deadlines and lateness are recomputed by the engine from the definitions, never
//! taken from the file; what happened is recorded even where the law was not followed (a
//! result returned late without an apology is flagged, not refused). Each line names its
//! identifier in the previous system (`source_id`), so posting a file again creates nothing.

use super::Dossiers;
use super::access;
use super::intake::{Submission, Submitter, evaluate, take_in};
use super::list::{MAX_SOURCE_TEXT, is_source_text};
use crate::auth::{Principal, hash_secret};
use crate::error::ApiError;
use crate::repository::dossiers;
use crate::repository::dossiers::Source;
use chrono::{DateTime, Duration, FixedOffset};
use motcua_engine::lifecycle::{Action, Actor, Event, record};
use serde::Deserialize;
use serde_json::{Value, json};

/// How far in the future a historic receipt time may lie (clocks of two systems differ).
const MAX_CLOCK_SKEW_MINUTES: i64 = 5;

/// One transition of a historic dossier, as it happened.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HistoricEvent {
    at: DateTime<FixedOffset>,
    actor: Actor,
    action: Action,
}

/// What became of a line.
enum Imported {
    /// Stored under this code.
    New(String),
    /// Imported before (the same `source_id`): stored under this code, nothing created.
    Already(String),
}

/// The import's own reasons for not importing a line (a line may also fail with the problem
/// a submission would get, e.g. `submission_refused`).
#[derive(Debug, Clone, Copy)]
pub enum LineCode {
    /// Not a JSON object of the expected fields.
    InvalidLine,
    /// `received_at` later than now.
    ReceivedInFuture,
    /// No version of the procedure was in force on the day received.
    NotInForce,
    /// An event earlier than the one before it.
    EventsOutOfOrder,
    /// The lifecycle refuses a historic event.
    ActionRefused,
    /// The line has no `source_id`.
    MissingSourceId,
}

impl LineCode {
    /// Every code, for the catalogue of codes.
    pub const ALL: [LineCode; 6] = [
        LineCode::InvalidLine,
        LineCode::ReceivedInFuture,
        LineCode::NotInForce,
        LineCode::EventsOutOfOrder,
        LineCode::ActionRefused,
        LineCode::MissingSourceId,
    ];

    /// The stable snake_case code.
    pub fn as_str(self) -> &'static str {
        match self {
            LineCode::InvalidLine => "invalid_line",
            LineCode::ReceivedInFuture => "received_in_future",
            LineCode::NotInForce => "not_in_force",
            LineCode::EventsOutOfOrder => "events_out_of_order",
            LineCode::ActionRefused => "action_refused",
            LineCode::MissingSourceId => "missing_source_id",
        }
    }
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
    service: Dossiers<'_>,
    principal: &Principal,
    now: DateTime<FixedOffset>,
    line: &str,
) -> Result<Imported, LineError> {
    let (writer, catalogue, evaluator, db) =
        (&service.state.writer, &service.state.catalogue, &service.state.evaluator, &service.state.db);
    let invalid = |message: String| LineError { code: LineCode::InvalidLine.as_str(), message, extra: None };
    // One line: the submission's fields, plus when it was received and what happened since.
    let mut value = crate::strict_json::parse(line.as_bytes()).map_err(|e| invalid(e.to_string()))?;
    let fields = value.as_object_mut().ok_or_else(|| invalid("a line is a JSON object".to_owned()))?;
    let received_at = fields.remove("received_at").ok_or_else(|| invalid("missing `received_at`".to_owned()))?;
    let events = fields.remove("events").unwrap_or(Value::Array(Vec::new()));
    let received: DateTime<FixedOffset> =
        serde_json::from_value(received_at).map_err(|e| invalid(format!("`received_at`: {e}")))?;
    if received > now + Duration::minutes(MAX_CLOCK_SKEW_MINUTES) {
        return Err(LineError {
            code: LineCode::ReceivedInFuture.as_str(),
            message: format!("`received_at` {received} is in the future"),
            extra: None,
        });
    }
    let events: Vec<HistoricEvent> = serde_json::from_value(events).map_err(|e| invalid(format!("`events`: {e}")))?;
    let source = source(fields.remove("source_id"), fields.remove("source_code"))?;
    if let Some(row) = dossiers::find_by_source(db, &source.id).await.map_err(|e| LineError::from(ApiError::from(e)))? {
        return Ok(Imported::Already(row.code));
    }
    let submission = Submission::from_json(value)?;
    let channel =
        submission.channel.ok_or_else(|| invalid("missing `channel`: online, counter or postal".to_owned()))?;
    let procedure = catalogue.get(&submission.procedure, None, received.date_naive()).ok_or_else(|| LineError {
        code: LineCode::NotInForce.as_str(),
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
                code: LineCode::EventsOutOfOrder.as_str(),
                message: format!("event {i} at {} is before the one before it", event.at),
                extra: None,
            });
        }
        last = event.at;
        let payload = json!({"import": true, "action": event.action});
        // History is what happened: a result returned late without an apology is recorded,
        // late and flagged, not refused.
        let (next, recorded) =
            record(&procedure, &new.lifecycle, &event.actor, event.action, event.at).map_err(|e| LineError {
                code: LineCode::ActionRefused.as_str(),
                message: format!("event {i}: {e}"),
                extra: Some(json!({"event": i, "refusal": e.code()})),
            })?;
        new.lifecycle = next;
        history.push((recorded, payload));
    }
    let source_id = source.id.clone();
    new.source = Some(source);
    match dossiers::insert_with_history(writer, &new, &receipt, &history).await {
        Ok(row) => Ok(Imported::New(row.code)),
        // The same line imported at the same moment by another request.
        Err(dossiers::RepoError::AlreadyImported) => match dossiers::find_by_source(db, &source_id).await {
            Ok(Some(row)) => Ok(Imported::Already(row.code)),
            Ok(None) => Err(LineError::from(ApiError::from(dossiers::RepoError::AlreadyImported))),
            Err(e) => Err(LineError::from(ApiError::from(e))),
        },
        Err(e) => Err(LineError::from(ApiError::from(e))),
    }
}

/// The line's origin: `source_id` (required: the previous system's identifier of the line)
/// and `source_code` (its old dossier code, if it had one).
fn source(id: Option<Value>, code: Option<Value>) -> Result<Source, LineError> {
    let text = |value: Option<Value>, name: &str, required: bool| -> Result<Option<String>, LineError> {
        let invalid = |message: String| LineError { code: LineCode::InvalidLine.as_str(), message, extra: None };
        match value {
            None | Some(Value::Null) if required => Err(LineError {
                code: LineCode::MissingSourceId.as_str(),
                message: format!(
                    "missing `{name}`: the previous system's identifier of this dossier, so that importing \
                     the file again creates nothing"
                ),
                extra: None,
            }),
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) if is_source_text(&text) => Ok(Some(text)),
            Some(_) => Err(invalid(format!(
                "`{name}` is a text of 1 to {MAX_SOURCE_TEXT} characters without control characters"
            ))),
        }
    };
    let id = text(id, "source_id", true)?.unwrap_or_default();
    Ok(Source { id, code: text(code, "source_code", false)? })
}

impl Dossiers<'_> {
    /// Imports `text`, one historic dossier a line, for `caller` (an administrator). Each line
    /// is evaluated under the version in force on its `received_at` and replayed through its
    /// `events`; a bad line is reported with its number and nothing of it is stored, the
    /// others are.
    #[tracing::instrument(name = "dossiers", skip_all, fields(command = "import"))]
    pub async fn import(&self, caller: &Principal, text: &str) -> Result<Report, ApiError> {
        access::may_import(caller)?;
        let now = self.state.clock.now();
        let (mut imported, mut already, mut failed) = (Vec::new(), Vec::new(), Vec::new());
        for (index, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match import_line(*self, caller, now, line).await {
                Ok(Imported::New(code)) => imported.push(LineDossier { line: index + 1, code }),
                Ok(Imported::Already(code)) => already.push(LineDossier { line: index + 1, code }),
                Err(error) => failed.push(LineFailure {
                    line: index + 1,
                    code: error.code,
                    message: error.message,
                    detail: error.extra,
                }),
            }
        }
        Ok(Report {
            imported: imported.len(),
            already_imported: already.len(),
            failed: failed.len(),
            dossiers: imported,
            already,
            errors: failed,
        })
    }
}

/// What became of each line of an import.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Report {
    /// Lines stored as new dossiers.
    imported: usize,
    /// Lines imported before (the same `source_id`): nothing created.
    already_imported: usize,
    /// Lines not imported.
    failed: usize,
    /// The new dossiers, by line.
    dossiers: Vec<LineDossier>,
    /// The dossiers imported before, by line.
    already: Vec<LineDossier>,
    /// Why each failed line was not imported.
    errors: Vec<LineFailure>,
}

/// A line and its dossier.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct LineDossier {
    /// The line, from 1.
    line: usize,
    /// The dossier's code.
    code: String,
}

/// A line that was not imported.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct LineFailure {
    /// The line, from 1.
    line: usize,
    /// An import line code, or the problem a submission would get (see /problems).
    code: &'static str,
    /// What is wrong.
    message: String,
    /// More, for some codes (the refused event and its lifecycle refusal).
    #[schema(value_type = Option<Object>)]
    detail: Option<Value>,
}
