//! Uploads as stored: a row per file once its bytes are in the file store.

use crate::db::entities::upload;
use chrono::{DateTime, FixedOffset};
use sea_orm::{ActiveModelTrait, DatabaseConnection, DbErr, EntityTrait, Set};

/// What is known of a file once stored.
pub struct Stored<'a> {
    /// Its id.
    pub id: &'a str,
    /// The procedure and the document it is for.
    pub for_document: (&'a str, &'a str),
    /// Its name, for display.
    pub name: &'a str,
    /// The type its bytes show.
    pub media_type: &'a str,
    /// Its size.
    pub size: u64,
    /// Its SHA-256.
    pub sha256: &'a str,
    /// Who uploaded it.
    pub by: i32,
    /// When.
    pub at: DateTime<FixedOffset>,
}

/// Records a stored file.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "uploads::insert"))]
pub async fn insert(db: &DatabaseConnection, stored: Stored<'_>) -> Result<upload::Model, DbErr> {
    upload::ActiveModel {
        id: Set(stored.id.to_owned()),
        procedure: Set(stored.for_document.0.to_owned()),
        document: Set(stored.for_document.1.to_owned()),
        name: Set(stored.name.to_owned()),
        media_type: Set(stored.media_type.to_owned()),
        size: Set(i64::try_from(stored.size).unwrap_or(i64::MAX)),
        sha256: Set(stored.sha256.to_owned()),
        object_key: Set(crate::files::FileStore::key_of(stored.id).to_string()),
        uploaded_by: Set(stored.by),
        uploaded_at: Set(stored.at),
        dossier_code: Set(None),
        bound_at: Set(None),
    }
    .insert(db)
    .await
}

/// The upload `id`, if any.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "uploads::find"))]
pub async fn find(db: &DatabaseConnection, id: &str) -> Result<Option<upload::Model>, DbErr> {
    // Ids are `upl_` and hex: anything else has no row, and the database is not asked.
    if !(id.starts_with("upl_") && id.len() <= 40 && id[4..].bytes().all(|b| b.is_ascii_hexdigit())) {
        return Ok(None);
    }
    upload::Entity::find_by_id(id.to_owned()).one(db).await
}

/// Claims the uploads `ids` for the submission `claim` before its dossier is stored: each must
/// be free or already claimed by it (a retry of the same submission). False, and nothing
/// claimed, when one is taken — two submissions racing for a file cannot both have it.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "uploads::claim"))]
pub async fn claim(db: &DatabaseConnection, ids: &[&str], claim: &str) -> Result<bool, DbErr> {
    use sea_orm::{ColumnTrait, Condition, QueryFilter, sea_query::Expr};
    if ids.is_empty() {
        return Ok(true);
    }
    let claimed = upload::Entity::update_many()
        .col_expr(upload::Column::DossierCode, Expr::value(claim))
        .filter(upload::Column::Id.is_in(ids.iter().copied()))
        .filter(Condition::any().add(upload::Column::DossierCode.is_null()).add(upload::Column::DossierCode.eq(claim)))
        .exec(db)
        .await?;
    if claimed.rows_affected == ids.len() as u64 {
        return Ok(true);
    }
    release(db, claim).await?;
    Ok(false)
}

/// Gives back the uploads claimed by `claim` (its dossier was not stored).
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "uploads::release"))]
pub async fn release(db: &DatabaseConnection, claim: &str) -> Result<(), DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter, sea_query::Expr};
    upload::Entity::update_many()
        .col_expr(upload::Column::DossierCode, Expr::value(Option::<String>::None))
        .filter(upload::Column::DossierCode.eq(claim))
        .exec(db)
        .await?;
    Ok(())
}

/// Binds the uploads claimed by `claim` to dossier `code` at `at`.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "uploads::bind"))]
pub async fn bind(db: &DatabaseConnection, claim: &str, code: &str, at: DateTime<FixedOffset>) -> Result<(), DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter, sea_query::Expr};
    upload::Entity::update_many()
        .col_expr(upload::Column::DossierCode, Expr::value(code))
        .col_expr(upload::Column::BoundAt, Expr::value(at))
        .filter(upload::Column::DossierCode.eq(claim))
        .exec(db)
        .await?;
    Ok(())
}

/// The files bound to dossier `code`, oldest first.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "uploads::of_dossier"))]
pub async fn of_dossier(db: &DatabaseConnection, code: &str) -> Result<Vec<upload::Model>, DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    upload::Entity::find()
        .filter(upload::Column::DossierCode.eq(code))
        .order_by_asc(upload::Column::UploadedAt)
        .order_by_asc(upload::Column::Id)
        .all(db)
        .await
}

/// How many of `uploader`'s uploads are filed with no dossier yet.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "uploads::unfiled"))]
pub async fn unfiled(db: &DatabaseConnection, uploader: i32) -> Result<u64, DbErr> {
    use sea_orm::{ColumnTrait, PaginatorTrait, QueryFilter};
    upload::Entity::find()
        .filter(upload::Column::UploadedBy.eq(uploader))
        .filter(upload::Column::DossierCode.is_null())
        .count(db)
        .await
}
