//! `GET /api/v1/dossiers/{code}/files` and `…/files/{id}`: the files filed with a dossier, for
//! the officers who may see it and for the applicant with its lookup key.

use super::printable::KeyQuery;
use super::read::limit_anonymous;
use crate::auth::MaybePrincipal;
use crate::dossiers::Seen;
use crate::error::{ApiError, ErrorCode};
use crate::repository::uploads;
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Serialize;

/// The files of a dossier.
#[derive(Serialize, utoipa::ToSchema)]
pub struct DossierFiles {
    /// Every file, oldest first.
    items: Vec<crate::routes::uploads::Uploaded>,
}

/// The dossier `code` for the caller or the key holder, else 404.
async fn seen(
    req: &HttpRequest,
    principal: &MaybePrincipal,
    state: &AppState,
    code: &str,
    key: Option<&str>,
) -> Result<String, ApiError> {
    limit_anonymous(req, principal)?;
    let (Seen::Full(dossier) | Seen::Public(dossier)) = state.dossiers().read(principal.0.as_ref(), code, key).await?;
    Ok(dossier.code)
}

/// The files filed with a dossier, with a token that may see it or `?key=`.
#[utoipa::path(get, path = "/api/v1/dossiers/{code}/files", operation_id = "list_dossier_files", tag = "dossiers", params(("code" = String, Path, description = "dossier code, e.g. G22.26.01.01-260302-0001"), KeyQuery), responses((status = 200, description = "its files", body = DossierFiles), (status = 404, description = "no such dossier for you", body = crate::error::Problem, content_type = "application/problem+json"), (status = 429, description = "too many anonymous lookups from this address", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/dossiers/{code}/files")]
pub async fn list(
    req: HttpRequest,
    principal: MaybePrincipal,
    state: web::Data<AppState>,
    code: web::Path<String>,
    query: crate::extract::Query<KeyQuery>,
) -> Result<HttpResponse, ApiError> {
    let code = seen(&req, &principal, &state, &code, query.key.as_deref()).await?;
    let items = uploads::of_dossier(&state.db, &code).await?.into_iter().map(Into::into).collect();
    Ok(HttpResponse::Ok().json(DossierFiles { items }))
}

/// A file of a dossier, with a token that may see it or `?key=`.
#[utoipa::path(get, path = "/api/v1/dossiers/{code}/files/{id}", operation_id = "download_dossier_file", tag = "dossiers", params(("code" = String, Path, description = "dossier code, e.g. G22.26.01.01-260302-0001"), ("id" = String, Path, description = "the file's id"), KeyQuery), responses((status = 200, description = "the file", body = Vec<u8>, content_type = "application/octet-stream"), (status = 404, description = "no such file of a dossier of yours", body = crate::error::Problem, content_type = "application/problem+json"), (status = 429, description = "too many anonymous lookups from this address", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/dossiers/{code}/files/{id}")]
pub async fn download(
    req: HttpRequest,
    principal: MaybePrincipal,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    query: crate::extract::Query<KeyQuery>,
) -> Result<HttpResponse, ApiError> {
    let (code, id) = path.into_inner();
    let code = seen(&req, &principal, &state, &code, query.key.as_deref()).await?;
    let file = uploads::find(&state.db, &id)
        .await?
        .filter(|f| f.dossier_code.as_deref() == Some(code.as_str()))
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("dossier `{code}` has no file `{id}`")))?;
    crate::routes::uploads::file_response(&state, &file).await
}
