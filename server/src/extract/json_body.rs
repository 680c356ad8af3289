//! A JSON request body, read one way by every route that takes one: `Content-Type:
//! application/json` (415 otherwise), at most [`MAX_JSON_BODY`] bytes (413), parsed strictly
//! (a key given twice is 400, not "the last one wins").

use crate::error::{ApiError, ErrorCode};
use crate::routes::MAX_JSON_BODY;
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, web};
use serde_json::Value;
use std::future::Future;
use std::pin::Pin;

/// The body, as JSON.
pub struct JsonBody(pub Value);

/// A body that may be left out: none when the request sends no bytes, else read as
/// [`JsonBody`] (a body in another media type is still 415, never taken as no body).
pub struct MaybeJsonBody(pub Option<Value>);

/// Whether the request says it sends JSON.
pub fn is_json(req: &HttpRequest) -> bool {
    let kind = req.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
    kind.split(';').next().unwrap_or_default().trim().eq_ignore_ascii_case("application/json")
}

impl FromRequest for JsonBody {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let read = read(req, payload, false);
        Box::pin(async move { read.await?.map(JsonBody).ok_or_else(not_json) })
    }
}

impl FromRequest for MaybeJsonBody {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let read = read(req, payload, true);
        Box::pin(async move { read.await.map(MaybeJsonBody) })
    }
}

fn not_json() -> ApiError {
    ApiError::new(ErrorCode::UnsupportedMediaType, "send the body as `Content-Type: application/json`")
}

/// The body parsed. The media type is checked before a byte is read, except when the body is
/// `optional` and names none: then no bytes is `None`, any bytes 415.
fn read(
    req: &HttpRequest,
    payload: &mut Payload,
    optional: bool,
) -> impl Future<Output = Result<Option<Value>, ApiError>> + 'static {
    let json = is_json(req);
    let untyped = optional && !req.headers().contains_key("content-type");
    let bytes = web::Bytes::from_request(req, payload);
    async move {
        if !json && !untyped {
            return Err(not_json());
        }
        let body = bytes.await.map_err(|error| {
            if error.as_response_error().status_code() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    ErrorCode::PayloadTooLarge,
                    format!("the body is over the limit of {MAX_JSON_BODY} bytes"),
                )
            } else {
                ApiError::new(ErrorCode::InvalidBody, error.to_string())
            }
        })?;
        match (untyped, body.is_empty()) {
            (true, true) => Ok(None),
            (true, false) => Err(not_json()),
            (false, _) => crate::strict_json::parse(&body)
                .map(Some)
                .map_err(|e| ApiError::new(ErrorCode::InvalidBody, e.to_string())),
        }
    }
}
