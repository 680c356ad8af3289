//! `GET …/versions`.

use crate::auth::MaybePrincipal;
use crate::catalogue::DRAFT;
use crate::error::{ApiError, ErrorCode};
use crate::repository::procedures;
use crate::state::AppState;
use actix_web::{HttpResponse, get, web};

/// Every version with its status and dates. Public for published and retired versions; admins
/// and departments also see drafts.
#[utoipa::path(get, path = "/api/v1/procedures/{code}/versions", tag = "definitions", params(("code" = String, Path, description = "procedure code, e.g. 1.004227")), responses((status = 200, description = "versions with status and dates", body = Versions), (status = 404, description = "no such procedure", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/procedures/{code}/versions")]
pub async fn versions(
    principal: MaybePrincipal,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let rows = procedures::versions(&state.db, &code).await?;
    let editor = super::is_editor(principal.0.as_ref(), &state.db, &code, &rows).await?;
    let versions: Vec<Version> = rows
        .iter()
        .filter(|v| editor || v.status != DRAFT)
        .map(|v| Version {
            version: v.version,
            status: v.status.clone(),
            valid_from: v.valid_from,
            valid_to: v.valid_to,
            created_at: v.created_at,
            published_at: v.published_at,
            retired_at: v.retired_at,
        })
        .collect();
    if versions.is_empty() {
        return Err(ApiError::new(ErrorCode::NotFound, format!("no procedure `{code}`")));
    }
    Ok(HttpResponse::Ok().json(Versions { code: code.into_inner(), versions }))
}

/// A procedure's versions.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Versions {
    /// The procedure code.
    code: String,
    /// Its versions, oldest first.
    versions: Vec<Version>,
}

/// One version, its status and dates.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Version {
    /// The version number.
    version: i32,
    /// draft, published or retired.
    status: String,
    /// First day in force.
    valid_from: chrono::NaiveDate,
    /// Last day in force, if it ends.
    valid_to: Option<chrono::NaiveDate>,
    /// When it was uploaded.
    created_at: chrono::DateTime<chrono::FixedOffset>,
    /// When it was published.
    published_at: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// When it was retired.
    retired_at: Option<chrono::DateTime<chrono::FixedOffset>>,
}
