//! Dossiers: insertion with a code unique across instances, optimistic updates, lists.

use crate::db::entities::{audit_event, dossier};
use chrono::{DateTime, FixedOffset, Utc};
use motcua_engine::Procedure;
use motcua_engine::calendar::{Calendar, VIETNAM_OFFSET};
use motcua_engine::codes::AgencyCode;
use motcua_engine::dossier_code::MIN_SEQUENCE_DIGITS;
use motcua_engine::lifecycle::{Dossier, Event};
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait,
    IdenStatic, Iterable, PaginatorTrait, QueryFilter, QueryOrder, Set, Statement, TransactionTrait, TryIntoModel,
    Value,
};
use std::fmt::Write;

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

/// The upsert of the day's counter of an agency (`$1`) and day (`$2`), in the SQL both backends
/// speak: the next sequence number of the day, decided by the database so it is unique across
/// server instances (it increments under the row's lock).
const SEQUENCE_UPSERT: &str = "INSERT INTO \"dossier_sequences\" (\"agency\", \"day\", \"last\") VALUES ($1, $2, 1) \
    ON CONFLICT (\"agency\", \"day\") DO UPDATE SET \"last\" = \"dossier_sequences\".\"last\" + 1";

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
        submission: Set(new.submission.to_string()),
        lifecycle: Set(json(&new.lifecycle)?),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
}

/// The parameters of one statement, numbered `$1`, `$2`… on both backends (sqlx reads `$N`
/// on SQLite as the N-th value, in every statement of a multi-statement query).
struct Params {
    backend: DbBackend,
    values: Vec<Value>,
}

impl Params {
    /// Binds `value`; its placeholder.
    fn bind(&mut self, value: Value) -> String {
        self.values.push(value);
        format!("${}", self.values.len())
    }

    fn statement(self, sql: String) -> Statement {
        Statement::from_sql_and_values(self.backend, sql, self.values)
    }
}

/// Appends `INSERT INTO "table" (columns) SELECT … [FROM from]` for `rows` (one SELECT each,
/// joined by UNION ALL, in order): their set columns in the entity's order, each value bound,
/// and `computed`, a column whose value is an SQL expression.
fn render_insert<A: ActiveModelTrait>(
    sql: &mut String,
    params: &mut Params,
    rows: &[A],
    computed: Option<(<A::Entity as EntityTrait>::Column, &str)>,
    from: Option<&str>,
) {
    let Some(first) = rows.first() else { return };
    let computed = computed.map(|(column, expression)| (column.as_str(), expression));
    let columns: Vec<_> = <A::Entity as EntityTrait>::Column::iter()
        .filter(|&column| computed.is_some_and(|(c, _)| c == column.as_str()) || first.get(column).is_set())
        .collect();
    let _ = write!(sql, "INSERT INTO \"{}\" (", A::Entity::default().as_str());
    for (i, column) in columns.iter().enumerate() {
        let comma = if i == 0 { "" } else { ", " };
        let _ = write!(sql, "{comma}\"{}\"", column.as_str());
    }
    sql.push(')');
    for (i, row) in rows.iter().enumerate() {
        sql.push_str(if i == 0 { " SELECT " } else { " UNION ALL SELECT " });
        for (j, &column) in columns.iter().enumerate() {
            if j > 0 {
                sql.push_str(", ");
            }
            match computed {
                Some((c, expression)) if c == column.as_str() => sql.push_str(expression),
                _ => {
                    let placeholder = params.bind(row.get(column).into_value().unwrap_or(Value::String(None)));
                    sql.push_str(&placeholder);
                }
            }
        }
        if let Some(from) = from {
            let _ = write!(sql, " FROM {from}");
        }
    }
}

/// The day's sequence number `last` padded to at least [`MIN_SEQUENCE_DIGITS`] digits and never
/// cut (7 → `0007`, 10000 → `10000`), as `DossierCode::new` writes it.
fn padded_sequence_sql(backend: DbBackend, last: &str) -> String {
    match backend {
        DbBackend::Postgres => {
            format!("lpad(({last})::text, greatest({MIN_SEQUENCE_DIGITS}, length(({last})::text)), '0')")
        }
        _ => format!("printf('%0{MIN_SEQUENCE_DIGITS}d', {last})"),
    }
}

/// A dossier code without its sequence number: `{desk}-{YYMMDD}-`, as `DossierCode::new`.
fn code_prefix(desk: &AgencyCode, day: &str) -> String {
    format!("{desk}-{day}-")
}

/// Stores a received dossier with its code and its first audit row, atomically.
pub async fn insert(
    db: &DatabaseConnection,
    new: &NewDossier<'_>,
    receipt_event: &Event,
) -> Result<dossier::Model, RepoError> {
    insert_with_history(db, new, receipt_event, &[]).await
}

/// SQLite takes one writer at a time: this process's submissions queue here, first come first
/// served, instead of in SQLite's busy handler, which sleeps 1, 2, 5, 10… ms between tries and
/// let some submissions wait hundreds of milliseconds under load while others got through.
/// Other writers (other processes, other routes) still meet the busy timeout.
static SQLITE_WRITER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Stores a dossier with its receipt and, for imported dossiers, the transitions it went
/// through afterwards, each with its audit row, atomically.
///
/// The code's sequence number is decided by the database, so it is unique across server
/// instances: [`SEQUENCE_UPSERT`] increments the day's counter under the row's lock and the
/// code is built from it in SQL. On PostgreSQL the counter, the dossier and its audit rows are
/// one statement (data-modifying CTEs, autocommit): one round trip and one commit, all or
/// nothing; the counter row stays locked until that commit, as it did until the counter's own
/// commit when it was taken apart. SQLite cannot INSERT in a WITH: there the same three
/// statements are sent at once inside a transaction (BEGIN, the statements, COMMIT).
pub async fn insert_with_history(
    db: &DatabaseConnection,
    new: &NewDossier<'_>,
    receipt_event: &Event,
    history: &[(Event, serde_json::Value)],
) -> Result<dossier::Model, RepoError> {
    let received = new.lifecycle.received_at.unwrap_or(new.lifecycle.submitted_at).with_timezone(&VIETNAM_OFFSET);
    let desk = new.procedure.reception_agency();
    let day = received.format("%y%m%d").to_string();
    let mut row = receipt_row(new)?;
    let audits: Vec<audit_event::ActiveModel> =
        std::iter::once(audit(0, receipt_event.at, &new.actor, receipt_event, &new.event))
            .chain(history.iter().map(|(event, payload)| audit(0, event.at, &event.actor, event, payload)))
            .collect();
    let backend = db.get_database_backend();
    let mut params = Params { backend, values: Vec::with_capacity(40) };
    params.bind(desk.as_str().into());
    params.bind(day.as_str().into());
    let prefix = params.bind(code_prefix(desk, &day).into());
    let mut sql = String::with_capacity(2048);
    let inserted = if backend == DbBackend::Postgres {
        let code = format!("{prefix} || {}", padded_sequence_sql(backend, "seq.\"last\""));
        let _ = write!(sql, "WITH seq AS ({SEQUENCE_UPSERT} RETURNING \"last\"), d AS (");
        render_insert(
            &mut sql,
            &mut params,
            std::slice::from_ref(&row),
            Some((dossier::Column::Code, &code)),
            Some("seq"),
        );
        sql.push_str(" RETURNING \"id\", \"code\"), a AS (");
        render_insert(&mut sql, &mut params, &audits, Some((audit_event::Column::DossierId, "d.\"id\"")), Some("d"));
        sql.push_str(") SELECT \"id\", \"code\" FROM d");
        db.query_one_raw(params.statement(sql)).await.map_err(unique_as_duplicate)?
    } else {
        let last = "(SELECT \"last\" FROM \"dossier_sequences\" WHERE \"agency\" = $1 AND \"day\" = $2)";
        let code = format!("{prefix} || {}", padded_sequence_sql(backend, last));
        let _ = write!(sql, "{SEQUENCE_UPSERT}; ");
        render_insert(&mut sql, &mut params, std::slice::from_ref(&row), Some((dossier::Column::Code, &code)), None);
        sql.push_str(" RETURNING \"id\", \"code\"; ");
        let from = format!("\"dossiers\" AS d WHERE d.\"code\" = {code}");
        render_insert(&mut sql, &mut params, &audits, Some((audit_event::Column::DossierId, "d.\"id\"")), Some(&from));
        let statement = params.statement(sql);
        let _writer = SQLITE_WRITER.lock().await;
        let txn = db.begin().await?;
        // Every statement runs (query_all); the only row returned is the dossier's.
        let mut rows = txn.query_all_raw(statement).await.map_err(unique_as_duplicate)?;
        txn.commit().await?;
        rows.pop()
    };
    let inserted = inserted.ok_or_else(|| RepoError::Corrupt("the dossier insert returned nothing".into()))?;
    row.id = Set(inserted.try_get("", "id")?);
    row.code = Set(inserted.try_get("", "code")?);
    Ok(row.try_into_model()?)
}

/// A unique violation on the dossier's insert is its client's idempotency key used already.
fn unique_as_duplicate(error: DbErr) -> RepoError {
    if is_unique_violation(&error) { RepoError::DuplicateKey } else { RepoError::Database(error) }
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use motcua_engine::dossier_code::DossierCode;

    /// The code the statements build, `code_prefix` and the padded counter, is the engine's
    /// dossier code, also past 9999: on SQLite, and on PostgreSQL when
    /// `MOTCUA_TEST_DATABASE_URL` names one.
    #[tokio::test]
    async fn the_code_built_by_the_database_is_the_engines() {
        let desk: AgencyCode = "G22.26.01.01".parse().expect("agency");
        let date = NaiveDate::from_ymd_opt(2026, 10, 8).expect("date");
        let prefix = code_prefix(&desk, &date.format("%y%m%d").to_string());
        let mut urls = vec!["sqlite::memory:".to_owned()];
        urls.extend(std::env::var("MOTCUA_TEST_DATABASE_URL").ok().filter(|url| url.starts_with("postgres")));
        for url in urls {
            let db = sea_orm::Database::connect(url.as_str()).await.expect("connect");
            let backend = db.get_database_backend();
            let last = if backend == DbBackend::Postgres { "$2::int4" } else { "$2" };
            let sql = format!("SELECT $1 || {} AS code", padded_sequence_sql(backend, last));
            for n in [1_u32, 975, 9999, 10_000, 123_456] {
                let values = [prefix.as_str().into(), Value::from(i32::try_from(n).expect("i32"))];
                let row = db
                    .query_one_raw(Statement::from_sql_and_values(backend, sql.clone(), values))
                    .await
                    .expect("query")
                    .expect("row");
                let code: String = row.try_get("", "code").expect("code");
                assert_eq!(code, DossierCode::new(&desk, date, n).expect("code").as_str(), "{backend:?} {n}");
            }
        }
    }
}
