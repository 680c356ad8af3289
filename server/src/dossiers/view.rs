//! What a dossier looks like in responses: in full for who may see it, reduced for the public
//! tracking lookup.

use super::intake::Applicant;
use super::list::Page;
use super::record::StoredDossier;
use chrono::{DateTime, FixedOffset};
use motcua_engine::lifecycle::Timing;
use serde_json::Value;
use serde_json::value::RawValue;

/// The full view, written as it is without building a JSON tree first: the forms and the
/// receipt are copied as stored. Its fields are in the order `serde_json` writes an object's
/// keys (sorted), and the engine's records go through a `Value` (sorted keys, as `json!` made
/// them).
#[derive(serde::Serialize, utoipa::ToSchema)]
#[schema(as = Dossier)]
pub struct View<'a> {
    /// The agency competent for the dossier.
    agency: &'a str,
    /// The apology and new appointment (Mẫu 04), once issued.
    #[schema(value_type = Option<Object>)]
    apology: Value,
    /// Who applies, as submitted.
    applicant: &'a Applicant,
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
    documents: &'a [String],
    /// The due time, once received.
    due: Option<DateTime<FixedOffset>>,
    /// The fee, in đồng.
    fee: i64,
    /// When it was finished (returned, refused, withdrawn, stopped).
    finished_at: Option<DateTime<FixedOffset>>,
    /// The forms' data by form id.
    #[schema(value_type = Object)]
    form: &'a RawValue,
    /// The units whose step finished late.
    #[schema(value_type = Vec<String>)]
    late_agencies: Value,
    /// Returned late without an apology: only in imported history.
    late_without_apology: bool,
    /// The lookup key printed on the receipt.
    lookup_key: Option<String>,
    /// Why the clock is paused, and since when.
    #[schema(value_type = Option<Object>)]
    pause: Value,
    /// The procedure version it was filed under.
    procedure: ProcedureVersion<'a>,
    /// Reasons given by a refusal or a negative decision.
    reasons: &'a [String],
    /// The receipt and appointment (Mẫu 01), once received.
    #[schema(value_type = Option<Object>)]
    receipt: &'a RawValue,
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
    timing: Option<Timing>,
    /// Its version, the ETag `If-Match` names.
    version: i32,
}

/// `{"code": …, "version": …}`.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ProcedureVersion<'a> {
    /// The procedure code.
    code: &'a str,
    /// The version.
    version: u32,
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
pub struct DossierPage<'a> {
    /// Dossiers matching, in all pages.
    pub total: u64,
    /// This page, from 0.
    pub page: u64,
    /// Dossiers a page.
    pub per_page: u64,
    /// The dossiers.
    pub items: Vec<View<'a>>,
}

/// An engine record as a JSON tree (objects with sorted keys, as `json!` made them).
fn value(record: &impl serde::Serialize) -> Value {
    serde_json::to_value(record).unwrap_or_default()
}

impl<'a> View<'a> {
    /// The view of `dossier`.
    pub fn new(dossier: &'a StoredDossier) -> Self {
        let (d, submission) = (&dossier.lifecycle, &dossier.submission);
        View {
            agency: dossier.agency.as_str(),
            apology: value(&d.apology),
            applicant: &submission.applicant,
            appointment: d.appointment(),
            channel: d.channel.as_str(),
            code: &dossier.code,
            decision: value(&d.decision),
            documents: &submission.documents,
            due: dossier.due_at,
            fee: dossier.fee,
            finished_at: dossier.finished_at,
            form: &submission.form,
            late_agencies: value(&d.late_agencies()),
            late_without_apology: d.late_without_apology,
            lookup_key: submission.receipt_names().lookup_key,
            pause: value(&d.pause),
            procedure: ProcedureVersion::of(dossier),
            reasons: &d.reasons,
            receipt: &submission.receipt,
            received_at: dossier.received_at,
            source_code: dossier.source_code.as_deref(),
            state: d.state.name(),
            status_code: i16::from(d.status_code()),
            steps: value(&d.steps),
            submitted_at: Some(dossier.submitted_at),
            timing: d.timing,
            version: dossier.version,
        }
    }
}

impl<'a> ProcedureVersion<'a> {
    fn of(dossier: &'a StoredDossier) -> Self {
        ProcedureVersion { code: dossier.procedure.as_str(), version: dossier.procedure_version }
    }
}

impl<'a> PublicView<'a> {
    /// What anyone holding the receipt's code and lookup key may see of `dossier`.
    pub fn new(dossier: &'a StoredDossier) -> Self {
        let d = &dossier.lifecycle;
        PublicView {
            appointment: d.appointment(),
            code: &dossier.code,
            finished_at: dossier.finished_at,
            procedure: ProcedureVersion::of(dossier),
            received_at: dossier.received_at,
            state: d.state.name(),
            status_code: i16::from(d.status_code()),
        }
    }
}

impl<'a> DossierPage<'a> {
    /// The page of views of `page`.
    pub fn new(page: &'a Page<StoredDossier>) -> Self {
        DossierPage {
            total: page.total,
            page: page.request.page,
            per_page: page.request.per_page,
            items: page.items.iter().map(View::new).collect(),
        }
    }
}
