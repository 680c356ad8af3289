//! The public catalogue: `GET /api/v1/procedures` and `GET /api/v1/procedures/{code}`.

use crate::clock::Clock;
use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;
use actix_web::{HttpResponse, get, web};
use chrono::NaiveDate;
use motcua_engine::Procedure;
use motcua_engine::procedure::FeeAmount;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// Mounts the catalogue routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list).service(detail);
}

/// Filters of the catalogue list.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Field slug (lĩnh vực).
    field: Option<String>,
    /// Competent agency code, or a parent of it.
    agency: Option<String>,
    /// full, partial or info.
    online_level: Option<String>,
}

/// A procedure as the catalogue shows it.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = ProcedureSummary)]
pub struct Summary {
    /// The procedure code.
    code: String,
    /// The version in force (or asked for).
    version: u32,
    /// Its name.
    name: String,
    /// Its field (lĩnh vực) slug.
    field: String,
    /// The field's name.
    field_name: Option<String>,
    /// The competent agency.
    agency: String,
    /// The agency's name.
    agency_name: Option<String>,
    /// The online service level (Decree 45/2020, Law 148/2025): full, partial or info.
    #[schema(schema_with = crate::openapi::schemas::online_level)]
    online_level: Value,
    /// Decree 43/2011 level 1–4, for historic reports.
    legacy_level: u8,
    /// The channels it accepts dossiers by.
    #[schema(value_type = Vec<String>)]
    channels: Value,
    /// The committed time, e.g. "5 ngày làm việc".
    processing_time: String,
    /// The statutory time it was cut from, when the definition gives it.
    statutory_time: Option<String>,
    /// The fee.
    fee: Fee,
    /// First day in force.
    valid_from: NaiveDate,
    /// Last day in force, if it ends.
    valid_to: Option<NaiveDate>,
}

/// A procedure's fee: a fixed amount in đồng, or one that depends on the case (a rule).
#[derive(Serialize, utoipa::ToSchema)]
pub struct Fee {
    /// What it is called.
    name: Option<String>,
    /// The amount in đồng; null when it depends on the case.
    amount: Option<i64>,
    /// True when a rule computes it from the submission.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    depends_on_case: bool,
    /// Its legal basis.
    basis: Option<String>,
}

/// A form of a procedure, with its JSON Schema.
#[derive(Serialize, utoipa::ToSchema)]
pub struct FormView {
    /// Form id, the key of its data in a submission's `form`.
    id: String,
    /// Its title.
    title: String,
    /// The JSON Schema its data must satisfy.
    #[schema(value_type = Object)]
    schema: Value,
}

/// A document the procedure asks for.
#[derive(Serialize, utoipa::ToSchema)]
pub struct DocumentView {
    /// Document id, as a submission lists it in `documents`.
    id: String,
    /// Its title.
    title: String,
    /// Original, certified copy, copy…
    #[schema(value_type = String)]
    kind: Value,
    /// How many copies.
    copies: u32,
    /// Whether it may be left out.
    optional: bool,
    /// Whether a rule decides if it is needed.
    conditional: bool,
    /// When it is needed, in plain words (`Nộp khi …`), for a conditional document.
    #[serde(skip_serializing_if = "Option::is_none")]
    condition_text: Option<String>,
    /// The files it is provided as online or by post, when the definition says.
    #[serde(skip_serializing_if = "Option::is_none")]
    files: Option<DocumentFiles>,
}

/// The files a document is provided as.
#[derive(Serialize, utoipa::ToSchema)]
pub struct DocumentFiles {
    /// The media types accepted (`application/pdf`, `image/jpeg`, `image/png`).
    media_types: Vec<&'static str>,
    /// The largest file, in bytes.
    max_bytes: u64,
    /// The most files.
    max_files: u32,
}

/// A procedure in full: the summary, its legal basis, result, forms, documents and steps.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = ProcedureDetail)]
pub struct Detail {
    #[serde(flatten)]
    summary: Summary,
    /// The legal texts it rests on.
    legal_basis: Vec<String>,
    /// What the applicant receives.
    result: Option<String>,
    /// The forms to fill.
    forms: Vec<FormView>,
    /// The documents to provide.
    documents: Vec<DocumentView>,
    /// The internal steps, each with its role, unit and time.
    #[schema(value_type = Vec<Object>)]
    steps: Value,
}

/// The catalogue's list.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Catalogue {
    /// Procedures listed.
    total: usize,
    /// The procedures in force.
    items: Vec<Summary>,
}

fn summary(p: &Procedure) -> Summary {
    let fee = match &p.fee.amount {
        FeeAmount::Fixed(amount) => {
            Fee { name: p.fee.name.clone(), amount: Some(*amount), depends_on_case: false, basis: p.fee.basis.clone() }
        }
        FeeAmount::Rule(_) => {
            Fee { name: p.fee.name.clone(), amount: None, depends_on_case: true, basis: p.fee.basis.clone() }
        }
    };
    Summary {
        code: p.code.to_string(),
        version: p.version,
        name: p.name.clone(),
        field: p.field.clone(),
        field_name: p.field_name.clone(),
        agency: p.agency.to_string(),
        agency_name: p.agency_name.clone(),
        online_level: json!(p.online_level),
        legacy_level: p.legacy_level(),
        channels: json!(p.channels),
        processing_time: p.processing_time.to_string(),
        statutory_time: p.statutory_time.map(|t| t.to_string()),
        fee,
        valid_from: p.valid_from,
        valid_to: p.valid_to,
    }
}

fn today(clock: &dyn Clock) -> NaiveDate {
    clock.now().date_naive()
}

/// The procedures in force today. Public. 200 with `{"items": [...], "total": n}`.
#[utoipa::path(get, path = "/api/v1/procedures", operation_id = "list_procedures", tag = "catalogue", params(ListQuery), responses((status = 200, description = "procedures in force today", body = Catalogue), (status = 400, description = "unknown query parameter", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/procedures")]
pub async fn list(state: web::Data<AppState>, query: crate::extract::Query<ListQuery>) -> HttpResponse {
    let items: Vec<Summary> = state
        .catalogue
        .in_force(today(state.clock.as_ref()))
        .iter()
        .filter(|p| query.field.as_ref().is_none_or(|f| &p.field == f))
        .filter(|p| {
            query
                .agency
                .as_ref()
                .is_none_or(|a| p.agency.as_str() == a || p.agency.as_str().starts_with(&format!("{a}.")))
        })
        .filter(|p| query.online_level.as_ref().is_none_or(|l| json!(p.online_level) == json!(l)))
        .map(|p| summary(p))
        .collect();
    HttpResponse::Ok().json(Catalogue { total: items.len(), items })
}

/// Version selector of the detail route.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DetailQuery {
    /// A published version; by default the one in force today.
    version: Option<u32>,
}

/// One procedure with its forms (and their JSON Schemas), documents and steps. Public.
/// 404 `not_found` when no version is published (or in force).
#[utoipa::path(get, path = "/api/v1/procedures/{code}", operation_id = "get_procedure", tag = "catalogue", params(("code" = String, Path, description = "procedure code, e.g. 1.004227"), DetailQuery), responses((status = 200, description = "forms with their JSON Schemas, documents, steps", body = Detail), (status = 404, description = "no such procedure in force", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/procedures/{code}")]
pub async fn detail(
    state: web::Data<AppState>,
    code: web::Path<String>,
    query: crate::extract::Query<DetailQuery>,
) -> Result<HttpResponse, ApiError> {
    let p = state
        .catalogue
        .get(&code, query.version, today(state.clock.as_ref()))
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("no published procedure `{code}` in force")))?;
    let forms = p
        .forms
        .iter()
        .map(|f| FormView { id: f.id.clone(), title: f.title.clone(), schema: (*f.schema).clone() })
        .collect();
    let documents = p
        .documents
        .iter()
        .map(|d| DocumentView {
            id: d.id.clone(),
            title: d.title.clone(),
            kind: json!(d.kind),
            copies: d.copies,
            optional: d.optional,
            conditional: d.condition.is_some(),
            condition_text: d.condition.as_ref().and(d.condition_text.clone()),
            files: d.files.as_ref().map(|f| DocumentFiles {
                media_types: f.media_types.iter().map(|m| m.as_str()).collect(),
                max_bytes: f.max_bytes,
                max_files: f.max_files,
            }),
        })
        .collect();
    let detail = Detail {
        summary: summary(&p),
        legal_basis: p.legal_basis.clone(),
        result: p.result.clone(),
        forms,
        documents,
        steps: json!(p.steps),
    };
    Ok(HttpResponse::Ok().json(detail))
}
