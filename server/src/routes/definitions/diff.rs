//! `GET …/diff?from=&to=`: what changed between two versions, field by field.

use crate::auth::MaybePrincipal;
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, get, web};
use serde::Deserialize;

/// The two versions: numbers, or `draft`.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DiffQuery {
    /// A version number, or `draft`.
    #[param(pattern = "^([0-9]+|draft)$", max_length = 10)]
    from: String,
    /// A version number, or `draft`.
    #[param(pattern = "^([0-9]+|draft)$", max_length = 10)]
    to: String,
}

/// The changes from one version to another (`from=1&to=2`, or `to=draft` for editors), as
/// JSON pointers with the old and new values — e.g. `/processing_time/working_days` 10 → 5.
#[utoipa::path(get, path = "/api/v1/procedures/{code}/diff", tag = "definitions", params(("code" = String, Path, description = "procedure code, e.g. 1.004227"), DiffQuery), responses((status = 200, description = "changes as JSON pointers with old and new values", body = crate::definitions::Diff), (status = 404, description = "no such version", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/procedures/{code}/diff")]
pub async fn diff(
    principal: MaybePrincipal,
    state: web::Data<AppState>,
    code: web::Path<String>,
    query: crate::extract::Query<DiffQuery>,
) -> Result<HttpResponse, ApiError> {
    let diff = state.definitions().diff(principal.0.as_ref(), &code, &query.from, &query.to).await?;
    Ok(HttpResponse::Ok().json(diff))
}
