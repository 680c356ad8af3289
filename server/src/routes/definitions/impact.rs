//! `GET …/impact`: what the draft's processing time would mean for dossiers in flight.

use crate::auth::Principal;
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, get, web};

/// Before publishing: the open dossiers of this procedure, how many are late now, and how many
/// would be late if their due time were counted with the draft's processing time (for
/// example after cutting 10 working days to 5). Publishing never changes a dossier in flight;
/// this shows what the new time would have meant.
#[utoipa::path(get, path = "/api/v1/procedures/{code}/impact", tag = "definitions", params(("code" = String, Path, description = "procedure code, e.g. 1.004227")), responses((status = 200, description = "open dossiers late now and with the draft time", body = crate::definitions::Impact), (status = 404, description = "no draft", body = crate::error::Problem, content_type = "application/problem+json"), (status = 401, description = "missing, unknown, expired or revoked token", body = crate::error::Problem, content_type = "application/problem+json"), (status = 403, description = "the token's role or agency does not allow this", body = crate::error::Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
#[get("/procedures/{code}/impact")]
pub async fn impact(
    principal: Principal,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(state.definitions().impact(&principal, &code).await?))
}
