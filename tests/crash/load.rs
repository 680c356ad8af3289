//! The load: clients submitting dossiers, officials moving them through their steps, and the
//! ledger of everything the server acknowledged.

use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;
use tokio::task::JoinSet;

/// Tasks submitting, and tasks acting, at the same time.
const SUBMITTERS: u64 = 3;
const ACTORS: u64 = 3;
/// The linear path of 1.004227 (desk, specialist, leader, desk): version 5 is returned.
pub const FINISHED: i64 = 5;
/// Submitters wait while this many dossiers are not yet returned, so that actions keep up.
const MAX_OPEN: usize = 40;

/// xorshift64*: enough to pick kill times and actions reproducibly from a printed seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// The tokens the load uses, made with the CLI.
pub struct Tokens {
    pub client: String,
    pub desk: String,
    pub specialist: String,
    pub leader: String,
    pub admin: String,
}

impl Tokens {
    pub fn all(&self) -> [&str; 5] {
        [&self.client, &self.desk, &self.specialist, &self.leader, &self.admin]
    }

    fn submitter(&self, at_desk: bool) -> &str {
        if at_desk { &self.desk } else { &self.client }
    }
}

/// A submission: at the desk (counter channel) or through the portal, keyed or not.
#[derive(Clone)]
pub struct Submission {
    pub at_desk: bool,
    pub key: Option<String>,
    pub body: Value,
}

impl Submission {
    fn new(serial: u64, at_desk: bool, keyed: bool) -> Submission {
        let mut body: Value =
            serde_json::from_str(include_str!("../../examples/land-change-submission.json")).expect("example JSON");
        body["form"]["don_dang_ky"]["nguoi_nop"]["so_dinh_danh"] = json!(format!("064{serial:09}"));
        if at_desk {
            body["channel"] = json!("counter");
        }
        Submission { at_desk, key: keyed.then(|| format!("crash-{serial}")), body }
    }

    /// POSTs it; the status and the JSON body, or None when the outcome is unknown.
    pub async fn send(&self, ctx: &Ctx) -> Option<(StatusCode, bool, Value)> {
        let mut request = ctx
            .http
            .post(format!("{}/api/v1/dossiers", ctx.address))
            .bearer_auth(ctx.tokens.submitter(self.at_desk))
            .json(&self.body);
        if let Some(key) = &self.key {
            request = request.header("Idempotency-Key", key);
        }
        let response = request.send().await.ok()?;
        let status = response.status();
        let replayed = response.headers().contains_key("idempotent-replayed");
        Some((status, replayed, response.json().await.ok()?))
    }
}

/// What the server last acknowledged of a dossier.
#[derive(Clone, Debug, PartialEq)]
pub struct Seen {
    pub version: i64,
    pub state: Value,
    pub status_code: Value,
    pub steps: Value,
}

impl Seen {
    pub fn of(body: &Value) -> Seen {
        Seen {
            version: body["version"].as_i64().unwrap_or(0),
            state: body["state"].clone(),
            status_code: body["status_code"].clone(),
            steps: body["steps"].clone(),
        }
    }
}

/// A dossier the server acknowledged.
pub struct Entry {
    pub submission: Submission,
    pub lookup_key: String,
    /// The latest acknowledged version and what it looked like.
    pub acked: Seen,
    /// The latest version known, acknowledged or read: what `If-Match` is sent with.
    pub known: i64,
    /// Read back through the API after a restart once returned: only the database checks it
    /// again, until the last round.
    pub confirmed: bool,
}

/// Everything acknowledged, and what went wrong.
#[derive(Default)]
pub struct Ledger {
    pub dossiers: BTreeMap<String, Entry>,
    /// Codes not yet returned, for the actors to pick from.
    open: Vec<String>,
    pub actions: u64,
    pub replays: u64,
    /// Keyed submissions that got no answer: retried after the restart.
    pub unknown: Vec<Submission>,
    pub unknown_outcomes: u64,
    pub failures: Vec<String>,
}

impl Ledger {
    /// Records a 201: a new dossier, or the replay of a keyed one (the same submission).
    pub fn created(&mut self, submission: &Submission, replayed: bool, body: &Value) {
        let Some(code) = body["code"].as_str() else {
            return self.failures.push(format!("201 without a code: {body}"));
        };
        if !crate::check::is_regulation_code(code) {
            self.failures.push(format!("`{code}` is not a dossier code of the desk G22.26.01.01"));
        }
        let seen = Seen::of(body);
        if let Some(entry) = self.dossiers.get_mut(code) {
            let same = entry.submission.key.is_some()
                && entry.submission.key == submission.key
                && entry.submission.at_desk == submission.at_desk;
            if !same {
                return self.failures.push(format!("`{code}` was given to two different submissions"));
            }
            self.replays += 1;
            raise(entry, seen);
            return self.settle(code);
        }
        if replayed {
            self.replays += 1;
        }
        let lookup_key = body["lookup_key"].as_str().unwrap_or_default().to_owned();
        if lookup_key.is_empty() {
            self.failures.push(format!("`{code}`: a receipt without a lookup key"));
        }
        let entry =
            Entry { submission: submission.clone(), lookup_key, known: seen.version, acked: seen, confirmed: false };
        self.dossiers.insert(code.to_owned(), entry);
        self.open.push(code.to_owned());
    }

    /// Records a 200 on an action.
    pub fn acted(&mut self, code: &str, body: &Value) {
        self.actions += 1;
        if let Some(entry) = self.dossiers.get_mut(code) {
            raise(entry, Seen::of(body));
        }
        self.settle(code);
    }

    /// Records a version read (not acknowledged as a write of ours, but committed).
    pub fn read(&mut self, code: &str, version: i64) {
        if let Some(entry) = self.dossiers.get_mut(code) {
            entry.known = entry.known.max(version);
        }
        self.settle(code);
    }

    /// Takes a returned dossier off the actors' list.
    fn settle(&mut self, code: &str) {
        if self.dossiers.get(code).is_some_and(|entry| entry.known >= FINISHED) {
            self.open.retain(|open| open != code);
        }
    }

    /// A dossier not yet returned, its known version, and whether it came to the desk.
    fn pick(&self, rng: &mut Rng) -> Option<(String, i64, bool)> {
        let index = usize::try_from(rng.below(self.open.len() as u64)).ok()?;
        let code = self.open.get(index)?;
        let entry = &self.dossiers[code];
        Some((code.clone(), entry.known, entry.submission.at_desk))
    }
}

/// Answers may be recorded out of order (two actors on one dossier): keep the highest.
fn raise(entry: &mut Entry, seen: Seen) {
    entry.known = entry.known.max(seen.version);
    if seen.version > entry.acked.version {
        entry.acked = seen;
    }
}

/// What every task shares.
pub struct Ctx {
    pub address: String,
    pub http: reqwest::Client,
    pub tokens: Arc<Tokens>,
    pub ledger: Arc<Mutex<Ledger>>,
    /// Numbers submissions across rounds (distinct bodies and idempotency keys).
    pub serial: Arc<AtomicU64>,
}

impl Ctx {
    pub fn ledger(&self) -> MutexGuard<'_, Ledger> {
        lock(&self.ledger)
    }
}

/// The ledger, even if a task panicked holding it (the panic is reported on its own).
pub fn lock(ledger: &Mutex<Ledger>) -> MutexGuard<'_, Ledger> {
    ledger.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A client that gives up on a hung request rather than hang the test.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(30)).build().expect("HTTP client")
}

/// The running load tasks.
pub struct Load {
    stop: Arc<AtomicBool>,
    tasks: JoinSet<()>,
}

impl Load {
    pub fn start(ctx: &Arc<Ctx>, seed: u64) -> Load {
        let stop = Arc::new(AtomicBool::new(false));
        let mut tasks = JoinSet::new();
        for i in 0..SUBMITTERS + ACTORS {
            let (ctx, stop) = (ctx.clone(), stop.clone());
            let rng = Rng::new(seed ^ (i + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
            if i < SUBMITTERS {
                tasks.spawn(submitter(ctx, stop, rng));
            } else {
                tasks.spawn(actor(ctx, stop, rng));
            }
        }
        Load { stop, tasks }
    }

    /// Stops the tasks after their current request (which fails fast once the server is dead).
    pub async fn stop(mut self) {
        self.stop.store(true, Ordering::SeqCst);
        while let Some(result) = self.tasks.join_next().await {
            result.expect("a load task panicked");
        }
    }
}

async fn submitter(ctx: Arc<Ctx>, stop: Arc<AtomicBool>, mut rng: Rng) {
    while !stop.load(Ordering::SeqCst) {
        if ctx.ledger().open.len() >= MAX_OPEN {
            tokio::time::sleep(Duration::from_millis(5)).await;
            continue;
        }
        let serial = ctx.serial.fetch_add(1, Ordering::SeqCst);
        let submission = Submission::new(serial, rng.below(4) == 0, rng.below(2) == 0);
        let answer = submission.send(&ctx).await;
        let mut ledger = ctx.ledger();
        match answer {
            Some((StatusCode::CREATED, replayed, body)) => ledger.created(&submission, replayed, &body),
            Some((status, _, body)) => ledger.failures.push(format!("submission answered {status}: {body}")),
            None => {
                ledger.unknown_outcomes += 1;
                if submission.key.is_some() {
                    ledger.unknown.push(submission);
                }
            }
        }
    }
}

/// The next action on the linear path, by the version it applies to, and who takes it. A
/// dossier from the portal is first accepted by the desk; one filed at the desk is received.
fn next_action(tokens: &Tokens, version: i64, at_desk: bool) -> Option<(&str, Value)> {
    let step = if at_desk { version } else { version - 1 };
    match step {
        0 => Some((&tokens.desk, json!({"action": "accept"}))),
        1 => Some((&tokens.desk, json!({"action": "forward"}))),
        2 => Some((&tokens.specialist, json!({"action": "forward"}))),
        3 => Some((&tokens.leader, json!({"action": "decide", "approved": true}))),
        4 => Some((
            &tokens.desk,
            json!({"action": "return_result", "channel": if at_desk { "counter" } else { "online" }}),
        )),
        _ => None,
    }
}

async fn actor(ctx: Arc<Ctx>, stop: Arc<AtomicBool>, mut rng: Rng) {
    while !stop.load(Ordering::SeqCst) {
        let picked = ctx.ledger().pick(&mut rng);
        let Some((code, version, at_desk)) = picked else {
            tokio::time::sleep(Duration::from_millis(5)).await;
            continue;
        };
        let Some((token, action)) = next_action(&ctx.tokens, version, at_desk) else { continue };
        let sent = ctx
            .http
            .post(format!("{}/api/v1/dossiers/{code}/actions", ctx.address))
            .bearer_auth(token)
            .header("If-Match", format!("\"{version}\""))
            .json(&action)
            .send()
            .await;
        let Ok(response) = sent else {
            ctx.ledger().unknown_outcomes += 1;
            continue;
        };
        let status = response.status();
        let etag = response.headers().get("etag").and_then(|v| v.to_str().ok()).map(str::to_owned);
        let Ok(body) = response.json::<Value>().await else {
            ctx.ledger().unknown_outcomes += 1;
            continue;
        };
        match status {
            StatusCode::OK => {
                let mut ledger = ctx.ledger();
                if etag != Some(format!("\"{}\"", body["version"])) || body["version"] != json!(version + 1) {
                    ledger.failures.push(format!("`{code}`: 200 at version {version} with ETag {etag:?}: {body}"));
                }
                ledger.acted(&code, &body);
            }
            // Another actor, or an action whose answer the crash swallowed, came first: read on.
            StatusCode::PRECONDITION_FAILED => {
                if let Some(read) = get(&ctx, &code).await {
                    ctx.ledger().read(&code, read["version"].as_i64().unwrap_or(0));
                }
            }
            _ => ctx.ledger().failures.push(format!("`{code}` {action} at {version}: {status} {body}")),
        }
    }
}

/// The dossier as an admin reads it, None on a connection error or a status other than 200.
pub async fn get(ctx: &Ctx, code: &str) -> Option<Value> {
    let response = ctx
        .http
        .get(format!("{}/api/v1/dossiers/{code}", ctx.address))
        .bearer_auth(&ctx.tokens.admin)
        .send()
        .await
        .ok()?;
    if response.status() != StatusCode::OK {
        return None;
    }
    response.json().await.ok()
}
