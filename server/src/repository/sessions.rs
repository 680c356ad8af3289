//! Staff accounts (rows of `tokens` with a user name and a password hash) and their sessions.

use super::tokens::TokenInfo;
use crate::db::entities::{session, token};
use chrono::{DateTime, FixedOffset};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set};

/// The account signing in as `username`, with its password hash.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "sessions::account"))]
pub async fn account(db: &DatabaseConnection, username: &str) -> Result<Option<(TokenInfo, String)>, DbErr> {
    let row = token::Entity::find().filter(token::Column::Username.eq(username)).one(db).await?;
    Ok(row.and_then(|row| {
        let hash = row.password_hash.clone()?;
        Some((TokenInfo::from(row), hash))
    }))
}

/// Sets the user name and password hash of token row `id`, making it an account.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "sessions::set_password"))]
pub async fn set_password(db: &DatabaseConnection, id: i32, username: &str, hash: String) -> Result<(), DbErr> {
    let row = token::ActiveModel {
        id: Set(id),
        username: Set(Some(username.to_owned())),
        password_hash: Set(Some(hash)),
        ..Default::default()
    };
    row.update(db).await?;
    Ok(())
}

/// A session opened.
pub struct Opened<'a> {
    /// The account.
    pub account: i32,
    /// SHA-256 of the cookie's secret.
    pub hash: String,
    /// The session's CSRF token.
    pub csrf: &'a str,
    /// Now.
    pub at: DateTime<FixedOffset>,
    /// When it ends.
    pub expires_at: DateTime<FixedOffset>,
}

/// Stores a new session.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "sessions::open"))]
pub async fn open(db: &DatabaseConnection, opened: Opened<'_>) -> Result<(), DbErr> {
    session::ActiveModel {
        token_hash: Set(opened.hash),
        account_id: Set(opened.account),
        csrf: Set(opened.csrf.to_owned()),
        created_at: Set(opened.at),
        expires_at: Set(opened.expires_at),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// A live session: its id, CSRF token and account.
pub struct Live {
    /// The session's id.
    pub id: i32,
    /// Its CSRF token.
    pub csrf: String,
    /// Its account.
    pub account: TokenInfo,
}

/// The session whose secret hashes to `hash`, unless it was revoked or has expired.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "sessions::live"))]
pub async fn live(db: &DatabaseConnection, hash: &str, now: DateTime<FixedOffset>) -> Result<Option<Live>, DbErr> {
    let Some(session) = session::Entity::find()
        .filter(session::Column::TokenHash.eq(hash))
        .filter(session::Column::RevokedAt.is_null())
        .filter(session::Column::ExpiresAt.gt(now))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let account = token::Entity::find_by_id(session.account_id).one(db).await?;
    Ok(account.map(|account| Live { id: session.id, csrf: session.csrf, account: TokenInfo::from(account) }))
}

/// Ends session `id`: its cookie no longer signs anyone in.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "sessions::revoke"))]
pub async fn revoke(db: &DatabaseConnection, id: i32, now: DateTime<FixedOffset>) -> Result<(), DbErr> {
    session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, sea_orm::sea_query::Expr::value(now))
        .filter(session::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// The token row named `username` (an account, or the portal's own identity), with or without
/// a password.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "sessions::named"))]
pub async fn named(db: &DatabaseConnection, username: &str) -> Result<Option<TokenInfo>, DbErr> {
    Ok(token::Entity::find().filter(token::Column::Username.eq(username)).one(db).await?.map(TokenInfo::from))
}

/// Names token row `id` `username`, with no password: it signs no one in.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "sessions::set_username"))]
pub async fn set_username(db: &DatabaseConnection, id: i32, username: &str) -> Result<(), DbErr> {
    token::ActiveModel { id: Set(id), username: Set(Some(username.to_owned())), ..Default::default() }
        .update(db)
        .await?;
    Ok(())
}
