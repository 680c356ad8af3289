//! The owning agency of each procedure code, with the history of who assigned it.

use crate::db::entities::procedure_owner;
use chrono::{DateTime, FixedOffset};
use motcua_engine::codes::AgencyCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};

/// Text that is not a procedure code has no owner; the database is not asked (PostgreSQL
/// refuses a NUL in text, for one).
fn is_code(code: &str) -> bool {
    code.parse::<motcua_engine::codes::ProcedureCode>().is_ok()
}

/// The assignment in force for `code`, if the code was ever published.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "owners::current"))]
pub async fn current(db: &impl ConnectionTrait, code: &str) -> Result<Option<procedure_owner::Model>, DbErr> {
    if !is_code(code) {
        return Ok(None);
    }
    procedure_owner::Entity::find()
        .filter(procedure_owner::Column::Code.eq(code))
        .order_by_desc(procedure_owner::Column::Id)
        .one(db)
        .await
}

/// The owning agency of `code`, if any.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "owners::owner"))]
pub async fn owner(db: &impl ConnectionTrait, code: &str) -> Result<Option<AgencyCode>, DbErr> {
    Ok(current(db, code).await?.and_then(|row| row.agency.parse().ok()))
}

/// The owning agency of every code ever published.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "owners::all_current"))]
pub async fn all_current(db: &impl ConnectionTrait) -> Result<std::collections::HashMap<String, AgencyCode>, DbErr> {
    let rows = procedure_owner::Entity::find().order_by_asc(procedure_owner::Column::Id).all(db).await?;
    // Oldest first: the assignment in force is the last one of each code.
    Ok(rows.into_iter().filter_map(|row| Some((row.code, row.agency.parse().ok()?))).collect())
}

/// Every assignment of `code`, oldest first.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "owners::history"))]
pub async fn history(db: &impl ConnectionTrait, code: &str) -> Result<Vec<procedure_owner::Model>, DbErr> {
    if !is_code(code) {
        return Ok(Vec::new());
    }
    procedure_owner::Entity::find()
        .filter(procedure_owner::Column::Code.eq(code))
        .order_by_asc(procedure_owner::Column::Id)
        .all(db)
        .await
}

/// Records that `agency` owns `code` from `now`, assigned by `by` for `reason`.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "owners::assign"))]
pub async fn assign(
    db: &impl ConnectionTrait,
    code: &str,
    agency: &AgencyCode,
    by: &str,
    reason: Option<String>,
    now: DateTime<FixedOffset>,
) -> Result<procedure_owner::Model, DbErr> {
    procedure_owner::ActiveModel {
        code: Set(code.to_owned()),
        agency: Set(agency.to_string()),
        since: Set(now),
        assigned_by: Set(by.to_owned()),
        reason: Set(reason),
        ..Default::default()
    }
    .insert(db)
    .await
}
