//! `Idempotency-Key` on a submission: a retry with the same key returns the same dossier.

use crate::error::{ApiError, ErrorCode};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use std::future::{Ready, ready};

/// Longest `Idempotency-Key`.
pub const MAX_IDEMPOTENCY_KEY: usize = 200;

/// The header as the OpenAPI document describes it.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)] // described, never built: the extractor below reads the header
pub struct IdempotencyHeader {
    /// A retry with the same key returns the same dossier.
    #[param(rename = "Idempotency-Key", schema_with = crate::openapi::schemas::idempotency_key)]
    idempotency_key: Option<String>,
}

/// The key, if the client sent one; 400 when it is empty, too long or not printable ASCII.
#[derive(Debug, Clone, Default)]
pub struct IdempotencyKey(pub Option<String>);

impl IdempotencyKey {
    fn read(req: &HttpRequest) -> Result<Self, ApiError> {
        let Some(value) = req.headers().get("idempotency-key") else { return Ok(IdempotencyKey(None)) };
        let key = value
            .to_str()
            .map_err(|_| ApiError::new(ErrorCode::InvalidBody, "`Idempotency-Key` must be printable ASCII"))?;
        if key.is_empty() || key.len() > MAX_IDEMPOTENCY_KEY || !key.bytes().all(|b| (b' '..=b'~').contains(&b)) {
            return Err(ApiError::new(
                ErrorCode::InvalidBody,
                format!("`Idempotency-Key` must have 1 to {MAX_IDEMPOTENCY_KEY} characters"),
            ));
        }
        Ok(IdempotencyKey(Some(key.to_owned())))
    }
}

impl FromRequest for IdempotencyKey {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Self::read(req))
    }
}
