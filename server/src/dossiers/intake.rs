//! Taking a dossier in: the engine evaluates the submission at a given time and, when it is
//! acceptable, the dossier and its audit event are prepared for storage — received at once
//! with its receipt (Mẫu 01) at the counter, or submitted and waiting for the desk's reception
//! officer (Decree 118/2025: accepted, supplement requested or refused) when it came online or
//! by post. Live submissions and imported historic dossiers go through the same path.

use super::record::Submitted;
use crate::auth::hash_secret;
use crate::error::{ApiError, ErrorCode};
use crate::evaluation::Evaluator;
use crate::repository::dossiers::NewDossier;
use chrono::{DateTime, FixedOffset};
use motcua_engine::codes::AgencyCode;
use motcua_engine::definition::Channel;
use motcua_engine::evaluate::{ChecklistItem, Intake, StepDue};
use motcua_engine::legal::{FormName, rule_set_on};
use motcua_engine::lifecycle::{Dossier, Event, State};
use motcua_engine::{Evaluation, Input, Procedure};
use rand::Rng;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Characters of a receipt's lookup key: no 0/O or 1/I to misread on paper.
const LOOKUP_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/// Length of a lookup key: 32^10 ≈ 10^15 keys, beyond guessing at any rate limit.
const LOOKUP_KEY_LEN: usize = 10;
/// Longest applicant name, phone, e-mail or identifier.
const MAX_APPLICANT_FIELD: usize = 200;

/// The applicant.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Applicant {
    /// Full name.
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
    /// Personal identification number, if given.
    #[serde(default)]
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub id_number: Option<String>,
    /// Phone.
    #[serde(default)]
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub phone: Option<String>,
    /// E-mail.
    #[serde(default)]
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub email: Option<String>,
}

/// A submission.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    /// Procedure code; the version in force at receipt is used.
    pub procedure: String,
    /// How it arrives: online, counter or postal. Decided by the token that files it (a
    /// client's channels, counter for a reception officer): optional when the token serves
    /// one channel, refused (403 `channel_not_allowed`) when it does not serve this one.
    #[serde(default)]
    #[schema(schema_with = crate::openapi::schemas::channel_or_null)]
    pub channel: Option<Channel>,
    /// The forms' data by form id; each validated against the form's JSON Schema.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub form: Value,
    /// Ids of the documents provided.
    #[serde(default)]
    pub documents: Vec<String>,
    /// The files of the documents filed as files, by document id: the ids `POST
    /// /api/v1/uploads` answered. A document given files is provided.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub files: BTreeMap<String, Vec<String>>,
    /// Who applies.
    pub applicant: Applicant,
}

/// Whether any string in a JSON value holds a NUL: no text of a dossier has one, and
/// PostgreSQL cannot store it.
fn has_nul(value: &Value) -> bool {
    match value {
        Value::String(s) => s.contains('\0'),
        Value::Array(items) => items.iter().any(has_nul),
        Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
        _ => false,
    }
}

impl Submission {
    /// Reads a submission from JSON, refusing the shapes serde would otherwise accept for a
    /// struct (an array in place of an object).
    pub fn from_json(value: Value) -> Result<Submission, ApiError> {
        let invalid = |detail: String| ApiError::new(ErrorCode::InvalidBody, detail);
        if !value.is_object() {
            return Err(invalid("a submission is a JSON object".to_owned()));
        }
        if !value["applicant"].is_object() {
            return Err(invalid("`applicant` is a JSON object with at least `name`".to_owned()));
        }
        if has_nul(&value) {
            return Err(invalid("text may not contain NUL characters".to_owned()));
        }
        let submission: Submission = serde_json::from_value(value).map_err(|e| invalid(e.to_string()))?;
        submission.check()?;
        Ok(submission)
    }

    /// Refuses applicant fields that are empty or too long.
    pub fn check(&self) -> Result<(), ApiError> {
        let fields = [
            Some(&self.applicant.name),
            self.applicant.id_number.as_ref(),
            self.applicant.phone.as_ref(),
            self.applicant.email.as_ref(),
        ];
        for (name, value) in ["name", "id_number", "phone", "email"].iter().zip(fields) {
            if let Some(value) = value
                && (value.trim().is_empty() || value.chars().count() > MAX_APPLICANT_FIELD)
            {
                return Err(ApiError::new(
                    ErrorCode::InvalidBody,
                    format!("`applicant.{name}` must have 1 to {MAX_APPLICANT_FIELD} characters"),
                ));
            }
        }
        Ok(())
    }
}

/// The receipt (Mẫu 01) as stored and answered, written from the engine's records without a
/// JSON tree in between; its keys in the order a tree would sort them.
#[derive(Serialize)]
pub(crate) struct Receipt<'a> {
    agency: Option<&'a str>,
    checklist: &'a [ChecklistItem],
    decree: &'a str,
    /// The unit that received the dossier: the officer's at the counter or at acceptance.
    desk: &'a str,
    due: DateTime<FixedOffset>,
    fee: i64,
    form: &'a FormName,
    lookup_key: &'a str,
    procedure: &'a str,
    processing_time: String,
    received_at: DateTime<FixedOffset>,
    /// The online service level in the scale of the receipt date.
    service_level: motcua_engine::legal::ServiceLevel,
    steps: &'a [StepDue],
}

/// What a dossier submitted but not yet received holds in place of its receipt: what to
/// track it by and where it waits. The receipt is written when reception accepts it.
#[derive(Serialize)]
struct PendingReceipt<'a> {
    agency: Option<&'a str>,
    lookup_key: &'a str,
    procedure: &'a str,
}

impl<'a> Receipt<'a> {
    /// The receipt of a dossier of `procedure` received by `desk` with `intake`, tracked by
    /// `lookup_key`.
    pub(crate) fn new(procedure: &'a Procedure, intake: &'a Intake, lookup_key: &'a str, desk: &'a str) -> Self {
        let rules = rule_set_on(intake.received_at.date_naive());
        Receipt {
            agency: procedure.agency_name.as_deref(),
            checklist: &intake.checklist,
            decree: rules.decree,
            desk,
            due: intake.due,
            fee: intake.fee,
            form: &rules.forms.receipt,
            lookup_key,
            procedure: &procedure.name,
            processing_time: procedure.processing_time.to_string(),
            received_at: intake.received_at,
            service_level: procedure.service_level_on(intake.received_at.date_naive()),
            steps: &intake.steps,
        }
    }
}

/// Whether a dossier that passed the engine's checks is received at once: at the counter,
/// where the officer is there, and online when the definition says so; otherwise the desk's
/// reception officer decides.
pub fn received_at_once(procedure: &Procedure, channel: Channel) -> bool {
    channel == Channel::Counter || (channel == Channel::Online && procedure.auto_accept_online)
}

/// What is stored of `submission`, with its `receipt` (or what stands in for it).
pub(crate) fn stored(
    applicant: &Applicant,
    documents: &[String],
    form: &Value,
    receipt: impl Serialize,
) -> Result<Submitted, ApiError> {
    let internal = |e: serde_json::Error| ApiError::new(ErrorCode::Internal, e.to_string());
    Ok(Submitted {
        applicant: applicant.clone(),
        documents: documents.to_vec(),
        form: serde_json::value::to_raw_value(form).map_err(internal)?,
        receipt: serde_json::value::to_raw_value(&receipt).map_err(internal)?,
    })
}

fn lookup_key() -> String {
    let mut rng = rand::rng();
    (0..LOOKUP_KEY_LEN).map(|_| char::from(LOOKUP_ALPHABET[rng.random_range(0..LOOKUP_ALPHABET.len())])).collect()
}

/// Who submits, for the dossier row and its audit.
pub struct Submitter<'a> {
    /// The token id (clients read what they submitted).
    pub token: i32,
    /// Name for the audit row.
    pub name: &'a str,
    /// `Idempotency-Key`, if any.
    pub idempotency_key: Option<String>,
    /// Hash of the request.
    pub request_hash: String,
    /// The unit receiving at the counter (an officer's); otherwise the procedure's desk.
    pub desk: Option<AgencyCode>,
}

/// Evaluates `submission` received at `now` under `procedure` (see [`Evaluator`]): what the
/// receipt states, or 422 `submission_refused` with every reason.
pub async fn evaluate(
    evaluator: &Evaluator,
    procedure: &Arc<Procedure>,
    submission: &Submission,
    channel: Channel,
    now: DateTime<FixedOffset>,
) -> Result<Intake, ApiError> {
    let input = Input { channel, form: &submission.form, documents: &submission.documents, received_at: now };
    let evaluation = evaluator.evaluate(procedure, input).await?;
    match evaluation {
        Evaluation::Accepted(intake) => Ok(intake),
        Evaluation::Refused { reasons } => {
            let count = reasons.len();
            Err(ApiError::new(
                ErrorCode::SubmissionRefused,
                format!("the dossier is not acceptable: {count} reason(s)"),
            )
            .with("reasons", json!(reasons)))
        }
    }
}

/// The dossier to store for an acceptable `submission` that arrived at `now`, with its first
/// audit event: received, with its receipt, when `at_once`; else submitted, waiting for
/// reception.
#[allow(clippy::too_many_arguments, reason = "the parts of one intake, each from its own source")]
pub fn take_in<'p>(
    procedure: &'p Procedure,
    submission: &Submission,
    channel: Channel,
    intake: Intake,
    now: DateTime<FixedOffset>,
    submitter: Submitter<'_>,
    at_once: bool,
) -> Result<(NewDossier<'p>, Event), ApiError> {
    let internal = |e: String| ApiError::new(ErrorCode::Internal, e);
    let lookup = lookup_key();
    let (lifecycle, action, stored) = if at_once {
        let lifecycle = Dossier::received(procedure, channel, &intake).map_err(|e| internal(e.to_string()))?;
        let desk = submitter.desk.as_ref().unwrap_or_else(|| procedure.reception_agency()).as_str();
        let receipt = Receipt::new(procedure, &intake, &lookup, desk);
        (lifecycle, "receive", stored(&submission.applicant, &submission.documents, &submission.form, receipt)?)
    } else {
        let lifecycle = Dossier::submitted(procedure, channel, now);
        let pending = PendingReceipt {
            agency: procedure.agency_name.as_deref(),
            lookup_key: &lookup,
            procedure: &procedure.name,
        };
        (lifecycle, "submit", stored(&submission.applicant, &submission.documents, &submission.form, pending)?)
    };
    let event = Event {
        action,
        from: State::Submitted.name(),
        to: lifecycle.state.name(),
        status_from: 1,
        status_to: lifecycle.status_code(),
        at: now,
        actor: submitter.name.to_owned(),
        handover: None,
    };
    let new = NewDossier {
        procedure,
        lifecycle,
        event: json!({"action": action, "channel": channel}),
        fee: intake.fee,
        client_id: Some(submitter.token),
        idempotency_key: submitter.idempotency_key,
        request_hash: submitter.request_hash,
        lookup_key_hash: hash_secret(&lookup),
        submission: stored,
        actor: submitter.name.to_owned(),
        source: None,
    };
    Ok((new, event))
}
