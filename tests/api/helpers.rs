//! Spawning the app against a fresh database.

use chrono::DateTime;
use motcua_engine::calendar::Calendar;
use motcua_server::auth::{NewToken, create_token};
use motcua_server::clock::ManualClock;
use motcua_server::{Application, Settings};
use sea_orm::{ConnectionTrait, Database};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

/// A running server, a client for it, and its database.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub database_url: String,
    pub clock: ManualClock,
}

impl TestApp {
    /// A new bearer token.
    pub async fn token(&self, role: &str, name: &str, agency: Option<&str>, duty: Option<&str>) -> String {
        let db = motcua_server::db::connect(&self.database_url).await.expect("database");
        let new = NewToken {
            name: name.to_owned(),
            role: role.parse().expect("role"),
            agency: agency.map(|a| a.parse().expect("agency")),
            duty: duty.map(|d| d.parse().expect("duty")),
            channels: Vec::new(),
            expires_at: None,
        };
        create_token(&db, new).await.expect("token created")
    }

    /// A client token filing by `channels` (`online`, `postal`).
    pub async fn client_token(&self, name: &str, channels: &[&str]) -> String {
        let db = motcua_server::db::connect(&self.database_url).await.expect("database");
        let new = NewToken {
            name: name.to_owned(),
            role: motcua_server::auth::ApiRole::Client,
            agency: None,
            duty: None,
            channels: channels.iter().map(|c| c.parse().expect("channel")).collect(),
            expires_at: None,
        };
        create_token(&db, new).await.expect("token created")
    }

    /// GET with a bearer token.
    pub async fn get_as(&self, path: &str, token: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.address)).bearer_auth(token).send().await.expect("request sent")
    }

    /// GET with a bearer token, the JSON body.
    pub async fn json_as(&self, path: &str, token: &str) -> serde_json::Value {
        self.get_as(path, token).await.json().await.expect("JSON body")
    }

    /// An action on dossier `code` at `version` (its ETag) as `token`.
    pub async fn act(&self, token: &str, code: &str, version: u32, action: &serde_json::Value) -> reqwest::Response {
        self.client
            .post(format!("{}/api/v1/dossiers/{code}/actions", self.address))
            .bearer_auth(token)
            .header("If-Match", format!("\"{version}\""))
            .json(action)
            .send()
            .await
            .expect("sent")
    }

    /// A draft of procedure `code` uploaded as `token`.
    pub async fn put_draft(&self, token: &str, code: &str, yaml: &str) -> reqwest::Response {
        self.client
            .put(format!("{}/api/v1/procedures/{code}/draft", self.address))
            .bearer_auth(token)
            .header("Content-Type", "application/yaml")
            .body(yaml.to_owned())
            .send()
            .await
            .expect("sent")
    }

    /// NDJSON lines imported as `token`.
    pub async fn import(&self, token: &str, lines: String) -> reqwest::Response {
        self.client
            .post(format!("{}/api/v1/import/dossiers", self.address))
            .bearer_auth(token)
            .header("Content-Type", "application/x-ndjson")
            .body(lines)
            .send()
            .await
            .expect("sent")
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.address)).send().await.expect("request sent")
    }
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique_name() -> String {
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    format!("motcua_test_{}_{}_{nanos}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// A URL of a database nobody else uses: a new PostgreSQL database on the server named by
/// `MOTCUA_TEST_DATABASE_URL`, or a new SQLite file.
async fn fresh_database() -> String {
    let name = unique_name();
    match std::env::var("MOTCUA_TEST_DATABASE_URL") {
        Ok(server) if !server.is_empty() => {
            let admin = Database::connect(&server).await.expect("PostgreSQL reachable");
            admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("database created");
            let base = server.rsplit_once('/').map_or(server.as_str(), |(base, _)| base);
            format!("{base}/{name}")
        }
        _ => {
            let file = std::env::temp_dir().join(format!("{name}.db"));
            format!("sqlite://{}?mode=rwc", file.display())
        }
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_on(fresh_database().await).await
}

/// Whether the tests run on PostgreSQL.
pub fn on_postgres() -> bool {
    std::env::var("MOTCUA_TEST_DATABASE_URL").is_ok_and(|url| !url.is_empty())
}

/// The app on a fresh database with settings changed by `configure` (e.g. a quick deadline
/// scan).
pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    spawn_configured(fresh_database().await, configure).await
}

/// The app on an existing database (a restored backup, a restart).
pub async fn spawn_app_on(database_url: String) -> TestApp {
    spawn_configured(database_url, |_| {}).await
}

/// The app on an existing database, with settings changed by `configure` (a second instance).
pub async fn spawn_app_on_with(database_url: String, configure: impl FnOnce(&mut Settings)) -> TestApp {
    spawn_configured(database_url, configure).await
}

/// The folder a test app keeps its files in.
pub fn test_files_folder(database_url: &str) -> String {
    let name = database_url.rsplit('/').next().unwrap_or("motcua").split(['?', '.']).next().unwrap_or("motcua");
    std::env::temp_dir().join(format!("{name}-files")).display().to_string()
}

async fn spawn_configured(database_url: String, configure: impl FnOnce(&mut Settings)) -> TestApp {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Monday 2 March 2026, 08:00 in Hà Nội: tests move it to make dossiers late.
    let clock = ManualClock::new(DateTime::parse_from_rfc3339("2026-03-02T08:00:00+07:00").expect("time"));
    let mut settings = Settings {
        bind: "127.0.0.1:0".to_owned(),
        database_url: database_url.clone(),
        procedures_dir: root.join("procedures"),
        schemas_dir: root.join("schemas"),
        agencies_dir: root.join("agencies"),
        calendar: Calendar::vietnam().expect("calendar"),
        clock: Arc::new(clock.clone()),
        // Every request asks the database, so a revocation shows at once.
        token_cache_ttl: std::time::Duration::ZERO,
        // Files beside the database: a SQLite file's own folder, or one per PostgreSQL
        // database (shared by the instances of a test, as a store would be).
        files_url: Some(test_files_folder(&database_url)),
        ..Settings::with_calendar(Calendar::vietnam().expect("calendar"))
    };
    configure(&mut settings);
    let app = Application::build(settings).await.expect("the app starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    // Idle connections are dropped before the server's keep-alive (5 s) closes them, so a
    // request never goes out on a connection the server is closing at that moment.
    let client =
        reqwest::Client::builder().pool_idle_timeout(std::time::Duration::from_secs(2)).build().expect("HTTP client");
    TestApp { address, client, database_url, clock }
}
