//! API tokens: issued (only the secret's hash is stored), looked up by hash, listed, revoked.

use crate::db::entities::token;
use chrono::{DateTime, FixedOffset, Utc};
use motcua_engine::codes::AgencyCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set};

/// A token to store.
pub struct Issued {
    /// Who it is issued to.
    pub name: String,
    /// Its role's name.
    pub role: &'static str,
    /// An officer's duty.
    pub duty: Option<&'static str>,
    /// Its agency.
    pub agency: Option<AgencyCode>,
    /// A client's channels, comma-separated.
    pub channels: Option<String>,
    /// SHA-256 of the secret.
    pub hash: String,
    /// When it stops working.
    pub expires_at: Option<DateTime<FixedOffset>>,
}

/// Stores a new token; its id.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "tokens::insert"))]
pub async fn insert(db: &DatabaseConnection, issued: Issued) -> Result<i32, DbErr> {
    let row = token::ActiveModel {
        name: Set(issued.name),
        role: Set(issued.role.to_owned()),
        duty: Set(issued.duty.map(str::to_owned)),
        agency: Set(issued.agency.map(|a| a.to_string())),
        channels: Set(issued.channels),
        token_hash: Set(issued.hash),
        created_at: Set(Utc::now().fixed_offset()),
        expires_at: Set(issued.expires_at),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

/// A token as listed for administrators, and as authentication reads it: never the secret,
/// which is not stored.
#[derive(Debug, serde::Serialize)]
pub struct TokenInfo {
    /// Id, for revocation.
    pub id: i32,
    /// Who it was issued to.
    pub name: String,
    /// Role.
    pub role: String,
    /// Agency.
    pub agency: Option<String>,
    /// Duty.
    pub duty: Option<String>,
    /// A client's channels.
    pub channels: Option<String>,
    /// Expiry.
    pub expires_at: Option<DateTime<FixedOffset>>,
    /// Revocation.
    pub revoked_at: Option<DateTime<FixedOffset>>,
    /// A staff account's user name.
    pub username: Option<String>,
}

impl From<token::Model> for TokenInfo {
    fn from(t: token::Model) -> Self {
        TokenInfo {
            id: t.id,
            name: t.name,
            role: t.role,
            agency: t.agency,
            duty: t.duty,
            channels: t.channels,
            expires_at: t.expires_at,
            revoked_at: t.revoked_at,
            username: t.username,
        }
    }
}

/// The token whose secret hashes to `hash`.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "tokens::find_by_hash"))]
pub async fn find_by_hash(db: &DatabaseConnection, hash: &str) -> Result<Option<TokenInfo>, DbErr> {
    Ok(token::Entity::find().filter(token::Column::TokenHash.eq(hash)).one(db).await?.map(TokenInfo::from))
}

/// Every token, oldest first.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "tokens::list"))]
pub async fn list(db: &DatabaseConnection) -> Result<Vec<TokenInfo>, DbErr> {
    Ok(token::Entity::find().all(db).await?.into_iter().map(TokenInfo::from).collect())
}

/// Revokes a token: refused from then on (within the cache's time on running instances).
/// False when there is no such token or it was already revoked.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "tokens::revoke"))]
pub async fn revoke(db: &DatabaseConnection, id: i32) -> Result<bool, DbErr> {
    let Some(row) = token::Entity::find_by_id(id).one(db).await? else { return Ok(false) };
    if row.revoked_at.is_some() {
        return Ok(false);
    }
    let mut active: token::ActiveModel = row.into();
    active.revoked_at = Set(Some(Utc::now().fixed_offset()));
    active.update(db).await?;
    Ok(true)
}
