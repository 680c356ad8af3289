//! Persistence, one module per aggregate. Every state change and its audit row are written in
//! one transaction. Every public call runs in a `repository` span (debug level) that names it,
//! inside the request's span, so a slow request shows which call was slow.

pub mod agencies;
pub mod agency_scope;
pub mod alerts;
pub mod dossiers;
pub mod owners;
pub mod postgres_writer;
pub mod procedures;
pub mod sequences;
pub mod sessions;
pub mod sqlite_writer;
mod statements;
pub mod stats;
pub mod tokens;
pub mod uploads;
pub mod write_queue;
