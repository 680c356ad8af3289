//! What an action does to the stored submission besides the lifecycle: reception accepting a
//! submitted dossier writes its receipt (Mẫu 01) from the engine's evaluation at acceptance,
//! when the clock starts; an applicant answering a supplement request (before receipt, or
//! during processing) sends documents and form data that join the stored submission, which
//! the engine checks again before anything is stored.

use crate::error::{ApiError, ErrorCode};
use crate::evaluation::Evaluator;
use crate::intake::{Applicant, Receipt, Stored};
use chrono::{DateTime, FixedOffset};
use motcua_engine::codes::AgencyCode;
use motcua_engine::definition::Channel;
use motcua_engine::lifecycle::Action;
use motcua_engine::{Evaluation, Procedure};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::sync::Arc;

/// Actions by which the applicant answers a supplement request, and may send what was asked.
const ANSWERS: [&str; 2] = ["resubmit", "supplement_received"];

/// The submission as stored, owned.
#[derive(Deserialize)]
struct StoredSubmission {
    applicant: Applicant,
    #[serde(default)]
    documents: Vec<String>,
    #[serde(default)]
    form: Value,
    receipt: StoredKey,
}

#[derive(Deserialize)]
struct StoredKey {
    lookup_key: String,
}

/// What the applicant sends with an answer: documents now provided (added to those given
/// before) and forms filled again (each replaces the form of that id).
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Answer {
    #[serde(default)]
    documents: Vec<String>,
    #[serde(default)]
    form: Map<String, Value>,
}

/// A lifecycle action ready to apply, and the stored submission to write with it, if it
/// changes.
pub struct Prepared {
    /// The action.
    pub action: Action,
    /// The new `dossiers.submission`, when the action changes it.
    pub submission: Option<String>,
}

/// A dossier an action is prepared for: its procedure version, channel and stored
/// submission.
pub struct Target<'a> {
    /// The version it was filed under.
    pub procedure: &'a Arc<Procedure>,
    /// How it arrived.
    pub channel: Channel,
    /// `dossiers.submission`.
    pub stored: &'a str,
}

/// Prepares the action `payload` on `target` at `now`, by an official of `unit` if any.
pub async fn prepare(
    evaluator: &Evaluator,
    target: Target<'_>,
    unit: Option<&AgencyCode>,
    payload: &Value,
    now: DateTime<FixedOffset>,
) -> Result<Prepared, ApiError> {
    let Target { procedure, channel, stored } = target;
    let name = payload.get("action").and_then(Value::as_str).unwrap_or_default();
    if name == "accept" {
        let desk = unit.unwrap_or_else(|| procedure.reception_agency());
        return accept(evaluator, Target { procedure, channel, stored }, desk, payload, now).await;
    }
    let mut payload = payload.clone();
    let answer = match (ANSWERS.contains(&name), payload.as_object_mut()) {
        (true, Some(fields)) if fields.contains_key("documents") || fields.contains_key("form") => {
            let sent = json!({"documents": fields.remove("documents"), "form": fields.remove("form")});
            let sent = strip_nulls(sent);
            Some(serde_json::from_value::<Answer>(sent).map_err(|e| invalid(format!("`{name}`: {e}")))?)
        }
        _ => None,
    };
    let action =
        serde_json::from_value::<Action>(payload.clone()).map_err(|e| invalid(format!("not an action: {e}")))?;
    refuse_unknown_fields(&payload, &action)?;
    let submission = match answer {
        Some(answer) => Some(answered(evaluator, procedure, channel, stored, answer, now).await?),
        None => None,
    };
    Ok(Prepared { action, submission })
}

/// Refuses a field the action does not have: serde's `deny_unknown_fields` does not reach the
/// variants without fields (`resubmit`), which would take `{"action": "resubmit", "x": 1}`.
fn refuse_unknown_fields(payload: &Value, action: &Action) -> Result<(), ApiError> {
    let known = serde_json::to_value(action).unwrap_or_default();
    let unknown = payload.as_object().into_iter().flatten().map(|(key, _)| key).find(|key| known.get(key).is_none());
    match unknown {
        Some(key) => Err(invalid(format!("`{}` has no field `{key}`", action.name()))),
        None => Ok(()),
    }
}

fn invalid(detail: String) -> ApiError {
    ApiError::new(ErrorCode::InvalidBody, detail)
}

fn corrupt() -> ApiError {
    ApiError::new(ErrorCode::Internal, "the stored submission cannot be read")
}

fn strip_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(map.into_iter().filter(|(_, v)| !v.is_null()).collect()),
        other => other,
    }
}

fn parse(stored: &str) -> Result<StoredSubmission, ApiError> {
    serde_json::from_str(stored).map_err(|_| corrupt())
}

fn refused(reasons: Vec<motcua_engine::Refusal>, what: &str) -> ApiError {
    ApiError::new(ErrorCode::SubmissionRefused, format!("{what}: {} reason(s)", reasons.len()))
        .with("reasons", json!(reasons))
}

/// Acceptance takes the engine's evaluation of the stored submission now: the clock starts,
/// and the receipt states when.
async fn accept(
    evaluator: &Evaluator,
    target: Target<'_>,
    desk: &AgencyCode,
    payload: &Value,
    now: DateTime<FixedOffset>,
) -> Result<Prepared, ApiError> {
    let Target { procedure, channel, stored } = target;
    if payload.as_object().is_some_and(|fields| fields.len() > 1) {
        return Err(invalid("`accept` takes no other field: the engine evaluates the stored dossier".to_owned()));
    }
    let submission = parse(stored)?;
    let intake = match evaluator.evaluate(procedure, channel, &submission.form, &submission.documents, now).await? {
        Evaluation::Accepted(intake) => intake,
        Evaluation::Refused { reasons } => return Err(refused(reasons, "the stored submission is not acceptable")),
    };
    let receipt = Receipt::new(procedure, &intake, &submission.receipt.lookup_key, desk.as_str());
    let text = serde_json::to_string(&Stored {
        applicant: &submission.applicant,
        documents: &submission.documents,
        form: &submission.form,
        receipt,
    })
    .map_err(|_| corrupt())?;
    Ok(Prepared { action: Action::Accept { intake }, submission: Some(text) })
}

/// The stored submission with `answer` joined to it, once the engine finds it acceptable.
async fn answered(
    evaluator: &Evaluator,
    procedure: &Arc<Procedure>,
    channel: Channel,
    stored: &str,
    answer: Answer,
    now: DateTime<FixedOffset>,
) -> Result<String, ApiError> {
    let mut whole: Value = serde_json::from_str(stored).map_err(|_| corrupt())?;
    let submission = parse(stored)?;
    let mut documents = submission.documents;
    for document in answer.documents {
        if !documents.contains(&document) {
            documents.push(document);
        }
    }
    let mut form = match submission.form {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    form.extend(answer.form);
    let form = Value::Object(form);
    if let Evaluation::Refused { reasons } = evaluator.evaluate(procedure, channel, &form, &documents, now).await? {
        return Err(refused(reasons, "the dossier with this answer is still not acceptable"));
    }
    whole["documents"] = json!(documents);
    whole["form"] = form;
    serde_json::to_string(&whole).map_err(|_| corrupt())
}
