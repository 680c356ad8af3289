//! Staff who work in the portal sign in with a user name and a password: an account is a row
//! of `tokens` (so that it has a role, an agency and a duty like a token, one id space for
//! audit records and dossiers, and revoking it ends its sessions) with a user name and an
//! argon2 hash; a signed-in browser holds a session of its own, revocable and expiring.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    integer, pk_auto, string_len, string_len_null, timestamp_with_time_zone, timestamp_with_time_zone_null,
};

pub(super) struct CreateStaffSessions;

crate::db::pinned_migration_name!(CreateStaffSessions, "migration_staff_sessions");

#[derive(DeriveIden)]
enum Tokens {
    Table,
    Id,
    Username,
    PasswordHash,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    TokenHash,
    AccountId,
    Csrf,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateStaffSessions {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column a statement: SQLite alters a table one change at a time.
        manager
            .alter_table(
                Table::alter().table(Tokens::Table).add_column(string_len_null(Tokens::Username, 64)).to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter().table(Tokens::Table).add_column(string_len_null(Tokens::PasswordHash, 200)).to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("tokens_username").table(Tokens::Table).col(Tokens::Username).unique().to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(pk_auto(Sessions::Id))
                    .col(string_len(Sessions::TokenHash, 64).unique_key())
                    .col(integer(Sessions::AccountId))
                    .col(string_len(Sessions::Csrf, 64))
                    .col(timestamp_with_time_zone(Sessions::CreatedAt))
                    .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Sessions::RevokedAt))
                    .foreign_key(
                        ForeignKey::create().from(Sessions::Table, Sessions::AccountId).to(Tokens::Table, Tokens::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Sessions::Table).to_owned()).await?;
        manager.drop_index(Index::drop().name("tokens_username").table(Tokens::Table).to_owned()).await?;
        manager.alter_table(Table::alter().table(Tokens::Table).drop_column(Tokens::PasswordHash).to_owned()).await?;
        manager.alter_table(Table::alter().table(Tokens::Table).drop_column(Tokens::Username).to_owned()).await
    }
}
