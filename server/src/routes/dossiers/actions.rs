//! `POST /api/v1/dossiers/{code}/actions`: a lifecycle transition under `If-Match`.

use super::with_etag;
use crate::auth::Principal;
use crate::dossiers::requests::ActionRequest;
use crate::dossiers::view::View;
use crate::error::ApiError;
use crate::extract::{IfMatch, IfMatchHeader, JsonBody};
use crate::state::AppState;
use actix_web::{HttpResponse, post, web};

/// Applies an action (`{"action": "accept"}`, `{"action": "forward"}`, `{"action": "decide",
/// "approved": true}`, …) with `If-Match: "<version>"`. Reception ends a submitted dossier's
/// reception with `accept`, `request_supplement_before_receipt` (`items`) or `refuse`
/// (`reasons`); the applicant answers a supplement request with `resubmit` (before receipt) or
/// `supplement_received` (during processing), optionally sending `documents` (added) and `form`
/// (each form replaced), which the engine checks again (422 `submission_refused`). 200 with the dossier and its new ETag; 412 `stale_version`
/// when someone acted first; 428 without `If-Match`; 403 when the token's role or agency is
/// not the step's; 422 `action_refused` with the lifecycle's `refusal` code (wrong_state,
/// apology_required, supplement_already_requested, …); for `accept`, which evaluates the
/// stored submission again, 422 `rule_budget_exceeded` when a rule is stopped at its limits.
#[utoipa::path(post, path = "/api/v1/dossiers/{code}/actions", operation_id = "act_on_dossier", tag = "dossiers", params(("code" = String, Path, description = "dossier code, e.g. G22.26.01.01-260302-0001"), IfMatchHeader), request_body = ActionRequest, responses((status = 200, description = "the dossier after the action, new ETag", body = crate::dossiers::view::View, headers(("ETag" = String, description = "the dossier's version, for `If-Match` on the next action"))), (status = 412, description = "stale version: someone acted first (`stale_version`)", body = crate::error::Problem, content_type = "application/problem+json"), (status = 422, description = "the lifecycle refuses (refusal code)", body = crate::error::Problem, content_type = "application/problem+json"), (status = 428, description = "If-Match missing", body = crate::error::Problem, content_type = "application/problem+json"), (status = 401, description = "missing, unknown, expired or revoked token", body = crate::error::Problem, content_type = "application/problem+json"), (status = 403, description = "the token's role or agency does not allow this", body = crate::error::Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
#[post("/dossiers/{code}/actions")]
pub async fn act(
    principal: Principal,
    precondition: IfMatch,
    state: web::Data<AppState>,
    code: web::Path<String>,
    JsonBody(sent): JsonBody,
) -> Result<HttpResponse, ApiError> {
    let request: ActionRequest = crate::routes::object_body(sent.clone(), "{\"action\": \"forward\"}")?;
    let act = crate::dossiers::Act { request, sent, expected: precondition.version() };
    let dossier = state.dossiers().act(&principal, &code, act).await?;
    Ok(with_etag(HttpResponse::Ok(), &dossier, View::new(&dossier)))
}
