//! A signed-in browser of a staff account: the cookie's secret stored hashed, with the CSRF
//! token its forms carry.

use sea_orm::entity::prelude::*;

/// A row of `sessions`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
#[allow(missing_docs)]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// SHA-256 of the cookie's secret.
    pub token_hash: String,
    /// The account (a row of `tokens`).
    pub account_id: i32,
    /// The CSRF token every form of the session carries.
    pub csrf: String,
    pub created_at: DateTimeWithTimeZone,
    pub expires_at: DateTimeWithTimeZone,
    pub revoked_at: Option<DateTimeWithTimeZone>,
}

impl ActiveModelBehavior for ActiveModel {}
