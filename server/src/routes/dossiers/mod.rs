//! `/api/v1/dossiers`: submission, reading, lists and lifecycle actions.

pub(crate) mod actions;
pub(crate) mod printable;
pub(crate) mod read;
pub(crate) mod submit;
mod view;

use actix_web::web;

/// Mounts the dossier routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(submit::submit)
        .service(read::list)
        .service(read::get)
        .service(actions::act)
        .service(printable::receipt)
        .service(printable::apology)
        .service(printable::notices::supplement_request)
        .service(printable::notices::refusal);
}
