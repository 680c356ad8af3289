//! A procedure's versions, with their status and dates.

use super::Definitions;
use crate::auth::Principal;
use crate::error::{ApiError, ErrorCode};

/// A procedure's versions.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Versions {
    /// The procedure code.
    pub code: String,
    /// Its versions, oldest first.
    pub versions: Vec<Version>,
}

/// One version, its status and dates.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Version {
    /// The version number.
    pub version: i32,
    /// draft, published or retired.
    pub status: String,
    /// First day in force.
    pub valid_from: chrono::NaiveDate,
    /// Last day in force, if it ends.
    pub valid_to: Option<chrono::NaiveDate>,
    /// When it was uploaded.
    pub created_at: chrono::DateTime<chrono::FixedOffset>,
    /// When it was published.
    pub published_at: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// When it was retired.
    pub retired_at: Option<chrono::DateTime<chrono::FixedOffset>>,
}

impl Definitions<'_> {
    /// Every version of `code` with its status and dates: published and retired ones for
    /// anyone, the draft too for those who may edit it; 404 when there is none.
    pub async fn versions(&self, principal: Option<&Principal>, code: &str) -> Result<Versions, ApiError> {
        let versions: Vec<Version> = self
            .stored(principal, code)
            .await?
            .into_iter()
            .map(|v| Version {
                version: v.version,
                status: v.status,
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
        Ok(Versions { code: code.to_owned(), versions })
    }
}
