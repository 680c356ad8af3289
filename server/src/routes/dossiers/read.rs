//! `GET /api/v1/dossiers/{code}` and `GET /api/v1/dossiers`.

use super::printable::KeyQuery;
use super::view::{full, public, with_etag};
use crate::auth::{ApiRole, MaybePrincipal, Principal, hash_secret};
use crate::db::entities::dossier;
use crate::error::{ApiError, ErrorCode};
use crate::repository::dossiers::{self, ListFilter};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{DateTime, FixedOffset};
use motcua_engine::codes::{AgencyCode, ProcedureCode};
use motcua_engine::dossier_code::DossierCode;
use motcua_engine::lifecycle::State;
use serde::Deserialize;

/// Largest page.
pub const MAX_PER_PAGE: u64 = 200;
/// Highest page number: far beyond any real list, and small enough that offsets never overflow.
pub const MAX_PAGE: u64 = 1_000_000;
/// Page size when none is asked.
const DEFAULT_PER_PAGE: u64 = 50;

/// Whether a principal may see a dossier: admins all; clients what they submitted; department
/// and officers their agency's, and those with a step of their agency (inter-agency steps).
pub fn may_see(principal: &Principal, row: &dossier::Model) -> bool {
    match principal.role {
        ApiRole::Admin => true,
        ApiRole::Client => row.client_id == Some(principal.id),
        ApiRole::Department | ApiRole::Officer => {
            let Some(own) = &principal.agency else { return false };
            let within = |agency: &str| agency.parse::<AgencyCode>().is_ok_and(|a| a.is_within(own));
            within(&row.agency)
                || dossiers::lifecycle(row).is_ok_and(|d| d.steps.iter().any(|s| s.agency.is_within(own)))
                || row.client_id == Some(principal.id)
        }
    }
}

/// A dossier by code; text that is not a dossier code is no dossier, without asking the
/// database (which may refuse odd bytes such as NUL with an error of its own).
pub async fn find(db: &sea_orm::DatabaseConnection, code: &str) -> Result<Option<dossier::Model>, ApiError> {
    if code.parse::<DossierCode>().is_err() {
        return Ok(None);
    }
    Ok(dossiers::find_by_code(db, code).await?)
}

/// Counts an anonymous lookup against its address's limit (429 past it): lookup keys and codes
/// cannot be guessed at speed.
pub fn limit_anonymous(req: &HttpRequest, principal: &MaybePrincipal) -> Result<(), ApiError> {
    match &principal.0 {
        None => crate::state::of(req)?.lookups.check(req.peer_addr().map(|a| a.ip())),
        Some(_) => Ok(()),
    }
}

/// A dossier. With a token: the full dossier if the token may see it. Without: the public
/// status, given the `key` printed on the receipt. 404 `not_found` otherwise, the same whether
/// the dossier does not exist or is not yours, so codes cannot be probed.
#[utoipa::path(get, path = "/api/v1/dossiers/{code}", operation_id = "get_dossier", tag = "dossiers", params(("code" = String, Path, description = "dossier code, e.g. G22.26.01.01-260302-0001"), KeyQuery), responses((status = 429, description = "too many anonymous lookups from this address", body = crate::error::Problem, content_type = "application/problem+json"), (status = 200, description = "the dossier (full with a token that may see it, public status with the key)", body = super::view::DossierOrStatus, headers(("ETag" = String, description = "the dossier's version, for `If-Match` on the next action"))), (status = 404, description = "no such dossier for you", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/dossiers/{code}")]
pub async fn get(
    req: HttpRequest,
    principal: MaybePrincipal,
    state: web::Data<AppState>,
    code: web::Path<String>,
    query: crate::extract::Query<KeyQuery>,
) -> Result<HttpResponse, ApiError> {
    limit_anonymous(&req, &principal)?;
    let not_found = || ApiError::new(ErrorCode::NotFound, format!("no dossier `{code}` for you"));
    let row = find(&state.db, &code).await?.ok_or_else(not_found)?;
    match (&principal.0, &query.key) {
        (Some(principal), _) if may_see(principal, &row) => Ok(with_etag(HttpResponse::Ok(), &row, full(&row)?)),
        (_, Some(key)) if hash_secret(key) == row.lookup_key_hash => Ok(HttpResponse::Ok().json(public(&row)?)),
        _ => Err(not_found()),
    }
}

/// Filters and page of the dossier list.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Only dossiers in this state.
    #[param(schema_with = crate::openapi::schemas::state_name)]
    status: Option<String>,
    /// Only dossiers of this agency or its units.
    #[param(schema_with = crate::openapi::schemas::agency_code)]
    agency: Option<String>,
    /// Only dossiers of this procedure code.
    #[param(schema_with = crate::openapi::schemas::procedure_code)]
    procedure: Option<String>,
    /// Only dossiers past (`true`) or within (`false`) their due time, unfinished.
    overdue: Option<bool>,
    /// Only dossiers due before this instant (RFC 3339).
    due_before: Option<DateTime<FixedOffset>>,
    /// An imported dossier's code in the previous system.
    #[param(schema_with = crate::openapi::schemas::source_text)]
    source_code: Option<String>,
    /// The page, from 0.
    #[serde(default)]
    #[param(minimum = 0, maximum = 1_000_000)]
    page: u64,
    /// Dossiers a page, 1 to 200 (50 by default).
    #[param(minimum = 1, maximum = 200)]
    per_page: Option<u64>,
}

/// Dossiers the token may see, newest first: `status` (state name), `agency`, `procedure`,
/// `overdue`, `due_before`, `source_code` (an imported dossier's code in the previous system),
/// `page` (from 0) and `per_page` (at most 200).
#[utoipa::path(get, path = "/api/v1/dossiers", operation_id = "list_dossiers", tag = "dossiers", params(ListQuery), responses((status = 200, description = "a page of dossiers, newest first", body = super::view::DossierPage), (status = 400, description = "bad filter", body = crate::error::Problem, content_type = "application/problem+json"), (status = 401, description = "missing, unknown, expired or revoked token", body = crate::error::Problem, content_type = "application/problem+json"), (status = 403, description = "the token's role or agency does not allow this", body = crate::error::Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
#[get("/dossiers")]
pub async fn list(
    principal: Principal,
    state: web::Data<AppState>,
    query: crate::extract::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let per_page = query.per_page.unwrap_or(DEFAULT_PER_PAGE);
    if per_page == 0 || per_page > MAX_PER_PAGE {
        return Err(ApiError::new(ErrorCode::InvalidQuery, format!("`per_page` must be 1 to {MAX_PER_PAGE}")));
    }
    if query.page > MAX_PAGE {
        return Err(ApiError::new(ErrorCode::InvalidQuery, format!("`page` must be at most {MAX_PAGE}")));
    }
    let invalid =
        |what: &str, value: &str| ApiError::new(ErrorCode::InvalidQuery, format!("`{value}` is not a valid `{what}`"));
    if let Some(agency) = &query.agency
        && agency.parse::<AgencyCode>().is_err()
    {
        return Err(invalid("agency", agency));
    }
    if let Some(procedure) = &query.procedure
        && procedure.parse::<ProcedureCode>().is_err()
    {
        return Err(invalid("procedure", procedure));
    }
    if let Some(status) = &query.status
        && !State::NAMES.contains(&status.as_str())
    {
        return Err(invalid("status", status));
    }
    if let Some(code) = &query.source_code
        && !crate::routes::import::is_source_text(code)
    {
        return Err(invalid("source_code", code));
    }
    let mut filter = ListFilter {
        state: query.status.clone(),
        agency: query.agency.clone(),
        procedure: query.procedure.clone(),
        overdue: query.overdue,
        due_before: query.due_before,
        client: None,
        involving: None,
        source_code: query.source_code.clone(),
    };
    match principal.role {
        ApiRole::Admin => {}
        ApiRole::Client => filter.client = Some(principal.id),
        ApiRole::Department | ApiRole::Officer => {
            // Officials see their agency's dossiers and those with a step of theirs
            // (inter-agency steps); `agency` then narrows within those.
            let own = principal
                .agency
                .as_ref()
                .ok_or_else(|| ApiError::new(ErrorCode::Forbidden, "this token has no agency"))?;
            filter.involving = Some(own.to_string());
        }
    }
    let (rows, total) = dossiers::list(&state.db, state.clock.now(), &filter, query.page, per_page).await?;
    let items = rows.iter().map(full).collect::<Result<Vec<_>, _>>()?;
    Ok(HttpResponse::Ok().json(super::view::DossierPage { total, page: query.page, per_page, items }))
}
