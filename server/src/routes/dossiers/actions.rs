//! `POST /api/v1/dossiers/{code}/actions`: a lifecycle transition under `If-Match`.

use super::read::may_see;
use super::view::{full, with_etag};
use crate::auth::Principal;
use crate::dossiers::requests::ActionRequest;
use crate::error::{ApiError, ErrorCode};
use crate::extract::{IfMatch, IfMatchHeader, JsonBody};
use crate::reception;
use crate::repository::dossiers;
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, post, web};
use motcua_engine::lifecycle::{LifecycleError, transition};
use serde_json::json;

fn refused(error: LifecycleError) -> ApiError {
    let code = match error {
        LifecycleError::WrongActor { .. } => ErrorCode::Forbidden,
        _ => ErrorCode::ActionRefused,
    };
    ApiError::new(code, error.to_string()).with("refusal", json!(error.code()))
}

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
#[utoipa::path(post, path = "/api/v1/dossiers/{code}/actions", operation_id = "act_on_dossier", tag = "dossiers", params(("code" = String, Path, description = "dossier code, e.g. G22.26.01.01-260302-0001"), IfMatchHeader), request_body = ActionRequest, responses((status = 200, description = "the dossier after the action, new ETag", body = super::view::View, headers(("ETag" = String, description = "the dossier's version, for `If-Match` on the next action"))), (status = 412, description = "stale version: someone acted first (`stale_version`)", body = crate::error::Problem, content_type = "application/problem+json"), (status = 422, description = "the lifecycle refuses (refusal code)", body = crate::error::Problem, content_type = "application/problem+json"), (status = 428, description = "If-Match missing", body = crate::error::Problem, content_type = "application/problem+json"), (status = 401, description = "missing, unknown, expired or revoked token", body = crate::error::Problem, content_type = "application/problem+json"), (status = 403, description = "the token's role or agency does not allow this", body = crate::error::Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
#[post("/dossiers/{code}/actions")]
pub async fn act(
    _req: HttpRequest,
    principal: Principal,
    precondition: IfMatch,
    state: web::Data<AppState>,
    code: web::Path<String>,
    JsonBody(payload): JsonBody,
) -> Result<HttpResponse, ApiError> {
    let request: ActionRequest = crate::routes::object_body(payload.clone(), "{\"action\": \"forward\"}")?;
    let row = super::read::find(&state.db, &code)
        .await?
        .filter(|row| may_see(&principal, row))
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("no dossier `{code}` for you")))?;
    if !precondition.matches(row.row_version) {
        return Err(ApiError::new(
            ErrorCode::StaleVersion,
            format!("the dossier is at version {}, not the one `If-Match` names", row.row_version),
        ));
    }
    let expected = row.row_version;
    let version = u32::try_from(row.procedure_version)
        .map_err(|_| ApiError::new(ErrorCode::Internal, "a stored procedure version out of range"))?;
    let procedure = state
        .catalogue
        .version(&state.db, &row.procedure_code, version, state.clock.now().date_naive())
        .await
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?
        .ok_or_else(|| ApiError::new(ErrorCode::Internal, "the dossier's procedure version is not in the database"))?;
    let now = state.clock.now();
    let channel = row.channel.parse().map_err(|e: String| ApiError::new(ErrorCode::Internal, e))?;
    let target = reception::Target { procedure: &procedure, channel, stored: &row.submission };
    let prepared = reception::prepare(&state.evaluator, target, principal.agency.as_ref(), request, now).await?;
    let current = dossiers::lifecycle(&row)?;
    let (next, event) = transition(&procedure, &current, &principal.actor()?, prepared.action, now).map_err(refused)?;
    let audit = json!({"request": payload, "handover": event.handover});
    let change =
        dossiers::Change { next: &next, event: &event, payload: &audit, submission: prepared.submission.as_deref() };
    let row = dossiers::apply(&state.db, procedure.calendar(), &row, expected, change).await?;
    Ok(with_etag(HttpResponse::Ok(), &row, full(&row)?))
}
