//! A file uploaded for a document of a procedure, stored in the file store under its own key.

use sea_orm::entity::prelude::*;

/// A row of `uploads`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "uploads")]
#[allow(missing_docs)]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub procedure: String,
    pub document: String,
    /// The file's name as the applicant gave it, for display only.
    pub name: String,
    /// The type its bytes show.
    pub media_type: String,
    pub size: i64,
    /// SHA-256 of its bytes, lowercase hex.
    pub sha256: String,
    /// Where the file store keeps it.
    pub object_key: String,
    /// The token (or account) that uploaded it.
    pub uploaded_by: i32,
    pub uploaded_at: DateTimeWithTimeZone,
    /// The dossier it was filed with, once filed.
    pub dossier_code: Option<String>,
    pub bound_at: Option<DateTimeWithTimeZone>,
}

impl ActiveModelBehavior for ActiveModel {}
