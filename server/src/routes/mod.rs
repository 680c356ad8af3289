//! Routes, mirroring the URL tree.

pub mod health;
pub mod procedures;

use crate::error::{ApiError, ErrorCode};
use actix_web::web;

/// Mounts every route, with extractor errors answered as problem+json.
pub fn configure(cfg: &mut web::ServiceConfig) {
    let query = web::QueryConfig::default()
        .error_handler(|error, _| ApiError::new(ErrorCode::InvalidQuery, error.to_string()).into());
    cfg.app_data(query).service(health::health).service(web::scope("/api/v1").configure(procedures::configure));
}
