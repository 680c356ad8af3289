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
#[derive(Serialize)]
struct Summary {
    code: String,
    version: u32,
    name: String,
    field: String,
    field_name: Option<String>,
    agency: String,
    agency_name: Option<String>,
    online_level: Value,
    /// Decree 43/2011 level 1–4, for historic reports.
    legacy_level: u8,
    channels: Value,
    /// The committed time, e.g. "5 ngày làm việc".
    processing_time: String,
    /// The statutory time it was cut from, when the definition gives it.
    statutory_time: Option<String>,
    fee: Value,
    valid_from: NaiveDate,
    valid_to: Option<NaiveDate>,
}

fn summary(p: &Procedure) -> Summary {
    let fee = match &p.fee.amount {
        FeeAmount::Fixed(amount) => json!({"name": p.fee.name, "amount": amount, "basis": p.fee.basis}),
        FeeAmount::Rule(_) => {
            json!({"name": p.fee.name, "amount": null, "depends_on_case": true, "basis": p.fee.basis})
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
#[utoipa::path(get, path = "/api/v1/procedures", operation_id = "list_procedures", tag = "catalogue", params(ListQuery), responses((status = 200, description = "procedures in force today", body = Object), (status = 400, description = "unknown query parameter", body = crate::error::Problem, content_type = "application/problem+json")))]
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
    HttpResponse::Ok().json(json!({"total": items.len(), "items": items}))
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
#[utoipa::path(get, path = "/api/v1/procedures/{code}", operation_id = "get_procedure", tag = "catalogue", params(("code" = String, Path, description = "procedure code, e.g. 1.004227"), DetailQuery), responses((status = 200, description = "forms with their JSON Schemas, documents, steps", body = Object), (status = 404, description = "no such procedure in force", body = crate::error::Problem, content_type = "application/problem+json")))]
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
    let mut body = serde_json::to_value(summary(&p)).unwrap_or_default();
    body["legal_basis"] = json!(p.legal_basis);
    body["result"] = json!(p.result);
    body["forms"] =
        json!(p.forms.iter().map(|f| json!({"id": f.id, "title": f.title, "schema": *f.schema})).collect::<Vec<_>>());
    body["documents"] = json!(p
        .documents
        .iter()
        .map(|d| json!({"id": d.id, "title": d.title, "kind": d.kind, "copies": d.copies, "optional": d.optional, "conditional": d.condition.is_some()}))
        .collect::<Vec<_>>());
    body["steps"] = json!(p.steps);
    Ok(HttpResponse::Ok().json(body))
}
