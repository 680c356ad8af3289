//! sea-orm entities, one module per table.

pub mod audit_event;
pub mod dossier;
pub mod form_schema;
pub mod procedure_version;
pub mod token;
