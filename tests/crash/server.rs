//! The real `motcua` binary: its database, its tokens (made with the CLI), and `serve` started,
//! killed with SIGKILL and started again on the same database.

use sea_orm::{ConnectionTrait, Database};
use serde_json::Value;
use std::fs::OpenOptions;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BINARY: &str = env!("CARGO_BIN_EXE_motcua");
/// The repository root: `serve` reads procedures/, schemas/ and calendar/ from its cwd.
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// The line `serve` prints once it listens: `motcua: serving on http://HOST:PORT (URL)`.
const SERVING: &str = "motcua: serving on http://";

/// A database nobody else uses, and a folder for the server's log (and the SQLite file).
pub struct TestDatabase {
    /// `sqlite` or `postgres`.
    pub backend: &'static str,
    /// What `--database-url` is given.
    pub url: String,
    /// Holds the server's log, and the SQLite file.
    pub dir: PathBuf,
    /// The PostgreSQL server's URL and the database's name, to drop it after.
    postgres: Option<(String, String)>,
}

/// `motcua_test_*`, so that .ci/run drops a PostgreSQL database a failed run left behind.
fn unique_name() -> String {
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    format!("motcua_test_crash_{}_{nanos}", std::process::id())
}

impl TestDatabase {
    /// A new SQLite file in a new temporary folder.
    pub fn sqlite() -> TestDatabase {
        let dir = std::env::temp_dir().join(unique_name());
        std::fs::create_dir_all(&dir).expect("temporary folder");
        let url = format!("sqlite://{}?mode=rwc", dir.join("motcua.db").display());
        TestDatabase { backend: "sqlite", url, dir, postgres: None }
    }

    /// A new database on the PostgreSQL server at `server`.
    pub async fn postgres(server: &str) -> TestDatabase {
        let name = unique_name();
        let admin = Database::connect(server).await.expect("PostgreSQL reachable");
        admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("database created");
        admin.close().await.expect("closed");
        let base = server.rsplit_once('/').map_or(server, |(base, _)| base);
        let dir = std::env::temp_dir().join(&name);
        std::fs::create_dir_all(&dir).expect("temporary folder");
        TestDatabase {
            backend: "postgres",
            url: format!("{base}/{name}"),
            dir,
            postgres: Some((server.to_owned(), name)),
        }
    }

    /// Drops the database and removes the folder (kept when the test fails, to look at).
    pub async fn remove(self) {
        if let Some((server, name)) = &self.postgres {
            let admin = Database::connect(server.as_str()).await.expect("PostgreSQL reachable");
            // FORCE: the killed server's sessions may not all be gone yet.
            admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.expect("dropped");
            admin.close().await.expect("closed");
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A new bearer token, from `motcua token create` (printed once on stdout).
pub fn create_token(url: &str, role: &str, name: &str, agency: Option<&str>, duty: Option<&str>) -> String {
    let mut args = vec!["--format", "json", "token", "create", "--role", role, "--name", name, "--database-url", url];
    args.extend(agency.iter().flat_map(|agency| ["--agency", agency]));
    args.extend(duty.iter().flat_map(|duty| ["--duty", duty]));
    let output = Command::new(BINARY)
        .args(&args)
        .current_dir(ROOT)
        .env_remove("MOTCUA_DATABASE_URL")
        .output()
        .expect("the motcua binary runs");
    assert!(output.status.success(), "token create: {}", String::from_utf8_lossy(&output.stderr));
    let created: Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    created["token"].as_str().expect("a token").to_owned()
}

/// A running `motcua serve`; killed when dropped, so a failing test leaves no server behind.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub address: String,
}

impl Server {
    /// Starts `serve` on port 0 with its stdout and stderr appended to `log`, and waits for the
    /// line giving the port.
    pub async fn start(url: &str, log: &Path) -> Server {
        let offset = std::fs::metadata(log).map_or(0, |m| m.len());
        let file = OpenOptions::new().create(true).append(true).open(log).expect("log file");
        let child = Command::new(BINARY)
            .args(["serve", "--bind", "127.0.0.1:0", "--database-url", url])
            .current_dir(ROOT)
            .env("RUST_LOG", "info")
            .env_remove("MOTCUA_DATABASE_URL")
            .stdin(Stdio::null())
            .stdout(file.try_clone().expect("log file"))
            .stderr(file)
            .spawn()
            .expect("the server starts");
        let mut server = Server { child, address: String::new() };
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut reader = std::fs::File::open(log).expect("log readable");
        reader.seek(SeekFrom::Start(offset)).expect("log seekable");
        let mut bytes = Vec::new();
        loop {
            reader.read_to_end(&mut bytes).expect("log readable");
            let text = String::from_utf8_lossy(&bytes);
            if let Some(port) = serving_port(&text) {
                server.address = format!("http://127.0.0.1:{port}");
                return server;
            }
            if let Some(status) = server.child.try_wait().expect("child status") {
                panic!("the server exited ({status}) before serving:\n{text}");
            }
            assert!(Instant::now() < deadline, "the server did not start within 60 s:\n{text}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// SIGKILL (what `Child::kill` sends on Unix): no shutdown, no flush, no goodbye.
    pub fn kill(&mut self) {
        self.child.kill().expect("killed");
        self.child.wait().expect("reaped");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The port in `motcua: serving on http://HOST:PORT (…)`.
fn serving_port(log: &str) -> Option<u16> {
    let line = log.lines().find_map(|line| line.strip_prefix(SERVING))?;
    let authority = line.split_whitespace().next()?;
    authority.rsplit_once(':')?.1.parse().ok()
}

#[test]
fn the_serving_line_gives_the_port() {
    let log = "{\"level\":\"INFO\"}\nmotcua: serving on http://127.0.0.1:40123 (sqlite://x.db?mode=rwc)\n";
    assert_eq!(serving_port(log), Some(40123));
    assert_eq!(serving_port("motcua: serving on http://[::1]:8080 (x)"), Some(8080));
    assert_eq!(serving_port("starting"), None);
}
