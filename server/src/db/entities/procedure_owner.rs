//! An assignment of a procedure code to its owning agency; the newest row is in force.

use sea_orm::entity::prelude::*;

/// A row of `procedure_owners`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "procedure_owners")]
#[allow(missing_docs)]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub code: String,
    pub agency: String,
    pub since: DateTimeWithTimeZone,
    /// Who assigned it: the first publisher, an administrator, or the migration.
    pub assigned_by: String,
    pub reason: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}
