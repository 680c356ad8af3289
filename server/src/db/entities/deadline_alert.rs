//! A deadline warning: a dossier in progress found past its due time (`overdue`) or within a
//! working day of it (`near_deadline`). At most one row per dossier and kind.

use sea_orm::entity::prelude::*;

/// A row of `deadline_alerts`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deadline_alerts")]
#[allow(missing_docs)]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub dossier_id: i32,
    /// `overdue` or `near_deadline`.
    pub kind: String,
    /// The dossier's due time when the warning was raised.
    pub due_at: DateTimeWithTimeZone,
    pub raised_at: DateTimeWithTimeZone,
    /// The server instance whose scan raised it.
    pub instance: String,
}

impl ActiveModelBehavior for ActiveModel {}
