//! The channels a client token files dossiers by (a portal: online; a postal counter:
//! postal), so that a dossier's channel is decided by who files it, not claimed in its body.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::text_null;

pub(super) struct AddTokenChannels;

crate::db::pinned_migration_name!(AddTokenChannels, "migration_token_channels");

#[derive(DeriveIden)]
enum Tokens {
    Table,
    Channels,
}

#[async_trait::async_trait]
impl MigrationTrait for AddTokenChannels {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(Tokens::Table).add_column(text_null(Tokens::Channels)).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(Tokens::Table).drop_column(Tokens::Channels).to_owned()).await
    }
}
