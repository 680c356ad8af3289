//! Crash consistency: nothing acknowledged is lost, and no secret is logged.
//!
//! The real `motcua serve` binary runs on a database while clients submit dossiers (half of
//! them with an `Idempotency-Key`, some at the desk) and officials move them through their four
//! steps under `If-Match`. At a random moment the server is killed with SIGKILL and started
//! again on the same database; the load goes on across rounds, so what one round acknowledged
//! must survive every later crash too. After each kill, the database itself must hold every
//! acknowledged dossier (a 201) at its acknowledged version (a 200 on an action) or later, with
//! codes unique and in the regulation's format, one audit row per version and no audit row of
//! a missing dossier; after each restart, the API must show each acknowledged dossier in its
//! acknowledged state, or later (an action that committed but whose answer the crash
//! swallowed), keyed submissions left without an answer resolve to one dossier when retried,
//! and acknowledged ones replay. Finally the server's log, every line of every run, holds
//! none of the bearer tokens and none of the receipts' lookup keys.
//!
//! SQLite always; PostgreSQL in a test of its own, ignored unless run with `--include-ignored`
//! and `MOTCUA_TEST_DATABASE_URL` naming a server (a database is created for it and dropped
//! after). `MOTCUA_CRASH_ROUNDS` sets the kills per backend
//! (5), `MOTCUA_CRASH_SEED` replays the kill times and the load's choices of a printed run.
//! `cargo test --test crash -- --nocapture` shows the summary.
#![allow(clippy::expect_used, clippy::unwrap_used)]

#[path = "crash/check.rs"]
mod check;
#[path = "crash/load.rs"]
mod load;
#[path = "crash/server.rs"]
mod server;

use load::{Ctx, Ledger, Load, Rng, Tokens, http_client, lock};
use server::{Server, TestDatabase, create_token};
use std::fmt::Debug;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Kill/restart rounds per backend unless `MOTCUA_CRASH_ROUNDS` says.
const DEFAULT_ROUNDS: u32 = 5;
/// The kill comes this long into a round's load, drawn from the seed.
const KILL_AFTER_MS: std::ops::Range<u64> = 200..1500;

fn env_number<T: std::str::FromStr>(name: &str) -> Option<T> {
    std::env::var(name).ok().and_then(|value| value.trim().parse().ok())
}

/// Panics with the first problems found, the seed and the log to look at.
fn ensure<T, P: Debug>(result: Result<T, Vec<P>>, what: &str, seed: u64, db: &TestDatabase) -> T {
    result.unwrap_or_else(|problems| {
        panic!(
            "{what} on {} (seed {seed}, log in {}): {} problems, first: {:#?}",
            db.backend,
            db.dir.display(),
            problems.len(),
            &problems[..problems.len().min(20)]
        )
    })
}

/// Every 201 and every 200 on an action survives SIGKILLs of the server at random moments
/// under concurrent load, with the audit trail whole, on SQLite and (when given) PostgreSQL.
/// The rounds and the seed: from the environment, or the defaults and a new seed (printed).
fn rounds_and_seed() -> (u32, u64) {
    let rounds = env_number("MOTCUA_CRASH_ROUNDS").unwrap_or(DEFAULT_ROUNDS);
    let seed = env_number("MOTCUA_CRASH_SEED").unwrap_or_else(|| {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock");
        now.as_secs() ^ (u64::from(now.subsec_nanos()) << 20) ^ u64::from(std::process::id())
    });
    eprintln!("crash: seed {seed} (MOTCUA_CRASH_SEED={seed} replays it), {rounds} rounds");
    (rounds, seed)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_acknowledged_is_lost_across_crashes() {
    let (rounds, seed) = rounds_and_seed();
    run(TestDatabase::sqlite(), rounds, seed).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: MOTCUA_TEST_DATABASE_URL=postgres://… cargo test --test crash -- --include-ignored"]
async fn nothing_acknowledged_is_lost_across_crashes_on_postgresql() {
    let server = std::env::var("MOTCUA_TEST_DATABASE_URL").ok().filter(|url| url.starts_with("postgres"));
    let server = server.expect("needs PostgreSQL: set MOTCUA_TEST_DATABASE_URL=postgres://USER@HOST/DB (CI does)");
    let (rounds, seed) = rounds_and_seed();
    run(TestDatabase::postgres(&server).await, rounds, seed).await;
}

/// The rounds on one database, then the log check and the summary line.
async fn run(db: TestDatabase, rounds: u32, seed: u64) {
    let started = Instant::now();
    let log = db.dir.join("server.log");
    let mut server = Server::start(&db.url, &log).await;
    let url = db.url.clone();
    let tokens = tokio::task::spawn_blocking(move || Tokens {
        client: create_token(&url, "client", "Cổng dịch vụ công tỉnh", None, None),
        desk: create_token(&url, "officer", "Bộ phận một cửa", Some("G22.26.01.01"), Some("reception")),
        specialist: create_token(&url, "officer", "Chuyên viên thẩm định", Some("G22.26.01.03"), Some("specialist")),
        leader: create_token(&url, "officer", "Phó giám đốc", Some("G22.26.01.03"), Some("leader")),
        admin: create_token(&url, "admin", "Kiểm tra sau sự cố", None, None),
    })
    .await
    .expect("tokens created");
    let (tokens, ledger) = (Arc::new(tokens), Arc::new(Mutex::new(Ledger::default())));
    let serial = Arc::new(AtomicU64::new(0));
    let mut rng = Rng::new(seed);
    let connect = |address: &str| {
        Arc::new(Ctx {
            address: address.to_owned(),
            http: http_client(),
            tokens: tokens.clone(),
            ledger: ledger.clone(),
            serial: serial.clone(),
        })
    };
    let (mut moved_on, mut resolved) = (0, 0);
    for round in 1..=rounds {
        let ctx = connect(&server.address);
        let load = Load::start(&ctx, rng.next());
        let kill_after = KILL_AFTER_MS.start + rng.below(KILL_AFTER_MS.end - KILL_AFTER_MS.start);
        tokio::time::sleep(Duration::from_millis(kill_after)).await;
        server.kill();
        load.stop().await;
        ensure(take_failures(&ledger), "answers during the load", seed, &db);
        ensure(check::database(&db.url, &acknowledged(&ledger)).await, "after a kill", seed, &db);

        server = Server::start(&db.url, &log).await;
        let ctx = connect(&server.address);
        moved_on += ensure(check::api(&ctx, round == rounds).await, "after a restart", seed, &db);
        resolved += ensure(check::retry_unknown(&ctx).await, "retrying unanswered keyed submissions", seed, &db);
        ensure(check::replay_acknowledged(&ctx, 5).await, "replaying keyed submissions", seed, &db);
        ensure(check::public_lookups(&ctx, 3).await, "public lookups", seed, &db);
        ensure(take_failures(&ledger), "answers after a restart", seed, &db);
        eprintln!("crash [{}] round {round}: killed {kill_after} ms into the load", db.backend);
    }
    server.kill();
    let stored = ensure(check::database(&db.url, &acknowledged(&ledger)).await, "at the end", seed, &db);

    let text = std::fs::read_to_string(&log).expect("server log");
    let answered = text.lines().filter(|line| line.contains("\"answered\"")).count();
    assert!(answered > 0, "the server logged no request: the secret check would prove nothing");
    {
        let ledger = lock(&ledger);
        let secrets = tokens.all().into_iter().chain(ledger.dossiers.values().map(|e| e.lookup_key.as_str()));
        let leaked = check::leaked(&text, secrets);
        assert!(leaked.is_empty(), "{} secrets in the server log {}: {leaked:?}", leaked.len(), log.display());
        eprintln!(
            "crash [{}]: {rounds} rounds (SIGKILL + restart), seed {seed}: {} dossiers acknowledged \
             ({} idempotent replays, {resolved} unanswered keyed submissions resolved by retry), {} actions \
             acknowledged, {} requests without an answer, {moved_on} dossiers read past their acknowledged \
             version; stored {} dossiers, {} audit rows = their versions; losses 0; {} log lines \
             ({answered} requests), 0 secrets; {:.1} s",
            db.backend,
            ledger.dossiers.len(),
            ledger.replays,
            ledger.actions,
            ledger.unknown_outcomes,
            stored.dossiers,
            stored.audit_rows,
            text.lines().count(),
            started.elapsed().as_secs_f64(),
        );
    }
    drop(server);
    db.remove().await;
}

/// The failures the load recorded, if any.
fn take_failures(ledger: &Mutex<Ledger>) -> Result<(), Vec<String>> {
    let failures = std::mem::take(&mut lock(ledger).failures);
    if failures.is_empty() { Ok(()) } else { Err(failures) }
}

/// Each acknowledged dossier's code, last acknowledged version and state then.
fn acknowledged(ledger: &Mutex<Ledger>) -> Vec<(String, i64, String)> {
    let ledger = lock(ledger);
    let state = |entry: &load::Entry| entry.acked.state.as_str().unwrap_or_default().to_owned();
    ledger.dossiers.iter().map(|(code, entry)| (code.clone(), entry.acked.version, state(entry))).collect()
}
