//! `POST /api/v1/dossiers`.

use super::with_etag;
use crate::auth::Principal;
use crate::dossiers::intake::Submission;
use crate::dossiers::view::View;
use crate::error::ApiError;
use crate::extract::{IdempotencyHeader, IdempotencyKey, JsonBody};
use crate::state::AppState;
use actix_web::{HttpResponse, post, web};

/// Submits a dossier (client, or a reception officer at the desk); the channel is the token's
/// (403 `channel_not_allowed` for one it does not serve). The engine evaluates it now: 201 with
/// the dossier code and the lookup key — at the counter received at once with its receipt
/// (Mẫu 01) and due time; online or by post `submitted` (national status 1) until the desk's
/// reception officer accepts it (`accept`, the clock starts then), asks for a supplement
/// (Mẫu 02) or refuses it (Mẫu 03), unless the definition accepts its online dossiers at once;
/// 422 `submission_refused` listing every invalid field, missing document and failed condition,
/// with nothing stored; 422 `rule_budget_exceeded` when a rule of the procedure is stopped at
/// one of its limits on this data (its `rule` pointer and line, the `limit`, a `help`), with
/// nothing stored. With `Idempotency-Key`, a retry returns the same dossier.
#[utoipa::path(post, path = "/api/v1/dossiers", operation_id = "submit_dossier", tag = "dossiers", params(IdempotencyHeader), request_body = crate::dossiers::intake::Submission, responses((status = 201, description = "stored: code, lookup key; at the counter the receipt (Mẫu 01) and due time too", body = crate::dossiers::view::View, headers(("ETag" = String, description = "the dossier's version, for `If-Match` on the first action"), ("Location" = String, description = "the dossier's URL, on a replay too"), ("Idempotent-Replayed" = String, description = "`true` when a retry with the same key returned the dossier stored first"))), (status = 404, description = "no such procedure in force", body = crate::error::Problem, content_type = "application/problem+json"), (status = 422, description = "every invalid field, missing document and failed condition (`submission_refused`), or a rule stopped at its limits (`rule_budget_exceeded`)", body = crate::error::Problem, content_type = "application/problem+json"), (status = 401, description = "missing, unknown, expired or revoked token", body = crate::error::Problem, content_type = "application/problem+json"), (status = 403, description = "the token's role or agency does not allow this", body = crate::error::Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
#[post("/dossiers")]
pub async fn submit(
    principal: Principal,
    IdempotencyKey(key): IdempotencyKey,
    state: web::Data<AppState>,
    JsonBody(body): JsonBody,
) -> Result<HttpResponse, ApiError> {
    crate::dossiers::access::may_file(&principal)?;
    let request = Submission::from_json(body)?;
    let filed = state.dossiers().submit(&principal, request, key).await?;
    let mut response = HttpResponse::Created();
    // Where the dossier lives, on a first answer and a replay alike.
    response.insert_header(("Location", format!("/api/v1/dossiers/{}", filed.dossier.code)));
    if filed.replayed {
        response.insert_header(("Idempotent-Replayed", "true"));
    }
    Ok(with_etag(response, &filed.dossier, View::new(&filed.dossier)))
}
