//! sea-orm entities, one module per table.

pub mod agency;
pub mod audit_event;
pub mod deadline_alert;
pub mod dossier;
pub mod form_schema;
pub mod procedure_owner;
pub mod procedure_version;
pub mod session;
pub mod token;
pub mod upload;
