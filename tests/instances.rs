//! Several `motcua serve` processes on one PostgreSQL database, as behind a load balancer:
//! (a) concurrent submissions spread over every instance get unique codes in the regulation's
//! format, numbered without gaps; (b) the same action with the same `If-Match` sent at once to
//! every instance has exactly one winner, the others get 412; (c) one instance at a time runs
//! the deadline scan, its alerts are raised once, and when it is killed another takes over
//! within a few intervals and goes on raising alerts.
//!
//! Beside it, the election alone: a leader whose lock session breaks steps down, and the lock
//! passes to another.
//!
//! Runs only when `MOTCUA_TEST_DATABASE_URL` names a PostgreSQL server (it creates fresh
//! `motcua_test_*` databases there); says why it is skipped otherwise.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use chrono::{DateTime, Duration as CalendarDuration, FixedOffset, NaiveTime, Utc};
use motcua_engine::calendar::{Calendar, VIETNAM_OFFSET};
use motcua_engine::dossier_code::DossierCode;
use motcua_server::background::leader::Election;
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Server processes sharing the database.
const INSTANCES: usize = 3;
/// Their deadline scan interval, in seconds.
const SCAN_SECS: u64 = 1;
/// Submissions in (a), and how many are in flight at once.
const SUBMISSIONS: usize = 300;
const SUBMITTERS: usize = 30;
/// Dossiers raced in (b), each in two rounds, and requests per instance in each race.
const RACED: usize = 20;
const PER_INSTANCE: usize = 2;
/// Historic overdue dossiers imported before and after the leader is killed.
const OVERDUE_BEFORE: usize = 5;
const OVERDUE_AFTER: usize = 3;
/// Longest wait allowed for a standby to take over: a few scan intervals.
/// How often each instance checks for versions published or retired elsewhere.
const CATALOGUE_REFRESH: Duration = Duration::from_millis(200);
/// How soon every instance must serve what one published or retired: two checks.
const CATALOGUE_LIMIT: Duration = Duration::from_millis(2 * 200 + 1_000);
const TAKEOVER_LIMIT: Duration = Duration::from_secs(5 * SCAN_SECS);

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A `motcua serve` process, killed when dropped.
struct Server {
    child: Child,
    address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `motcua serve` on a free port; its stderr is read on a thread (to the serving line,
/// then drained so the process never blocks on a full pipe).
fn spawn_server(database_url: &str) -> (Child, mpsc::Receiver<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args(["serve", "--bind", "127.0.0.1:0", "--database-url", database_url])
        .args(["--deadline-scan-secs", &SCAN_SECS.to_string()])
        .args(["--catalogue-refresh-ms", &CATALOGUE_REFRESH.as_millis().to_string()])
        .env("RUST_LOG", "warn")
        .current_dir(root())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("motcua serve starts");
    let stderr = child.stderr.take().expect("stderr");
    let (lines, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    (child, receiver)
}

/// Waits for the line "motcua: serving on http://HOST:PORT (…)"; the address.
fn serving_address(lines: &mpsc::Receiver<String>) -> String {
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match lines.recv_timeout(left) {
            Ok(line) => match line.strip_prefix("motcua: serving on ") {
                Some(rest) => return rest.split_whitespace().next().expect("address").to_owned(),
                None => seen.push(line),
            },
            Err(_) => break,
        }
    }
    panic!("the server did not start:\n{}", seen.join("\n"));
}

/// A bearer token, created with the command line.
fn token(database_url: &str, role: &str, agency: Option<&str>, duty: Option<&str>) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_motcua"));
    command.args(["--format", "json", "token", "create", "--role", role, "--name", role]);
    command.args(["--database-url", database_url]);
    if let Some(agency) = agency {
        command.args(["--agency", agency]);
    }
    if let Some(duty) = duty {
        command.args(["--duty", duty]);
    }
    let output = command.current_dir(root()).output().expect("motcua token runs");
    let created: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    created["token"].as_str().expect("token").to_owned()
}

/// The shipped example submission (examples/), filed for the applicant `id_number`.
fn land_change(id_number: &str) -> Value {
    let mut body: Value =
        serde_json::from_str(include_str!("../examples/land-change-submission.json")).expect("example JSON");
    body["form"]["don_dang_ky"]["nguoi_nop"]["so_dinh_danh"] = json!(id_number);
    body
}

/// A fresh database on the server named by `MOTCUA_TEST_DATABASE_URL`: its URL and name.
async fn fresh_database(server: &str) -> (String, String) {
    let nanos = Utc::now().timestamp_subsec_nanos();
    let name = format!("motcua_test_instances_{}_{nanos}", std::process::id());
    let admin = Database::connect(server).await.expect("PostgreSQL reachable");
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("database created");
    let base = server.rsplit_once('/').map_or(server, |(base, _)| base);
    (format!("{base}/{name}"), name)
}

/// The calendar `motcua serve` uses from the repository root: embedded and folder decisions.
fn server_calendar() -> Calendar {
    let mut builder = Calendar::builder();
    let mut files: Vec<_> = std::fs::read_dir(root().join("calendar/decisions"))
        .expect("decisions")
        .map(|entry| entry.expect("entry").path())
        .collect();
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("decision");
        builder = builder.decisions_yaml(&file.display().to_string(), &text).expect("decision parses");
    }
    builder.build().expect("calendar")
}

/// One line of a historic import: received at `received`, nothing done since.
fn historic(received: DateTime<FixedOffset>, n: usize) -> String {
    let mut line = land_change(&format!("0650{n:08}"));
    line["channel"] = json!("counter");
    line["received_at"] = json!(received.to_rfc3339());
    line["source_id"] = json!(format!("instances-{n}"));
    line["events"] = json!([]);
    line.to_string()
}

struct Cluster {
    client: reqwest::Client,
    servers: Vec<Server>,
    admin: String,
}

impl Cluster {
    async fn health(&self, server: &Server) -> Value {
        let response = self.client.get(format!("{}/health", server.address)).send().await.expect("health");
        response.json().await.expect("JSON")
    }

    /// The instance ids of the servers that report leading.
    async fn leaders(&self) -> Vec<String> {
        let mut leaders = Vec::new();
        for server in &self.servers {
            let health = self.health(server).await;
            if health["background"]["leader"] == true {
                leaders.push(health["background"]["instance"].as_str().expect("instance").to_owned());
            }
        }
        leaders
    }

    /// Polls until exactly one server leads; its id and how long it took.
    async fn one_leader(&self, limit: Duration) -> (String, Duration) {
        let started = Instant::now();
        loop {
            let leaders = self.leaders().await;
            assert!(leaders.len() <= 1, "two leaders at once: {leaders:?}");
            if let [leader] = leaders.as_slice() {
                return (leader.clone(), started.elapsed());
            }
            assert!(started.elapsed() < limit, "no leader after {:?}", started.elapsed());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn import(&self, server: usize, lines: &[String]) {
        let response = self
            .client
            .post(format!("{}/api/v1/import/dossiers", self.servers[server].address))
            .bearer_auth(&self.admin)
            .header("Content-Type", "application/x-ndjson")
            .body(lines.join("\n"))
            .send()
            .await
            .expect("sent");
        let report: Value = response.json().await.expect("JSON");
        assert_eq!(report["imported"], lines.len(), "{report}");
    }

    /// Every alert: (kind, dossier code) → instance that raised it.
    async fn alerts(&self) -> (usize, BTreeMap<(String, String), String>) {
        let url = format!("{}/api/v1/alerts?per_page=200", self.servers[0].address);
        let page: Value =
            self.client.get(url).bearer_auth(&self.admin).send().await.expect("sent").json().await.expect("JSON");
        let items = page["items"].as_array().expect("items");
        let alerts = items
            .iter()
            .map(|a| {
                let key = (
                    a["kind"].as_str().expect("kind").to_owned(),
                    a["dossier"]["code"].as_str().expect("code").to_owned(),
                );
                (key, a["instance"].as_str().expect("instance").to_owned())
            })
            .collect();
        (items.len(), alerts)
    }

    /// Polls until `count` alerts exist; then checks, a few scans later, that none was added.
    async fn settled_alerts(&self, count: usize) -> BTreeMap<(String, String), String> {
        let started = Instant::now();
        while self.alerts().await.0 < count {
            assert!(started.elapsed() < Duration::from_secs(20 * SCAN_SECS), "alerts: {:?}", self.alerts().await);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        tokio::time::sleep(Duration::from_secs(3 * SCAN_SECS)).await;
        let (rows, alerts) = self.alerts().await;
        assert_eq!((rows, alerts.len()), (count, count), "each raised once: {alerts:?}");
        alerts
    }

    /// Sum over the servers of one metric's value.
    async fn metric(&self, name: &str) -> u64 {
        let mut total = 0;
        for server in &self.servers {
            let url = format!("{}/metrics", server.address);
            let text = self.client.get(url).bearer_auth(&self.admin).send().await.expect("sent").text().await;
            let text = text.expect("text");
            let value = text.lines().find_map(|l| l.strip_prefix(name)?.trim().parse::<u64>().ok());
            total += value.unwrap_or_else(|| panic!("no {name} in\n{text}"));
        }
        total
    }
}

const LAND: &str = include_str!("../procedures/1.004227-dang-ky-bien-dong-thay-doi-thong-tin.yaml");

impl Cluster {
    async fn admin_send(&self, server: usize, request: reqwest::RequestBuilder) -> Value {
        let response = request.bearer_auth(&self.admin).send().await.expect("sent");
        let status = response.status();
        let body: Value = response.json().await.expect("JSON");
        assert!(status.is_success(), "server {server}: {status} {body}");
        body
    }

    fn url(&self, server: usize, path: &str) -> String {
        format!("{}{path}", self.servers[server].address)
    }

    /// Polls server `server` until `check` holds of the land procedure's catalogue entry (or
    /// its 404); how long it took.
    async fn until_catalogue(&self, server: usize, check: impl Fn(u16, &Value) -> bool) -> Duration {
        let started = Instant::now();
        loop {
            let response = self.client.get(self.url(server, "/api/v1/procedures/1.004227")).send().await.expect("sent");
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap_or_default();
            if check(status, &body) {
                return started.elapsed();
            }
            assert!(started.elapsed() < CATALOGUE_LIMIT, "server {server} still serves {status} {body}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// (d) Publish on A, submit on B, act on C; retire on A, refused on B.
async fn one_catalogue(cluster: &Cluster, portal: &str, desk: &str) {
    let (a, b, c) = (0, 1, 2);
    let version_two = LAND.replacen("\nversion: 1\n", "\nversion: 2\n", 1);
    let draft = cluster
        .client
        .put(cluster.url(a, "/api/v1/procedures/1.004227/draft"))
        .header("Content-Type", "application/yaml")
        .body(version_two);
    cluster.admin_send(a, draft).await;
    // From the same first day: version 1 is replaced, and retired.
    let published =
        cluster.admin_send(a, cluster.client.post(cluster.url(a, "/api/v1/procedures/1.004227/publish"))).await;
    assert_eq!(published["earlier_versions"][0]["status"], "retired", "{published}");
    let seen = cluster.until_catalogue(b, |status, body| status == 200 && body["version"] == 2).await;
    let mut body = land_change("066090000001");
    body.as_object_mut().expect("object").remove("channel");
    let created = cluster.client.post(cluster.url(b, "/api/v1/dossiers")).bearer_auth(portal).json(&body).send();
    let created: Value = created.await.expect("sent").json().await.expect("JSON");
    assert_eq!(created["procedure"]["version"], 2, "filed on B under A's new version: {created}");
    let code = created["code"].as_str().expect("code");
    // C acts on it at once, whether or not its own check has run yet.
    let accepted = cluster
        .client
        .post(cluster.url(c, &format!("/api/v1/dossiers/{code}/actions")))
        .bearer_auth(desk)
        .header("If-Match", "\"1\"")
        .json(&json!({"action": "accept"}))
        .send()
        .await
        .expect("sent");
    let status = accepted.status();
    assert_eq!(status, 200, "C: {}", accepted.text().await.unwrap_or_default());
    let retire_two =
        cluster.client.post(cluster.url(a, "/api/v1/procedures/1.004227/retire")).json(&json!({"version": 2}));
    cluster.admin_send(a, retire_two).await;
    let refused = cluster.until_catalogue(b, |status, _| status == 404).await;
    let again = cluster.client.post(cluster.url(b, "/api/v1/dossiers")).bearer_auth(portal).json(&body).send();
    let again = again.await.expect("sent");
    assert_eq!(again.status(), 404, "B refuses a retired procedure");
    eprintln!(
        "instances: published on A, served by B after {seen:?}; filed on B, accepted on C; retired on A, refused by B \
         after {refused:?} (checks every {CATALOGUE_REFRESH:?})"
    );
    // The land procedure in force again, for what follows.
    let version_three = LAND.replacen("\nversion: 1\n", "\nversion: 3\n", 1);
    let draft = cluster
        .client
        .put(cluster.url(a, "/api/v1/procedures/1.004227/draft"))
        .header("Content-Type", "application/yaml")
        .body(version_three);
    cluster.admin_send(a, draft).await;
    cluster.admin_send(a, cluster.client.post(cluster.url(a, "/api/v1/procedures/1.004227/publish"))).await;
    for server in 0..INSTANCES {
        cluster.until_catalogue(server, |status, body| status == 200 && body["version"] == 3).await;
    }
}

/// (a) Submissions spread over every instance; the codes.
async fn submit_everywhere(cluster: &Cluster, portal: &str) -> Vec<String> {
    let started = Instant::now();
    let addresses: Vec<String> = cluster.servers.iter().map(|s| s.address.clone()).collect();
    let mut tasks = Vec::new();
    for worker in 0..SUBMITTERS {
        let (client, addresses, portal) = (cluster.client.clone(), addresses.clone(), portal.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut codes = Vec::new();
            for i in (worker..SUBMISSIONS).step_by(SUBMITTERS) {
                let url = format!("{}/api/v1/dossiers", addresses[i % INSTANCES]);
                let body = land_change(&format!("0640{i:08}"));
                let response = client.post(url).bearer_auth(&portal).json(&body).send().await.expect("sent");
                let status = response.status().as_u16();
                let body: Value = response.json().await.expect("JSON");
                assert_eq!(status, 201, "{body}");
                codes.push((i, body["code"].as_str().expect("code").to_owned()));
            }
            codes
        }));
    }
    let mut codes = Vec::new();
    for task in tasks {
        codes.extend(task.await.expect("submitter"));
    }
    let elapsed = started.elapsed();
    codes.sort();
    let codes: Vec<String> = codes.into_iter().map(|(_, code)| code).collect();
    let unique: BTreeSet<&String> = codes.iter().collect();
    assert_eq!(unique.len(), SUBMISSIONS, "every code unique");
    // The regulation's format, `{desk}-{YYMMDD}-{sequence}`, and each day's sequence 1..=n.
    let mut by_day: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for code in &codes {
        let parsed: DossierCode = code.parse().unwrap_or_else(|e| panic!("`{code}`: {e}"));
        assert_eq!(parsed.as_str(), code);
        let (prefix, sequence) = code.rsplit_once('-').expect("sequence");
        assert!(prefix.starts_with("G22.26.01.01-") && sequence.len() >= 4, "{code}");
        by_day.entry(prefix.to_owned()).or_default().push(sequence.parse().expect("number"));
    }
    for (prefix, mut sequences) in by_day {
        sequences.sort_unstable();
        let expected: Vec<u32> = (1..=u32::try_from(sequences.len()).expect("count")).collect();
        assert_eq!(sequences, expected, "{prefix}: numbered 1..=n without gaps");
    }
    eprintln!(
        "instances: {SUBMISSIONS} submissions ({SUBMITTERS} in flight, over {INSTANCES} instances) in {elapsed:?}: \
         {} unique codes, {} … {}",
        unique.len(),
        unique.first().expect("a code"),
        unique.last().expect("a code")
    );
    codes
}

/// (b) One action with one `If-Match` sent at once to every instance, for each dossier.
async fn race(cluster: &Cluster, codes: &[String], token: &str, version: u32, action: &str) {
    let contenders = INSTANCES * PER_INSTANCE;
    let mut tasks = Vec::new();
    for code in codes {
        for j in 0..contenders {
            let client = cluster.client.clone();
            let url = format!("{}/api/v1/dossiers/{code}/actions", cluster.servers[j % INSTANCES].address);
            let (token, code, action) = (token.to_owned(), code.clone(), action.to_owned());
            tasks.push(tokio::spawn(async move {
                let response = client
                    .post(url)
                    .bearer_auth(&token)
                    .header("If-Match", format!("\"{version}\""))
                    .json(&json!({ "action": action }))
                    .send()
                    .await
                    .expect("sent");
                let status = response.status().as_u16();
                let body: Value = response.json().await.expect("JSON");
                (code, status, body["detail"].as_str().unwrap_or_default().to_owned())
            }));
        }
    }
    let mut outcomes: BTreeMap<String, Vec<u16>> = BTreeMap::new();
    let mut lost_at_update = 0;
    for task in tasks {
        let (code, status, detail) = task.await.expect("contender");
        // The handler refuses a stale If-Match it sees at once; a contender that read the row
        // before the winner committed loses at the UPDATE … WHERE row_version guard.
        if detail.contains("no longer at version") {
            lost_at_update += 1;
        }
        outcomes.entry(code).or_default().push(status);
    }
    for (code, statuses) in &outcomes {
        let won = statuses.iter().filter(|s| **s == 200).count();
        let stale = statuses.iter().filter(|s| **s == 412).count();
        assert_eq!((won, stale), (1, contenders - 1), "{code}: {statuses:?}");
    }
    eprintln!(
        "instances: round {version}: {} races × {contenders} contenders over {INSTANCES} instances: \
         1 winner and {} × 412 each ({lost_at_update} lost at the UPDATE guard, the rest at the handler's check)",
        outcomes.len(),
        contenders - 1
    );
}

/// The PostgreSQL server to test on, or why the test is skipped.
/// The PostgreSQL server to test on. The tests that need one are `#[ignore]`d, so a plain
/// `cargo test` reports them as ignored rather than passing without running; one run with
/// `--include-ignored` and no server fails.
fn postgres(test: &str) -> String {
    std::env::var("MOTCUA_TEST_DATABASE_URL").ok().filter(|url| url.starts_with("postgres")).unwrap_or_else(|| {
        panic!("{test} needs PostgreSQL: set MOTCUA_TEST_DATABASE_URL=postgres://USER@HOST/DB (CI does)")
    })
}

async fn drop_database(server: &str, name: &str) {
    let admin = Database::connect(server).await.expect("PostgreSQL reachable");
    let _ = admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
}

#[tokio::test]
async fn on_sqlite_the_one_process_always_leads() {
    assert!(Election::for_database("sqlite://motcua.db?mode=rwc", "one").hold().await, "SQLite: always the leader");
}

#[tokio::test]
#[ignore = "needs PostgreSQL: MOTCUA_TEST_DATABASE_URL=postgres://… cargo test --test instances -- --include-ignored"]
async fn a_leader_whose_lock_session_breaks_steps_down() {
    let server = postgres("a_leader_whose_lock_session_breaks_steps_down");
    let (url, name) = fresh_database(&server).await;
    let (mut a, mut b) = (Election::for_database(&url, "a"), Election::for_database(&url, "b"));
    assert!(a.hold().await, "the first to try leads");
    assert!(!b.hold().await, "the lock is taken");
    assert!(a.hold().await, "the leader keeps it");
    // The leader's session is ended under it (a network cut, an operator): it must notice and
    // step down, and the lock is free for another.
    let db = Database::connect(url.as_str()).await.expect("database");
    let ended = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE application_name = 'motcua a'",
        ))
        .await
        .expect("terminated")
        .expect("row");
    assert_eq!(ended.try_get::<i64>("", "n").expect("count"), 1);
    assert!(!a.hold().await, "a broken session is no longer leading");
    assert!(b.hold().await, "the standby takes over");
    assert!(!a.hold().await, "reconnected, the old leader is a standby");
    drop((a, b, db));
    drop_database(&server, &name).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs PostgreSQL: MOTCUA_TEST_DATABASE_URL=postgres://… cargo test --test instances -- --include-ignored"]
async fn instances_share_one_postgresql() {
    let server = postgres("instances_share_one_postgresql");
    let (url, name) = fresh_database(&server).await;
    // All at once on the empty database: one migrates and publishes, the others wait for it.
    let spawned: Vec<_> = (0..INSTANCES).map(|_| spawn_server(&url)).collect();
    let servers: Vec<Server> =
        spawned.into_iter().map(|(child, lines)| Server { address: serving_address(&lines), child }).collect();
    let admin = token(&url, "admin", None, None);
    let portal = token(&url, "client", None, None);
    let desk = token(&url, "officer", Some("G22.26.01.01"), Some("reception"));
    let specialist = token(&url, "officer", Some("G22.26.01.03"), Some("specialist"));
    let mut cluster = Cluster { client: reqwest::Client::new(), servers, admin };

    // (a) and (b).
    let codes = submit_everywhere(&cluster, &portal).await;
    race(&cluster, &codes[..RACED], &desk, 1, "accept").await;
    race(&cluster, &codes[..RACED], &desk, 2, "forward").await;
    race(&cluster, &codes[..RACED], &specialist, 3, "forward").await;
    one_catalogue(&cluster, &portal, &desk).await;

    // (c) One leader; historic dossiers past their due time and one near it get one alert each.
    let (leader, _) = cluster.one_leader(Duration::from_secs(10 * SCAN_SECS)).await;
    for _ in 0..3 {
        assert_eq!(cluster.leaders().await, std::slice::from_ref(&leader));
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let now = Utc::now().with_timezone(&VIETNAM_OFFSET);
    let month_ago =
        (now - CalendarDuration::days(30)).date_naive().and_time(NaiveTime::from_hms_opt(9, 0, 0).expect("9:00"));
    let month_ago = month_ago.and_local_timezone(VIETNAM_OFFSET).single().expect("time");
    let mut lines: Vec<String> = (0..OVERDUE_BEFORE).map(|n| historic(month_ago, n)).collect();
    // Received so that its 5 working days end half a working day from now.
    let calendar = server_calendar();
    let near_received =
        calendar.add_working_minutes(now, -(5 * calendar.working_day_minutes() - calendar.working_day_minutes() / 2));
    lines.push(historic(near_received.expect("in range"), 99));
    cluster.import(1, &lines).await;
    let alerts = cluster.settled_alerts(OVERDUE_BEFORE + 1).await;
    let kinds: Vec<&str> = alerts.keys().map(|(kind, _)| kind.as_str()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "overdue").count(), OVERDUE_BEFORE, "{alerts:?}");
    assert_eq!(kinds.iter().filter(|k| **k == "near_deadline").count(), 1, "{alerts:?}");
    assert!(alerts.values().all(|instance| *instance == leader), "raised by the leader: {alerts:?}");
    let raised = |kind: &str| format!("motcua_deadline_alerts_raised_total{{kind=\"{kind}\"}}");
    assert_eq!(cluster.metric(&raised("overdue")).await, OVERDUE_BEFORE as u64);
    assert_eq!(cluster.metric(&raised("near_deadline")).await, 1);
    assert_eq!(cluster.metric("motcua_background_leader").await, 1);

    // Kill the leader (SIGKILL: no goodbye to PostgreSQL); a standby takes over.
    let mut leading = None;
    for (i, server) in cluster.servers.iter().enumerate() {
        if cluster.health(server).await["background"]["instance"] == leader.as_str() {
            leading = Some(i);
        }
    }
    let mut dead = cluster.servers.remove(leading.expect("the leader is one of them"));
    dead.child.kill().expect("killed");
    dead.child.wait().expect("reaped");
    let (successor, takeover) = cluster.one_leader(TAKEOVER_LIMIT).await;
    assert_ne!(successor, leader);
    eprintln!("instances: leader {leader} killed; {successor} took over in {takeover:?} (scan interval {SCAN_SECS} s)");

    // Newly overdue dossiers are warned of by the new leader; the old alerts are not repeated.
    let lines: Vec<String> = (0..OVERDUE_AFTER).map(|n| historic(month_ago, 100 + n)).collect();
    cluster.import(0, &lines).await;
    let after = cluster.settled_alerts(OVERDUE_BEFORE + 1 + OVERDUE_AFTER).await;
    for (key, instance) in &after {
        let expected = alerts.get(key).unwrap_or(&successor);
        assert_eq!(instance, expected, "{key:?}");
    }
    eprintln!(
        "instances: {} alerts, each raised once: {} by the first leader, {} by its successor",
        after.len(),
        after.values().filter(|i| **i == leader).count(),
        after.values().filter(|i| **i == successor).count()
    );

    drop(cluster);
    drop_database(&server, &name).await;
}
