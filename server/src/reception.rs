//! What an action does to the stored submission besides the lifecycle: reception accepting a
//! submitted dossier writes its receipt (Mẫu 01) from the engine's evaluation at acceptance,
//! when the clock starts; an applicant answering a supplement request (before receipt, or
//! during processing) sends documents and form data that join the stored submission, which
//! the engine checks again before anything is stored.

use crate::dossiers::requests::{ActionRequest, Answer, Requested};
use crate::error::{ApiError, ErrorCode};
use crate::evaluation::Evaluator;
use crate::intake::{Applicant, Receipt, Stored};
use chrono::{DateTime, FixedOffset};
use motcua_engine::codes::AgencyCode;
use motcua_engine::definition::Channel;
use motcua_engine::lifecycle::Action;
use motcua_engine::{Evaluation, Input, Procedure};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::sync::Arc;

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

/// Prepares the action `request` on `target` at `now`, by an official of `unit` if any.
pub async fn prepare(
    evaluator: &Evaluator,
    target: Target<'_>,
    unit: Option<&AgencyCode>,
    request: ActionRequest,
    now: DateTime<FixedOffset>,
) -> Result<Prepared, ApiError> {
    match request.into_requested() {
        Requested::Accept => {
            let desk = unit.unwrap_or_else(|| target.procedure.reception_agency());
            accept(evaluator, target, desk, now).await
        }
        Requested::Act(action, answer) => {
            let submission = match answer {
                Some(answer) => Some(answered(evaluator, target, answer, now).await?),
                None => None,
            };
            Ok(Prepared { action, submission })
        }
    }
}

fn corrupt() -> ApiError {
    ApiError::new(ErrorCode::Internal, "the stored submission cannot be read")
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
    now: DateTime<FixedOffset>,
) -> Result<Prepared, ApiError> {
    let Target { procedure, channel, stored } = target;
    let submission = parse(stored)?;
    let input = Input { channel, form: &submission.form, documents: &submission.documents, received_at: now };
    let intake = match evaluator.evaluate(procedure, input).await? {
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
    target: Target<'_>,
    answer: Answer,
    now: DateTime<FixedOffset>,
) -> Result<String, ApiError> {
    let Target { procedure, channel, stored } = target;
    let mut whole: Value = serde_json::from_str(stored).map_err(|_| corrupt())?;
    let submission = parse(stored)?;
    let mut documents = submission.documents;
    for document in answer.documents.unwrap_or_default() {
        if !documents.contains(&document) {
            documents.push(document);
        }
    }
    let mut form = match submission.form {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    form.extend(answer.form.unwrap_or_default());
    let form = Value::Object(form);
    let input = Input { channel, form: &form, documents: &documents, received_at: now };
    if let Evaluation::Refused { reasons } = evaluator.evaluate(procedure, input).await? {
        return Err(refused(reasons, "the dossier with this answer is still not acceptable"));
    }
    whole["documents"] = json!(documents);
    whole["form"] = form;
    serde_json::to_string(&whole).map_err(|_| corrupt())
}
