//! `PUT …/draft`, `POST …/publish`, `POST …/retire`.

use crate::auth::Principal;
use crate::definitions::{Drafted, rendered};
use crate::error::{ApiError, ErrorCode};
use crate::extract::MaybeJsonBody;
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, post, put, web};
use serde::Deserialize;

/// A draft as stored, with the warnings it compiled with.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct StoredDraft {
    /// The procedure code.
    code: String,
    /// The draft's version number.
    version: i32,
    /// Always `draft`.
    status: String,
    /// The warnings; a draft with errors is not stored.
    diagnostics: Vec<crate::definitions::RenderedDiagnostic>,
}

fn is_yaml(req: &HttpRequest) -> bool {
    let kind = req.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let kind = kind.split(';').next().unwrap_or_default().trim();
    matches!(kind, "application/yaml" | "application/x-yaml" | "text/yaml")
}

/// Uploads a draft as one YAML body (`Content-Type: application/yaml`); form schemas are
/// named by the paths the server holds, as in the shipped folder. 200 with the warnings; 422
/// `definition_invalid` with every diagnostic located `FILE:LINE:COL`; 409 `version_exists`
/// when the version is already published. Admin, or the department owning the procedure.
#[utoipa::path(put, path = "/api/v1/procedures/{code}/draft", tag = "definitions", params(("code" = String, Path, description = "procedure code, e.g. 1.004227")), request_body(content = String, content_type = "application/yaml", description = "the definition, as YAML (procedure.schema.json)"), responses((status = 200, description = "draft stored, with warnings", body = StoredDraft), (status = 409, description = "version already published", body = crate::error::Problem, content_type = "application/problem+json"), (status = 415, description = "not application/yaml", body = crate::error::Problem, content_type = "application/problem+json"), (status = 422, description = "diagnostics located FILE:LINE:COL", body = crate::error::Problem, content_type = "application/problem+json"), (status = 401, description = "missing, unknown, expired or revoked token", body = crate::error::Problem, content_type = "application/problem+json"), (status = 403, description = "the token's role or agency does not allow this", body = crate::error::Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
#[put("/procedures/{code}/draft")]
pub async fn put_draft(
    req: HttpRequest,
    principal: Principal,
    state: web::Data<AppState>,
    code: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    if !is_yaml(&req) {
        return Err(ApiError::new(
            ErrorCode::UnsupportedMediaType,
            "send the definition as `Content-Type: application/yaml`",
        ));
    }
    let yaml = std::str::from_utf8(&body)
        .map_err(|e| ApiError::new(ErrorCode::InvalidBody, format!("the body is not UTF-8: {e}")))?;
    match state.definitions().save_draft(&principal, &code, yaml).await? {
        Drafted::Stored { row, diagnostics } => Ok(HttpResponse::Ok().json(StoredDraft {
            code: row.code,
            version: row.version,
            status: row.status,
            diagnostics: rendered(&diagnostics),
        })),
        Drafted::Invalid { diagnostics } => {
            let count = diagnostics.iter().filter(|d| d.is_error()).count();
            Err(ApiError::new(ErrorCode::DefinitionInvalid, format!("{count} error(s) in the definition"))
                .with("diagnostics", serde_json::to_value(rendered(&diagnostics)).unwrap_or_default()))
        }
    }
}

/// Publishes the draft as an immutable version. Dossiers in flight keep their version. An
/// earlier published version whose period it starts inside ends the day before; one it starts
/// no later than is retired (it could never be in force again); `earlier_versions` says which.
/// 404 when there is no draft; 422 if it no longer compiles (a form schema changed); 409
/// `version_overlap` when its own period is already over.
#[utoipa::path(post, path = "/api/v1/procedures/{code}/publish", tag = "definitions", params(("code" = String, Path, description = "procedure code, e.g. 1.004227")), responses((status = 200, description = "published", body = crate::definitions::Published), (status = 404, description = "no draft", body = crate::error::Problem, content_type = "application/problem+json"), (status = 422, description = "the draft no longer compiles", body = crate::error::Problem, content_type = "application/problem+json"), (status = 409, description = "its validity period is already over (`version_overlap`)", body = crate::error::Problem, content_type = "application/problem+json"), (status = 401, description = "missing, unknown, expired or revoked token", body = crate::error::Problem, content_type = "application/problem+json"), (status = 403, description = "the token's role or agency does not allow this", body = crate::error::Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
#[post("/procedures/{code}/publish")]
pub async fn publish(
    principal: Principal,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(state.definitions().publish(&principal, &code).await?))
}

/// Which version to retire.
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetireRequest {
    /// By default the newest published version.
    version: Option<i32>,
}

/// Retires a published version: no new dossiers are accepted under it, dossiers filed under
/// it keep it.
#[utoipa::path(post, path = "/api/v1/procedures/{code}/retire", tag = "definitions", params(("code" = String, Path, description = "procedure code, e.g. 1.004227")), request_body(content = Option<RetireRequest>, description = "which version; none, or `{}`, for the newest published"), responses((status = 200, description = "retired", body = crate::definitions::Retired), (status = 404, description = "no such published version", body = crate::error::Problem, content_type = "application/problem+json"), (status = 401, description = "missing, unknown, expired or revoked token", body = crate::error::Problem, content_type = "application/problem+json"), (status = 403, description = "the token's role or agency does not allow this", body = crate::error::Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
#[post("/procedures/{code}/retire")]
pub async fn retire(
    principal: Principal,
    state: web::Data<AppState>,
    code: web::Path<String>,
    MaybeJsonBody(body): MaybeJsonBody,
) -> Result<HttpResponse, ApiError> {
    // No body, or JSON null, leaves the choice to the server: the newest published version.
    let request: RetireRequest = match body {
        None | Some(serde_json::Value::Null) => RetireRequest::default(),
        Some(body) => crate::routes::object_body(body, "{\"version\": 2}")?,
    };
    Ok(HttpResponse::Ok().json(state.definitions().retire(&principal, &code, request.version).await?))
}
