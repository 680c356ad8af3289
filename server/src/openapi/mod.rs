//! The OpenAPI document (`/api/openapi.json`) and a browsable page over it (`/api/docs`),
//! served from vendored Swagger UI assets: nothing is fetched from the network.

mod common;
mod links;
pub mod schemas;

use actix_web::{HttpResponse, get};
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Every route, request and response.
#[derive(OpenApi)]
#[openapi(
    info(title = "motcua", description = "Thủ tục hành chính as configuration: the public catalogue, the definition lifecycle, dossier intake and processing, statistics."),
    paths(
        crate::routes::health::health,
        crate::telemetry::metrics,
        crate::routes::procedures::list,
        crate::routes::procedures::detail,
        crate::routes::definitions::draft::put_draft,
        crate::routes::definitions::draft::publish,
        crate::routes::definitions::draft::retire,
        crate::routes::definitions::versions::versions,
        crate::routes::definitions::diff::diff,
        crate::routes::definitions::impact::impact,
        crate::routes::definitions::owner::get_owner,
        crate::routes::definitions::owner::put_owner,
        crate::routes::agencies::list,
        crate::routes::agencies::put,
        crate::routes::dossiers::submit::submit,
        crate::routes::dossiers::read::list,
        crate::routes::dossiers::read::get,
        crate::routes::dossiers::actions::act,
        crate::routes::dossiers::printable::receipt::receipt,
        crate::routes::uploads::upload,
        crate::routes::uploads::download,
        crate::routes::dossiers::files::list,
        crate::routes::dossiers::files::download,
        crate::routes::dossiers::printable::apology::apology,
        crate::routes::dossiers::printable::control_slip::control_slip,
        crate::routes::dossiers::printable::notices::supplement_request,
        crate::routes::dossiers::printable::notices::refusal,
        crate::routes::alerts::list,
        crate::routes::stats::statistics,
        crate::routes::import::import,
    ),
    components(schemas(crate::error::Problem, crate::dossiers::intake::Submission, crate::dossiers::intake::Applicant)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

const SUBMISSION_EXAMPLE: &str = include_str!("../../../examples/land-change-submission.json");

/// The document as served: the routes' annotations, with the responses every operation may
/// give by convention.
static DOCUMENT: std::sync::LazyLock<serde_json::Value> = std::sync::LazyLock::new(|| {
    let mut served = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    common::apply(&mut served);
    links::apply(&mut served);
    // The submission of the README's tour: a real dossier a client can send as it is.
    if let Ok(example) = serde_json::from_str::<serde_json::Value>(SUBMISSION_EXAMPLE) {
        served["paths"]["/api/v1/dossiers"]["post"]["requestBody"]["content"]["application/json"]["example"] = example;
    }
    served
});

/// The document as JSON, as served.
pub fn document_value() -> serde_json::Value {
    DOCUMENT.clone()
}

/// The OpenAPI 3.1 document. Public.
#[get("/api/openapi.json")]
pub async fn document() -> HttpResponse {
    HttpResponse::Ok().json(&*DOCUMENT)
}

const SWAGGER_JS: &[u8] = include_bytes!("../../assets/swagger-ui/swagger-ui-bundle.js");
const SWAGGER_CSS: &[u8] = include_bytes!("../../assets/swagger-ui/swagger-ui.css");

/// A browsable page over the document. Public.
#[get("/api/docs")]
pub async fn page() -> HttpResponse {
    let html = "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>motcua API</title>\
                <link rel=\"stylesheet\" href=\"/api/docs/swagger-ui.css\"></head><body><div id=\"ui\"></div>\
                <script src=\"/api/docs/swagger-ui-bundle.js\"></script>\
                <script>SwaggerUIBundle({url: '/api/openapi.json', dom_id: '#ui'});</script></body></html>";
    HttpResponse::Ok().content_type("text/html; charset=utf-8").body(html)
}

/// The vendored script.
#[get("/api/docs/swagger-ui-bundle.js")]
pub async fn script() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/javascript")
        .insert_header(("Cache-Control", "public, max-age=86400"))
        .body(SWAGGER_JS)
}

/// The vendored style sheet.
#[get("/api/docs/swagger-ui.css")]
pub async fn style() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css")
        .insert_header(("Cache-Control", "public, max-age=86400"))
        .body(SWAGGER_CSS)
}
