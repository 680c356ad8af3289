//! Routes, mirroring the URL tree.

pub mod agencies;
pub mod alerts;
pub mod definitions;
pub mod dossiers;
pub mod health;
pub mod import;
pub mod procedures;
pub mod stats;
pub mod uploads;

use crate::error::{ApiError, ErrorCode};
use actix_web::web;

/// Largest JSON body accepted (a dossier's forms; attachments are not sent inline).
pub const MAX_JSON_BODY: usize = 256 * 1024;

/// A JSON body read as `T`, which must be an object: serde also reads a struct from an array
/// of its fields in order, which no client means. `shape` shows the expected object.
pub(crate) fn object_body<T: serde::de::DeserializeOwned>(body: serde_json::Value, shape: &str) -> Result<T, ApiError> {
    let invalid = |detail: String| ApiError::new(ErrorCode::InvalidBody, detail);
    if !body.is_object() {
        return Err(invalid(format!("the body is a JSON object: {shape}")));
    }
    serde_json::from_value(body).map_err(|e| invalid(e.to_string()))
}

/// Mounts every route, with extractor errors answered as problem+json.
pub fn configure(cfg: &mut web::ServiceConfig) {
    let json = web::JsonConfig::default().limit(MAX_JSON_BODY).error_handler(|error, _| {
        let code = match error {
            actix_web::error::JsonPayloadError::Overflow { .. }
            | actix_web::error::JsonPayloadError::OverflowKnownLength { .. } => ErrorCode::PayloadTooLarge,
            _ => ErrorCode::InvalidBody,
        };
        ApiError::new(code, error.to_string()).into()
    });
    cfg.app_data(json)
        .service(health::health)
        .service(crate::openapi::document)
        .service(crate::openapi::page)
        .service(crate::openapi::script)
        .service(crate::openapi::style)
        .service(crate::docs::index)
        .service(crate::docs::show)
        .service(crate::problems::pages::index)
        .service(crate::problems::pages::problem)
        .configure(crate::portal::configure)
        .service(
            web::scope("/api/v1")
                .configure(procedures::configure)
                .configure(definitions::configure)
                .configure(dossiers::configure)
                .service(alerts::list)
                .service(agencies::list)
                .service(agencies::put)
                .service(stats::statistics)
                .service(uploads::upload)
                .service(uploads::download)
                .service(
                    web::resource("/import/dossiers")
                        .app_data(web::PayloadConfig::new(import::MAX_IMPORT_BODY))
                        .route(web::post().to(import::import)),
                ),
        );
}
