//! Behind TLS (`--secure-cookies`), every cookie the portal sets is marked `Secure`, so that a
//! browser never sends a session or a form token over plain HTTP. Done once here, on the way
//! out, rather than by each page that sets a cookie.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderValue, SET_COOKIE};
use actix_web::middleware::Next;

/// Marks the response's cookies `Secure` when the server is configured so.
pub async fn apply(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let secure = crate::state::of(req.request()).is_ok_and(|state| state.secure_cookies);
    let mut response = next.call(req).await?;
    if secure {
        let cookies: Vec<HeaderValue> = response.headers().get_all(SET_COOKIE).cloned().collect();
        if !cookies.is_empty() {
            response.headers_mut().remove(SET_COOKIE);
            for cookie in cookies {
                let text = cookie.to_str().unwrap_or_default();
                let marked = if text.to_ascii_lowercase().contains("; secure") {
                    text.to_owned()
                } else {
                    format!("{text}; Secure")
                };
                if let Ok(value) = HeaderValue::from_str(&marked) {
                    response.headers_mut().append(SET_COOKIE, value);
                }
            }
        }
    }
    Ok(response)
}
