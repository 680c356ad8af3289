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

/// Whether the request says it sends JSON.
pub fn is_json(req: &HttpRequest) -> bool {
    let kind = req.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
    kind.split(';').next().unwrap_or_default().trim().eq_ignore_ascii_case("application/json")
}

impl FromRequest for JsonBody {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = is_json(req);
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            if !json {
                return Err(ApiError::new(
                    ErrorCode::UnsupportedMediaType,
                    "send the body as `Content-Type: application/json`",
                ));
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
            crate::strict_json::parse(&body)
                .map(JsonBody)
                .map_err(|e| ApiError::new(ErrorCode::InvalidBody, e.to_string()))
        })
    }
}
