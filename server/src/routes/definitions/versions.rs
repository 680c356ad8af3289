//! `GET …/versions`.

use crate::auth::MaybePrincipal;
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, get, web};

/// Every version with its status and dates. Public for published and retired versions; admins
/// and departments also see drafts.
#[utoipa::path(get, path = "/api/v1/procedures/{code}/versions", tag = "definitions", params(("code" = String, Path, description = "procedure code, e.g. 1.004227")), responses((status = 200, description = "versions with status and dates", body = crate::definitions::Versions), (status = 404, description = "no such procedure", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/procedures/{code}/versions")]
pub async fn versions(
    principal: MaybePrincipal,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(state.definitions().versions(principal.0.as_ref(), &code).await?))
}
