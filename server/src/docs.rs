//! The project's own documentation (`docs/*.md`), compiled in and served as pages at `/docs`,
//! beside the API's (`/api/docs`) and the catalogue of codes (`/problems`).

use crate::error::{ApiError, ErrorCode};
use crate::html::escape;
use actix_web::{HttpResponse, get, web};
use pulldown_cmark::{Options, Parser, html};

/// Each page: its path under `/docs`, its title, its Markdown.
pub const PAGES: [(&str, &str, &str); 2] = [
    ("architecture", "Architecture", include_str!("../../docs/architecture.md")),
    ("definitions", "Writing procedure definitions", include_str!("../../docs/definitions.md")),
];

fn page(title: &str, body: &str) -> HttpResponse {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{} — motcua</title><style>\
         body{{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;line-height:1.5}}\
         code{{background:#f3f3f3;padding:0 .2em}}pre{{background:#f3f3f3;padding:.5em;overflow:auto}}\
         table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.2em .4em}}</style></head>\
         <body><p><a href=\"/docs\">Documentation</a> · <a href=\"/api/docs\">API</a> · \
         <a href=\"/problems\">Codes</a></p>{body}</body></html>",
        escape(title)
    );
    HttpResponse::Ok().content_type("text/html; charset=utf-8").body(html)
}

/// The pages. Public.
#[get("/docs")]
pub async fn index() -> HttpResponse {
    let items: String = PAGES
        .iter()
        .map(|(path, title, _)| format!("<li><a href=\"/docs/{path}\">{}</a></li>", escape(title)))
        .collect();
    let body = format!(
        "<h1>motcua documentation</h1><ul>{items}<li><a href=\"/api/docs\">The HTTP API</a> \
         (<a href=\"/api/openapi.json\">OpenAPI</a>)</li><li><a href=\"/problems\">Every code, and how to fix \
         it</a></li></ul>"
    );
    page("Documentation", &body)
}

/// One page, rendered from its Markdown. Public; 404 for a page that does not exist.
#[get("/docs/{page}")]
pub async fn show(name: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let (_, title, markdown) = PAGES
        .iter()
        .find(|(path, ..)| *path == name.as_str())
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("no page `{name}`; see /docs")))?;
    let mut body = String::new();
    html::push_html(&mut body, Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_HEADING_ATTRIBUTES));
    Ok(page(title, &body))
}
