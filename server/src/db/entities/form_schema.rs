//! Form schemas the server holds, named by path (`forms/x.schema.json`) as definitions name
//! them, so a definition behaves the same from the folder and through the API.

use sea_orm::entity::prelude::*;

/// A row of `form_schemas`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "form_schemas")]
#[allow(missing_docs)]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub path: String,
    pub json: String,
    pub created_at: DateTimeWithTimeZone,
}

impl ActiveModelBehavior for ActiveModel {}
