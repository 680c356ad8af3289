//! `POST /api/v1/uploads`: a file of a document, streamed into the file store before the
//! dossier naming it is filed; `GET /api/v1/uploads/{id}`: the file back, for who uploaded it.

use crate::auth::{ApiRole, Principal};
use crate::error::{ApiError, ErrorCode};
use crate::files::receive::receive;
use crate::repository::uploads;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use motcua_engine::files::MediaType;
use serde::{Deserialize, Serialize};

/// Files one token may have uploaded and not yet filed with a dossier: a dossier's worth many
/// times over, not a disk's.
pub const MAX_UNFILED: u64 = 200;

/// Which document a file is for, and its name.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    /// The procedure code, e.g. 1.004227 (the pattern of `openapi::schemas::procedure_code`,
    /// written out: a parameter given its schema whole is documented as optional).
    #[param(pattern = "^[0-9]\\.[0-9]{6}(\\.[0-9A-Z.]{1,40})?$", min_length = 8, max_length = 48)]
    procedure: String,
    /// The document's id in the procedure's definition.
    #[param(pattern = "^[a-z][a-z0-9_]{0,63}$", min_length = 1, max_length = 64)]
    document: String,
    /// The file's name, for display: no path, no control character, at most 255 characters.
    #[param(pattern = "^(?!\\.\\.?$)[^/\\\\\\u0000-\\u001f\\u007f-\\u009f]{1,255}$", min_length = 1, max_length = 255)]
    name: Option<String>,
}

/// A file stored.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Uploaded {
    /// Its id, for the submission that files it.
    id: String,
    /// The procedure.
    procedure: String,
    /// The document.
    document: String,
    /// Its name.
    name: String,
    /// The type its bytes show.
    media_type: String,
    /// Its size in bytes.
    size: i64,
    /// SHA-256 of its bytes, lowercase hex.
    sha256: String,
    /// When it was stored.
    uploaded_at: chrono::DateTime<chrono::FixedOffset>,
}

/// A name fit to show: no path (`/`, `\`), no control character, not `.` or `..`.
fn file_name(name: Option<&str>) -> Result<String, ApiError> {
    let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) else { return Ok("tep".to_owned()) };
    let bad = name.chars().count() > 255
        || name.chars().any(|c| c.is_control() || c == '/' || c == '\\')
        || name == "."
        || name == "..";
    if bad {
        return Err(ApiError::new(
            ErrorCode::InvalidQuery,
            "`name` is a file's name: at most 255 characters, no `/`, `\\` or control character",
        ));
    }
    Ok(name.to_owned())
}

/// Stores one file of a document of a procedure in force, streamed (`Content-Type` the
/// file's type, or `application/octet-stream`): its bytes must show the type it claims, one
/// the document accepts, within its size. 201 with its id, size and SHA-256; nothing is kept of a file refused or cut off.
/// Clients and reception officers, who file dossiers.
#[utoipa::path(post, path = "/api/v1/uploads", operation_id = "upload_file", tag = "uploads", params(UploadQuery), request_body(content = Vec<u8>, description = "the file's bytes; `Content-Type` is its type (`application/pdf`, `image/jpeg`, `image/png`) or `application/octet-stream` to let the bytes tell", content_type = "application/octet-stream"), responses((status = 201, description = "stored", body = Uploaded, headers(("Location" = String, description = "the file's URL"))), (status = 400, description = "a bad name (`invalid_query`); the upload cut off (`invalid_body`)", body = crate::error::Problem, content_type = "application/problem+json"), (status = 404, description = "no such procedure in force, or no such document filed as files", body = crate::error::Problem, content_type = "application/problem+json"), (status = 413, description = "larger than the document allows", body = crate::error::Problem, content_type = "application/problem+json"), (status = 415, description = "a type the document does not take, or bytes that are not what they claim; `accepted` lists the types", body = crate::error::Problem, content_type = "application/problem+json"), (status = 429, description = "too many files of this token wait for a dossier (`MAX_UNFILED`)", body = crate::error::Problem, content_type = "application/problem+json"), (status = 401, description = "missing, unknown, expired or revoked token", body = crate::error::Problem, content_type = "application/problem+json"), (status = 403, description = "the token's role or agency does not allow this", body = crate::error::Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
#[post("/uploads")]
pub async fn upload(
    req: HttpRequest,
    principal: Principal,
    state: web::Data<AppState>,
    query: crate::extract::Query<UploadQuery>,
    body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    principal.require(&[ApiRole::Client, ApiRole::Officer])?;
    let name = file_name(query.name.as_deref())?;
    let today = state.clock.now().date_naive();
    let procedure = state
        .catalogue
        .get(&query.procedure, None, today)
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("no procedure `{}` in force", query.procedure)))?;
    let document = procedure.documents.iter().find(|d| d.id == query.document).ok_or_else(|| {
        ApiError::new(
            ErrorCode::NotFound,
            format!("procedure `{}` has no document `{}`", procedure.code, query.document),
        )
    })?;
    // A document not filed as files has no place for one: as unknown as a missing document.
    let rules = document.files.as_ref().ok_or_else(|| {
        ApiError::new(ErrorCode::NotFound, format!("document `{}` is not filed as files", document.id))
    })?;
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    // `application/octet-stream` claims nothing: the bytes alone tell the type.
    let claimed = match content_type.split(';').next().unwrap_or_default().trim() {
        "application/octet-stream" => Some(None),
        _ => MediaType::parse(content_type).map(Some),
    };
    let Some(claimed) = claimed else {
        return Err(ApiError::new(
            ErrorCode::UnsupportedMediaType,
            format!("send the file with its `Content-Type`, one of {}", rules.accepted_list()),
        ));
    };
    // A length announced over the limit is refused before a byte is read.
    let announced = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if announced.is_some_and(|length| length > rules.max_bytes) {
        return Err(ApiError::new(
            ErrorCode::PayloadTooLarge,
            format!("a file of this document is at most {} bytes", rules.max_bytes),
        ));
    }
    // Uploads wait for their dossier, but not in thousands: a client files what it uploads.
    if uploads::unfiled(&state.db, principal.id).await? >= MAX_UNFILED {
        return Err(ApiError::new(
            ErrorCode::TooManyRequests,
            format!("{MAX_UNFILED} files wait for a dossier already: file them with a submission first"),
        ));
    }
    let id = crate::files::new_id();
    let received = receive(&state.files, &id, rules, claimed, body).await?;
    let stored = uploads::Stored {
        id: &id,
        for_document: (procedure.code.as_str(), &document.id),
        name: &name,
        media_type: received.media_type.as_str(),
        size: received.size,
        sha256: &received.sha256,
        by: principal.id,
        at: state.clock.now(),
    };
    let row = match uploads::insert(&state.db, stored).await {
        Ok(row) => row,
        Err(error) => {
            state.files.discard(&id).await;
            return Err(error.into());
        }
    };
    let location = format!("/api/v1/uploads/{}", row.id);
    Ok(HttpResponse::Created().insert_header((header::LOCATION, location)).json(Uploaded::from(row)))
}

impl From<crate::db::entities::upload::Model> for Uploaded {
    fn from(row: crate::db::entities::upload::Model) -> Self {
        Uploaded {
            id: row.id,
            procedure: row.procedure,
            document: row.document,
            name: row.name,
            media_type: row.media_type,
            size: row.size,
            sha256: row.sha256,
            uploaded_at: row.uploaded_at,
        }
    }
}

/// The bytes of a stored file as a download: its type, its name, never sniffed by a browser.
pub(crate) async fn file_response(
    state: &AppState,
    row: &crate::db::entities::upload::Model,
) -> Result<HttpResponse, ApiError> {
    let stream = state.files.read(&row.object_key).await?;
    let disposition = format!("attachment; filename*=UTF-8''{}", crate::portal::percent_encoded(&row.name));
    Ok(HttpResponse::Ok()
        .content_type(row.media_type.as_str())
        .insert_header((header::CONTENT_DISPOSITION, disposition))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .streaming(stream))
}

/// The file's bytes, for who uploaded it (and administrators); 404 for anyone else, as for an
/// id that does not exist.
#[utoipa::path(get, path = "/api/v1/uploads/{id}", operation_id = "download_upload", tag = "uploads", params(("id" = String, Path, description = "the upload's id, e.g. upl_…")), responses((status = 200, description = "the file", body = Vec<u8>, content_type = "application/octet-stream"), (status = 404, description = "no such file for you", body = crate::error::Problem, content_type = "application/problem+json"), (status = 401, description = "missing, unknown, expired or revoked token", body = crate::error::Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
#[get("/uploads/{id}")]
pub async fn download(
    principal: Principal,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let row = uploads::find(&state.db, &id)
        .await?
        .filter(|row| row.uploaded_by == principal.id || principal.role == ApiRole::Admin)
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("no file `{id}`")))?;
    file_response(&state, &row).await
}
