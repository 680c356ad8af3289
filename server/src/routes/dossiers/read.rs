//! `GET /api/v1/dossiers/{code}` and `GET /api/v1/dossiers`.

use super::printable::KeyQuery;
use super::with_etag;
use crate::auth::{MaybePrincipal, Principal};
use crate::dossiers::Seen;
use crate::dossiers::list::{FilterText, PageRequest};
use crate::dossiers::view::{DossierPage, PublicView, View};
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{DateTime, FixedOffset};
use serde::Deserialize;

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
#[utoipa::path(get, path = "/api/v1/dossiers/{code}", operation_id = "get_dossier", tag = "dossiers", params(("code" = String, Path, description = "dossier code, e.g. G22.26.01.01-260302-0001"), KeyQuery), responses((status = 429, description = "too many anonymous lookups from this address", body = crate::error::Problem, content_type = "application/problem+json"), (status = 200, description = "the dossier (full with a token that may see it, public status with the key)", body = crate::dossiers::view::DossierOrStatus, headers(("ETag" = String, description = "the dossier's version, for `If-Match` on the next action"))), (status = 404, description = "no such dossier for you", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/dossiers/{code}")]
pub async fn get(
    req: HttpRequest,
    principal: MaybePrincipal,
    state: web::Data<AppState>,
    code: web::Path<String>,
    query: crate::extract::Query<KeyQuery>,
) -> Result<HttpResponse, ApiError> {
    limit_anonymous(&req, &principal)?;
    match state.dossiers().read(principal.0.as_ref(), &code, query.key.as_deref()).await? {
        Seen::Full(dossier) => Ok(with_etag(HttpResponse::Ok(), &dossier, View::new(&dossier))),
        Seen::Public(dossier) => Ok(HttpResponse::Ok().json(PublicView::new(&dossier))),
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
#[utoipa::path(get, path = "/api/v1/dossiers", operation_id = "list_dossiers", tag = "dossiers", params(ListQuery), responses((status = 200, description = "a page of dossiers, newest first", body = crate::dossiers::view::DossierPage), (status = 400, description = "bad filter", body = crate::error::Problem, content_type = "application/problem+json"), (status = 401, description = "missing, unknown, expired or revoked token", body = crate::error::Problem, content_type = "application/problem+json"), (status = 403, description = "the token's role or agency does not allow this", body = crate::error::Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
#[get("/dossiers")]
pub async fn list(
    principal: Principal,
    state: web::Data<AppState>,
    query: crate::extract::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let request = PageRequest::new(query.page, query.per_page)?;
    let filter = FilterText {
        state: query.status.as_deref(),
        agency: query.agency.as_deref(),
        procedure: query.procedure.as_deref(),
        overdue: query.overdue,
        due_before: query.due_before,
        source_code: query.source_code.as_deref(),
    }
    .parse()?;
    let page = state.dossiers().list(&principal, filter, request).await?;
    Ok(HttpResponse::Ok().json(DossierPage::new(&page)))
}
