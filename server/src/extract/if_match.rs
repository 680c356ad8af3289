//! `If-Match` on a dossier action (RFC 9110 §13.1.1): the version the client read.

use crate::error::{ApiError, ErrorCode};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use std::future::{Ready, ready};
use utoipa::openapi::Required;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};

/// The values [`IfMatch::parse`] reads, for the API's schema.
pub const IF_MATCH_PATTERN: &str = r#"^(\*|(W/)?"[0-9]{1,9}")$"#;

/// The header as the OpenAPI document describes it: required, of [`IF_MATCH_PATTERN`].
pub struct IfMatchHeader;

impl utoipa::IntoParams for IfMatchHeader {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![
            ParameterBuilder::new()
                .name("If-Match")
                .parameter_in(ParameterIn::Header)
                .required(Required::True)
                .schema(Some(crate::openapi::schemas::if_match()))
                .build(),
        ]
    }
}

/// What `If-Match` names: a dossier version (`"3"` or `W/"3"`), or `*`, any current version
/// (RFC 9110 §13.1.1: the client acts on whatever the dossier is now). 428
/// `precondition_required` without the header, 400 when it is neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IfMatch {
    /// This version only.
    Version(i32),
    /// Whichever version is current.
    Any,
}

impl IfMatch {
    /// The version the client read; `None` for any.
    pub fn version(self) -> Option<i32> {
        match self {
            IfMatch::Version(expected) => Some(expected),
            IfMatch::Any => None,
        }
    }

    /// Reads a header value: `*`, `"N"` or `W/"N"` with N of 1 to 9 digits (a version, never
    /// beyond what a dossier reaches).
    pub fn parse(value: &str) -> Option<Self> {
        if value == "*" {
            return Some(IfMatch::Any);
        }
        let tag = value.strip_prefix("W/").unwrap_or(value);
        let digits = tag.strip_prefix('"')?.strip_suffix('"')?;
        let well_formed = (1..=9).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
        well_formed.then(|| digits.parse().ok().map(IfMatch::Version)).flatten()
    }

    fn read(req: &HttpRequest) -> Result<Self, ApiError> {
        let header = req
            .headers()
            .get("if-match")
            .ok_or_else(|| ApiError::new(ErrorCode::PreconditionRequired, "send `If-Match` with the dossier's ETag"))?;
        header
            .to_str()
            .ok()
            .and_then(|v| IfMatch::parse(v.trim()))
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
