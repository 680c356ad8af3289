//! Bearer tokens, stored as SHA-256 hashes: the token itself is shown once at creation. A
//! staff account is a row too, with a user name and a password hash (and a token no one holds).

use sea_orm::entity::prelude::*;

/// A row of `tokens`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tokens")]
#[allow(missing_docs)]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    /// admin, department, officer or client.
    pub role: String,
    /// An officer's duty at the steps: reception, specialist, leader, clerk or finance.
    pub duty: Option<String>,
    pub agency: Option<String>,
    /// A client's channels, comma-separated (`online,postal`); none for other roles, and
    /// online for client tokens issued before channels were recorded.
    pub channels: Option<String>,
    pub token_hash: String,
    pub created_at: DateTimeWithTimeZone,
    pub expires_at: Option<DateTimeWithTimeZone>,
    pub revoked_at: Option<DateTimeWithTimeZone>,
    /// A staff account's sign-in name (lower case); none for an API token.
    pub username: Option<String>,
    /// A staff account's password, argon2id in PHC format; none for an API token.
    pub password_hash: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}
