//! `/api/v1/dossiers`: submission, reading, lists and lifecycle actions.

pub(crate) mod actions;
pub(crate) mod files;
pub(crate) mod printable;
pub(crate) mod read;
pub(crate) mod submit;

use crate::dossiers::record::StoredDossier;
use actix_web::http::header;
use actix_web::{HttpResponse, HttpResponseBuilder, web};

/// A response with the dossier's version as ETag, for `If-Match` on the next action.
fn with_etag(mut response: HttpResponseBuilder, dossier: &StoredDossier, body: impl serde::Serialize) -> HttpResponse {
    response.insert_header((header::ETAG, format!("\"{}\"", dossier.version))).json(body)
}

/// Mounts the dossier routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(submit::submit)
        .service(read::list)
        .service(read::get)
        .service(actions::act)
        .service(printable::receipt::receipt)
        .service(printable::apology::apology)
        .service(files::list)
        .service(files::download)
        .service(printable::control_slip::control_slip)
        .service(printable::notices::supplement_request)
        .service(printable::notices::refusal);
}
