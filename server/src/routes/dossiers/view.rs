//! What a dossier looks like in responses: in full for who may see it, reduced for the public
//! tracking lookup.

use crate::db::entities::dossier;
use crate::error::ApiError;
use crate::repository::dossiers::lifecycle;
use actix_web::HttpResponse;
use actix_web::http::header;
use chrono::{DateTime, FixedOffset};
use motcua_engine::calendar::VIETNAM_OFFSET;
use motcua_engine::lifecycle::Dossier;
use serde_json::Value;
use serde_json::value::RawValue;
use std::borrow::Cow;

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
#[derive(serde::Serialize, utoipa::ToSchema)]
#[schema(as = Dossier)]
pub struct View<'a> {
    /// The agency competent for the dossier.
    agency: &'a str,
    /// The apology and new appointment (Mẫu 04), once issued.
    #[schema(value_type = Option<Object>)]
    apology: Value,
    /// Who applies, as submitted.
    #[schema(value_type = crate::intake::Applicant)]
    applicant: Option<&'a RawValue>,
    /// When the result is promised: the due time, or the apology's new appointment.
    appointment: Option<DateTime<FixedOffset>>,
    /// How it arrived.
    #[schema(schema_with = crate::openapi::schemas::channel)]
    channel: &'a str,
    /// The dossier code (`G22.26.01.01-260302-0001`).
    code: &'a str,
    /// The decision, once taken.
    #[schema(value_type = Option<Object>)]
    decision: Value,
    /// Ids of the documents provided.
    #[schema(value_type = Vec<String>)]
    documents: Option<&'a RawValue>,
    /// The due time, once received.
    due: Option<DateTime<FixedOffset>>,
    /// The fee, in đồng.
    fee: i64,
    /// When it was finished (returned, refused, withdrawn, stopped).
    finished_at: Option<DateTime<FixedOffset>>,
    /// The forms' data by form id.
    #[schema(value_type = Object)]
    form: Option<&'a RawValue>,
    /// The units whose step finished late.
    #[schema(value_type = Vec<String>)]
    late_agencies: Value,
    /// Returned late without an apology: only in imported history.
    late_without_apology: bool,
    /// The lookup key printed on the receipt.
    #[schema(value_type = Option<String>)]
    lookup_key: Option<Cow<'a, str>>,
    /// Why the clock is paused, and since when.
    #[schema(value_type = Option<Object>)]
    pause: Value,
    /// The procedure version it was filed under.
    procedure: ProcedureVersion<'a>,
    /// Reasons given by a refusal or a negative decision.
    reasons: &'a [String],
    /// The receipt and appointment (Mẫu 01), once received.
    #[schema(value_type = Option<Object>)]
    receipt: Option<&'a RawValue>,
    /// When it was received (the clock starts).
    received_at: Option<DateTime<FixedOffset>>,
    /// An imported dossier's code in the previous system.
    source_code: Option<&'a str>,
    /// Its state.
    #[schema(schema_with = crate::openapi::schemas::state_name)]
    state: &'a str,
    /// Its national status code (1 submitted … 10 returned).
    status_code: i16,
    /// Each step: its unit, due time, handover.
    #[schema(value_type = Vec<Object>)]
    steps: Value,
    /// When it was submitted.
    submitted_at: Option<DateTime<FixedOffset>>,
    /// Finished early, on time or late.
    #[schema(schema_with = crate::openapi::schemas::timing_or_null)]
    timing: Option<&'a str>,
    /// Its version, the ETag `If-Match` names.
    version: i32,
}

/// `{"code": …, "version": …}`.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ProcedureVersion<'a> {
    /// The procedure code.
    code: &'a str,
    /// The version.
    version: i32,
}

/// What anyone holding the receipt's code and lookup key may see: no personal data. (Closed:
/// a full view is not one.)
#[derive(serde::Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicView<'a> {
    /// When the result is promised.
    appointment: Option<DateTime<FixedOffset>>,
    /// The dossier code.
    code: &'a str,
    /// When it was finished.
    finished_at: Option<DateTime<FixedOffset>>,
    /// The procedure version it was filed under.
    procedure: ProcedureVersion<'a>,
    /// When it was received.
    received_at: Option<DateTime<FixedOffset>>,
    /// Its state.
    #[schema(schema_with = crate::openapi::schemas::state_name)]
    state: &'a str,
    /// Its national status code.
    status_code: i16,
}

/// A dossier as `GET /api/v1/dossiers/{code}` answers: in full for a token that may see it,
/// the public status for the lookup key.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[serde(untagged)]
#[allow(
    dead_code,
    clippy::large_enum_variant,
    reason = "described, never built: the route answers one of the two views"
)]
pub enum DossierOrStatus<'a> {
    /// With a token.
    Full(View<'a>),
    /// With the lookup key.
    Status(PublicView<'a>),
}

/// A page of dossiers, newest first.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct DossierPage {
    /// Dossiers matching, in all pages.
    pub total: u64,
    /// This page, from 0.
    pub page: u64,
    /// Dossiers a page.
    pub per_page: u64,
    /// The dossiers, each as [`View`].
    #[schema(value_type = Vec<View>)]
    pub items: Vec<Value>,
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

/// What anyone holding the receipt's code and lookup key may see.
pub fn public(row: &dossier::Model) -> Result<PublicView<'_>, ApiError> {
    let d = lifecycle(row)?;
    Ok(PublicView {
        appointment: d.appointment(),
        code: &row.code,
        finished_at: local(row.finished_at),
        procedure: ProcedureVersion { code: &row.procedure_code, version: row.procedure_version },
        received_at: local(row.received_at),
        state: &row.state,
        status_code: row.status_code,
    })
}

/// A response with the dossier's version as ETag, for `If-Match` on the next action.
pub fn with_etag(
    mut response: actix_web::HttpResponseBuilder,
    row: &dossier::Model,
    body: impl serde::Serialize,
) -> HttpResponse {
    response.insert_header((header::ETAG, format!("\"{}\"", row.row_version))).json(body)
}
