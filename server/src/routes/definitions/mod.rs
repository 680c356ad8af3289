//! The definition lifecycle under `/api/v1/procedures/{code}`: draft, publish, retire,
//! versions, diff and the impact of a draft on dossiers in flight, over the definition service
//! ([`crate::definitions`]).

pub(crate) mod diff;
pub(crate) mod draft;
pub(crate) mod impact;
pub(crate) mod owner;
pub(crate) mod versions;

use actix_web::web;

/// Mounts the definition routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(draft::put_draft)
        .service(draft::publish)
        .service(draft::retire)
        .service(versions::versions)
        .service(diff::diff)
        .service(impact::impact)
        .service(owner::get_owner)
        .service(owner::put_owner);
}
