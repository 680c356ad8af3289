//! sea-orm entities, one module per table.

pub mod form_schema;
pub mod procedure_version;
