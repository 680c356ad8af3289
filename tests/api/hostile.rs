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
//! Every mismatch is collected and reported together. Cases marked `// Was (fixed):` record a
//! server bug this corpus found, and assert the behaviour that fixed it. `HOSTILE_TRACE=1` (with `--nocapture`)
//! prints each case before it is sent, to find one that brings the server down.

use crate::dossiers::land_change;
use crate::helpers::{TestApp, spawn_app};
use reqwest::{Method, RequestBuilder};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const LAND: &str = include_str!("../../procedures/1.004227-dang-ky-bien-dong-thay-doi-thong-tin.yaml");
/// The JSON body limit of the API (`routes::MAX_JSON_BODY`).
const JSON_LIMIT: usize = 256 * 1024;
/// The import body limit (`routes::import::MAX_IMPORT_BODY`).
const IMPORT_LIMIT: usize = 32 * 1024 * 1024;
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
    /// 200 with `total` 0, or 400 `invalid_query`.
    EmptyOrInvalid,
    /// 200, or 400 `invalid_query` (a valid but extreme value).
    OkOrInvalid,
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
            Expect::EmptyOrInvalid => (status == 200 && total == Some(0)) || (problem_ok && code == "invalid_query"),
            Expect::OkOrInvalid => status == 200 || (problem_ok && code == "invalid_query"),
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

#[tokio::test]
async fn hostile_input_gets_coded_problems_never_a_5xx_and_nothing_bad_is_stored() {
    let started = Instant::now();
    let app = spawn_app().await;
    let mut c = Corpus {
        admin: app.token("admin", "Quản trị", None, None).await,
        client: app.token("client", "Cổng dịch vụ công", None, None).await,
        desk: app.token("officer", "Cán bộ một cửa", Some("G22.26.01.01"), Some("reception")).await,
        app: &app,
        http: reqwest::Client::builder().pool_max_idle_per_host(0).build().expect("HTTP client"),
        cases: 0,
        requests: 0,
        expected_stored: 0,
        stored: Vec::new(),
        failures: Vec::new(),
    };

    submissions(&mut c).await;
    let target = actions(&mut c).await;
    reception_and_answers(&mut c).await;
    owners(&mut c).await;
    drafts(&mut c).await;
    imports(&mut c).await;
    path_parameters(&mut c, &target).await;
    query_strings(&mut c, &target).await;
    verify_stored(&mut c).await;

    // Nothing the corpus did not expect to be accepted was stored.
    let (status, _, list) = c.check_get("/api/v1/dossiers?per_page=200", &c.admin.clone()).await;
    let list: Value = serde_json::from_slice(&list).expect("list JSON");
    assert_eq!(status, 200);
    if list["total"].as_u64() != Some(c.expected_stored as u64) {
        c.failures.push(format!("stored dossiers: expected {}, the list holds {}", c.expected_stored, list["total"]));
    }

    eprintln!(
        "hostile corpus: {} cases, {} requests in all, {} dossiers expected stored, {:.1} s",
        c.cases,
        c.requests,
        c.expected_stored,
        started.elapsed().as_secs_f64()
    );
    assert!(c.failures.is_empty(), "{} of {} cases failed:\n{}", c.failures.len(), c.cases, c.failures.join("\n"));
}

/// `POST /api/v1/dossiers` with the client token.
async fn submissions(c: &mut Corpus<'_>) {
    let base = valid();
    let text = base.to_string();

    // Truncations of a valid submission at every offset (mid-character ones are invalid
    // UTF-8 as well): never a complete JSON document.
    for cut in 0..text.len() {
        c.submit_json(
            &format!("truncated at byte {cut}"),
            text.as_bytes()[..cut].to_vec(),
            Expect::Problem(400, "invalid_body"),
        )
        .await;
    }

    // Malformed JSON.
    let malformed: [(&str, &str); 14] = [
        ("empty object", "{}"),
        ("array", "[]"),
        ("null", "null"),
        ("number", "42"),
        ("string", "\"1.004227\""),
        ("single quotes", "{'procedure': '1.004227'}"),
        ("trailing comma", &text.replacen('}', ",}", 1)),
        ("trailing garbage", &format!("{text} x")),
        ("two documents", &format!("{text}{text}")),
        ("comment", &format!("/* hi */{text}")),
        ("NaN", &text.replacen("125", "NaN", 1)),
        ("number out of range", &text.replacen("125", "1e400", 1)),
        ("unquoted key", &text.replacen("\"procedure\"", "procedure", 1)),
        ("raw control character in a string", &text.replacen("Nguyễn Văn An\"", "Nguyễn\tVăn An\"", 1)),
    ];
    for (name, body) in malformed {
        c.submit_json(name, body.as_bytes().to_vec(), Expect::Problem(400, "invalid_body")).await;
    }

    // Wrong content types with a valid body: 415, as for every JSON body.
    let unsupported = || Expect::Problem(415, "unsupported_media_type");
    for kind in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
        "text/html",
        "application/octet-stream",
        "application/x-ndjson",
        "application/yaml",
        "",
    ] {
        c.submit_raw(&format!("content type `{kind}`"), text.clone().into_bytes(), Some(kind), unsupported()).await;
    }
    c.submit_raw("no content type", text.clone().into_bytes(), None, unsupported()).await;
    let bytes_type = reqwest::header::HeaderValue::from_bytes(b"application/\xffjson").expect("header");
    let request = c
        .request(Method::POST, "/api/v1/dossiers", &c.client.clone())
        .header("Content-Type", bytes_type)
        .body(text.clone());
    c.run("POST /api/v1/dossiers [non-ASCII content type]", request, unsupported()).await;

    // Invalid UTF-8 inside the applicant's name and inside a form field.
    let bad_bytes: [(&str, &[u8]); 7] = [
        ("0xff", b"\xff"),
        ("overlong slash", b"\xc0\xaf"),
        ("lone continuation", b"\x80"),
        ("truncated sequence", b"\xe1\xba"),
        ("CESU-8 surrogate", b"\xed\xa0\x80"),
        ("5-byte sequence", b"\xf8\x88\x80\x80\x80"),
        ("beyond U+10FFFF", b"\xf4\x90\x80\x80"),
    ];
    for (name, bad) in bad_bytes {
        for path in ["/applicant/name", "/form/don_dang_ky/nguoi_nop/ho_ten"] {
            let text = [&b"\"Nguy"[..], bad, b"n\""].concat();
            c.submit_json(
                &format!("invalid UTF-8 {name} in {path}"),
                splice(&valid(), path, &text),
                Expect::Problem(400, "invalid_body"),
            )
            .await;
        }
    }
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend_from_slice(text.as_bytes());
    c.submit_json("UTF-8 byte order mark", bom, Expect::Problem(400, "invalid_body")).await;
    let utf16: Vec<u8> = [0xfeff_u16].into_iter().chain(text.encode_utf16()).flat_map(u16::to_le_bytes).collect();
    c.submit_json("UTF-16LE body", utf16, Expect::Problem(400, "invalid_body")).await;

    // Bodies over the limit, and one just under it that parses.
    let mut empty_field = valid();
    empty_field["form"]["don_dang_ky"]["noi_dung_thay_doi"] = json!("");
    let without = empty_field.to_string().len();
    for (name, size) in [("limit + 1 byte", JSON_LIMIT + 1), ("1 MB", 1 << 20), ("10 MB", 10 << 20)] {
        let mut body = empty_field.clone();
        body["form"]["don_dang_ky"]["noi_dung_thay_doi"] = json!("a".repeat(size - without));
        let body = raw(&body);
        assert_eq!(body.len(), size, "{name}");
        c.submit_json(&format!("body of {name}"), body, Expect::Problem(413, "payload_too_large")).await;
    }
    let mut under = valid();
    under["form"]["don_dang_ky"]["noi_dung_thay_doi"] = json!("a".repeat(JSON_LIMIT - text.len() - 1024));
    c.submit_json("body just under the limit, field too long", raw(&under), Expect::Problem(422, "submission_refused"))
        .await;

    // Deep nesting: 10 000 levels, past serde_json's recursion limit, at several places; and
    // 100 levels inside a form, within it, refused by the schema.
    let deep = 10_000;
    c.submit_json("10 000 nested arrays", nested_arrays(deep, "1").into_bytes(), Expect::Problem(400, "invalid_body"))
        .await;
    c.submit_json(
        "10 000 nested objects",
        nested_objects(deep, "1").into_bytes(),
        Expect::Problem(400, "invalid_body"),
    )
    .await;
    for path in ["/applicant/name", "/form/don_dang_ky/thua_dat/dia_chi", "/documents/0", "/form/x"] {
        for (shape, nest) in [("objects", nested_objects(deep, "1")), ("arrays", nested_arrays(deep, "1"))] {
            c.submit_json(
                &format!("10 000 nested {shape} in {path}"),
                splice(&valid(), path, nest.as_bytes()),
                Expect::Problem(400, "invalid_body"),
            )
            .await;
        }
    }
    let mut hundred = valid();
    hundred["form"]["don_dang_ky"]["nguoi_nop"]["dia_chi"] =
        serde_json::from_str(&nested_objects(100, "1")).expect("nest");
    c.submit_json("100 levels inside a form field", raw(&hundred), Expect::Problem(422, "submission_refused")).await;

    // Every text field replaced in turn by every hostile string.
    for (path, field) in TEXT_FIELDS {
        for (name, payload) in hostile_strings() {
            let mut body = valid();
            *body.pointer_mut(path).expect(path) = json!(payload);
            c.submit_json(&format!("{name} in {path}"), raw(&body), text_expect(field, name)).await;
        }
    }

    // Every field replaced in turn by a value of each wrong type.
    for path in ALL_FIELDS {
        for (kind, value) in wrong_types() {
            let mut body = valid();
            *body.pointer_mut(path).expect(path) = value.clone();
            c.submit_json(&format!("{kind} in {path}"), raw(&body), wrong_type_expect(path, kind, &value)).await;
        }
    }
    // Was (fixed): the whole submission as a sequence of its fields in order, which serde's derived
    // `Deserialize` accepts for a struct: stored (201).
    let positional = json!([base["procedure"], base["channel"], base["form"], base["documents"], ["Nguyễn Văn An"]]);
    c.submit_json("submission as a positional array", raw(&positional), Expect::Problem(400, "invalid_body")).await;
    // Missing required fields.
    for (path, expect) in [
        ("/procedure", Expect::Problem(400, "invalid_body")),
        // The channel is the token's when it serves one.
        ("/channel", Expect::Created),
        ("/applicant", Expect::Problem(400, "invalid_body")),
        ("/applicant/name", Expect::Problem(400, "invalid_body")),
    ] {
        let mut body = valid();
        let (parent, key) = path.rsplit_once('/').expect("pointer");
        let parent = if parent.is_empty() { &mut body } else { body.pointer_mut(parent).expect(parent) };
        parent.as_object_mut().expect("object").remove(key);
        c.submit_json(&format!("missing {path}"), raw(&body), expect).await;
    }
    // A channel the token does not serve: a coded 403, nothing stored.
    for channel in ["counter", "postal"] {
        let mut body = valid();
        body["channel"] = json!(channel);
        c.submit_json(&format!("claimed channel {channel}"), raw(&body), Expect::Problem(403, "channel_not_allowed"))
            .await;
    }

    // Unknown fields at each level.
    for (path, expect) in [
        ("", Expect::Problem(400, "invalid_body")),
        ("/applicant", Expect::Problem(400, "invalid_body")),
        ("/form", Expect::Problem(422, "submission_refused")),
        ("/form/don_dang_ky", Expect::Problem(422, "submission_refused")),
        ("/form/don_dang_ky/nguoi_nop", Expect::Problem(422, "submission_refused")),
        ("/form/don_dang_ky/thua_dat", Expect::Problem(422, "submission_refused")),
    ] {
        for key in ["sneaky", "__proto__", "role"] {
            let mut body = valid();
            body.pointer_mut(path).expect("level")[key] = json!({"admin": true});
            c.submit_json(&format!("unknown field `{key}` at `{path}`"), raw(&body), expect).await;
        }
    }

    // Duplicate keys, the first value hostile and the last valid: a parser keeping the first
    // and one keeping the last would see different dossiers. Ambiguous JSON must be refused.
    let duplicates: [(&str, &str, &str); 7] = [
        ("procedure", "\"procedure\":\"1.004227\"", "\"procedure\":\"9.999999\",\"procedure\":\"1.004227\""),
        ("channel", "\"channel\":\"online\"", "\"channel\":\"postal\",\"channel\":\"online\""),
        ("applicant.name", "\"name\":", "\"name\":\"<script>alert(1)</script>\",\"name\":"),
        // Was (fixed): the four below sit in `form`, free JSON where serde_json keeps the last value
        // silently; the server stores the dossier (201).
        ("form.don_dang_ky", "\"don_dang_ky\":", "\"don_dang_ky\":{},\"don_dang_ky\":"),
        ("form doi_tuong", "\"doi_tuong\":\"ca_nhan\"", "\"doi_tuong\":\"to_chuc\",\"doi_tuong\":\"ca_nhan\""),
        ("form ngay_sinh", "\"ngay_sinh\":\"1990-05-01\"", "\"ngay_sinh\":\"2015-01-01\",\"ngay_sinh\":\"1990-05-01\""),
        ("form so_thua", "\"so_thua\":125", "\"so_thua\":-1,\"so_thua\":125"),
    ];
    for (name, from, to) in duplicates {
        assert!(text.contains(from), "{from}");
        c.submit_json(&format!("duplicate key {name}"), text.replacen(from, to, 1).into_bytes(), Expect::Refused).await;
    }

    // Idempotency keys: odd ones refused before anything is stored; an SQL-looking one is a
    // printable key like any other, and its retry replays the same dossier.
    for (name, key) in [("201 characters", "k".repeat(201)), ("empty", String::new())] {
        let request = c
            .request(Method::POST, "/api/v1/dossiers", &c.client.clone())
            .header("Idempotency-Key", key)
            .json(&valid());
        c.run(
            &format!("POST /api/v1/dossiers [Idempotency-Key {name}]"),
            request,
            Expect::Problem(400, "invalid_body"),
        )
        .await;
    }
    let request = c
        .request(Method::POST, "/api/v1/dossiers", &c.client.clone())
        .header("Idempotency-Key", reqwest::header::HeaderValue::from_bytes(b"key-\xff").expect("header"))
        .json(&valid());
    c.run("POST /api/v1/dossiers [non-ASCII Idempotency-Key]", request, Expect::Problem(400, "invalid_body")).await;
    let sql_key = "' OR 1=1; DELETE FROM dossiers; --";
    let label = "POST /api/v1/dossiers [SQL-looking Idempotency-Key]";
    let request = c
        .request(Method::POST, "/api/v1/dossiers", &c.client.clone())
        .header("Idempotency-Key", sql_key)
        .json(&valid());
    let first = c.run(label, request, Expect::Created).await.and_then(|b| b["code"].as_str().map(str::to_owned));
    if let Some(code) = &first {
        c.stored.push(Stored { label: label.to_owned(), code: code.clone(), sent: Some(valid()) });
    }
    // Its retry replays the same dossier: 201 again, nothing new stored.
    let label = "POST /api/v1/dossiers [SQL-looking Idempotency-Key, retry]";
    c.cases += 1;
    c.requests += 1;
    let retry = c
        .request(Method::POST, "/api/v1/dossiers", &c.client.clone())
        .header("Idempotency-Key", sql_key)
        .json(&valid())
        .timeout(TIMEOUT)
        .send()
        .await;
    match retry {
        Ok(response) => {
            let replayed = response.headers().get("idempotent-replayed").is_some();
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap_or_default();
            if status != 201 || !replayed || body["code"].as_str() != first.as_deref() {
                c.fail(label, format!("expected 201 replaying {first:?}, got {status} {body}"));
            }
        }
        Err(error) => c.fail(label, format!("no answer: {error}")),
    }

    // Other methods on the collection.
    for method in [Method::DELETE, Method::PATCH, Method::PUT] {
        let request = c.request(method.clone(), "/api/v1/dossiers", &c.admin.clone()).json(&valid());
        c.run(&format!("{method} /api/v1/dossiers"), request, Expect::Refused).await;
    }
}

/// `POST /api/v1/dossiers/{code}/actions` as the desk officer with `If-Match: "1"`, on a dossier
/// that must still be at version 1 afterwards. Returns its code.
async fn actions(c: &mut Corpus<'_>) -> String {
    let target = c.fresh_dossier("target of the action corpus").await;
    let valid_action = json!({"action": "request_supplement", "items": ["Bản sao giấy khai sinh"]}).to_string();
    let one = "\"1\"";

    for cut in 0..valid_action.len() {
        let body = valid_action.as_bytes()[..cut].to_vec();
        c.act_raw(
            &format!("truncated at byte {cut}"),
            &target,
            one,
            body,
            Some("application/json"),
            Expect::Problem(400, "invalid_body"),
        )
        .await;
    }
    for (name, body) in [
        ("empty object", "{}"),
        ("array", "[]"),
        ("null", "null"),
        ("string", "\"forward\""),
        ("single quotes", "{'action': 'forward'}"),
        ("trailing comma", "{\"action\": \"forward\",}"),
        ("trailing garbage", "{\"action\": \"forward\"} x"),
        ("two documents", "{\"action\": \"forward\"}{\"action\": \"forward\"}"),
    ] {
        c.act_raw(
            name,
            &target,
            one,
            body.as_bytes().to_vec(),
            Some("application/json"),
            Expect::Problem(400, "invalid_body"),
        )
        .await;
    }
    for kind in ["text/plain", "application/x-www-form-urlencoded", "application/xml", "application/yaml"] {
        let body = b"{\"action\": \"forward\"}".to_vec();
        c.act_raw(
            &format!("content type `{kind}`"),
            &target,
            one,
            body,
            Some(kind),
            Expect::Problem(415, "unsupported_media_type"),
        )
        .await;
    }
    c.act_raw(
        "no content type",
        &target,
        one,
        b"{\"action\": \"forward\"}".to_vec(),
        None,
        Expect::Problem(415, "unsupported_media_type"),
    )
    .await;
    let mut bad = b"{\"action\": \"refuse\", \"reasons\": [\"Thi\xffu\"]}".to_vec();
    c.act_raw(
        "invalid UTF-8",
        &target,
        one,
        bad.clone(),
        Some("application/json"),
        Expect::Problem(400, "invalid_body"),
    )
    .await;
    bad = json!({"action": "refuse", "reasons": ["a".repeat(JSON_LIMIT)]}).to_string().into_bytes();
    c.act_raw(
        "body over the limit",
        &target,
        one,
        bad,
        Some("application/json"),
        Expect::Problem(413, "payload_too_large"),
    )
    .await;
    c.act_raw(
        "10 000 nested arrays",
        &target,
        one,
        nested_arrays(10_000, "1").into_bytes(),
        Some("application/json"),
        Expect::Problem(400, "invalid_body"),
    )
    .await;
    let nest = format!("{{\"action\": \"refuse\", \"reasons\": {}}}", nested_arrays(10_000, "\"x\""));
    c.act_raw(
        "10 000 levels in reasons",
        &target,
        one,
        nest.into_bytes(),
        Some("application/json"),
        Expect::Problem(400, "invalid_body"),
    )
    .await;

    // Unknown action names, and actions of the wrong type.
    for name in [
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "FORWARD",
        "forward ",
        "",
        "forward\u{0}",
        "__proto__",
        "../../etc/passwd",
    ] {
        let body = json!({"action": name}).to_string().into_bytes();
        c.act_raw(
            &format!("action named {name:?}"),
            &target,
            one,
            body,
            Some("application/json"),
            Expect::Problem(400, "invalid_body"),
        )
        .await;
    }
    for (kind, value) in wrong_types() {
        let body = json!({"action": value}).to_string().into_bytes();
        c.act_raw(
            &format!("action of type {kind}"),
            &target,
            one,
            body,
            Some("application/json"),
            Expect::Problem(400, "invalid_body"),
        )
        .await;
        for (action, field) in
            [("refuse", "reasons"), ("decide", "approved"), ("apologize", "new_due"), ("stop", "reason")]
        {
            let mut body = json!({"action": action, "reasons": ["x"], "approved": false, "reason": "x", "new_due": "2026-03-20T09:00:00+07:00"});
            body[field] = value.clone();
            c.act_raw(
                &format!("{kind} in {action}.{field}"),
                &target,
                one,
                body.to_string().into_bytes(),
                Some("application/json"),
                Expect::Refused,
            )
            .await;
        }
    }

    // Hostile text in every text field of actions the lifecycle refuses here (the dossier is
    // at the first processing step): refuse and the supplement before receipt need the
    // submitted state, decide the decision step, withdraw the applicant.
    for (name, payload) in hostile_strings() {
        for (action, body) in [
            ("refuse", json!({"action": "refuse", "reasons": [payload]})),
            (
                "request_supplement_before_receipt",
                json!({"action": "request_supplement_before_receipt", "items": [payload]}),
            ),
            ("decide", json!({"action": "decide", "approved": false, "reasons": [payload]})),
            ("withdraw", json!({"action": "withdraw", "reason": payload})),
        ] {
            let expect = match name {
                "1 MB" => Expect::Problem(413, "payload_too_large"),
                "lone surrogate" => Expect::Problem(400, "invalid_body"),
                _ if action == "withdraw" => Expect::Problem(403, "forbidden"),
                _ => Expect::Problem(422, "action_refused"),
            };
            c.act_raw(&format!("{name} in {action}"), &target, one, raw(&body), Some("application/json"), expect).await;
        }
    }

    // Odd If-Match values with an action that would otherwise be valid.
    let forward = b"{\"action\": \"forward\"}".to_vec();
    for (name, value, expect) in [
        ("not a number", "\"abc\"", Expect::Problem(400, "invalid_body")),
        ("empty", "", Expect::Problem(400, "invalid_body")),
        ("beyond i32", "\"99999999999999999999\"", Expect::Problem(400, "invalid_body")),
        ("a list", "\"1\", \"2\"", Expect::Problem(400, "invalid_body")),
        ("a decimal", "\"1.0\"", Expect::Problem(400, "invalid_body")),
        ("SQL", "\"1' OR 1=1 --\"", Expect::Problem(400, "invalid_body")),
        ("negative", "\"-1\"", Expect::Problem(400, "invalid_body")),
        ("zero", "W/\"0\"", Expect::Problem(412, "stale_version")),
        ("a later version", "\"2\"", Expect::Problem(412, "stale_version")),
    ] {
        c.act_raw(&format!("If-Match {name}"), &target, value, forward.clone(), Some("application/json"), expect).await;
    }
    let request = c
        .request(Method::POST, &format!("/api/v1/dossiers/{target}/actions"), &c.desk.clone())
        .header("If-Match", reqwest::header::HeaderValue::from_bytes(b"\"\xff\"").expect("header"))
        .json(&json!({"action": "forward"}));
    c.run("POST …/actions [non-ASCII If-Match]", request, Expect::Problem(400, "invalid_body")).await;
    let request = c
        .request(Method::POST, &format!("/api/v1/dossiers/{target}/actions"), &c.desk.clone())
        .json(&json!({"action": "forward"}));
    c.run("POST …/actions [no If-Match]", request, Expect::Problem(428, "precondition_required")).await;

    // The target has not moved.
    let (status, _, body) = c.check_get(&format!("/api/v1/dossiers/{target}"), &c.admin.clone()).await;
    let body: Value = serde_json::from_slice(&body).unwrap_or_default();
    if status != 200 || body["version"] != 1 || body["state"] != "processing" {
        c.fail(
            "action corpus target",
            format!("expected version 1, processing; got {status} {} {}", body["version"], body["state"]),
        );
    }

    // On fresh dossiers, where a wrong acceptance cannot disturb the rest: an unknown field and
    // a duplicate `action` key on an action that is otherwise valid.
    for (name, body) in [
        // Was (fixed): `Action` has no `deny_unknown_fields`, unlike every other request body; the
        // unknown field is ignored and the forward applied (200).
        ("unknown field on a valid forward", "{\"action\": \"forward\", \"sneaky\": true}"),
        // Was (fixed): the body is read as a `serde_json::Value`, which keeps the last `action`; the
        // audit and any other parser may see the first. Applied (200).
        ("duplicate action key", "{\"action\": \"refuse\", \"reasons\": [\"x\"], \"action\": \"forward\"}"),
    ] {
        let code = c.fresh_dossier(&format!("fresh dossier for {name}")).await;
        c.act_raw(name, &code, one, body.as_bytes().to_vec(), Some("application/json"), Expect::Refused).await;
        let (_, _, after) = c.check_get(&format!("/api/v1/dossiers/{code}"), &c.admin.clone()).await;
        let after: Value = serde_json::from_slice(&after).unwrap_or_default();
        if after["version"] != 1 {
            c.fail(&format!("POST …/actions [{name}]"), format!("the dossier moved to version {}", after["version"]));
        }
    }
    // A valid forward with a script-looking note: accepted text (200).
    let code = c.fresh_dossier("fresh dossier for a script-looking note").await;
    let body = json!({"action": "forward", "note": "<script>alert(1)</script>"}).to_string().into_bytes();
    c.act_raw("script-looking note on a valid forward", &code, one, body, Some("application/json"), Expect::Ok).await;
    target
}

/// Reception's outcomes and the applicant's answers with hostile payloads: coded refusals,
/// and the dossier moves only when the payload is valid.
async fn reception_and_answers(c: &mut Corpus<'_>) {
    c.submit_json("online dossier for the reception corpus", raw(&valid()), Expect::Created).await;
    let code = c.stored.last().map(|s| s.code.clone()).expect("stored");
    let path = format!("/api/v1/dossiers/{code}/actions");
    let (desk, client) = (c.desk.clone(), c.client.clone());
    let send = async |c: &mut Corpus<'_>, label: &str, token: &str, version: u32, body: Value, expect: Expect| {
        let request = c.request(Method::POST, &path, token).header("If-Match", format!("\"{version}\"")).json(&body);
        c.run(&format!("POST …/actions [{label}]"), request, expect).await;
    };
    let invalid = Expect::Problem(400, "invalid_body");
    send(c, "accept with a field", &desk, 1, json!({"action": "accept", "intake": {"fee": 0}}), invalid).await;
    for items in [json!("Thiếu"), json!([1]), json!({"a": 1}), json!(null)] {
        let body = json!({"action": "request_supplement_before_receipt", "items": items});
        send(c, &format!("supplement items {items}"), &desk, 1, body, invalid).await;
    }
    for reasons in [json!([]), json!([" "])] {
        let body = json!({"action": "refuse", "reasons": reasons});
        send(c, &format!("refusal reasons {reasons}"), &desk, 1, body, Expect::Problem(422, "action_refused")).await;
    }
    let asked = json!({"action": "request_supplement_before_receipt", "items": ["Bản scan mờ"]});
    send(c, "a valid supplement request", &desk, 1, asked, Expect::Ok).await;
    for (label, answer, expect) in [
        ("documents as text", json!({"documents": "gcn"}), invalid),
        ("documents as numbers", json!({"documents": [1]}), invalid),
        ("form as an array", json!({"form": []}), invalid),
        ("unknown field beside the answer", json!({"form": {}, "sneaky": 1}), invalid),
        ("form of the wrong shape", json!({"form": {"don_dang_ky": 5}}), Expect::Problem(422, "submission_refused")),
        ("unknown document", json!({"documents": ["../../etc/passwd"]}), Expect::Problem(422, "submission_refused")),
        ("unknown form", json!({"form": {"sneaky": {}}}), Expect::Problem(422, "submission_refused")),
    ] {
        let mut body = answer;
        body["action"] = json!("resubmit");
        send(c, &format!("resubmit: {label}"), &client, 2, body, expect).await;
    }
    // The dossier did not move; a valid answer resubmits it (then the desk accepts it later).
    let (_, _, body) = c.check_get(&format!("/api/v1/dossiers/{code}"), &c.admin.clone()).await;
    let body: Value = serde_json::from_slice(&body).unwrap_or_default();
    if body["version"] != 2 || body["state"] != "awaiting_supplement_before_receipt" {
        c.fail("reception corpus", format!("moved to {} {}", body["version"], body["state"]));
    }
    send(c, "a valid resubmission", &client, 2, json!({"action": "resubmit", "documents": ["gcn"]}), Expect::Ok).await;
}

/// Moving a code's owner with hostile bodies: 400, nothing recorded.
async fn owners(c: &mut Corpus<'_>) {
    let long = "x".repeat(1001);
    for (label, body) in [
        ("empty object", json!({})),
        ("agency as a number", json!({"agency": 5, "reason": "x"})),
        ("no reason", json!({"agency": "G22.26.05"})),
        ("blank reason", json!({"agency": "G22.26.05", "reason": "  "})),
        ("reason too long", json!({"agency": "G22.26.05", "reason": long})),
        ("lowercase agency", json!({"agency": "g22.26.05", "reason": "x"})),
        ("sql agency", json!({"agency": "G22'; DROP TABLE procedure_owners;--", "reason": "x"})),
        ("unknown field", json!({"agency": "G22.26.05", "reason": "x", "sneaky": true})),
        ("array", json!(["G22.26.05", "x"])),
    ] {
        let request = c.request(Method::PUT, "/api/v1/procedures/1.004227/owner", &c.admin.clone()).json(&body);
        c.run(&format!("PUT …/owner [{label}]"), request, Expect::Problem(400, "invalid_body")).await;
    }
    // The registry of agencies, likewise.
    let long = "x".repeat(301);
    for (label, path, body, expect) in [
        ("name as a number", "G22.26.01.01", json!({"name": 5}), Expect::Problem(400, "invalid_body")),
        ("blank name", "G22.26.01.01", json!({"name": "\t"}), Expect::Problem(400, "invalid_body")),
        ("name too long", "G22.26.01.01", json!({"name": long}), Expect::Problem(400, "invalid_body")),
        ("NUL in the name", "G22.26.01.01", json!({"name": "a\u{0}b"}), Expect::Problem(400, "invalid_body")),
        (
            "parent not a code",
            "G22.26.01.01",
            json!({"name": "x", "parent": "../"}),
            Expect::Problem(400, "invalid_body"),
        ),
        (
            "its own parent",
            "G22.26.01.01",
            json!({"name": "x", "parent": "G22.26.01.01"}),
            Expect::Problem(400, "invalid_body"),
        ),
        (
            "another code in the body",
            "G22.26.01.01",
            json!({"name": "x", "code": "G22"}),
            Expect::Problem(400, "invalid_body"),
        ),
        ("array", "G22.26.01.01", json!(["x"]), Expect::Problem(400, "invalid_body")),
        ("path not a code", "g22%27%3B--", json!({"name": "x"}), Expect::Refused),
    ] {
        let request = c.request(Method::PUT, &format!("/api/v1/agencies/{path}"), &c.admin.clone()).json(&body);
        c.run(&format!("PUT /api/v1/agencies/… [{label}]"), request, expect).await;
    }
    let (_, _, body) = c.check_get("/api/v1/procedures/1.004227/owner", &c.admin.clone()).await;
    let body: Value = serde_json::from_slice(&body).unwrap_or_default();
    if body["history"].as_array().map(Vec::len) != Some(1) || body["agency"] != "G22.26.01" {
        c.fail("owner corpus", format!("the owner changed: {body}"));
    }
}

/// Version 1 of the land procedure as version 2, so that a definition which compiles would be
/// stored as the draft (and caught); with version 1 it would be `version_exists`.
fn version_two() -> String {
    LAND.replace("version: 1", "version: 2")
}

/// `PUT /api/v1/procedures/1.004227/draft` as admin.
async fn drafts(c: &mut Corpus<'_>) {
    let yaml = Some("application/yaml");
    let v2 = version_two();

    // Broken YAML.
    let broken: Vec<(&str, String)> = vec![
        ("unterminated quote", "code: \"1.004227\nname: x\n".to_owned()),
        ("unterminated flow sequence", "code: [1.004227\n".to_owned()),
        ("unterminated flow mapping", "code: {a: 1\n".to_owned()),
        ("tab indentation", v2.replacen("\n  - id: don_dang_ky", "\n\t- id: don_dang_ky", 1)),
        ("bad indentation", v2.replacen("\nname:", "\n   name:", 1)),
        ("colons", ": : :\n".to_owned()),
        ("undefined alias", "code: *nowhere\n".to_owned()),
        ("anchor alone", "&a\n".to_owned()),
        ("unsupported YAML version", format!("%YAML 9.9\n---\n{v2}")),
        ("two documents", format!("{v2}\n---\n{v2}")),
        ("empty", String::new()),
        ("whitespace", "  \n\n  ".to_owned()),
        ("null", "null\n".to_owned()),
        ("sequence", "- a\n- b\n".to_owned()),
        ("scalar", "'just a string'\n".to_owned()),
        ("duplicate key", format!("{v2}\nversion: 3\n")),
        ("python tag", format!("{v2}\nx: !!python/object/apply:os.system [\"id\"]\n")),
        ("include tag", v2.replacen("result: ", "result: !include /etc/passwd\nx: ", 1)),
        ("binary tag", format!("{v2}\nx: !!binary not*base64\n")),
        ("NUL byte", v2.replacen("name: ", "name: \u{0}", 1)),
        ("code is a number", v2.replacen("code: \"1.004227\"", "code: 1.004227", 1)),
        ("code of another procedure", v2.replacen("code: \"1.004227\"", "code: \"1.000656\"", 1)),
        ("SQL-looking code", v2.replacen("code: \"1.004227\"", "code: \"1.004227' OR 1=1 --\"", 1)),
        ("traversal schema path", v2.replacen("forms/don-dang-ky-bien-dong.schema.json", "../../../../etc/passwd", 1)),
        ("script-looking agency", v2.replacen("agency: G22.26.01\n", "agency: \"<script>alert(1)</script>\"\n", 1)),
    ];
    for (name, body) in broken {
        c.put_draft(name, "1.004227", body.into_bytes(), yaml, Expect::Refused).await;
    }
    // Truncations: every one is broken or incomplete (refused), or, if still a whole
    // definition, version 1, which is published (409).
    for tenth in 0..10 {
        let mut cut = LAND.len() * tenth / 10 + 37;
        while !LAND.is_char_boundary(cut) {
            cut += 1;
        }
        c.put_draft(
            &format!("truncated at byte {cut}"),
            "1.004227",
            LAND.as_bytes()[..cut].to_vec(),
            yaml,
            Expect::Refused,
        )
        .await;
    }

    // A billion laughs: nine levels of ten aliases, 10^9 strings once expanded; the same as
    // merge keys; and one 100 KB string referenced 2 000 times (200 MB).
    let mut laughs =
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n".to_owned();
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let refs = vec![format!("*{}", pair[0]); 10].join(",");
        laughs.push_str(&format!("{}: &{} [{refs}]\n", pair[1], pair[1]));
    }
    c.put_draft(
        "billion laughs",
        "1.004227",
        laughs.clone().into_bytes(),
        yaml,
        Expect::Problem(422, "definition_invalid"),
    )
    .await;
    let embedded = v2.replacen("legal_basis:\n", &format!("{laughs}legal_basis: *i\nx:\n"), 1);
    c.put_draft(
        "billion laughs in a definition",
        "1.004227",
        embedded.into_bytes(),
        yaml,
        Expect::Problem(422, "definition_invalid"),
    )
    .await;
    let mut merges = "a: &a {a0: 1, a1: 1, a2: 1, a3: 1, a4: 1, a5: 1, a6: 1, a7: 1, a8: 1, a9: 1}\n".to_owned();
    for pair in names.windows(2) {
        let refs = (0..10).map(|i| format!("{}{i}: *{}", pair[1], pair[0])).collect::<Vec<_>>().join(", ");
        merges.push_str(&format!("{}: &{} {{{refs}}}\n", pair[1], pair[1]));
    }
    c.put_draft(
        "billion laughs of mappings",
        "1.004227",
        merges.into_bytes(),
        yaml,
        Expect::Problem(422, "definition_invalid"),
    )
    .await;
    let long = format!("s: &s \"{}\"\nt: [{}]\n", "x".repeat(100 * 1024), vec!["*s"; 2000].join(","));
    c.put_draft("quadratic blow-up", "1.004227", long.into_bytes(), yaml, Expect::Problem(422, "definition_invalid"))
        .await;

    // Deeply nested YAML: see `deeply_nested_yaml_is_refused_without_bringing_the_server_down`.

    // Bodies over the limit, invalid UTF-8, the wrong content types.
    for (name, size) in [("300 KB", 300 * 1024), ("10 MB", 10 << 20)] {
        let body = format!("{v2}\n# {}\n", "x".repeat(size));
        c.put_draft(
            &format!("body of {name}"),
            "1.004227",
            body.into_bytes(),
            yaml,
            Expect::Problem(413, "payload_too_large"),
        )
        .await;
    }
    for (name, bad) in
        [("0xff", &b"\xff"[..]), ("CESU-8 surrogate", b"\xed\xa0\x80"), ("truncated sequence", b"\xe1\xba")]
    {
        let at = v2.find("name: ").expect("name") + 7;
        let mut body = v2.as_bytes()[..at].to_vec();
        body.extend_from_slice(bad);
        body.extend_from_slice(&v2.as_bytes()[at..]);
        c.put_draft(&format!("invalid UTF-8 {name}"), "1.004227", body, yaml, Expect::Problem(400, "invalid_body"))
            .await;
    }
    let utf16: Vec<u8> = [0xfeff_u16].into_iter().chain(v2.encode_utf16()).flat_map(u16::to_le_bytes).collect();
    c.put_draft("UTF-16LE body", "1.004227", utf16, yaml, Expect::Refused).await;
    for kind in ["application/json", "text/plain", "application/yamlx", "multipart/form-data; boundary=x", ""] {
        c.put_draft(
            &format!("content type `{kind}`"),
            "1.004227",
            v2.clone().into_bytes(),
            Some(kind),
            Expect::Problem(415, "unsupported_media_type"),
        )
        .await;
    }
    c.put_draft(
        "no content type",
        "1.004227",
        v2.clone().into_bytes(),
        None,
        Expect::Problem(415, "unsupported_media_type"),
    )
    .await;

    // Rules that never end, or grow without bound, run by the examples' dry run: the sandbox
    // stops them and the definition is refused with a located diagnostic.
    let eligibility = "eligibility: |\n";
    let rules: [(&str, String); 7] = [
        ("infinite loop in the eligibility rule", v2.replacen(eligibility, "eligibility: |\n  loop { }\n", 1)),
        (
            "while true in the fee rule",
            v2.replacen(
                "rule: 'if form.don_dang_ky.doi_tuong == \"to_chuc\" { 50_000 } else { 30_000 }'",
                "rule: 'let n = 0; while true { n += 1; } n'",
                1,
            ),
        ),
        (
            "infinite loop in a document condition",
            v2.replacen(
                "required_when: 'form.don_dang_ky.loai_thay_doi != \"dia_chi\"'",
                "required_when: 'loop { } true'",
                1,
            ),
        ),
        ("unbounded recursion", v2.replacen(eligibility, "eligibility: |\n  fn f(x) { f(x + 1) }\n  f(0);\n", 1)),
        ("string doubling", v2.replacen(eligibility, "eligibility: |\n  let s = \"a\";\n  loop { s += s; }\n", 1)),
        ("array doubling", v2.replacen(eligibility, "eligibility: |\n  let a = [1];\n  loop { a += a; }\n", 1)),
        (
            "loop only on an example's data",
            v2.replacen(
                eligibility,
                "eligibility: |\n  if form.don_dang_ky.nguoi_nop.ho_ten == \"Lê Minh Châu\" { loop { } }\n",
                1,
            ),
        ),
    ];
    for (name, body) in rules {
        assert_ne!(body, v2, "{name}");
        c.put_draft(name, "1.004227", body.into_bytes(), yaml, Expect::Problem(422, "definition_invalid")).await;
    }
    // Was (fixed): the dry run evaluates each example with `tolerate`, which forgives every rule
    // failure when the example's forms are invalid, a runaway rule (a sandbox limit) too. With
    // examples whose forms are all invalid, a rule that loops on every input is stored as the
    // draft (200); published, it would refuse every valid dossier (then with 500 `rule_failed`).
    let mut unrealistic = v2.replacen(eligibility, "eligibility: |\n  loop { }\n", 1);
    let examples = unrealistic.find("examples:").expect("examples");
    unrealistic.truncate(examples);
    unrealistic.push_str(
        "examples:\n  - name: \"đơn trống\"\n    channel: counter\n    received_at: 2026-03-02T08:00:00+07:00\n    form: {}\n    documents: []\n    expect: { accepted: false, reasons: [missing_form] }\n",
    );
    c.put_draft(
        "infinite loop with only invalid examples",
        "1.004227",
        unrealistic.into_bytes(),
        yaml,
        Expect::Problem(422, "definition_invalid"),
    )
    .await;

    // No draft was stored: the versions are the published ones.
    let (status, _, body) = c.check_get("/api/v1/procedures/1.004227/versions", &c.admin.clone()).await;
    let body: Value = serde_json::from_slice(&body).unwrap_or_default();
    let statuses: Vec<&str> =
        body["versions"].as_array().into_iter().flatten().filter_map(|v| v["status"].as_str()).collect();
    if status != 200 || statuses != ["published"] {
        c.fail("draft corpus", format!("expected only version 1 published, got {status} {statuses:?}"));
    }
}

/// `POST /api/v1/import/dossiers` as admin: 200 with per-line errors is the contract; only the
/// good lines are stored.
async fn imports(c: &mut Corpus<'_>) {
    // Each line its own identifier in the previous system.
    let serial = std::cell::Cell::new(0);
    let historic = || {
        let mut line = valid();
        line["channel"] = json!("counter");
        line["received_at"] = json!("2026-02-12T09:00:00+07:00");
        serial.set(serial.get() + 1);
        line["source_id"] = json!(format!("MC-2026-{:05}", serial.get()));
        line
    };
    let official = |id: &str| json!({"kind": "official", "id": id, "role": "reception", "agency": "G22.26.01.01"});
    let forward =
        |id: &str| json!([{"at": "2026-02-12T10:00:00+07:00", "actor": official(id), "action": {"action": "forward"}}]);

    // (line, whether it must be imported, what it is)
    let mut lines: Vec<(String, bool, String)> = Vec::new();
    let good = |line: Value, name: &str| (line.to_string(), true, name.to_owned());
    let bad = |line: String, name: &str| (line, false, name.to_owned());
    lines.push(good(historic(), "valid"));
    for (name, payload) in hostile_strings() {
        if matches!(name, "sql" | "script" | "template" | "jndi" | "traversal" | "rtl override") {
            let mut line = historic();
            line["applicant"]["name"] = json!(payload);
            lines.push(good(line, &format!("{name} in applicant.name")));
        }
    }
    let mut with_event = historic();
    with_event["events"] = forward("<script>alert(1)</script>");
    lines.push(good(with_event, "script-looking actor id"));
    lines.push((format!("{}\r", historic()), true, "CRLF ending".to_owned()));

    let text = historic().to_string();
    for cut in [1, 10, 50, 100, 200, 300, 400, text.len() / 2, text.len() - 10, text.len() - 1] {
        lines.push(bad(text[..cut].to_owned(), &format!("truncated at byte {cut}")));
    }
    for (name, line) in [
        ("{", "{"),
        ("}", "}"),
        ("array", "[]"),
        ("null", "null"),
        ("number", "42"),
        ("string", "\"x\""),
        ("empty object", "{}"),
        ("single quotes", "{'a': 1}"),
    ] {
        lines.push(bad(line.to_owned(), name));
    }
    for path in ["/procedure", "/channel", "/received_at", "/form", "/documents", "/applicant", "/applicant/name"] {
        for (kind, value) in wrong_types() {
            // Was (array in /applicant) (fixed): taken as `{"name": "x"}` and imported, as on submission.
            let mut line = historic();
            *line.pointer_mut(path).expect(path) = value;
            lines.push(bad(line.to_string(), &format!("{kind} in {path}")));
        }
    }
    for (kind, value) in wrong_types() {
        let mut line = historic();
        line["events"] = if kind == "array" { json!([["x"]]) } else { value };
        lines.push(bad(line.to_string(), &format!("{kind} in /events")));
    }
    for (path, key) in [("", "sneaky"), ("/applicant", "role")] {
        let mut line = historic();
        line.pointer_mut(path).expect(path)[key] = json!(true);
        lines.push(bad(line.to_string(), &format!("unknown field at `{path}`")));
    }
    for (name, event) in [
        (
            "unknown field in an event",
            json!({"at": "2026-02-12T10:00:00+07:00", "actor": official("a"), "action": {"action": "forward"}, "sneaky": 1}),
        ),
        (
            "unknown actor kind",
            json!({"at": "2026-02-12T10:00:00+07:00", "actor": {"kind": "god", "id": "x"}, "action": {"action": "forward"}}),
        ),
        (
            "unknown action",
            json!({"at": "2026-02-12T10:00:00+07:00", "actor": official("a"), "action": {"action": "<script>"}}),
        ),
        ("SQL-looking time", json!({"at": "' OR 1=1 --", "actor": official("a"), "action": {"action": "forward"}})),
        (
            "event before receipt",
            json!({"at": "2020-01-01T00:00:00+07:00", "actor": official("a"), "action": {"action": "forward"}}),
        ),
        (
            "refused action",
            json!({"at": "2026-02-12T10:00:00+07:00", "actor": official("a"), "action": {"action": "decide", "approved": true}}),
        ),
    ] {
        let mut line = historic();
        line["events"] = json!([event]);
        lines.push(bad(line.to_string(), name));
    }
    for (name, payload) in hostile_strings() {
        for path in ["/procedure", "/channel", "/received_at", "/documents/0"] {
            let mut line = historic();
            *line.pointer_mut(path).expect(path) = json!(payload);
            lines.push(bad(String::from_utf8(raw(&line)).expect("UTF-8"), &format!("{name} in {path}")));
        }
        if matches!(name, "nul" | "1 MB" | "lone surrogate") {
            // Was (nul) (fixed): a NUL in the applicant's name is imported, as it is submitted; see
            // `text_expect`. The 1 MB name is over 200 characters; the surrogate is no text.
            let mut line = historic();
            line["applicant"]["name"] = json!(payload);
            lines.push(bad(String::from_utf8(raw(&line)).expect("UTF-8"), &format!("{name} in /applicant/name")));
        }
    }
    lines.push(bad(nested_arrays(10_000, "1"), "10 000 nested arrays"));
    let nest = splice(&historic(), "/applicant/name", nested_objects(10_000, "1").as_bytes());
    lines.push(bad(String::from_utf8(nest).expect("UTF-8"), "10 000 nested objects in applicant.name"));
    let received = "\"received_at\":\"2026-02-12T09:00:00+07:00\"";
    assert!(text.contains(received));
    lines.push(bad(
        text.replacen(received, &format!("\"received_at\":\"2022-01-01T09:00:00+07:00\",{received}"), 1),
        "duplicate received_at",
    ));
    // Was (fixed): a duplicate key inside `form` is kept silently (the last one), as on submission.
    lines.push(bad(
        text.replacen("\"doi_tuong\":\"ca_nhan\"", "\"doi_tuong\":\"to_chuc\",\"doi_tuong\":\"ca_nhan\"", 1),
        "duplicate key in form",
    ));
    for (name, at) in [
        ("before the procedure existed", "2001-01-01T09:00:00+07:00"),
        ("year 0", "0000-01-01T00:00:00Z"),
        ("year 9999", "9999-12-31T23:59:59+07:00"),
        // Was (fixed): a historic dossier received after now (the clock is 2 March 2026) is no
        // history; the import stores it, dated in the future.
        ("received in the future", "2026-06-01T09:00:00+07:00"),
        ("offset beyond a day", "2026-02-12T09:00:00+25:00"),
        ("31 February", "2026-02-31T09:00:00+07:00"),
    ] {
        let mut line = historic();
        line["received_at"] = json!(at);
        lines.push(bad(line.to_string(), &format!("received_at {name}")));
    }
    let long = "x".repeat(201);
    for (name, value) in [
        ("missing", None),
        ("null", Some(json!(null))),
        ("a number", Some(json!(12345))),
        ("empty", Some(json!(""))),
        ("blank", Some(json!("   "))),
        ("a control character", Some(json!("MC\u{7}1"))),
        ("too long", Some(json!(long))),
    ] {
        let mut line = historic();
        match value {
            Some(value) => line["source_id"] = value,
            None => {
                line.as_object_mut().expect("object").remove("source_id");
            }
        }
        lines.push(bad(line.to_string(), &format!("source_id {name}")));
    }
    let mut old_code = historic();
    old_code["source_code"] = json!(["G22.26.01.01-220127-0001"]);
    lines.push(bad(old_code.to_string(), "source_code an array"));
    let mut out_of_order = historic();
    out_of_order["events"] = json!([
        {"at": "2026-02-13T10:00:00+07:00", "actor": official("a"), "action": {"action": "forward"}},
        {"at": "2026-02-12T11:00:00+07:00", "actor": official("a"), "action": {"action": "forward"}}
    ]);
    lines.push(bad(out_of_order.to_string(), "events out of order"));

    let body = lines.iter().map(|(l, _, _)| l.as_str()).collect::<Vec<_>>().join("\n");
    let expected_imported = lines.iter().filter(|(_, good, _)| *good).count();
    let post = |c: &Corpus<'_>, body: Vec<u8>, kind: Option<&str>| {
        let mut request = c.request(Method::POST, "/api/v1/import/dossiers", &c.admin);
        if let Some(kind) = kind {
            request = request.header("Content-Type", kind);
        }
        request.body(body)
    };
    let request = post(c, body.into_bytes(), Some("application/x-ndjson"));
    c.expected_stored += expected_imported;
    // One case per line: each is judged below.
    c.cases += lines.len() - 1;
    let report = c.run("POST /api/v1/import/dossiers [corpus]", request, Expect::Ok).await.unwrap_or_default();
    let errors: Vec<(usize, String)> = report["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| (e["line"].as_u64().unwrap_or(0) as usize, e["code"].as_str().unwrap_or_default().to_owned()))
        .collect();
    let imported: Vec<usize> =
        report["dossiers"].as_array().into_iter().flatten().map(|d| d["line"].as_u64().unwrap_or(0) as usize).collect();
    for (index, (_, good, name)) in lines.iter().enumerate() {
        let number = index + 1;
        let error = errors.iter().find(|(line, _)| *line == number);
        let label = format!("POST /api/v1/import/dossiers [line {number}: {name}]");
        match (good, error, imported.contains(&number)) {
            (true, None, true) => {}
            (false, Some((_, code)), false) if !code.is_empty() => {}
            (true, _, _) => c.fail(&label, format!("expected imported, got error {error:?}")),
            (false, _, _) => c.fail(
                &label,
                format!("expected a coded line error, got error {error:?}, imported: {}", imported.contains(&number)),
            ),
        }
    }

    // Whole bodies refused: nothing of them is stored, the valid line they start with neither.
    let valid_line = historic().to_string();
    let mut invalid = format!("{valid_line}\n").into_bytes();
    invalid.extend_from_slice(b"{\"procedure\": \"1.004227\xff\"}\n");
    let request = post(c, invalid, Some("application/x-ndjson"));
    c.run("POST /api/v1/import/dossiers [invalid UTF-8]", request, Expect::Problem(400, "invalid_body")).await;
    for kind in ["application/json", "text/plain", "application/x-ndjsonx", ""] {
        let request = post(c, valid_line.clone().into_bytes(), Some(kind));
        // Was (application/x-ndjsonx) (fixed): the content type is matched with `starts_with`.
        c.run(
            &format!("POST /api/v1/import/dossiers [content type `{kind}`]"),
            request,
            Expect::Problem(415, "unsupported_media_type"),
        )
        .await;
    }
    let request = post(c, valid_line.clone().into_bytes(), None);
    c.run("POST /api/v1/import/dossiers [no content type]", request, Expect::Problem(415, "unsupported_media_type"))
        .await;
    let huge = format!("{valid_line}\n{}", "x".repeat(IMPORT_LIMIT)).into_bytes();
    let request = post(c, huge, Some("application/x-ndjson"));
    c.run("POST /api/v1/import/dossiers [over 32 MB]", request, Expect::Problem(413, "payload_too_large")).await;
    for (name, body) in [("empty", ""), ("blank lines", "\n\n   \n\r\n")] {
        let request = post(c, body.as_bytes().to_vec(), Some("application/x-ndjson"));
        let report =
            c.run(&format!("POST /api/v1/import/dossiers [{name}]"), request, Expect::Ok).await.unwrap_or_default();
        if report["imported"] != 0 || report["failed"] != 0 {
            c.fail(&format!("POST /api/v1/import/dossiers [{name}]"), format!("expected nothing, got {report}"));
        }
    }
}

/// Odd codes in every route with a path parameter (admin, or the desk for actions).
async fn path_parameters(c: &mut Corpus<'_>, dossier: &str) {
    let codes: Vec<(&str, String)> = vec![
        ("encoded traversal", "..%2F..%2Fetc%2Fpasswd".to_owned()),
        ("double-encoded traversal", "..%252F..%252Fetc%252Fpasswd".to_owned()),
        ("backslash traversal", "..%5C..%5Cwindows%5Cwin.ini".to_owned()),
        ("encoded dot-dot", "%2e%2e".to_owned()),
        // Was (the three NUL codes, PostgreSQL only) (fixed): the code goes to the database as is,
        // PostgreSQL refuses a NUL in text, and every route that queries by code answers 503
        // `database_error` (all but `GET /procedures/{code}`, served from memory, and the
        // draft, refused before the database).
        ("NUL", "%00".to_owned()),
        ("NUL inside", "G22.26%00.01".to_owned()),
        ("real code and NUL", format!("{dossier}%00")),
        ("10 KB", "A".repeat(10 * 1024)),
        ("emoji", "%F0%9F%92%A5".to_owned()),
        ("SQL", "%27%20OR%201%3D1%20--".to_owned()),
        ("SQL with real code", format!("{dossier}%27%20OR%20%271%27%3D%271")),
        ("LIKE wildcard", "%25".to_owned()),
        ("script", "%3Cscript%3Ealert(1)%3C%2Fscript%3E".to_owned()),
        ("template", "%7B%7B7*7%7D%7D".to_owned()),
        ("JNDI", "$%7Bjndi:ldap:%2F%2Fx%7D".to_owned()),
        ("invalid UTF-8", "%FF%FE".to_owned()),
        ("UTF-8 surrogate", "%ED%A0%80".to_owned()),
        ("bad escape", "%zz".to_owned()),
        ("RTL override", "%E2%80%AE1.004227".to_owned()),
        ("space", "%20".to_owned()),
        ("matrix parameter", "1.004227;x=1".to_owned()),
    ];
    let gets = [
        "/api/v1/procedures/{}",
        "/api/v1/procedures/{}/versions",
        "/api/v1/procedures/{}/diff?from=1&to=draft",
        "/api/v1/procedures/{}/impact",
        "/api/v1/procedures/{}/owner",
        "/api/v1/dossiers/{}",
        "/api/v1/dossiers/{}/receipt",
        "/api/v1/dossiers/{}/apology",
        "/api/v1/dossiers/{}/supplement-request",
        "/api/v1/dossiers/{}/refusal",
    ];
    for (name, code) in &codes {
        for route in gets {
            let path = route.replace("{}", code);
            let request = c.request(Method::GET, &path, &c.admin.clone());
            c.run(&format!("GET {} [{name}]", route.replace("{}", "…")), request, Expect::Refused).await;
        }
        let path = format!("/api/v1/dossiers/{code}/actions");
        let request = c
            .request(Method::POST, &path, &c.desk.clone())
            .header("If-Match", "\"1\"")
            .json(&json!({"action": "forward"}));
        c.run(&format!("POST /api/v1/dossiers/…/actions [{name}]"), request, Expect::Refused).await;
        for action in ["publish", "retire"] {
            let request = c.request(Method::POST, &format!("/api/v1/procedures/{code}/{action}"), &c.admin.clone());
            c.run(&format!("POST /api/v1/procedures/…/{action} [{name}]"), request, Expect::Refused).await;
        }
        let request = c
            .request(Method::PUT, &format!("/api/v1/procedures/{code}/owner"), &c.admin.clone())
            .json(&json!({"agency": "G22.26.05", "reason": "Thử"}));
        c.run(&format!("PUT /api/v1/procedures/…/owner [{name}]"), request, Expect::Refused).await;
        // A valid definition under another code: refused, as its code is not the path's.
        c.put_draft(&format!("code {name}"), code, LAND.as_bytes().to_vec(), Some("application/yaml"), Expect::Refused)
            .await;
    }
}

/// Odd query strings on every route that reads one.
async fn query_strings(c: &mut Corpus<'_>, dossier: &str) {
    let big = "9".repeat(30);
    let cases: Vec<(String, Expect)> = vec![
        ("/api/v1/dossiers?unknown=1".to_owned(), Expect::Problem(400, "invalid_query")),
        ("/api/v1/dossiers?page=-1".to_owned(), Expect::Problem(400, "invalid_query")),
        ("/api/v1/dossiers?page=abc".to_owned(), Expect::Problem(400, "invalid_query")),
        ("/api/v1/dossiers?page=1.5".to_owned(), Expect::Problem(400, "invalid_query")),
        (format!("/api/v1/dossiers?page={big}"), Expect::Problem(400, "invalid_query")),
        ("/api/v1/dossiers?per_page=0".to_owned(), Expect::Problem(400, "invalid_query")),
        ("/api/v1/dossiers?per_page=-5".to_owned(), Expect::Problem(400, "invalid_query")),
        ("/api/v1/dossiers?per_page=201".to_owned(), Expect::Problem(400, "invalid_query")),
        (format!("/api/v1/dossiers?per_page={big}"), Expect::Problem(400, "invalid_query")),
        ("/api/v1/dossiers?per_page=%00".to_owned(), Expect::Problem(400, "invalid_query")),
        ("/api/v1/dossiers?page=0&page=1".to_owned(), Expect::Problem(400, "invalid_query")),
        ("/api/v1/dossiers?status=processing&status=refused".to_owned(), Expect::Problem(400, "invalid_query")),
        ("/api/v1/dossiers?overdue=maybe".to_owned(), Expect::Problem(400, "invalid_query")),
        ("/api/v1/dossiers?due_before=yesterday".to_owned(), Expect::Problem(400, "invalid_query")),
        ("/api/v1/dossiers?due_before=2026-13-45T00:00:00Z".to_owned(), Expect::Problem(400, "invalid_query")),
        ("/api/v1/dossiers?%FF=1".to_owned(), Expect::Problem(400, "invalid_query")),
        (format!("/api/v1/dossiers?{}=1", "x".repeat(10 * 1024)), Expect::Problem(400, "invalid_query")),
        // Valid but far past the last page: an empty page, or a refusal.
        // Was (the last two) (fixed): the worker panics and the connection drops with no answer.
        // `page * per_page` past i64::MAX panics in sea-query-sqlx's binding
        // (`TryFromIntError`, sqlx_sqlite.rs:36) and past u64::MAX in sea-orm's paginator
        // (`attempt to multiply with overflow`, paginator.rs:59).
        ("/api/v1/dossiers?page=1000000".to_owned(), Expect::OkOrInvalid),
        ("/api/v1/dossiers?page=46116860184273879&per_page=200".to_owned(), Expect::OkOrInvalid),
        ("/api/v1/dossiers?page=92233720368547758&per_page=200".to_owned(), Expect::OkOrInvalid),
        ("/api/v1/dossiers?page=18446744073709551615&per_page=200".to_owned(), Expect::OkOrInvalid),
        // SQL in filters is data: it matches nothing.
        ("/api/v1/dossiers?status=%27%20OR%201%3D1%20--".to_owned(), Expect::EmptyOrInvalid),
        ("/api/v1/dossiers?status=processing%27%20OR%20%271%27%3D%271".to_owned(), Expect::EmptyOrInvalid),
        ("/api/v1/dossiers?procedure=1.004227%27%20OR%201%3D1%20--".to_owned(), Expect::EmptyOrInvalid),
        ("/api/v1/dossiers?procedure=%3Cscript%3E".to_owned(), Expect::EmptyOrInvalid),
        ("/api/v1/dossiers?agency=%27%20OR%201%3D1%20--".to_owned(), Expect::EmptyOrInvalid),
        // Was (fixed): `agency` is matched with LIKE without escaping: `%` and `_` are wildcards, so
        // `agency=%` lists every dossier and `G22_26_01` matches G22.26.01.
        ("/api/v1/dossiers?agency=%25".to_owned(), Expect::EmptyOrInvalid),
        ("/api/v1/dossiers?agency=G22_26_01".to_owned(), Expect::EmptyOrInvalid),
        // Was (these three, PostgreSQL only) (fixed): a NUL in a filter reaches the database: 503.
        ("/api/v1/dossiers?agency=%00".to_owned(), Expect::EmptyOrInvalid),
        ("/api/v1/dossiers?status=%00".to_owned(), Expect::EmptyOrInvalid),
        ("/api/v1/dossiers?procedure=%00".to_owned(), Expect::EmptyOrInvalid),
        ("/api/v1/procedures?unknown=1".to_owned(), Expect::Problem(400, "invalid_query")),
        ("/api/v1/procedures?field=%00".to_owned(), Expect::Empty),
        ("/api/v1/procedures?online_level=%3Cscript%3E".to_owned(), Expect::Empty),
        ("/api/v1/procedures?agency=%25".to_owned(), Expect::Empty),
        ("/api/v1/procedures/1.004227?version=-1".to_owned(), Expect::Problem(400, "invalid_query")),
        ("/api/v1/procedures/1.004227?version=abc".to_owned(), Expect::Problem(400, "invalid_query")),
        ("/api/v1/procedures/1.004227?version=4294967296".to_owned(), Expect::Problem(400, "invalid_query")),
        ("/api/v1/procedures/1.004227?version=1.5".to_owned(), Expect::Problem(400, "invalid_query")),
        ("/api/v1/procedures/1.004227?version=1&version=1".to_owned(), Expect::Problem(400, "invalid_query")),
        ("/api/v1/procedures/1.004227?unknown=1".to_owned(), Expect::Problem(400, "invalid_query")),
        ("/api/v1/procedures/1.004227?version=0".to_owned(), Expect::Problem(404, "not_found")),
        ("/api/v1/procedures/1.004227?version=4294967295".to_owned(), Expect::Problem(404, "not_found")),
        ("/api/v1/procedures/1.004227/diff".to_owned(), Expect::Problem(400, "invalid_query")),
        ("/api/v1/procedures/1.004227/diff?from=1".to_owned(), Expect::Problem(400, "invalid_query")),
        ("/api/v1/procedures/1.004227/diff?from=1&to=1&x=1".to_owned(), Expect::Problem(400, "invalid_query")),
        (
            "/api/v1/procedures/1.004227/diff?from=%27%20OR%201%3D1%20--&to=1".to_owned(),
            Expect::Problem(404, "not_found"),
        ),
        (format!("/api/v1/procedures/1.004227/diff?from=-1&to={big}"), Expect::Problem(404, "not_found")),
        ("/api/v1/stats".to_owned(), Expect::Problem(400, "invalid_query")),
        ("/api/v1/stats?from=2026-01-01".to_owned(), Expect::Problem(400, "invalid_query")),
        ("/api/v1/stats?from=abc&to=2026-01-01".to_owned(), Expect::Problem(400, "invalid_query")),
        ("/api/v1/stats?from=2026-02-30&to=2026-03-01".to_owned(), Expect::Problem(400, "invalid_query")),
        ("/api/v1/stats?from=2026-03-01&to=2026-01-01".to_owned(), Expect::Problem(400, "invalid_query")),
        ("/api/v1/stats?from=2026-01-01&to=2026-12-31&x=1".to_owned(), Expect::Problem(400, "invalid_query")),
        (
            "/api/v1/stats?from=2026-01-01&to=2026-12-31&agency=..%2F..%2Fetc".to_owned(),
            Expect::Problem(400, "invalid_query"),
        ),
        (
            "/api/v1/stats?from=2026-01-01&to=2026-12-31&agency=%27%20OR%201%3D1%20--".to_owned(),
            Expect::Problem(400, "invalid_query"),
        ),
        ("/api/v1/stats?from=2026-01-01&to=2026-12-31&agency=%00".to_owned(), Expect::Problem(400, "invalid_query")),
        // Extreme but well-formed dates: a report, or a refusal; never a 5xx.
        ("/api/v1/stats?from=0001-01-01&to=9999-12-31".to_owned(), Expect::OkOrInvalid),
        ("/api/v1/stats?from=-262143-01-01&to=2026-01-01".to_owned(), Expect::OkOrInvalid),
        ("/api/v1/stats?from=2026-01-01&to=%2B262142-12-31".to_owned(), Expect::OkOrInvalid),
        (format!("/api/v1/dossiers/{dossier}?unknown=1"), Expect::Problem(400, "invalid_query")),
        (format!("/api/v1/dossiers/{dossier}/receipt?unknown=1"), Expect::Problem(400, "invalid_query")),
        (format!("/api/v1/dossiers/{dossier}/receipt?key=a&key=b"), Expect::Problem(400, "invalid_query")),
    ];
    for (path, expect) in cases {
        let request = c.request(Method::GET, &path, &c.admin.clone());
        let shown: String = path.chars().take(120).collect();
        c.run(&format!("GET {shown}"), request, expect).await;
    }
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
        let page = String::from_utf8_lossy(&page);
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
