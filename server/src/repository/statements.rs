//! The SQL of a batch of new dossiers, rendered from their sea-orm rows: one `INSERT … SELECT`
//! per table on both backends, and on PostgreSQL the one statement that stores a whole batch
//! with its audit rows and releases its numbers' reservations.

use crate::db::entities::{audit_event, dossier};
use sea_orm::{ActiveModelTrait, DbBackend, EntityTrait, IdenStatic, Iterable, Statement, Value};
use std::fmt::Write;

/// The parameters of one statement, numbered `$1`, `$2`… on both backends (sqlx reads `$N`
/// on SQLite as the N-th value, in every statement of a multi-statement query).
pub(crate) struct Params {
    pub(crate) backend: DbBackend,
    pub(crate) values: Vec<Value>,
}

impl Params {
    /// Binds `value`; its placeholder.
    pub(crate) fn bind(&mut self, value: Value) -> String {
        self.values.push(value);
        format!("${}", self.values.len())
    }

    pub(crate) fn statement(self, sql: String) -> Statement {
        Statement::from_sql_and_values(self.backend, sql, self.values)
    }
}

/// Appends `INSERT INTO "table" (columns) SELECT … [FROM from]` for `rows` (one SELECT each,
/// joined by UNION ALL, in order): their set columns in the entity's order, each value bound,
/// and `computed`, a column whose value is an SQL expression.
pub(crate) fn render_insert<A: ActiveModelTrait>(
    sql: &mut String,
    params: &mut Params,
    rows: &[&A],
    computed: &[(<A::Entity as EntityTrait>::Column, &str)],
    from: Option<&str>,
) {
    let Some(first) = rows.first() else { return };
    let expression = |column: <A::Entity as EntityTrait>::Column| {
        computed.iter().find(|(c, _)| c.as_str() == column.as_str()).map(|&(_, expression)| expression)
    };
    let columns: Vec<_> = <A::Entity as EntityTrait>::Column::iter()
        .filter(|&column| expression(column).is_some() || first.get(column).is_set())
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
            match expression(column) {
                Some(expression) => sql.push_str(expression),
                None => {
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

/// The statement that stores `dossiers`, each with its audit rows (whose dossier id it fills
/// in), on PostgreSQL, returning the dossiers' `id` and `code`: data-modifying CTEs in
/// autocommit, so one round trip and one commit, all or nothing; the numbers' `reservations`
/// are removed in the same statement. Public for the benchmark's bare baseline, which sends
/// the very same INSERT.
pub fn postgres_insert(
    dossiers: &[(&dossier::ActiveModel, &[audit_event::ActiveModel])],
    reservations: &[super::sequences::Reservation],
) -> Statement {
    let mut params = Params { backend: DbBackend::Postgres, values: Vec::with_capacity(40 * dossiers.len()) };
    let mut sql = String::with_capacity(2048 * dossiers.len());
    sql.push_str("WITH d AS (");
    let rows: Vec<_> = dossiers.iter().map(|&(row, _)| row).collect();
    render_insert(&mut sql, &mut params, &rows, &[], None);
    sql.push_str(" RETURNING \"id\", \"code\")");
    for (i, &(row, audits)) in dossiers.iter().enumerate() {
        let code = row.get(dossier::Column::Code).into_value().unwrap_or(Value::String(None));
        let from = format!("d WHERE d.\"code\" = {}", params.bind(code));
        let _ = write!(sql, ", a{i} AS (");
        let audits: Vec<_> = audits.iter().collect();
        render_insert(&mut sql, &mut params, &audits, &[(audit_event::Column::DossierId, "d.\"id\"")], Some(&from));
        sql.push(')');
    }
    super::sequences::release(&mut sql, &mut params, reservations);
    sql.push_str(" SELECT \"id\", \"code\" FROM d");
    params.statement(sql)
}
