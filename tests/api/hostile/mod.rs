//! A corpus of hostile input over the HTTP API, generated in code: malformed and truncated
//! JSON, wrong content types, bodies over the limit, deeply nested JSON and YAML, invalid
//! UTF-8, huge strings, unknown fields, wrong types, duplicate keys, injection-looking strings
//! in every text field, path parameters with traversal and odd characters, odd query strings.
//!
//! Every case states what it expects. Errors must be 4xx `application/problem+json` with a
//! non-empty `code` (and the body's `status` equal to the HTTP status); no case may get a 5xx
//! or no answer. Where the input is in fact valid (an injection-looking applicant name is
//! acceptable text) the documented success code is expected, and then the dossier must hold
//! the text verbatim and its printable receipt must show it escaped. At the end the number of
//! stored dossiers must equal the number of cases expected to be accepted, the draft must not
//! exist and the dossier the actions were aimed at must not have moved.
//!
//! The corpus is in sections, each a test of its own on a fresh server (`cargo test hostile::`
//! runs them all, `cargo test hostile::imports` one): submissions, actions (with reception and
//! the applicant's answers), definitions (drafts and owners), imports, and requests (path
//! parameters and query strings). Limits are the server's own constants, not copies.
//!
//! Every mismatch is collected and reported together. Cases marked `// Was (fixed):` record a
//! server bug this corpus found, and assert the behaviour that fixed it. `HOSTILE_TRACE=1` (with `--nocapture`)
//! prints each case before it is sent, to find one that brings the server down.

mod actions;
mod definitions;
mod imports;
mod requests;
mod submissions;

use crate::dossiers::land_change;
use crate::helpers::{TestApp, spawn_app};
use reqwest::{Method, RequestBuilder};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const LAND: &str = include_str!("../../../procedures/1.004227-dang-ky-bien-dong-thay-doi-thong-tin.yaml");
/// The JSON body limit of the API.
const JSON_LIMIT: usize = motcua_server::routes::MAX_JSON_BODY;
/// The import body limit.
const IMPORT_LIMIT: usize = motcua_server::routes::import::MAX_IMPORT_BODY;
/// No single request may take longer: a YAML bomb or a runaway rule must be cut short.
const TIMEOUT: Duration = Duration::from_secs(30);
/// Placeholder replaced by a lone surrogate escape (`\ud800`) once the JSON is serialised:
/// a Rust string cannot hold one.
const SURROGATE: &str = "@@LONE_SURROGATE@@";

/// What a case expects.
#[derive(Clone, Copy, Debug)]
enum Expect {
    /// Any 4xx problem+json with a non-empty code.
    Refused,
    /// A problem with exactly this status and code.
    Problem(u16, &'static str),
    /// 201: the dossier is stored; it is checked verbatim and its receipt escaped afterwards.
    Created,
    /// 200.
    Ok,
    /// 200 with `total` 0: a filter that matches nothing (SQL text is data, not SQL).
    Empty,
}

/// Hostile strings put in turn into every text field.
fn hostile_strings() -> Vec<(&'static str, String)> {
    vec![
        ("sql", "Robert'); DROP TABLE dossiers; -- ' OR 1=1 --".to_owned()),
        ("script", "<script>alert(1)</script>".to_owned()),
        ("template", "{{7*7}}".to_owned()),
        ("jndi", "${jndi:ldap://x}".to_owned()),
        ("traversal", "../../etc/passwd".to_owned()),
        ("nul", "Nguyễn\u{0}Văn An".to_owned()),
        ("1 MB", "a".repeat(1 << 20)),
        ("rtl override", "\u{202E}nA nǎV nễyugN\u{202C}".to_owned()),
        ("lone surrogate", format!("Nguy{SURROGATE}n")),
    ]
}

/// Values of the wrong type put in turn into every field.
fn wrong_types() -> Vec<(&'static str, Value)> {
    vec![
        ("number", json!(1.5)),
        ("array", json!(["x"])),
        ("object", json!({"x": 1})),
        ("null", Value::Null),
        ("bool", json!(true)),
    ]
}

/// A valid submission with every applicant field filled.
fn valid() -> Value {
    let mut body = land_change("064090001234");
    body["applicant"]["id_number"] = json!("064090001234");
    body["applicant"]["email"] = json!("an@example.vn");
    body
}

/// How the server must treat a string field.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Field {
    /// The procedure code: an unknown one is 404.
    Procedure,
    /// An enumeration parsed by serde: 400.
    Enum,
    /// Applicant text, 1 to 200 characters of free text (`Submission::check`).
    Applicant,
    /// A form field of free text within the schema's lengths.
    FormText,
    /// A form field with an enum, a pattern or a format, or a document id: 422.
    Constrained,
}

const TEXT_FIELDS: [(&str, Field); 17] = [
    ("/procedure", Field::Procedure),
    ("/channel", Field::Enum),
    ("/applicant/name", Field::Applicant),
    ("/applicant/id_number", Field::Applicant),
    ("/applicant/phone", Field::Applicant),
    ("/applicant/email", Field::Applicant),
    ("/form/don_dang_ky/doi_tuong", Field::Constrained),
    ("/form/don_dang_ky/loai_thay_doi", Field::Constrained),
    ("/form/don_dang_ky/nguoi_nop/ho_ten", Field::FormText),
    ("/form/don_dang_ky/nguoi_nop/ngay_sinh", Field::Constrained),
    ("/form/don_dang_ky/nguoi_nop/so_dinh_danh", Field::Constrained),
    ("/form/don_dang_ky/thua_dat/dia_chi", Field::FormText),
    ("/form/don_dang_ky/thua_dat/so_giay_chung_nhan", Field::Constrained),
    ("/form/don_dang_ky/noi_dung_thay_doi", Field::FormText),
    ("/documents/0", Field::Constrained),
    ("/documents/1", Field::Constrained),
    ("/documents/2", Field::Constrained),
];

/// Every field of the valid submission, containers included, for the wrong-type cases.
const ALL_FIELDS: [&str; 25] = [
    "/procedure",
    "/channel",
    "/form",
    "/documents",
    "/applicant",
    "/applicant/name",
    "/applicant/id_number",
    "/applicant/phone",
    "/applicant/email",
    "/form/don_dang_ky",
    "/form/don_dang_ky/doi_tuong",
    "/form/don_dang_ky/loai_thay_doi",
    "/form/don_dang_ky/nguoi_nop",
    "/form/don_dang_ky/nguoi_nop/ho_ten",
    "/form/don_dang_ky/nguoi_nop/ngay_sinh",
    "/form/don_dang_ky/nguoi_nop/so_dinh_danh",
    "/form/don_dang_ky/thua_dat",
    "/form/don_dang_ky/thua_dat/so_thua",
    "/form/don_dang_ky/thua_dat/to_ban_do",
    "/form/don_dang_ky/thua_dat/dia_chi",
    "/form/don_dang_ky/thua_dat/so_giay_chung_nhan",
    "/form/don_dang_ky/noi_dung_thay_doi",
    "/documents/0",
    "/documents/1",
    "/documents/2",
];

/// What a hostile string in a text field must get.
fn text_expect(field: Field, payload: &str) -> Expect {
    match payload {
        "1 MB" => return Expect::Problem(413, "payload_too_large"),
        // No text of a dossier holds a NUL (PostgreSQL cannot store one): refused as a body
        // error wherever it appears, before the procedure is even looked up.
        "nul" => return Expect::Problem(400, "invalid_body"),
        // serde_json refuses a lone surrogate escape: it is no Unicode text.
        "lone surrogate" => return Expect::Problem(400, "invalid_body"),
        _ => {}
    }
    match field {
        Field::Procedure => Expect::Problem(404, "not_found"),
        Field::Enum => Expect::Problem(400, "invalid_body"),
        // SQL-, template-, JNDI-, path- and script-looking text, and bidirectional override
        // characters, are acceptable text within the lengths: stored verbatim (checked below)
        // and printed escaped on the receipt. Refusing them would refuse real names.
        Field::Applicant | Field::FormText => Expect::Created,
        Field::Constrained => Expect::Problem(422, "submission_refused"),
    }
}

/// What a value of the wrong type in a field must get.
fn wrong_type_expect(path: &str, kind: &str, value: &Value) -> Expect {
    let optional = ["/applicant/id_number", "/applicant/phone", "/applicant/email"];
    if optional.contains(&path) && value.is_null() {
        // An optional applicant field given as null is the field left out: valid.
        return Expect::Created;
    }
    if path == "/channel" && value.is_null() {
        // No channel claimed: the token's one channel is the dossier's.
        return Expect::Created;
    }
    if path == "/documents" && kind == "array" {
        // A list of one unknown document id: a submission the engine refuses.
        return Expect::Problem(422, "submission_refused");
    }
    // Was (array in /applicant) (fixed): serde's derived `Deserialize` also takes a struct as a
    // sequence of its fields in order, so `"applicant": ["x"]` is read as `{"name": "x"}` and
    // the dossier stored (201); `deny_unknown_fields` does not stop it.
    if path.starts_with("/form") {
        // `form` is free JSON validated against each form's schema: reasons, 422.
        return Expect::Problem(422, "submission_refused");
    }
    Expect::Problem(400, "invalid_body")
}

/// Serialises a JSON value, turning the surrogate placeholder into a lone `\ud800` escape.
fn raw(value: &Value) -> Vec<u8> {
    value.to_string().replace(SURROGATE, "\\ud800").into_bytes()
}

/// `depth` nested arrays around `inner`.
fn nested_arrays(depth: usize, inner: &str) -> String {
    format!("{}{inner}{}", "[".repeat(depth), "]".repeat(depth))
}

/// `depth` nested objects `{"a": …}` around `inner`.
fn nested_objects(depth: usize, inner: &str) -> String {
    format!("{}{inner}{}", "{\"a\":".repeat(depth), "}".repeat(depth))
}

/// Placeholder for raw bytes spliced into serialised JSON.
const SPLICE: &str = "@@SPLICE@@";

/// `value` serialised with the value at `pointer` (set, or added to its parent object)
/// replaced by raw bytes: invalid UTF-8, nesting serde_json would not build.
fn splice(value: &Value, pointer: &str, bytes: &[u8]) -> Vec<u8> {
    let mut value = value.clone();
    match value.pointer_mut(pointer) {
        Some(slot) => *slot = json!(SPLICE),
        None => {
            let (parent, key) = pointer.rsplit_once('/').expect("pointer");
            value.pointer_mut(parent).expect("parent")[key] = json!(SPLICE);
        }
    }
    let text = value.to_string();
    let quoted = format!("\"{SPLICE}\"");
    let at = text.find(&quoted).expect("placeholder");
    [&text.as_bytes()[..at], bytes, &text.as_bytes()[at + quoted.len()..]].concat()
}

/// HTML escaping as the receipt does it.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// `page` with the numeric spellings of the escaped characters made the named ones (`&#60;` is
/// `&lt;`), so that [`escaped`] text is found whichever the page uses.
fn entities_as_escaped(page: &str) -> String {
    [("&#60;", "&lt;"), ("&#62;", "&gt;"), ("&#38;", "&amp;"), ("&#34;", "&quot;"), ("&#x27;", "&#39;")]
        .iter()
        .fold(page.to_owned(), |page, (numeric, named)| page.replace(numeric, named))
}

/// A stored dossier, to check verbatim and escaped afterwards.
struct Stored {
    label: String,
    code: String,
    sent: Option<Value>,
}

struct Corpus<'a> {
    app: &'a TestApp,
    /// A client that opens a connection per case: a case never inherits the connection an
    /// earlier one left (the server closes one whose oversized body it did not read, and a
    /// pooled connection reused at that moment is reset).
    http: reqwest::Client,
    admin: String,
    client: String,
    desk: String,
    /// Cases run.
    cases: usize,
    /// HTTP requests sent, checks included.
    requests: usize,
    /// Dossiers the cases expect to be stored.
    expected_stored: usize,
    stored: Vec<Stored>,
    failures: Vec<String>,
}

impl Corpus<'_> {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.app.address)
    }

    fn request(&self, method: Method, path: &str, token: &str) -> RequestBuilder {
        self.http.request(method, self.url(path)).bearer_auth(token)
    }

    fn fail(&mut self, label: &str, what: String) {
        self.failures.push(format!("{label}: {what}"));
    }

    /// Sends one case and judges the answer against `expect`; the JSON body, if any.
    async fn run(&mut self, label: &str, request: RequestBuilder, expect: Expect) -> Option<Value> {
        self.cases += 1;
        self.requests += 1;
        if std::env::var_os("HOSTILE_TRACE").is_some() {
            eprintln!("case {}: {label}", self.cases);
        }
        if matches!(expect, Expect::Created) {
            self.expected_stored += 1;
        }
        let response = match request.timeout(TIMEOUT).send().await {
            Ok(response) => response,
            Err(error) => {
                self.fail(label, format!("expected {expect:?}, got no answer: {error:?}"));
                return None;
            }
        };
        let status = response.status().as_u16();
        let kind = response
            .headers()
            .get("content-type")
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .unwrap_or_default();
        let bytes = match response.bytes().await {
            Ok(bytes) => bytes,
            Err(error) => {
                self.fail(label, format!("expected {expect:?}, got {status} with an unreadable body: {error}"));
                return None;
            }
        };
        let body: Option<Value> = serde_json::from_slice(&bytes).ok();
        let shown: String = String::from_utf8_lossy(&bytes).chars().take(400).collect();
        if status >= 500 {
            self.fail(label, format!("expected {expect:?}, got {status} {kind}: {shown}"));
            return body;
        }
        let code = body.as_ref().and_then(|b| b["code"].as_str()).unwrap_or_default().to_owned();
        let problem_ok = (400..500).contains(&status)
            && kind.starts_with("application/problem+json")
            && !code.is_empty()
            && body.as_ref().and_then(|b| b["status"].as_u64()) == Some(u64::from(status));
        let total = body.as_ref().and_then(|b| b["total"].as_u64());
        let good = match expect {
            Expect::Refused => problem_ok,
            Expect::Problem(s, c) => problem_ok && status == s && code == c,
            Expect::Created => status == 201 && body.as_ref().is_some_and(|b| b["code"].is_string()),
            Expect::Ok => status == 200,
            Expect::Empty => status == 200 && total == Some(0),
        };
        if !good {
            self.fail(label, format!("expected {expect:?}, got {status} {kind}: {shown}"));
        }
        body
    }

    /// A submission of raw bytes with a content type (none if `None`), as the client.
    async fn submit_raw(&mut self, label: &str, bytes: Vec<u8>, kind: Option<&str>, expect: Expect) {
        let mut request = self.request(Method::POST, "/api/v1/dossiers", &self.client.clone()).body(bytes.clone());
        if let Some(kind) = kind {
            request = request.header("Content-Type", kind);
        }
        let label = format!("POST /api/v1/dossiers [{label}]");
        let body = self.run(&label, request, expect).await;
        if let Some(code) = body.as_ref().filter(|b| b.get("lookup_key").is_some()).and_then(|b| b["code"].as_str()) {
            let sent = serde_json::from_slice(&bytes).ok();
            self.stored.push(Stored { label, code: code.to_owned(), sent });
        }
    }

    async fn submit_json(&mut self, label: &str, bytes: Vec<u8>, expect: Expect) {
        self.submit_raw(label, bytes, Some("application/json"), expect).await;
    }

    /// An action on a dossier as the desk officer, with `If-Match`.
    async fn act_raw(
        &mut self,
        label: &str,
        code: &str,
        if_match: &str,
        bytes: Vec<u8>,
        kind: Option<&str>,
        expect: Expect,
    ) {
        let path = format!("/api/v1/dossiers/{code}/actions");
        let mut request =
            self.request(Method::POST, &path, &self.desk.clone()).header("If-Match", if_match).body(bytes);
        if let Some(kind) = kind {
            request = request.header("Content-Type", kind);
        }
        self.run(&format!("POST …/actions [{label}]"), request, expect).await;
    }

    async fn put_draft(&mut self, label: &str, path_code: &str, body: Vec<u8>, kind: Option<&str>, expect: Expect) {
        let path = format!("/api/v1/procedures/{path_code}/draft");
        let mut request = self.request(Method::PUT, &path, &self.admin.clone()).body(body);
        if let Some(kind) = kind {
            request = request.header("Content-Type", kind);
        }
        self.run(&format!("PUT …/draft [{label}]"), request, expect).await;
    }

    /// A fresh dossier received at the desk, in processing at version 1 (a case expected to be
    /// stored).
    async fn fresh_dossier(&mut self, label: &str) -> String {
        let mut body = valid();
        body["channel"] = json!("counter");
        let bytes = raw(&body);
        let request = self
            .request(Method::POST, "/api/v1/dossiers", &self.desk.clone())
            .header("Content-Type", "application/json")
            .body(bytes.clone());
        let label = format!("POST /api/v1/dossiers [{label}]");
        let created = self.run(&label, request, Expect::Created).await;
        let code = created.as_ref().and_then(|b| b["code"].as_str()).expect("a fresh dossier is stored").to_owned();
        self.stored.push(Stored { label, code: code.clone(), sent: serde_json::from_slice(&bytes).ok() });
        code
    }

    /// A checking GET (counted as a request, not a case).
    async fn check_get(&mut self, path: &str, token: &str) -> (u16, String, Vec<u8>) {
        self.requests += 1;
        let response = self.request(Method::GET, path, token).timeout(TIMEOUT).send().await.expect("check answered");
        let status = response.status().as_u16();
        let kind = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        (status, kind, response.bytes().await.expect("check body").to_vec())
    }
}

/// Version 1 of the land procedure as version 2, so that a definition which compiles would be
/// stored as the draft (and caught); with version 1 it would be `version_exists`.
fn version_two() -> String {
    LAND.replace("version: 1", "version: 2")
}

/// Every stored dossier holds what was sent, verbatim, and its receipt prints it escaped; one
/// still waiting for reception is accepted by the desk first, which writes the receipt.
async fn verify_stored(c: &mut Corpus<'_>) {
    let reader = c.admin.clone();
    let stored = std::mem::take(&mut c.stored);
    for Stored { label, code, sent } in &stored {
        let (status, _, body) = c.check_get(&format!("/api/v1/dossiers/{code}"), &reader).await;
        let body: Value = serde_json::from_slice(&body).unwrap_or_default();
        if status == 200 && body["state"] == "submitted" {
            c.requests += 1;
            let accepted = c
                .request(Method::POST, &format!("/api/v1/dossiers/{code}/actions"), &c.desk.clone())
                .header("If-Match", format!("\"{}\"", body["version"]))
                .json(&json!({"action": "accept"}))
                .timeout(TIMEOUT)
                .send()
                .await
                .expect("accept answered");
            if accepted.status() != 200 {
                c.fail(label, format!("the desk could not accept {code}: {}", accepted.status()));
                continue;
            }
        }
        if status != 200 {
            c.fail(label, format!("stored dossier {code} reads back {status}"));
            continue;
        }
        if let Some(sent) = sent.as_ref().filter(|s| s.is_object()) {
            for key in ["form", "documents"] {
                if body[key] != sent[key] {
                    c.fail(label, format!("`{key}` not stored verbatim: sent {}, stored {}", sent[key], body[key]));
                }
            }
            for (key, value) in sent["applicant"].as_object().into_iter().flatten() {
                if !value.is_null() && &body["applicant"][key] != value {
                    c.fail(
                        label,
                        format!(
                            "applicant `{key}` not stored verbatim: sent {value}, stored {}",
                            body["applicant"][key]
                        ),
                    );
                }
            }
        }
        let (status, kind, page) = c.check_get(&format!("/api/v1/dossiers/{code}/receipt"), &reader).await;
        let page = entities_as_escaped(&String::from_utf8_lossy(&page));
        if status != 200 || !kind.starts_with("text/html") {
            c.fail(label, format!("receipt of {code}: {status} {kind}"));
            continue;
        }
        if page.to_lowercase().contains("<script") {
            c.fail(label, format!("receipt of {code} holds an unescaped <script>"));
        }
        if let Some(name) = sent.as_ref().and_then(|s| s["applicant"]["name"].as_str())
            && !page.contains(&escaped(name))
        {
            c.fail(label, format!("receipt of {code} does not print the applicant's name escaped"));
        }
    }
    c.stored = stored;
}

/// The environment variable naming the nested-YAML case a child process runs.
const NESTED_YAML_CASE: &str = "MOTCUA_HOSTILE_NESTED_YAML_CASE";

const NESTED_YAML: [&str; 4] = [
    "10 000 nested flow mappings",
    "10 000 nested flow sequences",
    "10 000 nested flow mappings in a definition",
    "600 nested block mappings",
];

fn nested_yaml(name: &str) -> String {
    match name {
        "10 000 nested flow mappings" => {
            format!("code: \"1.004227\"\nx: {}1{}\n", "{a: ".repeat(10_000), "}".repeat(10_000))
        }
        "10 000 nested flow sequences" => format!("code: \"1.004227\"\nx: {}\n", nested_arrays(10_000, "1")),
        "10 000 nested flow mappings in a definition" => version_two().replacen(
            "result: ",
            &format!("x: {}1{}\nresult: ", "{a: ".repeat(10_000), "}".repeat(10_000)),
            1,
        ),
        _ => {
            let mut block: String = (0..600).map(|i| format!("{}a:\n", " ".repeat(i))).collect();
            block.push_str(&format!("{}1\n", " ".repeat(600)));
            block
        }
    }
}

/// Deeply nested YAML drafts, each sent by a child process of this test binary: a server
/// that overflows its stack aborts the whole process, and would take every other test with it.
///
/// Was (fixed): on an unoptimised build (the tests, `cargo run`) the server's process aborts with
/// "thread 'actix-server worker' has overflowed its stack" on every one of these. serde-saphyr's
/// default budget stops nesting at 64 levels, but the engine's `Node::parse`
/// (`Spanned<Bare>`) needs more than the 2 MB of a worker's stack for fewer than 50 nested
/// flow mappings in a debug build; an optimised build needs under 512 KB for the 64.
#[test]
fn deeply_nested_yaml_is_refused_without_bringing_the_server_down() {
    let exe = std::env::current_exe().expect("the test binary");
    let mut failures = Vec::new();
    for name in NESTED_YAML {
        let output = std::process::Command::new(&exe)
            .args(["--exact", "hostile::nested_yaml_case", "--nocapture", "--test-threads=1"])
            .env(NESTED_YAML_CASE, name)
            .output()
            .expect("the child ran");
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let why = if stderr.contains("overflowed its stack") {
                format!("the server overflowed a worker's stack and the process aborted ({})", output.status)
            } else {
                let tail: Vec<&str> = stderr.lines().rev().take(6).collect();
                format!("{}: {}", output.status, tail.into_iter().rev().collect::<Vec<_>>().join(" | "))
            };
            failures.push(format!(
                "PUT /api/v1/procedures/1.004227/draft [{name}]: expected 422 definition_invalid; {why}"
            ));
        }
    }
    eprintln!("nested YAML: {} cases, each in a child process", NESTED_YAML.len());
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), NESTED_YAML.len(), failures.join("\n"));
}

/// One nested-YAML case, when a child process is asked to run it; nothing otherwise.
#[tokio::test]
async fn nested_yaml_case() {
    let Ok(name) = std::env::var(NESTED_YAML_CASE) else { return };
    let app = spawn_app().await;
    let admin = app.token("admin", "Quản trị", None, None).await;
    let response = app
        .client
        .put(format!("{}/api/v1/procedures/1.004227/draft", app.address))
        .bearer_auth(&admin)
        .header("Content-Type", "application/yaml")
        .body(nested_yaml(&name))
        .timeout(TIMEOUT)
        .send()
        .await
        .expect("an answer");
    let status = response.status().as_u16();
    let kind = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let body: Value = response.json().await.unwrap_or_default();
    assert_eq!((status, body["code"].as_str()), (422, Some("definition_invalid")), "{name}: {kind} {body}");
    assert!(kind.starts_with("application/problem+json"), "{name}: {kind}");
    let versions: Value = app.json_as("/api/v1/procedures/1.004227/versions", &admin).await;
    assert_eq!(versions["versions"].as_array().map(Vec::len), Some(1), "{name}: no draft stored: {versions}");
}

impl<'a> Corpus<'a> {
    /// A corpus against `app`, with an admin, a client and a reception officer.
    async fn new(app: &'a TestApp) -> Corpus<'a> {
        Corpus {
            admin: app.token("admin", "Quản trị", None, None).await,
            client: app.token("client", "Cổng dịch vụ công", None, None).await,
            desk: app.token("officer", "Cán bộ một cửa", Some("G22.26.01.01"), Some("reception")).await,
            app,
            http: reqwest::Client::builder().pool_max_idle_per_host(0).build().expect("HTTP client"),
            cases: 0,
            requests: 0,
            expected_stored: 0,
            stored: Vec::new(),
            failures: Vec::new(),
        }
    }

    /// Checks what the section stored (every dossier verbatim, nothing unexpected) and
    /// reports every mismatch of the section at once.
    async fn finish(mut self, section: &str, started: Instant) {
        verify_stored(&mut self).await;
        let (status, _, list) = self.check_get("/api/v1/dossiers?per_page=200", &self.admin.clone()).await;
        let list: Value = serde_json::from_slice(&list).expect("list JSON");
        assert_eq!(status, 200);
        if list["total"].as_u64() != Some(self.expected_stored as u64) {
            let found = list["total"].clone();
            self.failures.push(format!("stored dossiers: expected {}, the list holds {found}", self.expected_stored));
        }
        eprintln!(
            "hostile {section}: {} cases, {} requests in all, {} dossiers expected stored, {:.1} s",
            self.cases,
            self.requests,
            self.expected_stored,
            started.elapsed().as_secs_f64()
        );
        let failures = &self.failures;
        assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), self.cases, failures.join("\n"));
    }
}

/// Runs one section of the corpus on a fresh server.
macro_rules! section {
    ($test:ident, $name:literal, |$c:ident| $body:expr) => {
        #[tokio::test]
        async fn $test() {
            let started = std::time::Instant::now();
            let app = crate::helpers::spawn_app().await;
            let mut corpus = super::Corpus::new(&app).await;
            {
                let $c = &mut corpus;
                $body;
            }
            corpus.finish($name, started).await;
        }
    };
}
use section;
