//! `If-Match` on a dossier action (RFC 9110 §13.1.1): the version the client read.

use crate::error::{ApiError, ErrorCode};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use std::future::{Ready, ready};

/// The dossier version named by `If-Match` (`"3"` or `W/"3"`). 428 `precondition_required`
/// without the header, 400 when it is not one ETag of ours.
#[derive(Debug, Clone, Copy)]
pub struct IfMatch(pub i32);

impl IfMatch {
    fn read(req: &HttpRequest) -> Result<Self, ApiError> {
        let header = req
            .headers()
            .get("if-match")
            .ok_or_else(|| ApiError::new(ErrorCode::PreconditionRequired, "send `If-Match` with the dossier's ETag"))?;
        header
            .to_str()
            .ok()
            .map(|v| v.trim().trim_start_matches("W/").trim_matches('"'))
            .and_then(|v| v.parse().ok())
            .map(IfMatch)
            .ok_or_else(|| ApiError::new(ErrorCode::InvalidBody, "`If-Match` must be the dossier's ETag, e.g. \"3\""))
    }
}

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Self::read(req))
    }
}
