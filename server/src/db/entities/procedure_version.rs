//! A version of a procedure definition: draft, published or retired. Published versions are
//! immutable; a dossier is pinned to one.

use sea_orm::entity::prelude::*;

/// A row of `procedure_versions`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "procedure_versions")]
#[allow(missing_docs)]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub code: String,
    pub version: i32,
    /// draft, published or retired.
    pub status: String,
    pub name: String,
    pub field: String,
    pub agency: String,
    pub online_level: String,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
    /// The file or upload it came from, for diagnostics.
    pub source: String,
    /// The definition as written.
    pub yaml: String,
    pub created_at: DateTimeWithTimeZone,
    pub published_at: Option<DateTimeWithTimeZone>,
    pub retired_at: Option<DateTimeWithTimeZone>,
}

impl ActiveModelBehavior for ActiveModel {}
