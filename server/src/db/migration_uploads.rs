//! Files uploaded for a document of a procedure before the dossier naming them is filed: each
//! stored once under its own key in the file store (never overwritten), with its SHA-256, its
//! size and the type its bytes show; a row is written only once the whole file is stored, so
//! that an upload cut off halfway leaves nothing visible.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, integer, string_len, string_len_null, timestamp_with_time_zone, timestamp_with_time_zone_null,
};

pub(super) struct CreateUploads;

crate::db::pinned_migration_name!(CreateUploads, "migration_uploads");

#[derive(DeriveIden)]
enum Uploads {
    Table,
    Id,
    Procedure,
    Document,
    Name,
    MediaType,
    Size,
    Sha256,
    ObjectKey,
    UploadedBy,
    UploadedAt,
    DossierCode,
    BoundAt,
}

#[async_trait::async_trait]
impl MigrationTrait for CreateUploads {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Uploads::Table)
                    .col(string_len(Uploads::Id, 40).primary_key())
                    .col(string_len(Uploads::Procedure, 64))
                    .col(string_len(Uploads::Document, 64))
                    .col(string_len(Uploads::Name, 255))
                    .col(string_len(Uploads::MediaType, 40))
                    .col(big_integer(Uploads::Size))
                    .col(string_len(Uploads::Sha256, 64))
                    .col(string_len(Uploads::ObjectKey, 100))
                    .col(integer(Uploads::UploadedBy))
                    .col(timestamp_with_time_zone(Uploads::UploadedAt))
                    .col(string_len_null(Uploads::DossierCode, 100))
                    .col(timestamp_with_time_zone_null(Uploads::BoundAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("uploads_dossier").table(Uploads::Table).col(Uploads::DossierCode).to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Uploads::Table).to_owned()).await
    }
}
