//! `POST /api/v1/dossiers`.

use super::view::{StoredParts, View, full, with_etag};
use crate::auth::{ApiRole, Principal, hash_secret};
use crate::error::{ApiError, ErrorCode};
use crate::extract::{IdempotencyHeader, IdempotencyKey, JsonBody};
use crate::intake::{Submission, Submitter, evaluate, received_at_once, take_in};
use crate::repository::dossiers::{self, RepoError};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, post, web};
use motcua_engine::codes::Role;

/// The earlier dossier of a retried request, or a refusal when the key was used for another.
fn replay(row: &crate::db::entities::dossier::Model, request_hash: &str) -> Result<HttpResponse, ApiError> {
    if row.request_hash != request_hash {
        return Err(ApiError::new(
            ErrorCode::IdempotencyKeyReused,
            "this idempotency key was used for a different submission",
        ));
    }
    let mut response = HttpResponse::Created();
    response.insert_header(("Idempotent-Replayed", "true"));
    response.insert_header(location(row));
    Ok(with_etag(response, row, full(row)?))
}

/// Where the dossier lives, on a first answer and a replay alike.
fn location(row: &crate::db::entities::dossier::Model) -> (&'static str, String) {
    ("Location", format!("/api/v1/dossiers/{}", row.code))
}

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
#[utoipa::path(post, path = "/api/v1/dossiers", operation_id = "submit_dossier", tag = "dossiers", params(IdempotencyHeader), request_body = crate::intake::Submission, responses((status = 201, description = "stored: code, lookup key; at the counter the receipt (Mẫu 01) and due time too", body = super::view::View, headers(("ETag" = String, description = "the dossier's version, for `If-Match` on the first action"), ("Location" = String, description = "the dossier's URL, on a replay too"), ("Idempotent-Replayed" = String, description = "`true` when a retry with the same key returned the dossier stored first"))), (status = 404, description = "no such procedure in force", body = crate::error::Problem, content_type = "application/problem+json"), (status = 422, description = "every invalid field, missing document and failed condition (`submission_refused`), or a rule stopped at its limits (`rule_budget_exceeded`)", body = crate::error::Problem, content_type = "application/problem+json"), (status = 401, description = "missing, unknown, expired or revoked token", body = crate::error::Problem, content_type = "application/problem+json"), (status = 403, description = "the token's role or agency does not allow this", body = crate::error::Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
#[post("/dossiers")]
#[allow(clippy::too_many_arguments, reason = "actix extractors, one per shared service the handler uses")]
pub async fn submit(
    _req: HttpRequest,
    principal: Principal,
    IdempotencyKey(key): IdempotencyKey,
    state: web::Data<AppState>,
    JsonBody(body): JsonBody,
) -> Result<HttpResponse, ApiError> {
    principal.require(&[ApiRole::Client, ApiRole::Officer])?;
    let mut request = Submission::from_json(body)?;
    let channel = crate::filing::channel(&principal, request.channel)?;
    // The hash covers the channel decided, so a retry that leaves it to the token matches.
    request.channel = Some(channel);
    let request_hash = hash_secret(&serde_json::to_string(&request).unwrap_or_default());
    if let Some(key) = &key
        && let Some(row) = dossiers::find_by_idempotency(&state.db, principal.id, key).await?
    {
        return replay(&row, &request_hash);
    }
    let now = state.clock.now();
    let procedure = state.catalogue.get(&request.procedure, None, now.date_naive()).ok_or_else(|| {
        ApiError::new(ErrorCode::NotFound, format!("no procedure `{}` is in force", request.procedure))
    })?;
    // At the desk, only the procedure's own one-stop desk (or a parent unit) receives.
    if principal.role == ApiRole::Officer {
        let desk = procedure.reception_agency();
        let at_desk =
            principal.duty == Some(Role::Reception) && principal.agency.as_ref().is_some_and(|own| desk.is_within(own));
        if !at_desk {
            return Err(ApiError::new(
                ErrorCode::Forbidden,
                format!("only reception officers of `{desk}` receive dossiers of this procedure"),
            ));
        }
    }
    let submitter = Submitter {
        token: principal.id,
        name: &principal.name,
        idempotency_key: key.clone(),
        request_hash: request_hash.clone(),
        desk: principal.agency.clone().filter(|_| principal.role == ApiRole::Officer),
    };
    let intake = evaluate(&state.evaluator, &procedure, &request, channel, now).await?;
    let at_once = received_at_once(&procedure, channel);
    let (new, event) = take_in(&procedure, &request, channel, intake, now, submitter, at_once)?;
    let row = match dossiers::insert(&state.writer, &new, &event).await {
        Ok(row) => row,
        // A concurrent retry with the same key won the race: answer with its dossier.
        Err(RepoError::DuplicateKey) => match &key {
            Some(key) => match dossiers::find_by_idempotency(&state.db, principal.id, key).await? {
                Some(row) => return replay(&row, &request_hash),
                None => return Err(RepoError::DuplicateKey.into()),
            },
            None => return Err(RepoError::DuplicateKey.into()),
        },
        Err(error) => return Err(error.into()),
    };
    let stored = StoredParts::parse(&new.submission);
    let body = View::new(&row, &new.lifecycle, &stored);
    let mut response = HttpResponse::Created();
    response.insert_header(location(&row));
    Ok(with_etag(response, &row, body))
}
