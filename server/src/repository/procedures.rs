//! Procedure versions: drafts, publication, retirement.

use crate::catalogue::{DRAFT, PUBLISHED, RETIRED};
use crate::db::entities::procedure_version;
use chrono::{DateTime, FixedOffset};
use motcua_engine::Procedure;
use motcua_engine::codes::{AgencyCode, ProcedureCode};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set, TransactionTrait,
};

/// Every version of a procedure, oldest first.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "procedures::versions"))]
pub async fn versions(db: &DatabaseConnection, code: &str) -> Result<Vec<procedure_version::Model>, DbErr> {
    // Text that is not a procedure code has no versions; the database is not asked.
    if code.parse::<ProcedureCode>().is_err() {
        return Ok(Vec::new());
    }
    procedure_version::Entity::find()
        .filter(procedure_version::Column::Code.eq(code))
        .order_by_asc(procedure_version::Column::Version)
        .all(db)
        .await
}

/// The draft of a procedure, if any.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "procedures::draft"))]
pub async fn draft(db: &DatabaseConnection, code: &str) -> Result<Option<procedure_version::Model>, DbErr> {
    if code.parse::<ProcedureCode>().is_err() {
        return Ok(None);
    }
    procedure_version::Entity::find()
        .filter(procedure_version::Column::Code.eq(code))
        .filter(procedure_version::Column::Status.eq(DRAFT))
        .one(db)
        .await
}

/// Replaces the procedure's draft with a new one.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "procedures::save_draft"))]
pub async fn save_draft(
    db: &DatabaseConnection,
    procedure: &Procedure,
    source: &str,
    yaml: &str,
    now: DateTime<FixedOffset>,
) -> Result<procedure_version::Model, DbErr> {
    procedure_version::Entity::delete_many()
        .filter(procedure_version::Column::Code.eq(procedure.code.as_str()))
        .filter(procedure_version::Column::Status.eq(DRAFT))
        .exec(db)
        .await?;
    insert_version(db, procedure, source, yaml, DRAFT, now).await
}

/// Stores a compiled version with its text, as a draft or already published.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "procedures::insert_version"))]
pub async fn insert_version(
    db: &impl ConnectionTrait,
    procedure: &Procedure,
    source: &str,
    yaml: &str,
    status: &str,
    now: DateTime<FixedOffset>,
) -> Result<procedure_version::Model, DbErr> {
    procedure_version::ActiveModel {
        code: Set(procedure.code.to_string()),
        version: Set(i32::try_from(procedure.version).unwrap_or(i32::MAX)),
        status: Set(status.to_owned()),
        name: Set(procedure.name.clone()),
        field: Set(procedure.field.clone()),
        agency: Set(procedure.agency.to_string()),
        online_level: Set(serde_json::to_value(procedure.online_level)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()),
        valid_from: Set(procedure.valid_from),
        valid_to: Set(procedure.valid_to),
        source: Set(source.to_owned()),
        yaml: Set(yaml.to_owned()),
        created_at: Set(now),
        published_at: Set((status == PUBLISHED).then_some(now)),
        retired_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Publishes a draft; a code published for the first time becomes `agency`'s, assigned by
/// `by`, in the same transaction.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "procedures::publish"))]
pub async fn publish(
    db: &DatabaseConnection,
    draft: procedure_version::Model,
    agency: &AgencyCode,
    by: &str,
    changes: &[crate::validity::Change],
    now: DateTime<FixedOffset>,
) -> Result<procedure_version::Model, DbErr> {
    use crate::validity::Change;
    use sea_orm::sea_query::Expr;
    let txn = db.begin().await?;
    let code = draft.code.clone();
    // What the new version does to the earlier ones, in the same transaction.
    for change in changes {
        let (version, update) = match *change {
            Change::End(version, day) => (
                version,
                procedure_version::Entity::update_many().col_expr(procedure_version::Column::ValidTo, Expr::value(day)),
            ),
            Change::Supersede(version) => (
                version,
                procedure_version::Entity::update_many()
                    .col_expr(procedure_version::Column::Status, Expr::value(RETIRED))
                    .col_expr(procedure_version::Column::RetiredAt, Expr::value(now)),
            ),
        };
        update
            .filter(procedure_version::Column::Code.eq(code.as_str()))
            .filter(procedure_version::Column::Version.eq(version))
            .exec(&txn)
            .await?;
    }
    let row = set_status(&txn, draft, PUBLISHED, now).await?;
    if super::owners::current(&txn, &code).await?.is_none() {
        super::owners::assign(&txn, &code, agency, by, Some("first publication".to_owned()), now).await?;
    }
    txn.commit().await?;
    Ok(row)
}

/// Sets a version's status (publish or retire) with its timestamp.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "procedures::set_status"))]
pub async fn set_status(
    db: &impl ConnectionTrait,
    row: procedure_version::Model,
    status: &str,
    now: DateTime<FixedOffset>,
) -> Result<procedure_version::Model, DbErr> {
    let mut active: procedure_version::ActiveModel = row.into();
    active.status = Set(status.to_owned());
    match status {
        PUBLISHED => active.published_at = Set(Some(now)),
        RETIRED => active.retired_at = Set(Some(now)),
        _ => {}
    }
    active.update(db).await
}

/// A stored version without its text, for lists.
#[derive(Debug, Clone, sea_orm::FromQueryResult)]
pub struct Summary {
    /// The procedure code.
    pub code: String,
    /// The version number.
    pub version: i32,
    /// draft, published or retired.
    pub status: String,
    /// The procedure's name.
    pub name: String,
    /// The agency it names.
    pub agency: String,
}

/// Every stored version of every procedure, without the texts, by code then version.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "procedures::summaries"))]
pub async fn summaries(db: &DatabaseConnection) -> Result<Vec<Summary>, DbErr> {
    use sea_orm::QuerySelect;
    procedure_version::Entity::find()
        .select_only()
        .columns([
            procedure_version::Column::Code,
            procedure_version::Column::Version,
            procedure_version::Column::Status,
            procedure_version::Column::Name,
            procedure_version::Column::Agency,
        ])
        .order_by_asc(procedure_version::Column::Code)
        .order_by_asc(procedure_version::Column::Version)
        .into_model::<Summary>()
        .all(db)
        .await
}
