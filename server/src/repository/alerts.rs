//! Deadline alerts: raised by the background scan in one `INSERT … SELECT` that cannot write a
//! second row for a dossier and kind, and listed for the officials who must act on them.

use super::agency_scope::{involving, within};
use super::dossiers::{RepoError, record};
use crate::db::entities::{deadline_alert, dossier};
use crate::dossiers::record::StoredDossier;
use chrono::{DateTime, FixedOffset};
use motcua_engine::calendar::{Calendar, VIETNAM_OFFSET};
use motcua_engine::codes::AgencyCode;
use motcua_engine::lifecycle::State;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, JoinType, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

/// What an alert warns about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertKind {
    /// Past its due time and not finished.
    Overdue,
    /// Due within the warning window (see `background::deadlines`).
    NearDeadline,
    /// Submitted online or by post and still neither accepted, nor sent back for a
    /// supplement, nor refused at the close of the working day after it arrived.
    Unreceived,
}

impl AlertKind {
    /// Every kind.
    pub const ALL: [AlertKind; 3] = [AlertKind::Overdue, AlertKind::NearDeadline, AlertKind::Unreceived];

    /// The snake_case name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::Overdue => "overdue",
            AlertKind::NearDeadline => "near_deadline",
            AlertKind::Unreceived => "unreceived",
        }
    }
}

impl std::str::FromStr for AlertKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        AlertKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| format!("unknown alert kind `{s}`: expected overdue, near_deadline or unreceived"))
    }
}

/// States in which the clock runs toward the due time (paused dossiers are left out: their
/// due time moves when they resume).
const RUNNING: [&str; 2] = motcua_engine::lifecycle::State::CLOCK_RUNNING;

/// Which due times an alert is raised for.
#[derive(Debug, Clone, Copy)]
pub enum DueWindow {
    /// Due strictly before this instant.
    Before(DateTime<FixedOffset>),
    /// Due at or after the first instant and at or before the second.
    Between(DateTime<FixedOffset>, DateTime<FixedOffset>),
}

/// Records `kind`, raised `now` by `instance`, for every dossier whose clock runs and whose due
/// time is in `window`, unless that dossier already has an alert of that kind. The number of
/// alerts newly raised.
///
/// One statement: the UNIQUE (dossier, kind) index turns a second raise into a no-op, whoever
/// runs it, so two scans racing never duplicate an alert.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "alerts::raise"))]
pub async fn raise(
    db: &DatabaseConnection,
    kind: AlertKind,
    window: DueWindow,
    now: DateTime<FixedOffset>,
    instance: &str,
) -> Result<u64, DbErr> {
    // Times compared in UTC+7, as due times are stored (SQLite compares them as text).
    let local = |t: DateTime<FixedOffset>| t.with_timezone(&VIETNAM_OFFSET);
    let mut select = Query::select();
    select
        .column(dossier::Column::Id)
        .expr(Expr::val(kind.as_str()))
        .column(dossier::Column::DueAt)
        .expr(Expr::val(local(now)))
        .expr(Expr::val(instance))
        .from(dossier::Entity)
        .and_where(dossier::Column::State.is_in(RUNNING))
        .and_where(dossier::Column::FinishedAt.is_null());
    match window {
        DueWindow::Before(end) => select.and_where(dossier::Column::DueAt.lt(local(end))),
        DueWindow::Between(start, end) => {
            select.and_where(dossier::Column::DueAt.gte(local(start))).and_where(dossier::Column::DueAt.lte(local(end)))
        }
    };
    let insert = alert_insert().select_from(select).map_err(|e| DbErr::Custom(e.to_string()))?.to_owned();
    Ok(db.execute(&insert).await?.rows_affected())
}

/// `INSERT INTO deadline_alerts (dossier, kind, due, raised, instance) … ON CONFLICT DO
/// NOTHING`, its values to come: the UNIQUE (dossier, kind) index makes a second raise a no-op.
fn alert_insert() -> sea_orm::sea_query::InsertStatement {
    Query::insert()
        .into_table(deadline_alert::Entity)
        .columns([
            deadline_alert::Column::DossierId,
            deadline_alert::Column::Kind,
            deadline_alert::Column::DueAt,
            deadline_alert::Column::RaisedAt,
            deadline_alert::Column::Instance,
        ])
        .on_conflict(
            OnConflict::columns([deadline_alert::Column::DossierId, deadline_alert::Column::Kind])
                .do_nothing()
                .to_owned(),
        )
        .to_owned()
}

/// Submitted dossiers scanned at most per scan for [`AlertKind::Unreceived`]: a backlog larger
/// than this is worked through over the following scans.
const UNRECEIVED_BATCH: u64 = 1_000;

/// Raises [`AlertKind::Unreceived`] for every submitted dossier whose reception deadline (the
/// close of the working day it arrived on, on `calendar`) is before `now`. The number raised.
///
/// The deadline comes from the calendar, so the dossiers are read and judged here; the insert
/// is still a no-op for a dossier that already has the alert, whoever raced to it.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "alerts::raise_unreceived"))]
pub async fn raise_unreceived(
    db: &DatabaseConnection,
    calendar: &Calendar,
    now: DateTime<FixedOffset>,
    instance: &str,
) -> Result<u64, DbErr> {
    let kind = AlertKind::Unreceived.as_str();
    let alerted = Query::select()
        .column(deadline_alert::Column::DossierId)
        .from(deadline_alert::Entity)
        .and_where(deadline_alert::Column::Kind.eq(kind))
        .to_owned();
    let waiting = dossier::Entity::find()
        .filter(dossier::Column::State.eq(State::Submitted.name()))
        .filter(dossier::Column::Id.not_in_subquery(alerted))
        .order_by_asc(dossier::Column::Id)
        .limit(UNRECEIVED_BATCH)
        .all(db)
        .await?;
    let mut raised = 0;
    for row in waiting {
        let Ok(deadline) = calendar.end_of_working_day(row.submitted_at) else { continue };
        if deadline >= now {
            continue;
        }
        let insert = alert_insert()
            .values_panic([
                row.id.into(),
                kind.into(),
                deadline.with_timezone(&VIETNAM_OFFSET).into(),
                now.with_timezone(&VIETNAM_OFFSET).into(),
                instance.into(),
            ])
            .to_owned();
        raised += db.execute(&insert).await?.rows_affected();
    }
    Ok(raised)
}

/// Filters of the alert list; `None` means any.
#[derive(Debug, Default, Clone)]
pub struct AlertFilter {
    /// Only this kind.
    pub kind: Option<AlertKind>,
    /// Dossiers of this agency (or its units).
    pub agency: Option<AgencyCode>,
    /// Dossiers of this agency (or its units) or with a step of it: what an official sees.
    pub involving: Option<AgencyCode>,
    /// Only dossiers still running (not finished since the alert was raised).
    pub open: bool,
}

/// An alert raised.
#[derive(Debug, Clone)]
pub struct Raised {
    /// What it warns about.
    pub kind: AlertKind,
    /// When the scan raised it (UTC+7).
    pub at: DateTime<FixedOffset>,
    /// The due time it is about (UTC+7).
    pub due: DateTime<FixedOffset>,
    /// The instance whose scan raised it.
    pub instance: String,
}

impl Raised {
    fn of(row: deadline_alert::Model) -> Result<Raised, RepoError> {
        Ok(Raised {
            kind: row.kind.parse().map_err(RepoError::Corrupt)?,
            at: row.raised_at.with_timezone(&VIETNAM_OFFSET),
            due: row.due_at.with_timezone(&VIETNAM_OFFSET),
            instance: row.instance,
        })
    }
}

/// One page of alerts with their dossiers, newest first, and the total.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "alerts::list"))]
pub async fn list(
    db: &DatabaseConnection,
    filter: &AlertFilter,
    page: u64,
    per_page: u64,
) -> Result<(Vec<(Raised, StoredDossier)>, u64), RepoError> {
    let to_dossier = deadline_alert::Entity::belongs_to(dossier::Entity)
        .from(deadline_alert::Column::DossierId)
        .to(dossier::Column::Id)
        .into();
    let mut query = deadline_alert::Entity::find().join(JoinType::InnerJoin, to_dossier);
    if let Some(kind) = filter.kind {
        query = query.filter(deadline_alert::Column::Kind.eq(kind.as_str()));
    }
    if let Some(agency) = &filter.agency {
        query = query.filter(within(agency.as_str()));
    }
    if let Some(own) = &filter.involving {
        query = query.filter(involving(own.as_str()));
    }
    if filter.open {
        let unreceived = deadline_alert::Column::Kind.eq(AlertKind::Unreceived.as_str());
        query = query.filter(
            Condition::any().add(unreceived.clone().and(dossier::Column::State.eq(State::Submitted.name()))).add(
                unreceived.not().and(dossier::Column::State.is_in(RUNNING)).and(dossier::Column::FinishedAt.is_null()),
            ),
        );
    }
    let paginator = query.select_also(dossier::Entity).order_by_desc(deadline_alert::Column::Id).paginate(db, per_page);
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(page).await?;
    // An inner join: every alert row comes with its dossier.
    let rows = rows.into_iter().filter_map(|(alert, dossier)| dossier.map(|d| (alert, d)));
    Ok((
        rows.map(|(alert, dossier)| Ok((Raised::of(alert)?, record(dossier)?))).collect::<Result<_, RepoError>>()?,
        total,
    ))
}
