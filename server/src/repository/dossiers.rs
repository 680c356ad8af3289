//! Dossiers: insertion with a code unique across instances, optimistic updates, lists.

use crate::db::entities::{audit_event, dossier};
use chrono::{DateTime, FixedOffset, Utc};
use motcua_engine::Procedure;
use motcua_engine::calendar::{Calendar, VIETNAM_OFFSET};
use motcua_engine::dossier_code::DossierCode;
use motcua_engine::lifecycle::{Dossier, Event};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};

/// Why a write did not happen.
#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    /// The row changed since it was read (optimistic concurrency).
    #[error("the dossier changed since version {0}")]
    Stale(i32),
    /// The same client and idempotency key already exist.
    #[error("idempotency key already used")]
    DuplicateKey,
    /// The database failed.
    #[error(transparent)]
    Database(#[from] DbErr),
    /// Stored data that cannot be read back.
    #[error("corrupt row: {0}")]
    Corrupt(String),
}

/// A dossier to store at receipt.
pub struct NewDossier<'a> {
    /// The version it is filed under.
    pub procedure: &'a Procedure,
    /// Its lifecycle state after receipt.
    pub lifecycle: Dossier,
    /// The lifecycle event of receipt.
    pub event: serde_json::Value,
    /// Fee computed by the engine.
    pub fee: i64,
    /// The submitting client token.
    pub client_id: Option<i32>,
    /// The client's `Idempotency-Key`.
    pub idempotency_key: Option<String>,
    /// Hash of the request body.
    pub request_hash: String,
    /// Hash of the receipt's lookup key.
    pub lookup_key_hash: String,
    /// The submission as received.
    pub submission: serde_json::Value,
    /// Who submitted (audit).
    pub actor: String,
}

fn json(value: &impl serde::Serialize) -> Result<String, RepoError> {
    serde_json::to_string(value).map_err(|e| RepoError::Corrupt(e.to_string()))
}

/// Reads the lifecycle state of a row.
pub fn lifecycle(model: &dossier::Model) -> Result<Dossier, RepoError> {
    serde_json::from_str(&model.lifecycle).map_err(|e| RepoError::Corrupt(format!("dossier `{}`: {e}", model.code)))
}

/// The next sequence number of the day for an agency, decided by the database so it is unique
/// across server instances (an upsert that increments under the row's lock).
async fn next_sequence(db: &impl ConnectionTrait, agency: &str, day: &str) -> Result<u32, RepoError> {
    let (table, last) = (Alias::new("dossier_sequences"), Alias::new("last"));
    let statement = Query::insert()
        .into_table(table.clone())
        .columns([Alias::new("agency"), Alias::new("day"), last.clone()])
        .values_panic([agency.into(), day.into(), 1.into()])
        .on_conflict(
            OnConflict::columns([Alias::new("agency"), Alias::new("day")])
                .value(last.clone(), Expr::col((table, last.clone())).add(1))
                .to_owned(),
        )
        .returning_col(last)
        .to_owned();
    let row = db
        .query_one(&statement)
        .await?
        .ok_or_else(|| RepoError::Corrupt("the sequence upsert returned nothing".into()))?;
    let value: i32 = row.try_get("", "last")?;
    u32::try_from(value).map_err(|_| RepoError::Corrupt(format!("sequence {value}")))
}

/// On PostgreSQL the day's counter is taken by one statement committed on its own, so its row
/// lock is held for that statement's commit only, not across the dossier's transaction (which
/// made every submission of a desk wait for the previous one to finish). A submission that
/// fails after taking its number leaves a gap in the day's sequence, never a duplicate.
async fn next_sequence_apart(db: &DatabaseConnection, agency: &str, day: &str) -> Result<u32, RepoError> {
    next_sequence(db, agency, day).await
}

fn audit(
    dossier_id: i32,
    at: DateTime<FixedOffset>,
    actor: &str,
    event: &Event,
    payload: &serde_json::Value,
) -> audit_event::ActiveModel {
    audit_event::ActiveModel {
        dossier_id: Set(dossier_id),
        at: Set(at),
        actor: Set(actor.chars().take(300).collect()),
        action: Set(event.action.to_owned()),
        from_state: Set(event.from.to_owned()),
        to_state: Set(event.to.to_owned()),
        payload: Set(payload.to_string()),
        ..Default::default()
    }
}

/// `|A|B|`: each step agency once, delimited so a LIKE on `|A|` or `|A.` matches whole codes.
fn step_agencies(d: &Dossier) -> String {
    let mut agencies: Vec<&str> = d.steps.iter().map(|s| s.agency.as_str()).collect();
    agencies.sort_unstable();
    agencies.dedup();
    format!("|{}|", agencies.join("|"))
}

/// Working minutes spent, once the dossier is finished.
fn processing_minutes(d: &Dossier, calendar: &Calendar) -> Option<i64> {
    d.finished_at.and_then(|end| d.processing_minutes(calendar, end))
}

fn timing(d: &Dossier) -> Option<String> {
    d.timing.and_then(|t| serde_json::to_value(t).ok()).and_then(|v| v.as_str().map(str::to_owned))
}

/// Stores a received dossier with its code and its first audit row, in one transaction.
pub async fn insert(
    db: &DatabaseConnection,
    new: &NewDossier<'_>,
    receipt_event: &Event,
) -> Result<dossier::Model, RepoError> {
    insert_with_history(db, new, receipt_event, &[]).await
}

/// Stores a dossier with its receipt and, for imported dossiers, the transitions it went
/// through afterwards, each with its audit row, in one transaction.
pub async fn insert_with_history(
    db: &DatabaseConnection,
    new: &NewDossier<'_>,
    receipt_event: &Event,
    history: &[(Event, serde_json::Value)],
) -> Result<dossier::Model, RepoError> {
    let received = new.lifecycle.received_at.unwrap_or(new.lifecycle.submitted_at).with_timezone(&VIETNAM_OFFSET);
    let desk = new.procedure.reception_agency();
    let day = received.format("%y%m%d").to_string();
    let sequence = match db.get_database_backend() {
        DbBackend::Postgres => Some(next_sequence_apart(db, desk.as_str(), &day).await?),
        _ => None,
    };
    let txn = db.begin().await?;
    // SQLite has one writer at a time anyway: the number is taken inside the transaction.
    let sequence = match sequence {
        Some(n) => n,
        None => next_sequence(&txn, desk.as_str(), &day).await?,
    };
    let code =
        DossierCode::new(desk, received.date_naive(), sequence).map_err(|e| RepoError::Corrupt(e.to_string()))?;
    let now = Utc::now().fixed_offset();
    let row = dossier::ActiveModel {
        code: Set(code.to_string()),
        lookup_key_hash: Set(new.lookup_key_hash.clone()),
        procedure_code: Set(new.procedure.code.to_string()),
        procedure_version: Set(i32::try_from(new.procedure.version).unwrap_or(i32::MAX)),
        agency: Set(new.procedure.agency.to_string()),
        channel: Set(new.lifecycle.channel.as_str().to_owned()),
        state: Set(new.lifecycle.state.name().to_owned()),
        status_code: Set(i16::from(new.lifecycle.status_code())),
        row_version: Set(1),
        submitted_at: Set(new.lifecycle.submitted_at),
        received_at: Set(new.lifecycle.received_at),
        due_at: Set(new.lifecycle.due),
        finished_at: Set(new.lifecycle.finished_at),
        timing: Set(timing(&new.lifecycle)),
        fee: Set(new.fee),
        processing_minutes: Set(processing_minutes(&new.lifecycle, new.procedure.calendar())),
        step_agencies: Set(Some(step_agencies(&new.lifecycle))),
        client_id: Set(new.client_id),
        idempotency_key: Set(new.idempotency_key.clone()),
        request_hash: Set(new.request_hash.clone()),
        submission: Set(new.submission.to_string()),
        lifecycle: Set(json(&new.lifecycle)?),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let row = match row.insert(&txn).await {
        Ok(row) => row,
        Err(error) if is_unique_violation(&error) => return Err(RepoError::DuplicateKey),
        Err(error) => return Err(error.into()),
    };
    audit(row.id, receipt_event.at, &new.actor, receipt_event, &new.event).insert(&txn).await?;
    for (event, payload) in history {
        audit(row.id, event.at, &event.actor, event, payload).insert(&txn).await?;
    }
    txn.commit().await?;
    Ok(row)
}

fn is_unique_violation(error: &DbErr) -> bool {
    matches!(error.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}

/// Applies a transition if the row is still at `expected` version; writes its audit row in the
/// same transaction.
pub async fn apply(
    db: &DatabaseConnection,
    calendar: &Calendar,
    current: &dossier::Model,
    expected: i32,
    next: &Dossier,
    event: &Event,
    payload: &serde_json::Value,
) -> Result<dossier::Model, RepoError> {
    let txn = db.begin().await?;
    let changes = dossier::ActiveModel {
        state: Set(next.state.name().to_owned()),
        status_code: Set(i16::from(next.status_code())),
        row_version: Set(expected + 1),
        received_at: Set(next.received_at),
        due_at: Set(next.due),
        finished_at: Set(next.finished_at),
        timing: Set(timing(next)),
        processing_minutes: Set(processing_minutes(next, calendar)),
        lifecycle: Set(json(next)?),
        updated_at: Set(Utc::now().fixed_offset()),
        ..Default::default()
    };
    let result = dossier::Entity::update_many()
        .set(changes)
        .filter(dossier::Column::Id.eq(current.id))
        .filter(dossier::Column::RowVersion.eq(expected))
        .exec(&txn)
        .await?;
    if result.rows_affected != 1 {
        return Err(RepoError::Stale(expected));
    }
    audit(current.id, event.at, &event.actor, event, payload).insert(&txn).await?;
    let row = dossier::Entity::find_by_id(current.id)
        .one(&txn)
        .await?
        .ok_or_else(|| RepoError::Corrupt("vanished".into()))?;
    txn.commit().await?;
    Ok(row)
}

/// A dossier by code.
pub async fn find_by_code(db: &DatabaseConnection, code: &str) -> Result<Option<dossier::Model>, RepoError> {
    Ok(dossier::Entity::find().filter(dossier::Column::Code.eq(code)).one(db).await?)
}

/// The dossier a client already submitted with an idempotency key.
pub async fn find_by_idempotency(
    db: &DatabaseConnection,
    client: i32,
    key: &str,
) -> Result<Option<dossier::Model>, RepoError> {
    Ok(dossier::Entity::find()
        .filter(dossier::Column::ClientId.eq(client))
        .filter(dossier::Column::IdempotencyKey.eq(key))
        .one(db)
        .await?)
}

/// Filters of the dossier list; `None` means any.
#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    /// State name.
    pub state: Option<String>,
    /// Agency or a parent of it.
    pub agency: Option<String>,
    /// Dossiers of this agency (or its units) or with a step of it: what an official sees.
    pub involving: Option<String>,
    /// Procedure code.
    pub procedure: Option<String>,
    /// Only dossiers past their due time and not finished (true) or the others (false).
    pub overdue: Option<bool>,
    /// Due before this instant.
    pub due_before: Option<DateTime<FixedOffset>>,
    /// Only this client's.
    pub client: Option<i32>,
}

/// One page of dossiers, newest first, and the total.
pub async fn list(
    db: &DatabaseConnection,
    now: DateTime<FixedOffset>,
    filter: &ListFilter,
    page: u64,
    per_page: u64,
) -> Result<(Vec<dossier::Model>, u64), RepoError> {
    let mut query = dossier::Entity::find();
    if let Some(state) = &filter.state {
        query = query.filter(dossier::Column::State.eq(state.as_str()));
    }
    if let Some(agency) = &filter.agency {
        query = query.filter(
            dossier::Column::Agency.eq(agency.as_str()).or(dossier::Column::Agency.starts_with(format!("{agency}."))),
        );
    }
    if let Some(own) = &filter.involving {
        query = query.filter(
            Condition::any()
                .add(dossier::Column::Agency.eq(own.as_str()))
                .add(dossier::Column::Agency.starts_with(format!("{own}.")))
                .add(dossier::Column::StepAgencies.contains(format!("|{own}|")))
                .add(dossier::Column::StepAgencies.contains(format!("|{own}."))),
        );
    }
    if let Some(procedure) = &filter.procedure {
        query = query.filter(dossier::Column::ProcedureCode.eq(procedure.as_str()));
    }
    if let Some(client) = filter.client {
        query = query.filter(dossier::Column::ClientId.eq(client));
    }
    if let Some(before) = filter.due_before {
        query = query.filter(dossier::Column::DueAt.lt(before));
    }
    let open = dossier::Column::FinishedAt.is_null().and(dossier::Column::State.is_not_in([
        "refused",
        "withdrawn",
        "stopped",
        "returned",
    ]));
    match filter.overdue {
        Some(true) => query = query.filter(open.and(dossier::Column::DueAt.lt(now))),
        Some(false) => query = query.filter(open.not().or(dossier::Column::DueAt.gte(now))),
        None => {}
    }
    let paginator = query.order_by_desc(dossier::Column::Id).paginate(db, per_page);
    let total = paginator.num_items().await?;
    let items = paginator.fetch_page(page).await?;
    Ok((items, total))
}
