//! What an action does to the stored submission besides the lifecycle: reception accepting a
//! submitted dossier writes its receipt (Mẫu 01) from the engine's evaluation at acceptance,
//! when the clock starts; an applicant answering a supplement request (before receipt, or
//! during processing) sends documents and form data that join the stored submission, which
//! the engine checks again before anything is stored.

use super::intake::{Receipt, stored};
use super::record::Submitted;
use super::requests::{ActionRequest, Answer, Requested};
use crate::error::{ApiError, ErrorCode};
use crate::evaluation::Evaluator;
use chrono::{DateTime, FixedOffset};
use motcua_engine::codes::AgencyCode;
use motcua_engine::definition::Channel;
use motcua_engine::lifecycle::Action;
use motcua_engine::{Evaluation, Input, Procedure};
use serde_json::{Map, Value, json};
use std::sync::Arc;

/// A lifecycle action ready to apply, and the stored submission to write with it, if it
/// changes.
pub struct Prepared {
    /// The action.
    pub action: Action,
    /// The new submission, when the action changes it.
    pub submission: Option<Submitted>,
}

/// A dossier an action is prepared for: its procedure version, channel and stored
/// submission.
pub struct Target<'a> {
    /// The version it was filed under.
    pub procedure: &'a Arc<Procedure>,
    /// How it arrived.
    pub channel: Channel,
    /// What was submitted.
    pub stored: &'a Submitted,
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
    let Target { procedure, channel, stored: submission } = target;
    let form = submission.form_value();
    let input = Input { channel, form: &form, documents: &submission.documents, received_at: now };
    let intake = match evaluator.evaluate(procedure, input).await? {
        Evaluation::Accepted(intake) => intake,
        Evaluation::Refused { reasons } => return Err(refused(reasons, "the stored submission is not acceptable")),
    };
    let lookup_key = submission.receipt_names().lookup_key.unwrap_or_default();
    let receipt = Receipt::new(procedure, &intake, &lookup_key, desk.as_str());
    let text = stored(&submission.applicant, &submission.documents, &form, receipt)?;
    Ok(Prepared { action: Action::Accept { intake }, submission: Some(text) })
}

/// The stored submission with `answer` joined to it, once the engine finds it acceptable.
async fn answered(
    evaluator: &Evaluator,
    target: Target<'_>,
    answer: Answer,
    now: DateTime<FixedOffset>,
) -> Result<Submitted, ApiError> {
    let Target { procedure, channel, stored: submission } = target;
    let mut documents = submission.documents.clone();
    for document in answer.documents.unwrap_or_default() {
        if !documents.contains(&document) {
            documents.push(document);
        }
    }
    let mut form = match submission.form_value() {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    form.extend(answer.form.unwrap_or_default());
    let form = Value::Object(form);
    let input = Input { channel, form: &form, documents: &documents, received_at: now };
    if let Evaluation::Refused { reasons } = evaluator.evaluate(procedure, input).await? {
        return Err(refused(reasons, "the dossier with this answer is still not acceptable"));
    }
    stored(&submission.applicant, &documents, &form, &submission.receipt)
}
