//! What must hold after every crash: in the database itself while the server is down, and
//! through the API once it is up again.

use crate::load::{Ctx, FINISHED, Seen, Submission, get};
use chrono::{Duration, Utc};
use motcua_engine::calendar::VIETNAM_OFFSET;
use motcua_engine::dossier_code::{DossierCode, MIN_SEQUENCE_DIGITS};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Database, Statement};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::task::JoinSet;

/// The one-stop desk that receives procedure 1.004227, hence the agency part of its codes.
const DESK: &str = "G22.26.01.01";
/// Concurrent reads when checking every dossier through the API.
const READERS: usize = 4;

/// Every dossier with its version, its audit rows and the state its last audit row ended in.
const DOSSIERS_SQL: &str = "SELECT d.code AS code, d.state AS state, CAST(d.row_version AS BIGINT) AS version, \
    (SELECT COUNT(*) FROM audit_events a WHERE a.dossier_id = d.id) AS events, \
    (SELECT a.to_state FROM audit_events a WHERE a.dossier_id = d.id ORDER BY a.id DESC LIMIT 1) AS last_state \
    FROM dossiers d";
/// Audit rows of no dossier.
const ORPHANS_SQL: &str = "SELECT COUNT(*) AS n FROM audit_events a \
    WHERE NOT EXISTS (SELECT 1 FROM dossiers d WHERE d.id = a.dossier_id)";

/// `G22.26.01.01-YYMMDD-NNNN` (Circular 01/2018/TT-VPCP): the desk, the receipt date in
/// UTC+7 (today, or yesterday when the test runs across midnight), the day's sequence number
/// on at least four digits.
pub fn is_regulation_code(code: &str) -> bool {
    let today = Utc::now().with_timezone(&VIETNAM_OFFSET).date_naive();
    let days = [today, today - Duration::days(1)].map(|d| d.format("%y%m%d").to_string());
    let Some((day, sequence)) =
        code.strip_prefix(DESK).and_then(|r| r.strip_prefix('-')).and_then(|r| r.split_once('-'))
    else {
        return false;
    };
    code.parse::<DossierCode>().is_ok()
        && days.iter().any(|d| d == day)
        && sequence.len() >= MIN_SEQUENCE_DIGITS
        && sequence.bytes().all(|b| b.is_ascii_digit())
        && sequence.bytes().any(|b| b != b'0')
}

/// What the database holds.
pub struct Stored {
    pub dossiers: usize,
    pub audit_rows: i64,
}

/// Reads the database directly (the server is down): every acknowledged dossier is there at
/// its acknowledged version or later, in its acknowledged state when at that version; codes
/// are unique and in the regulation's format; each dossier has one audit row per version
/// (receipt, then one per transition, as `insert` and `apply` write them in one transaction),
/// the last one ending in the dossier's state; no audit row points to a missing dossier; every
/// dossier's audit chain verifies.
pub async fn database(url: &str, acked: &[(String, i64, String)]) -> Result<Stored, Vec<String>> {
    let db = Database::connect(url).await.expect("the database opens after the crash");
    let backend = db.get_database_backend();
    let rows = db.query_all_raw(Statement::from_string(backend, DOSSIERS_SQL)).await.expect("dossiers read");
    let orphans = db.query_one_raw(Statement::from_string(backend, ORPHANS_SQL)).await.expect("audit read");
    db.close().await.expect("closed");
    let mut problems = Vec::new();
    let mut versions = HashMap::with_capacity(rows.len());
    let mut audit_rows = 0;
    for row in rows {
        let code: String = row.try_get("", "code").expect("code");
        let state: String = row.try_get("", "state").expect("state");
        let version: i64 = row.try_get("", "version").expect("version");
        let events: i64 = row.try_get("", "events").expect("events");
        let last: Option<String> = row.try_get("", "last_state").expect("last state");
        audit_rows += events;
        if events != version {
            problems.push(format!("`{code}` is at version {version} with {events} audit rows"));
        }
        if last.as_deref() != Some(state.as_str()) {
            problems.push(format!("`{code}` is `{state}`, its last audit row ends in {last:?}"));
        }
        if !is_regulation_code(&code) {
            problems.push(format!("`{code}` is not in the regulation's format"));
        }
        if versions.insert(code.clone(), (version, state)).is_some() {
            problems.push(format!("`{code}` is stored twice"));
        }
    }
    let orphans: i64 = orphans.map_or(0, |row| row.try_get("", "n").expect("count"));
    if orphans != 0 {
        problems.push(format!("{orphans} audit rows of no dossier"));
    }
    for (code, version, state) in acked {
        match versions.get(code) {
            None => problems.push(format!("acknowledged `{code}` is lost")),
            Some((stored, _)) if stored < version => {
                problems.push(format!("`{code}` acknowledged at version {version}, stored at {stored}"));
            }
            Some((stored, stored_state)) if stored == version && stored_state != state => {
                problems.push(format!("`{code}` acknowledged `{state}` at version {version}, stored `{stored_state}`"));
            }
            Some(_) => {}
        }
    }
    problems.extend(audit_chains(url));
    if problems.is_empty() { Ok(Stored { dossiers: versions.len(), audit_rows }) } else { Err(problems) }
}

/// `motcua audit verify` on the database: every dossier's hash chain is whole after the kill.
fn audit_chains(url: &str) -> Vec<String> {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args(["audit", "verify", "--database-url", url])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("motcua audit verify runs");
    if output.status.success() {
        Vec::new()
    } else {
        vec![format!(
            "audit verify: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )]
    }
}

/// Reads acknowledged dossiers through the API (as an admin, by code): present, at their
/// acknowledged version or later, and when at that version, in the acknowledged state and
/// steps. `all` of them, or those not yet read back returned after a restart (the database
/// check still covers those every round). Returns how many had moved on (an action that
/// committed but whose answer the crash swallowed: legitimate).
pub async fn api(ctx: &Arc<Ctx>, all: bool) -> Result<usize, Vec<String>> {
    let acked: Vec<(String, Seen)> = ctx
        .ledger()
        .dossiers
        .iter()
        .filter(|(_, e)| all || !e.confirmed)
        .map(|(c, e)| (c.clone(), e.acked.clone()))
        .collect();
    let acked = Arc::new(acked);
    let mut readers = JoinSet::new();
    for reader in 0..READERS {
        let (ctx, acked) = (ctx.clone(), acked.clone());
        readers.spawn(async move {
            let (mut problems, mut moved_on) = (Vec::new(), 0);
            for (code, seen) in acked.iter().skip(reader).step_by(READERS) {
                let Some(body) = get(&ctx, code).await else {
                    problems.push(format!("acknowledged `{code}` is not found after the restart"));
                    continue;
                };
                let now = Seen::of(&body);
                if now.version < seen.version {
                    problems
                        .push(format!("`{code}` acknowledged at version {}, read at {}", seen.version, now.version));
                } else if now.version == seen.version && now != *seen {
                    problems.push(format!("`{code}` at version {}: acknowledged {seen:?}, read {now:?}", now.version));
                } else if now.version > seen.version {
                    moved_on += 1;
                }
                let mut ledger = ctx.ledger();
                ledger.read(code, now.version);
                if let Some(entry) = ledger.dossiers.get_mut(code) {
                    entry.confirmed = now.version >= FINISHED;
                }
            }
            (problems, moved_on)
        });
    }
    let (mut problems, mut moved_on) = (Vec::new(), 0);
    while let Some(result) = readers.join_next().await {
        let (found, moved) = result.expect("a reader panicked");
        problems.extend(found);
        moved_on += moved;
    }
    if problems.is_empty() { Ok(moved_on) } else { Err(problems) }
}

/// Sends again, with the same key and body, every keyed submission the crash left without an
/// answer: each must now get its 201 (a replay if the first attempt committed). Returns how
/// many were resolved.
pub async fn retry_unknown(ctx: &Ctx) -> Result<usize, Vec<String>> {
    let pending = std::mem::take(&mut ctx.ledger().unknown);
    let mut problems = Vec::new();
    for submission in &pending {
        match submission.send(ctx).await {
            Some((StatusCode::CREATED, replayed, body)) => ctx.ledger().created(submission, replayed, &body),
            other => problems.push(format!("retry of {:?}: {other:?}", submission.key)),
        }
    }
    if problems.is_empty() { Ok(pending.len()) } else { Err(problems) }
}

/// Replays up to `n` acknowledged keyed submissions: the same dossier comes back, marked
/// `Idempotent-Replayed`, so keys survive crashes too.
pub async fn replay_acknowledged(ctx: &Ctx, n: usize) -> Result<(), Vec<String>> {
    let keyed: Vec<(String, Submission)> = ctx
        .ledger()
        .dossiers
        .iter()
        .filter(|(_, e)| e.submission.key.is_some())
        .rev()
        .take(n)
        .map(|(c, e)| (c.clone(), e.submission.clone()))
        .collect();
    let mut problems = Vec::new();
    for (code, submission) in keyed {
        match submission.send(ctx).await {
            Some((StatusCode::CREATED, true, body)) if body["code"] == code.as_str() => {
                ctx.ledger().created(&submission, true, &body);
            }
            other => problems.push(format!("replay of `{code}` ({:?}): {other:?}", submission.key)),
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(problems) }
}

/// Tracks up to `n` dossiers anonymously with the receipt's lookup key (`?key=`), so the keys
/// pass through the server's request handling and the log check means something.
pub async fn public_lookups(ctx: &Ctx, n: usize) -> Result<(), Vec<String>> {
    let sample: Vec<(String, String)> =
        ctx.ledger().dossiers.iter().take(n).map(|(c, e)| (c.clone(), e.lookup_key.clone())).collect();
    let mut problems = Vec::new();
    for (code, key) in sample {
        let url = format!("{}/api/v1/dossiers/{code}?key={key}", ctx.address);
        let response = ctx.http.get(url).send().await.expect("lookup sent");
        if response.status() != StatusCode::OK {
            problems.push(format!("public lookup of `{code}`: {}", response.status()));
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(problems) }
}

/// The secrets among `secrets` that the log shows.
pub fn leaked<'s>(log: &str, secrets: impl IntoIterator<Item = &'s str>) -> Vec<&'s str> {
    secrets.into_iter().filter(|secret| !secret.is_empty() && log.contains(secret)).collect()
}
