//! `POST /api/v1/import/dossiers`: historic dossiers as NDJSON (see [`crate::dossiers::import`]).

use crate::auth::Principal;
use crate::dossiers::import::Report;
use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};

/// Content types of an import.
const NDJSON: [&str; 2] = ["application/x-ndjson", "application/jsonl"];

/// Largest import body.
pub const MAX_IMPORT_BODY: usize = 32 * 1024 * 1024;

/// Imports historic dossiers, one JSON object a line (admin). Each line is evaluated under the
/// version in force on its `received_at` and replayed through its `events`; a bad line is
/// reported with its line number and nothing of it is stored, the others are.
#[utoipa::path(post, path = "/api/v1/import/dossiers", tag = "import", request_body(content = String, content_type = "application/x-ndjson", description = "one historic dossier a line"), responses((status = 200, description = "imported count and every bad line with its number", body = Report), (status = 415, description = "not NDJSON", body = crate::error::Problem, content_type = "application/problem+json"), (status = 401, description = "missing, unknown, expired or revoked token", body = crate::error::Problem, content_type = "application/problem+json"), (status = 403, description = "the token's role or agency does not allow this", body = crate::error::Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
pub async fn import(
    req: HttpRequest,
    principal: Principal,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    // Who may import is known before the body is looked at: 403 before 415.
    crate::dossiers::access::may_import(&principal)?;
    let kind = req.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !NDJSON.contains(&kind.split(';').next().unwrap_or_default().trim()) {
        return Err(ApiError::new(
            ErrorCode::UnsupportedMediaType,
            "send NDJSON as `Content-Type: application/x-ndjson`",
        ));
    }
    let text = std::str::from_utf8(&body)
        .map_err(|e| ApiError::new(ErrorCode::InvalidBody, format!("the body is not UTF-8: {e}")))?;
    Ok(HttpResponse::Ok().json(state.dossiers().import(&principal, text).await?))
}
