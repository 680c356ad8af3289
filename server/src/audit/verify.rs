//! `motcua audit verify`: recomputes every dossier's chain of audit records and compares it
//! with what is stored.

use super::chain::{GENESIS, Record};
use super::state::{Watched, derived_mismatches};
use crate::db::entities::{audit_event, dossier};
use sea_orm::{
    AccessMode, ColumnTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, EntityTrait, IsolationLevel,
    QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Dossiers read at once.
const BATCH: u64 = 500;

/// What is wrong with a record or a chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    /// A record's fields or hash differ from what its link says: it was edited.
    EditedRecord,
    /// Positions are skipped: records were deleted from the middle of the chain.
    MissingRecord,
    /// A position appears twice or goes backwards: a record was inserted or moved.
    ExtraRecord,
    /// The chain ends elsewhere than the dossier row says: its last records were deleted or
    /// the head was rewritten.
    HeadMismatch,
    /// An audit record of a dossier that does not exist.
    OrphanRecord,
    /// The dossier row differs from what its last audit record says it was left as, or its
    /// columns from its lifecycle: the row was edited (a `timing`, a `fee`, a due time…).
    EditedDossier,
    /// Numbers of a day's sequence with no dossier that no failed or interrupted submission
    /// explains: dossiers deleted with all their records.
    UnexplainedGap,
    /// A file the chain names whose row or bytes differ from the hash it records.
    EditedFile,
    /// A file the chain names that is no longer there.
    MissingFile,
}

/// One problem found.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// The dossier's code (or its id, for an orphan record).
    pub dossier: String,
    /// The position in its chain, where one is concerned.
    pub position: Option<i32>,
    /// Stable code.
    pub problem: Problem,
    /// What was found, for a person.
    pub message: String,
}

/// Numbers of a day's sequence with no dossier. Those a submission burned (it failed, or its
/// process stopped, after the number was drawn) are recorded where they were drawn and are
/// only reported here; any other is a finding ([`Problem::UnexplainedGap`]).
#[derive(Debug, Clone, Serialize)]
pub struct Gap {
    /// `{desk}-{YYMMDD}`.
    pub day: String,
    /// Numbers drawn that day.
    pub drawn: i64,
    /// Dossiers found with a code of that day.
    pub found: i64,
    /// The numbers without a dossier that no burned number explains.
    pub unexplained: Vec<u32>,
}

/// The outcome of a verification.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    /// Dossiers checked.
    pub dossiers: u64,
    /// Audit records checked.
    pub records: u64,
    /// Tampering found; empty when the log is intact.
    pub findings: Vec<Finding>,
    /// Unused sequence numbers, per desk and day.
    pub gaps: Vec<Gap>,
    /// Files read back and checked against the chain (see [`super::files`]).
    pub files: u64,
}

impl Report {
    /// Whether every chain is intact.
    pub fn intact(&self) -> bool {
        self.findings.is_empty()
    }
}

/// Verifies every dossier's chain, in batches of [`BATCH`] dossiers, in one snapshot of the
/// database: a transition committed meanwhile on a live server is seen whole or not at all.
pub async fn verify(db: &DatabaseConnection) -> Result<Report, DbErr> {
    let snapshot = match db.get_database_backend() {
        DbBackend::Postgres => {
            db.begin_with_config(Some(IsolationLevel::RepeatableRead), Some(AccessMode::ReadOnly)).await?
        }
        // SQLite (WAL): a read transaction keeps the snapshot of its first read.
        _ => db.begin().await?,
    };
    let report = verify_in(&snapshot).await?;
    snapshot.commit().await?;
    Ok(report)
}

async fn verify_in(db: &DatabaseTransaction) -> Result<Report, DbErr> {
    let mut report = Report::default();
    let mut per_day: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
    let mut after = 0;
    loop {
        let dossiers: Vec<dossier::Model> = dossier::Entity::find()
            .filter(dossier::Column::Id.gt(after))
            .order_by_asc(dossier::Column::Id)
            .limit(BATCH)
            .all(db)
            .await?;
        let Some(last) = dossiers.last().map(|d| (d.id, ())) else { break };
        let records = audit_event::Entity::find()
            // From just after the previous batch: a record of a deleted dossier between two
            // batches is read too.
            .filter(audit_event::Column::DossierId.gt(after))
            .filter(audit_event::Column::DossierId.lte(last.0))
            .order_by_asc(audit_event::Column::DossierId)
            .order_by_asc(audit_event::Column::Position)
            .order_by_asc(audit_event::Column::Id)
            .all(db)
            .await?;
        let mut records = records.into_iter().peekable();
        for row in &dossiers {
            let (id, code, head, length) = (row.id, &row.code, &row.audit_head, row.audit_length);
            let mut chain = Vec::new();
            while let Some(record) = records.next_if(|r| r.dossier_id <= id) {
                if record.dossier_id == id {
                    chain.push(record);
                } else {
                    orphan(&mut report, &record);
                }
            }
            report.records += chain.len() as u64;
            report.dossiers += 1;
            check_chain(&mut report.findings, code, head, length, &chain);
            check_row(&mut report.findings, row, &chain);
            if let Some((day, number)) = code.rsplit_once('-') {
                per_day.entry(day.to_owned()).or_default().insert(sequence_number(number));
            }
        }
        for record in records {
            orphan(&mut report, &record);
        }
        after = last.0;
    }
    for record in audit_event::Entity::find().filter(audit_event::Column::DossierId.gt(after)).all(db).await? {
        orphan(&mut report, &record);
    }
    report.gaps = gaps(db, &per_day).await?;
    for gap in report.gaps.iter().filter(|gap| !gap.unexplained.is_empty()) {
        let numbers: Vec<String> = gap.unexplained.iter().map(ToString::to_string).collect();
        report.findings.push(Finding {
            dossier: gap.day.clone(),
            position: None,
            problem: Problem::UnexplainedGap,
            message: format!(
                "number(s) {} of {} were drawn, and no dossier has them nor did a failed submission burn them: \
                 dossiers deleted with all their records",
                numbers.join(", "),
                gap.day
            ),
        });
    }
    Ok(report)
}

/// The row against its last record's digest and its columns against its lifecycle.
fn check_row(findings: &mut Vec<Finding>, row: &dossier::Model, chain: &[audit_event::Model]) {
    let mut edited = |message: String| {
        findings.push(Finding { dossier: row.code.clone(), position: None, problem: Problem::EditedDossier, message });
    };
    // Records from before digests existed carry none; the columns are checked all the same.
    // A chain that does not end at the row's head is reported as such: its last record is not
    // the one that left the row.
    let last = chain.last().filter(|r| r.hash == row.audit_head);
    if let Some(digest) = last.and_then(|r| r.state_digest.as_deref())
        && Watched::of(row).digest() != digest
    {
        edited(format!(
            "the dossier row is not what its last audit record left (lifecycle, fee, agency, channel, procedure or \
             processing time edited): record {} says {digest:.12}…",
            chain.last().map_or(0, |r| r.position)
        ));
    }
    for mismatch in derived_mismatches(row) {
        edited(format!("{mismatch}: the column was edited"));
    }
}

fn orphan(report: &mut Report, record: &audit_event::Model) {
    report.records += 1;
    report.findings.push(Finding {
        dossier: format!("#{}", record.dossier_id),
        position: Some(record.position),
        problem: Problem::OrphanRecord,
        message: format!("audit record {} belongs to no dossier: its dossier was deleted", record.id),
    });
}

/// Walks one dossier's records in position order. Each link is recomputed from the stored
/// previous hash, so one edited record is reported once, not with every record after it.
fn check_chain(findings: &mut Vec<Finding>, code: &str, head: &str, length: i32, chain: &[audit_event::Model]) {
    let mut finding = |position: Option<i32>, problem: Problem, message: String| {
        findings.push(Finding { dossier: code.to_owned(), position, problem, message });
    };
    let mut previous = GENESIS;
    let mut expected = 1;
    for record in chain {
        // After a deleted record, the next one's link cannot be checked: its predecessor is gone.
        let mut checkable = true;
        if record.position > expected {
            let missing = if record.position == expected + 1 {
                format!("record {expected} is missing")
            } else {
                format!("records {expected} to {} are missing", record.position - 1)
            };
            finding(Some(expected), Problem::MissingRecord, format!("{missing}: deleted"));
            checkable = false;
        } else if record.position < expected {
            finding(
                Some(record.position),
                Problem::ExtraRecord,
                format!("record {} comes again after record {}", record.position, expected - 1),
            );
        }
        let fields = Record {
            dossier_code: code,
            position: record.position,
            at: record.at,
            actor: &record.actor,
            action: &record.action,
            from_state: &record.from_state,
            to_state: &record.to_state,
            payload: &record.payload,
            state_digest: record.state_digest.as_deref(),
        };
        if checkable && fields.link(previous) != record.hash {
            finding(
                Some(record.position),
                Problem::EditedRecord,
                format!("record {} (`{}`) does not match its hash: edited", record.position, record.action),
            );
        }
        previous = &record.hash;
        expected = record.position.max(expected - 1) + 1;
    }
    let found = chain.last().map_or(0, |r| r.position);
    if previous != head || found != length {
        finding(
            None,
            Problem::HeadMismatch,
            format!(
                "the dossier records {length} audit records ending in {head:.12}…, the log ends at record {found} ({previous:.12}…): records deleted at the end or the dossier row rewritten"
            ),
        );
    }
}

/// Days whose counter drew numbers that no dossier has, with those that no reservation of
/// burned numbers explains.
async fn gaps(db: &DatabaseTransaction, found: &BTreeMap<String, BTreeSet<u32>>) -> Result<Vec<Gap>, DbErr> {
    use sea_orm::{ConnectionTrait, Statement};
    let mut burned: BTreeMap<String, Vec<(i32, i32)>> = BTreeMap::new();
    let reserved = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT \"agency\", \"day\", \"first\", \"last\" FROM \"sequence_reservations\"",
        ))
        .await?;
    for row in reserved {
        let (agency, day): (String, String) = (row.try_get("", "agency")?, row.try_get("", "day")?);
        let range = (row.try_get("", "first")?, row.try_get("", "last")?);
        burned.entry(format!("{agency}-{day}")).or_default().push(range);
    }
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT \"agency\", \"day\", \"last\" FROM \"dossier_sequences\" ORDER BY \"agency\", \"day\"",
        ))
        .await?;
    let mut gaps = Vec::new();
    for row in rows {
        let agency: String = row.try_get("", "agency")?;
        let day: String = row.try_get("", "day")?;
        let drawn: i32 = row.try_get("", "last")?;
        let key = format!("{agency}-{day}");
        let numbers = found.get(&key);
        let present = |n: u32| numbers.is_some_and(|set| set.contains(&n));
        let explained =
            |n: u32| burned.get(&key).is_some_and(|ranges| ranges.iter().any(|&(a, b)| (a..=b).contains(&(n as i32))));
        let missing: Vec<u32> = (1..=u32::try_from(drawn).unwrap_or(0)).filter(|&n| !present(n)).collect();
        if !missing.is_empty() {
            let unexplained = missing.iter().copied().filter(|&n| !explained(n)).collect();
            let found = i64::try_from(numbers.map_or(0, BTreeSet::len)).unwrap_or(i64::MAX);
            gaps.push(Gap { day: key, drawn: i64::from(drawn), found, unexplained });
        }
    }
    Ok(gaps)
}

/// The day's number a code ends in: `0042`, or a centralised service's `BC0042`.
fn sequence_number(last_part: &str) -> u32 {
    last_part.trim_start_matches(|c: char| !c.is_ascii_digit()).parse().unwrap_or(0)
}
