//! Dossiers: insertion with a code unique across instances, optimistic updates, lists.

pub use super::statements::postgres_insert;
use super::write_queue::DossierWriter;
use crate::audit::chain;
use crate::audit::state::Watched;
use crate::db::entities::{audit_event, dossier};
use crate::dossiers::list::ListFilter;
use crate::dossiers::record::{StoredDossier, Submitted};
use chrono::{DateTime, FixedOffset, Utc};
use motcua_engine::Procedure;
use motcua_engine::calendar::{Calendar, VIETNAM_OFFSET};
use motcua_engine::legal::rule_set_on;
use motcua_engine::lifecycle::{Dossier, Event};
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    Set, TransactionTrait, TryIntoModel,
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
    /// A dossier was already imported from this line of the previous system.
    #[error("already imported")]
    AlreadyImported,
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
    /// The submission as received, with its receipt.
    pub submission: Submitted,
    /// Who submitted (audit).
    pub actor: String,
    /// Where an imported dossier came from.
    pub source: Option<Source>,
}

/// An imported dossier's origin in the office's previous system.
#[derive(Debug, Clone)]
pub struct Source {
    /// The identifier of its line there: importing it again creates nothing.
    pub id: String,
    /// Its dossier code there, kept and searchable.
    pub code: Option<String>,
}

fn json(value: &impl serde::Serialize) -> Result<String, RepoError> {
    serde_json::to_string(value).map_err(|e| RepoError::Corrupt(e.to_string()))
}

/// An instant in UTC+7: PostgreSQL hands `timestamptz` back in UTC, SQLite as stored.
fn local(at: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    at.with_timezone(&VIETNAM_OFFSET)
}

/// The record of a row, its lifecycle and submission parsed.
pub(super) fn record(model: dossier::Model) -> Result<StoredDossier, RepoError> {
    let lifecycle = serde_json::from_str(&model.lifecycle)
        .map_err(|e| RepoError::Corrupt(format!("dossier `{}`: lifecycle: {e}", model.code)))?;
    let submission = Submitted::parse(&model.submission)
        .ok_or_else(|| RepoError::Corrupt(format!("dossier `{}`: the submission cannot be read", model.code)))?;
    assemble(model, lifecycle, submission)
}

/// The record of a row whose lifecycle and submission are already in hand (just written).
fn assemble(model: dossier::Model, lifecycle: Dossier, submission: Submitted) -> Result<StoredDossier, RepoError> {
    let corrupt = |what: &str| RepoError::Corrupt(format!("dossier `{}`: {what}", model.code));
    Ok(StoredDossier {
        id: model.id,
        procedure: model.procedure_code.parse().map_err(|_| corrupt("procedure code"))?,
        procedure_version: u32::try_from(model.procedure_version).map_err(|_| corrupt("procedure version"))?,
        agency: model.agency.parse().map_err(|_| corrupt("agency code"))?,
        version: model.row_version,
        fee: model.fee,
        client: model.client_id,
        source_code: model.source_code,
        submitted_at: local(model.submitted_at),
        received_at: model.received_at.map(local),
        due_at: model.due_at.map(local),
        finished_at: model.finished_at.map(local),
        lifecycle,
        submission,
        lookup_key_hash: model.lookup_key_hash,
        request_hash: model.request_hash,
        chain: (model.audit_length, model.audit_head),
        code: model.code,
    })
}

fn records(models: Vec<dossier::Model>) -> Result<Vec<StoredDossier>, RepoError> {
    models.into_iter().map(record).collect()
}

/// The audit row of `event` by `actor` at `position` in the chain of dossier `code`, linked
/// to `previous`, carrying `digest` (of the row it left) when given; its hash is the new head.
fn audit(
    code: &str,
    position: i32,
    previous: &str,
    (actor, event, payload): (&str, &Event, &serde_json::Value),
    digest: Option<String>,
) -> (audit_event::ActiveModel, String) {
    let actor: String = actor.chars().take(300).collect();
    let payload = payload.to_string();
    let hash = chain::Record {
        dossier_code: code,
        position,
        at: event.at,
        actor: &actor,
        action: event.action,
        from_state: event.from,
        to_state: event.to,
        payload: &payload,
        state_digest: digest.as_deref(),
    }
    .link(previous);
    let row = audit_event::ActiveModel {
        position: Set(position),
        at: Set(event.at),
        actor: Set(actor),
        action: Set(event.action.to_owned()),
        from_state: Set(event.from.to_owned()),
        to_state: Set(event.to.to_owned()),
        payload: Set(payload),
        hash: Set(hash.clone()),
        state_digest: Set(digest),
        ..Default::default()
    };
    (row, hash)
}

/// The digest of a row about to be written (see `crate::audit::state`).
fn digest_of(row: &dossier::ActiveModel) -> String {
    let text = |value: &sea_orm::ActiveValue<String>| value.try_as_ref().cloned().unwrap_or_default();
    let (lifecycle, agency, channel, code) =
        (text(&row.lifecycle), text(&row.agency), text(&row.channel), text(&row.procedure_code));
    Watched {
        lifecycle: &lifecycle,
        fee: row.fee.try_as_ref().copied().unwrap_or_default(),
        agency: &agency,
        channel: &channel,
        procedure: (&code, row.procedure_version.try_as_ref().copied().unwrap_or_default()),
        processing_minutes: row.processing_minutes.try_as_ref().copied().flatten(),
    }
    .digest()
}

/// The audit rows of a new dossier (its receipt, then imported transitions), chained; the row
/// gets the chain's head and length.
pub(super) fn chained_audits(
    row: &mut dossier::ActiveModel,
    code: &str,
    records: &[(&str, &Event, &serde_json::Value)],
) -> Vec<audit_event::ActiveModel> {
    let mut head = chain::GENESIS.to_owned();
    let mut rows = Vec::with_capacity(records.len());
    for (position, &record) in records.iter().enumerate() {
        // The last record carries the digest of the row as stored.
        let digest = (position + 1 == records.len()).then(|| digest_of(row));
        let (audit, hash) = audit(code, i32::try_from(position + 1).unwrap_or(i32::MAX), &head, record, digest);
        rows.push(audit);
        head = hash;
    }
    row.audit_length = Set(i32::try_from(rows.len()).unwrap_or(i32::MAX));
    row.audit_head = Set(head);
    rows
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

/// The dossier row at receipt, every column but its id and its code (decided by the database).
/// This is the one place the row is defined: both backends' statements are rendered from it.
fn receipt_row(new: &NewDossier<'_>) -> Result<dossier::ActiveModel, RepoError> {
    let now = Utc::now().fixed_offset();
    Ok(dossier::ActiveModel {
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
        submission: Set(new.submission.to_text()),
        lifecycle: Set(json(&new.lifecycle)?),
        // Always set, even to NULL: a batch's statement takes its columns from its first row.
        source_id: Set(new.source.as_ref().map(|s| s.id.clone())),
        source_code: Set(new.source.as_ref().and_then(|s| s.code.clone())),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
}

/// Stores a received dossier with its code and its first audit row, atomically.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "dossiers::insert"))]
pub async fn insert(
    writer: &DossierWriter,
    new: &NewDossier<'_>,
    receipt_event: &Event,
) -> Result<StoredDossier, RepoError> {
    insert_with_history(writer, new, receipt_event, &[]).await
}

/// Stores a dossier with its receipt and, for imported dossiers, the transitions it went
/// through afterwards, each with its audit row, atomically.
///
/// The dossier goes to the database's [`DossierWriter`], which writes the dossiers waiting
/// together: the code's sequence number is decided by the database, so it is unique across
/// server instances, and the audit rows are chained from the code before they are sent.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "dossiers::insert_with_history"))]
pub async fn insert_with_history(
    writer: &DossierWriter,
    new: &NewDossier<'_>,
    receipt_event: &Event,
    history: &[(Event, serde_json::Value)],
) -> Result<StoredDossier, RepoError> {
    let received = new.lifecycle.received_at.unwrap_or(new.lifecycle.submitted_at).with_timezone(&VIETNAM_OFFSET);
    let (desk, day) = (new.procedure.reception_agency(), received.date_naive());
    let records = std::iter::once((new.actor.clone(), receipt_event.clone(), new.event.clone()))
        .chain(history.iter().map(|(event, payload)| (event.actor.clone(), event.clone(), payload.clone())))
        .collect();
    // Circular 04/2025/TT-VPCP: a nationally centralised service's own format, from its date.
    let system = new.procedure.centralised_system.clone().filter(|_| rule_set_on(day).centralised_codes);
    let row = writer.write((desk.clone(), day, system), receipt_row(new)?, records).await?;
    assemble(row.try_into_model()?, new.lifecycle.clone(), new.submission.clone())
}

/// A violation of the client's idempotency key's uniqueness on the dossier's insert: that key
/// was used already. Any other error (a code taken, say) is the database's.
pub(super) fn unique_as_duplicate(error: DbErr) -> RepoError {
    match error.sql_err() {
        // SQLite names the columns, PostgreSQL the index (`dossiers_client_idempotency`).
        Some(sea_orm::SqlErr::UniqueConstraintViolation(message)) if message.contains("idempotency") => {
            RepoError::DuplicateKey
        }
        Some(sea_orm::SqlErr::UniqueConstraintViolation(message)) if message.contains("source_id") => {
            RepoError::AlreadyImported
        }
        _ => RepoError::Database(error),
    }
}

/// What a transition changes: the lifecycle after it, its event and audit payload, and the
/// stored submission when the action rewrites it (a receipt at acceptance, an answer).
pub struct Change<'a> {
    /// The lifecycle after the transition.
    pub next: &'a Dossier,
    /// The event.
    pub event: &'a Event,
    /// The audit record's payload.
    pub payload: &'a serde_json::Value,
    /// The new submission, if it changes.
    pub submission: Option<&'a Submitted>,
}

/// Applies a transition if the row is still at `expected` version; writes its audit row in the
/// same transaction.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "dossiers::apply"))]
pub async fn apply(
    db: &DatabaseConnection,
    calendar: &Calendar,
    current: &StoredDossier,
    change: Change<'_>,
) -> Result<StoredDossier, RepoError> {
    let Change { next, event, payload, submission } = change;
    let expected = current.version;
    let (length, head) = &current.chain;
    let position = length + 1;
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
        submission: submission.map_or(sea_orm::ActiveValue::NotSet, |s| Set(s.to_text())),
        updated_at: Set(Utc::now().fixed_offset()),
        audit_length: Set(position),
        ..Default::default()
    };
    let lifecycle = json(next)?;
    let digest = Watched {
        lifecycle: &lifecycle,
        fee: current.fee,
        agency: current.agency.as_str(),
        channel: current.lifecycle.channel.as_str(),
        procedure: (current.procedure.as_str(), i32::try_from(current.procedure_version).unwrap_or(i32::MAX)),
        processing_minutes: processing_minutes(next, calendar),
    }
    .digest();
    let (mut audit_row, head) = audit(&current.code, position, head, (&event.actor, event, payload), Some(digest));
    audit_row.dossier_id = Set(current.id);
    let changes = dossier::ActiveModel { audit_head: Set(head), lifecycle: Set(lifecycle), ..changes };
    let txn = db.begin().await?;
    let result = dossier::Entity::update_many()
        .set(changes)
        .filter(dossier::Column::Id.eq(current.id))
        .filter(dossier::Column::RowVersion.eq(expected))
        .exec(&txn)
        .await?;
    if result.rows_affected != 1 {
        return Err(RepoError::Stale(expected));
    }
    audit_row.insert(&txn).await?;
    let row = dossier::Entity::find_by_id(current.id)
        .one(&txn)
        .await?
        .ok_or_else(|| RepoError::Corrupt("vanished".into()))?;
    txn.commit().await?;
    let submission = submission.cloned().unwrap_or_else(|| current.submission.clone());
    assemble(row, next.clone(), submission)
}

/// The dossier imported from the line `source_id` of the previous system, if any.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "dossiers::find_by_source"))]
pub async fn find_by_source(db: &DatabaseConnection, source_id: &str) -> Result<Option<StoredDossier>, RepoError> {
    dossier::Entity::find().filter(dossier::Column::SourceId.eq(source_id)).one(db).await?.map(record).transpose()
}

/// A dossier by code.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "dossiers::find_by_code"))]
pub async fn find_by_code(db: &DatabaseConnection, code: &str) -> Result<Option<StoredDossier>, RepoError> {
    dossier::Entity::find().filter(dossier::Column::Code.eq(code)).one(db).await?.map(record).transpose()
}

/// The dossier a client already submitted with an idempotency key.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "dossiers::find_by_idempotency"))]
pub async fn find_by_idempotency(
    db: &DatabaseConnection,
    client: i32,
    key: &str,
) -> Result<Option<StoredDossier>, RepoError> {
    dossier::Entity::find()
        .filter(dossier::Column::ClientId.eq(client))
        .filter(dossier::Column::IdempotencyKey.eq(key))
        .one(db)
        .await?
        .map(record)
        .transpose()
}

/// One page of dossiers, newest first, and the total.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "dossiers::list"))]
pub async fn list(
    db: &DatabaseConnection,
    now: DateTime<FixedOffset>,
    filter: &ListFilter,
    page: u64,
    per_page: u64,
) -> Result<(Vec<StoredDossier>, u64), RepoError> {
    let mut query = dossier::Entity::find();
    if let Some(state) = filter.state {
        query = query.filter(dossier::Column::State.eq(state.as_str()));
    }
    if let Some(agency) = &filter.agency {
        query = query.filter(super::agency_scope::within(agency.as_str()));
    }
    if let Some(own) = &filter.involving {
        query = query.filter(super::agency_scope::involving(own.as_str()));
    }
    if let Some(procedure) = &filter.procedure {
        query = query.filter(dossier::Column::ProcedureCode.eq(procedure.as_str()));
    }
    if let Some(code) = &filter.source_code {
        query = query.filter(dossier::Column::SourceCode.eq(code.as_str()));
    }
    if let Some(client) = filter.client {
        query = query.filter(dossier::Column::ClientId.eq(client));
    }
    if let Some(before) = filter.due_before {
        query = query.filter(dossier::Column::DueAt.lt(before));
    }
    let open = dossier::Column::FinishedAt
        .is_null()
        .and(dossier::Column::State.is_not_in(motcua_engine::lifecycle::State::FINAL));
    match filter.overdue {
        Some(true) => query = query.filter(open.clone().and(dossier::Column::DueAt.lt(now))),
        Some(false) => query = query.filter(open.clone().not().or(dossier::Column::DueAt.gte(now))),
        None => {}
    }
    if filter.open {
        query = query.filter(open);
    }
    let query = if filter.due_first {
        // `IS NULL` first sorts the dossiers with no due time last on both backends.
        query
            .order_by_asc(dossier::Column::DueAt.is_null())
            .order_by_asc(dossier::Column::DueAt)
            .order_by_asc(dossier::Column::Id)
    } else {
        query.order_by_desc(dossier::Column::Id)
    };
    let paginator = query.paginate(db, per_page);
    let total = paginator.num_items().await?;
    let items = paginator.fetch_page(page).await?;
    Ok((records(items)?, total))
}

/// One record of a dossier's audit chain, as its history shows it.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// When (UTC+7).
    pub at: DateTime<FixedOffset>,
    /// Who, as recorded (`Name#id (role unit)`).
    pub actor: String,
    /// The action's name.
    pub action: String,
    /// The state it left.
    pub from: String,
    /// The state it reached.
    pub to: String,
}

/// The history of `dossier`: its audit records in order.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "dossiers::history"))]
pub async fn history(db: &DatabaseConnection, dossier: &StoredDossier) -> Result<Vec<Recorded>, RepoError> {
    let rows = audit_event::Entity::find()
        .filter(audit_event::Column::DossierId.eq(dossier.id))
        .order_by_asc(audit_event::Column::Position)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| Recorded {
            at: local(row.at),
            actor: row.actor,
            action: row.action,
            from: row.from_state,
            to: row.to_state,
        })
        .collect())
}
