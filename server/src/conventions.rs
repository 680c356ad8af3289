//! HTTP conventions every route follows, applied once around the router rather than in each
//! handler (RFC 9110): HEAD is answered as GET without the body, a known path asked with a
//! method it does not have is 405 with `Allow`, and a response that may carry personal data is
//! never stored by a cache.

use crate::error::{ApiError, ErrorCode};
use actix_web::body::MessageBody;
use actix_web::dev::{ResourceDef, ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use std::sync::LazyLock;

/// Pages served beside the documented API, all read-only.
const PAGES: [&str; 8] = [
    "/api/openapi.json",
    "/api/docs",
    "/api/docs/swagger-ui-bundle.js",
    "/api/docs/swagger-ui.css",
    "/problems",
    "/problems/{code}",
    "/docs",
    "/docs/{page}",
];

/// Paths under which every answer is about one person's dossier or by a signed-in user.
const PERSONAL: [&str; 6] =
    ["/api/v1/dossiers", "/api/v1/alerts", "/api/v1/import", "/tra-cuu", "/can-bo", "/dang-nhap"];

/// Each path of the API with the methods it answers, from the OpenAPI document: a route that
/// is not documented has no `Allow` either, which the document test would catch first.
static ROUTES: LazyLock<Vec<(ResourceDef, Vec<&'static str>)>> = LazyLock::new(|| {
    let document = crate::openapi::document_value();
    let mut routes: Vec<(ResourceDef, Vec<&'static str>)> = document["paths"]
        .as_object()
        .map(|paths| {
            paths
                .iter()
                .map(|(path, operations)| {
                    let methods = ["get", "put", "post", "delete", "patch"]
                        .into_iter()
                        .filter(|m| operations.get(*m).is_some())
                        .collect();
                    (ResourceDef::new(path.as_str()), methods)
                })
                .collect()
        })
        .unwrap_or_default();
    routes.extend(PAGES.iter().map(|page| (ResourceDef::new(*page), vec!["get"])));
    routes.extend(crate::portal::PAGES.iter().map(|(page, methods)| (ResourceDef::new(*page), methods.to_vec())));
    routes
});

/// The methods `path` answers, as an `Allow` value (`GET, HEAD`), if it is a known path.
fn allowed(path: &str) -> Option<String> {
    let methods = ROUTES.iter().find(|(def, _)| def.is_match(path)).map(|(_, methods)| methods)?;
    let mut names: Vec<String> = methods.iter().map(|m| m.to_uppercase()).collect();
    if methods.contains(&"get") {
        names.push("HEAD".to_owned());
    }
    Some(names.join(", "))
}

/// Whether `path` is one a program calls (the API, its documents, the health check), which
/// answers problem+json, rather than a page of the portal.
fn is_api(path: &str) -> bool {
    ["/api", "/problems", "/docs", "/health", "/metrics"]
        .iter()
        .any(|prefix| path.strip_prefix(prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with('/')))
}

/// Whether the client asks for HTML (a browser does; `curl` and HTTP libraries do not).
fn accepts_html(req: &HttpRequest) -> bool {
    req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"))
}

/// What the router answers when no route matched: 405 with `Allow` for a known path, 404
/// otherwise.
pub async fn unmatched(req: HttpRequest) -> HttpResponse {
    match allowed(req.path()) {
        Some(allow) => {
            let detail = format!("`{} {}` is not a route; this path answers {allow}", req.method(), req.path());
            let mut response = ApiError::new(ErrorCode::MethodNotAllowed, detail).error_response();
            if let Ok(value) = HeaderValue::from_str(&allow) {
                response.headers_mut().insert(header::ALLOW, value);
            }
            response
        }
        // A person whose browser followed a link outside the API reads a page, in Vietnamese;
        // a program gets the problem.
        None if !is_api(req.path()) && accepts_html(&req) => {
            crate::portal::PortalError::not_found("Trang bạn tìm không có trên cổng.")
                .help("Kiểm tra lại địa chỉ, hoặc tìm thủ tục từ trang chủ.")
                .error_response()
        }
        None => ApiError::new(ErrorCode::NotFound, "no such route; see /api/openapi.json").error_response(),
    }
}

/// The middleware: HEAD routed as GET (actix's codec remembers the request was HEAD and sends
/// no body), `Cache-Control: no-store` added to personal responses that set none.
pub async fn apply(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    let personal = req.headers().contains_key(header::AUTHORIZATION)
        || PERSONAL.iter().any(|prefix| req.path().starts_with(prefix));
    let mut response = next.call(req).await?;
    if personal && !response.headers().contains_key(header::CACHE_CONTROL) {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(response)
}
