//! Statistics computed in the database: counts and averages with GROUP BY, never by loading
//! dossiers into memory.

use crate::db::entities::dossier::{Column, Entity};
use chrono::{DateTime, FixedOffset};
use sea_orm::sea_query::{Alias, Expr, ExprTrait};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect};

/// States in which a dossier is no longer being processed.
const CLOSED: [&str; 4] = motcua_engine::lifecycle::State::FINAL;

/// Dossiers of an agency (and its units) or of all.
fn of_agency(agency: Option<&str>) -> Condition {
    match agency {
        Some(a) => super::agency_scope::within(a),
        None => Condition::all(),
    }
}

/// Received in [from, to) by channel.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "stats::received_by_channel"))]
pub async fn received_by_channel(
    db: &DatabaseConnection,
    from: DateTime<FixedOffset>,
    to: DateTime<FixedOffset>,
    agency: Option<&str>,
) -> Result<Vec<(String, i64)>, DbErr> {
    Entity::find()
        .select_only()
        .column(Column::Channel)
        .column_as(Column::Id.count(), "n")
        .filter(Column::ReceivedAt.gte(from))
        .filter(Column::ReceivedAt.lt(to))
        .filter(of_agency(agency))
        .group_by(Column::Channel)
        .into_tuple()
        .all(db)
        .await
}

/// Resolved (result returned) in [from, to) by timing.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "stats::resolved_by_timing"))]
pub async fn resolved_by_timing(
    db: &DatabaseConnection,
    from: DateTime<FixedOffset>,
    to: DateTime<FixedOffset>,
    agency: Option<&str>,
) -> Result<Vec<(Option<String>, i64)>, DbErr> {
    Entity::find()
        .select_only()
        .column(Column::Timing)
        .column_as(Column::Id.count(), "n")
        .filter(Column::FinishedAt.gte(from))
        .filter(Column::FinishedAt.lt(to))
        .filter(of_agency(agency))
        .group_by(Column::Timing)
        .into_tuple()
        .all(db)
        .await
}

/// Per procedure: dossiers resolved in [from, to), and their summed working minutes.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "stats::minutes_by_procedure"))]
pub async fn minutes_by_procedure(
    db: &DatabaseConnection,
    from: DateTime<FixedOffset>,
    to: DateTime<FixedOffset>,
    agency: Option<&str>,
) -> Result<Vec<(String, i64, Option<i64>)>, DbErr> {
    Entity::find()
        .select_only()
        .column(Column::ProcedureCode)
        .column_as(Column::Id.count(), "n")
        .column_as(Expr::col(Column::ProcessingMinutes).sum().cast_as("BIGINT"), "minutes")
        .filter(Column::FinishedAt.gte(from))
        .filter(Column::FinishedAt.lt(to))
        .filter(Column::ProcessingMinutes.is_not_null())
        .filter(of_agency(agency))
        .group_by(Column::ProcedureCode)
        .into_tuple()
        .all(db)
        .await
}

/// Still being processed at `end`: (state, past due at `end`, count).
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "stats::open_at"))]
pub async fn open_at(
    db: &DatabaseConnection,
    end: DateTime<FixedOffset>,
    agency: Option<&str>,
) -> Result<Vec<(String, bool, i64)>, DbErr> {
    let rows: Vec<(String, i32, i64)> = Entity::find()
        .select_only()
        .column(Column::State)
        .column_as(Into::<Expr>::into(Expr::case(Column::DueAt.lt(end), 1).finally(0)), "past_due")
        .column_as(Column::Id.count(), "n")
        .filter(Column::ReceivedAt.lt(end))
        .filter(Condition::any().add(Column::FinishedAt.is_null()).add(Column::FinishedAt.gte(end)))
        .filter(Column::State.is_not_in(CLOSED).or(Column::FinishedAt.gte(end)))
        .filter(of_agency(agency))
        .group_by(Column::State)
        // By the output alias: the same CASE written twice would bind different parameters,
        // which PostgreSQL does not accept as the same grouping expression.
        .group_by(Expr::col(Alias::new("past_due")))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(state, past_due, n)| (state, past_due == 1, n)).collect())
}

/// Resolved (result returned) in [from, to) per value of column `by` (the receiving agency, or
/// the procedure) and timing.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "stats::resolved_by"))]
pub async fn resolved_by(
    db: &DatabaseConnection,
    from: DateTime<FixedOffset>,
    to: DateTime<FixedOffset>,
    agency: Option<&str>,
    by: Column,
) -> Result<Vec<(String, Option<String>, i64)>, DbErr> {
    Entity::find()
        .select_only()
        .column(by)
        .column(Column::Timing)
        .column_as(Column::Id.count(), "n")
        .filter(Column::FinishedAt.gte(from))
        .filter(Column::FinishedAt.lt(to))
        .filter(of_agency(agency))
        .group_by(by)
        .group_by(Column::Timing)
        .into_tuple()
        .all(db)
        .await
}
