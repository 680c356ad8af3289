//! `GET /api/v1/dossiers/{code}/files` and `…/files/{id}`: the files filed with a dossier, for
//! the officers who may see it and for the applicant with its lookup key.

use super::printable::KeyQuery;
use super::read::limit_anonymous;
use crate::auth::MaybePrincipal;
use crate::dossiers::Seen;
use crate::error::{ApiError, ErrorCode};
use crate::repository::uploads;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Serialize;

/// A file of a dossier.
#[derive(Serialize, utoipa::ToSchema)]
pub struct DossierFile {
    /// Its id.
    id: String,
    /// The document it belongs to.
    document: String,
    /// Its name.
    name: String,
    /// The type its bytes show.
    media_type: String,
    /// Its size in bytes.
    size: i64,
    /// SHA-256 of its bytes, as the dossier's audit chain records it.
    sha256: String,
    /// When it was uploaded.
    uploaded_at: chrono::DateTime<chrono::FixedOffset>,
}

/// The files of a dossier.
#[derive(Serialize, utoipa::ToSchema)]
pub struct DossierFiles {
    /// Every file, oldest first.
    items: Vec<DossierFile>,
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
    let items = uploads::of_dossier(&state.db, &code)
        .await?
        .into_iter()
        .map(|f| DossierFile {
            id: f.id,
            document: f.document,
            name: f.name,
            media_type: f.media_type,
            size: f.size,
            sha256: f.sha256,
            uploaded_at: f.uploaded_at,
        })
        .collect();
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
    let stream = state.files.read(&file.object_key).await?;
    let disposition = format!("attachment; filename*=UTF-8''{}", crate::portal::percent_encoded(&file.name));
    Ok(HttpResponse::Ok()
        .content_type(file.media_type.as_str())
        .insert_header((header::CONTENT_DISPOSITION, disposition))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .streaming(stream))
}
