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
use serde_json::value::RawValue;
use serde_json::{Value, json};
use std::borrow::Cow;

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
            RepoError::AlreadyImported => {
                ApiError::new(ErrorCode::InvalidBody, "a dossier was already imported from this line")
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
    Ok(serde_json::to_value(View::new(row, &d, &StoredParts::parse(&row.submission))).unwrap_or_default())
}

/// The parts of a stored submission (`dossiers.submission`) a view shows, as written: found
/// without building a JSON tree of them. A part missing, or a submission that cannot be read,
/// shows as null.
#[derive(Default, serde::Deserialize)]
pub struct StoredParts<'a> {
    #[serde(borrow)]
    applicant: Option<&'a RawValue>,
    #[serde(borrow)]
    documents: Option<&'a RawValue>,
    #[serde(borrow)]
    form: Option<&'a RawValue>,
    #[serde(borrow)]
    receipt: Option<&'a RawValue>,
}

/// The receipt's lookup key.
#[derive(serde::Deserialize)]
struct LookupKey<'a> {
    #[serde(borrow)]
    lookup_key: Option<Cow<'a, str>>,
}

impl<'a> StoredParts<'a> {
    /// The parts of `submission`.
    pub fn parse(submission: &'a str) -> Self {
        serde_json::from_str(submission).unwrap_or_default()
    }

    fn lookup_key(&self) -> Option<Cow<'a, str>> {
        let receipt = self.receipt?;
        serde_json::from_str::<LookupKey<'a>>(receipt.get()).ok()?.lookup_key
    }
}

/// The full view, written as it is without building a JSON tree first: the submission's parts
/// are copied as stored. Its fields are in the order `serde_json` writes an object's keys
/// (sorted), and the engine's records go through a `Value`, so that [`full`] gives the same
/// JSON.
#[derive(serde::Serialize)]
pub struct View<'a> {
    agency: &'a str,
    apology: Value,
    applicant: Option<&'a RawValue>,
    appointment: Option<DateTime<FixedOffset>>,
    channel: &'a str,
    code: &'a str,
    decision: Value,
    documents: Option<&'a RawValue>,
    due: Option<DateTime<FixedOffset>>,
    fee: i64,
    finished_at: Option<DateTime<FixedOffset>>,
    form: Option<&'a RawValue>,
    late_agencies: Value,
    /// Returned late without an apology: only in imported history.
    late_without_apology: bool,
    lookup_key: Option<Cow<'a, str>>,
    pause: Value,
    procedure: ProcedureVersion<'a>,
    reasons: &'a [String],
    receipt: Option<&'a RawValue>,
    received_at: Option<DateTime<FixedOffset>>,
    /// An imported dossier's code in the previous system.
    source_code: Option<&'a str>,
    state: &'a str,
    status_code: i16,
    steps: Value,
    submitted_at: Option<DateTime<FixedOffset>>,
    timing: Option<&'a str>,
    version: i32,
}

/// `{"code": …, "version": …}`.
#[derive(serde::Serialize)]
struct ProcedureVersion<'a> {
    code: &'a str,
    version: i32,
}

/// An engine record as a JSON tree (objects with sorted keys, as `json!` made them).
fn value(record: &impl serde::Serialize) -> Value {
    serde_json::to_value(record).unwrap_or_default()
}

impl<'a> View<'a> {
    /// The view of `row`, its lifecycle `d` and its stored `submission`.
    pub fn new(row: &'a dossier::Model, d: &'a Dossier, submission: &StoredParts<'a>) -> Self {
        View {
            agency: &row.agency,
            apology: value(&d.apology),
            applicant: submission.applicant,
            appointment: d.appointment(),
            channel: &row.channel,
            code: &row.code,
            decision: value(&d.decision),
            documents: submission.documents,
            due: local(row.due_at),
            fee: row.fee,
            finished_at: local(row.finished_at),
            form: submission.form,
            late_agencies: value(&d.late_agencies()),
            late_without_apology: d.late_without_apology,
            lookup_key: submission.lookup_key(),
            pause: value(&d.pause),
            procedure: ProcedureVersion { code: &row.procedure_code, version: row.procedure_version },
            reasons: &d.reasons,
            receipt: submission.receipt,
            received_at: local(row.received_at),
            source_code: row.source_code.as_deref(),
            state: &row.state,
            status_code: row.status_code,
            steps: value(&d.steps),
            submitted_at: local(Some(row.submitted_at)),
            timing: row.timing.as_deref(),
            version: row.row_version,
        }
    }
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
pub fn with_etag(
    mut response: actix_web::HttpResponseBuilder,
    row: &dossier::Model,
    body: impl serde::Serialize,
) -> HttpResponse {
    response.insert_header((header::ETAG, format!("\"{}\"", row.row_version))).json(body)
}
