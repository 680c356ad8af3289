//! Who may do what: every route of `server/src/routes` against every kind of caller, down to
//! the resource (the owning agency, the steps' units, the client who submitted the dossier).
//!
//! The matrix below is the documentation: one row per route (and per variant of a route whose
//! answer depends on the resource or the lookup key), one column per caller. Every cell is
//! one real request against one running server; every mismatch is collected and reported
//! together. Every 401 and 403 must be `application/problem+json` with `code` `unauthorized`
//! or `forbidden`.

use crate::dossiers::{land_change, submit, submit_received};
use crate::helpers::{TestApp, spawn_app};
use chrono::{Duration, Utc};
use motcua_server::auth::{ApiRole, NewToken, create_token};
use reqwest::{Method, RequestBuilder, Response};
use serde_json::{Value, json};
use std::cell::Cell;

const LAND: &str = include_str!("../../procedures/1.004227-dang-ky-bien-dong-thay-doi-thong-tin.yaml");
/// The land procedure belongs to this agency (its department is the "owning" one).
const OWNER: &str = "G22.26.01";

/// Who calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Caller {
    /// No `Authorization` header.
    Anonymous,
    /// `Authorization: Basic x`.
    Malformed,
    /// A bearer token nobody issued.
    Unknown,
    /// An admin token whose `expires_at` has passed.
    Expired,
    Admin,
    /// Department of G22.26.01, which owns procedure 1.004227.
    DepartmentOwner,
    /// Department of G22.11, another agency.
    DepartmentOther,
    /// Reception officer of G22.26.01.01, the procedure's one-stop desk (steps 1 and 4).
    Desk,
    /// Specialist officer of G22.26.01.03 (step 2).
    Specialist,
    /// Reception officer of G22.11.01, an unrelated agency.
    OfficerOther,
    /// The client who submitted the dossier.
    ClientA,
    /// Another client.
    ClientB,
}

use Caller::*;

const CALLERS: [Caller; 12] = [
    Anonymous,
    Malformed,
    Unknown,
    Expired,
    Admin,
    DepartmentOwner,
    DepartmentOther,
    Desk,
    Specialist,
    OfficerOther,
    ClientA,
    ClientB,
];

/// The routes, with the variants whose answer depends on the resource.
#[derive(Clone, Copy, Debug)]
enum Route {
    Health,
    Catalogue,
    Procedure,
    PutDraft,
    Publish,
    Retire,
    Versions,
    Diff,
    DiffDraft,
    Impact,
    GetOwner,
    PutOwner,
    Agencies,
    PutAgency,
    Submit,
    ListDossiers,
    GetDossier,
    GetDossierRightKey,
    GetDossierWrongKey,
    GetNoSuchDossier,
    ActWrongState,
    ActAccept,
    Receipt,
    ReceiptRightKey,
    ReceiptWrongKey,
    Apology,
    ApologyRightKey,
    Stats,
    StatsOfOwner,
    Alerts,
    Import,
    OpenApi,
    Metrics,
}

use Route::*;

/// What a cell expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// Exactly this status.
    Status(u16),
    /// Allowed to act: 200, or 422 `action_refused` from the lifecycle (never 401/403/404).
    Acts,
    /// 200 with the full dossier (applicant, form, documents).
    Full,
    /// 200 with the public tracking view only: no personal data.
    Public,
    /// 200, and the list holds client A's dossier.
    Listed,
    /// 200, and the list does not hold it.
    Unlisted,
    /// 200, and the draft is among the versions.
    Drafts,
    /// 200, and only published or retired versions are shown.
    NoDrafts,
}

use Expect::*;

const S200: Expect = Status(200);
const S201: Expect = Status(201);
const S401: Expect = Status(401);
const S403: Expect = Status(403);
const S404: Expect = Status(404);
/// Not the full dossier to this caller: the same 404 as a code that does not exist.
const HIDE: Expect = Status(404);

/// Route × caller → expected answer. Paths are under `/api/v1` except `/health` and the last
/// two; `{p}` is procedure 1.004227, `{d}` a dossier client A submitted (with an apology
/// issued by the owning department), `{key}` its receipt's lookup key.
#[rustfmt::skip]
const MATRIX: &[(&str, Route, [Expect; 12])] = &[
    //                                               anon  Basic  unknown expired admin  dep.own dep.oth desk  special off.oth clientA clientB
    // Public; /health and the catalogue never look at the Authorization header, so a bad
    // token does not matter there.
    ("GET /health",                         Health,             [S200, S200, S200, S200, S200, S200, S200, S200, S200, S200, S200, S200]),
    ("GET /procedures",                     Catalogue,          [S200, S200, S200, S200, S200, S200, S200, S200, S200, S200, S200, S200]),
    ("GET /procedures/{p}",                 Procedure,          [S200, S200, S200, S200, S200, S200, S200, S200, S200, S200, S200, S200]),
    // Editing: admin, or the department owning the procedure.
    ("PUT /procedures/{p}/draft",           PutDraft,           [S401, S401, S401, S401, S200, S200, S403, S403, S403, S403, S403, S403]),
    ("POST /procedures/{p}/publish",        Publish,            [S401, S401, S401, S401, S200, S200, S403, S403, S403, S403, S403, S403]),
    ("POST /procedures/{p}/retire",         Retire,             [S401, S401, S401, S401, S200, S200, S403, S403, S403, S403, S403, S403]),
    ("GET /procedures/{p}/impact",          Impact,             [S401, S401, S401, S401, S200, S200, S403, S403, S403, S403, S403, S403]),
    // Public, but a token is checked when sent; drafts only for those who may edit them.
    ("GET /procedures/{p}/versions",        Versions,           [NoDrafts, S401, S401, S401, Drafts, Drafts, NoDrafts, NoDrafts, NoDrafts, NoDrafts, NoDrafts, NoDrafts]),
    ("GET /procedures/{p}/diff?from=1&to=1", Diff,              [S200, S401, S401, S401, S200, S200, S200, S200, S200, S200, S200, S200]),
    ("GET /procedures/{p}/diff?to=draft",   DiffDraft,          [S404, S401, S401, S401, S200, S200, S404, S404, S404, S404, S404, S404]),
    // Who owns the code is public; only an administrator moves it.
    ("GET /procedures/{p}/owner",           GetOwner,           [S200, S200, S200, S200, S200, S200, S200, S200, S200, S200, S200, S200]),
    ("PUT /procedures/{p}/owner",           PutOwner,           [S401, S401, S401, S401, S200, S403, S403, S403, S403, S403, S403, S403]),
    // The registry of agencies is public; only an administrator edits it.
    ("GET /agencies",                       Agencies,           [S200, S200, S200, S200, S200, S200, S200, S200, S200, S200, S200, S200]),
    ("PUT /agencies/{desk}",                PutAgency,          [S401, S401, S401, S401, S200, S403, S403, S403, S403, S403, S403, S403]),
    // Submission: a client, or a reception officer at the procedure's desk.
    ("POST /dossiers",                      Submit,             [S401, S401, S401, S401, S403, S403, S403, S201, S403, S403, S201, S201]),
    // The list holds what the token may see (the same rule as GET /dossiers/{d}), steps of
    // other units included.
    ("GET /dossiers",                       ListDossiers,       [S401, S401, S401, S401, Listed, Listed, Unlisted, Listed, Listed, Unlisted, Listed, Unlisted]),
    // One dossier: who may see it gets it in full; anyone else a 404, as for a code that does
    // not exist, so codes cannot be probed; the receipt's key gives the public view.
    ("GET /dossiers/{d}",                   GetDossier,         [HIDE, S401, S401, S401, Full, Full, HIDE, Full, Full, HIDE, Full, HIDE]),
    ("GET /dossiers/{d}?key={key}",         GetDossierRightKey, [Public, S401, S401, S401, Full, Full, Public, Full, Full, Public, Full, Public]),
    ("GET /dossiers/{d}?key=<wrong>",       GetDossierWrongKey, [HIDE, S401, S401, S401, Full, Full, HIDE, Full, Full, HIDE, Full, HIDE]),
    ("GET /dossiers/<no such code>",        GetNoSuchDossier,   [S404, S401, S401, S401, S404, S404, S404, S404, S404, S404, S404, S404]),
    // Actions: those who may see the dossier reach the lifecycle, which judges the actor;
    // admins do not act on dossiers. `resubmit` is in the wrong state for everybody.
    ("POST /dossiers/{d}/actions resubmit", ActWrongState,      [S401, S401, S401, S401, S403, Acts, HIDE, Acts, Acts, HIDE, Acts, HIDE]),
    // `accept` of a dossier just submitted online: only the procedure's desk may.
    ("POST /dossiers/<new>/actions accept", ActAccept,          [S401, S401, S401, S401, S403, S403, HIDE, S200, S403, HIDE, S403, HIDE]),
    // Printable forms: a token that may see the dossier, or the right key.
    ("GET /dossiers/{d}/receipt",           Receipt,            [HIDE, S401, S401, S401, S200, S200, HIDE, S200, S200, HIDE, S200, HIDE]),
    ("GET /dossiers/{d}/receipt?key={key}", ReceiptRightKey,    [S200, S401, S401, S401, S200, S200, S200, S200, S200, S200, S200, S200]),
    ("GET /dossiers/{d}/receipt?key=<wrong>", ReceiptWrongKey,  [HIDE, S401, S401, S401, S200, S200, HIDE, S200, S200, HIDE, S200, HIDE]),
    ("GET /dossiers/{d}/apology",           Apology,            [HIDE, S401, S401, S401, S200, S200, HIDE, S200, S200, HIDE, S200, HIDE]),
    ("GET /dossiers/{d}/apology?key={key}", ApologyRightKey,    [S200, S401, S401, S401, S200, S200, S200, S200, S200, S200, S200, S200]),
    // Statistics: staff, each for its own agency; an agency asked must be governed.
    ("GET /stats?from&to",                  Stats,              [S401, S401, S401, S401, S200, S200, S200, S200, S200, S200, S403, S403]),
    ("GET /stats?from&to&agency=G22.26.01", StatsOfOwner,       [S401, S401, S401, S401, S200, S200, S403, S403, S403, S403, S403, S403]),
    // Deadline alerts: staff, each seeing those of the dossiers it may see; not clients.
    ("GET /alerts",                         Alerts,             [S401, S401, S401, S401, S200, S200, S200, S200, S200, S200, S403, S403]),
    // Import: admins only.
    ("POST /import/dossiers",               Import,             [S401, S401, S401, S401, S200, S403, S403, S403, S403, S403, S403, S403]),
    // Outside server/src/routes, mounted beside them: the API description is public (it
    // ignores the header), the metrics are for admins.
    ("GET /api/openapi.json",               OpenApi,            [S200, S200, S200, S200, S200, S200, S200, S200, S200, S200, S200, S200]),
    ("GET /metrics",                        Metrics,            [S401, S401, S401, S401, S200, S403, S403, S403, S403, S403, S403, S403]),
];

/// The codes of a 403: `forbidden`, or a more precise refusal.
const FORBIDDEN_CODES: &[&str] = &["forbidden", "not_owner", "channel_not_allowed"];

/// One server with a token per caller and a dossier of client A's with an apology.
struct Fixture {
    app: TestApp,
    /// The `Authorization` header of each caller, in `CALLERS` order.
    headers: Vec<Option<String>>,
    admin: String,
    client_a: String,
    department: String,
    dossier: String,
    key: String,
    /// The next definition version to upload: always newer than any published one.
    next_version: Cell<u32>,
}

/// A token that stopped working an hour ago.
async fn expired_token(app: &TestApp) -> String {
    let db = motcua_server::db::connect(&app.database_url).await.expect("database");
    let new = NewToken {
        name: "Quản trị (hết hạn)".to_owned(),
        role: ApiRole::Admin,
        agency: None,
        duty: None,
        channels: Vec::new(),
        expires_at: Some((Utc::now() - Duration::hours(1)).fixed_offset()),
    };
    create_token(&db, new).await.expect("token created")
}

impl Fixture {
    async fn new() -> Fixture {
        let app = spawn_app().await;
        let expired = expired_token(&app).await;
        let admin = app.token("admin", "Quản trị", None, None).await;
        let department = app.token("department", "Chi nhánh VPĐKĐĐ Pleiku", Some(OWNER), None).await;
        let other_department = app.token("department", "Sở Tư pháp", Some("G22.11"), None).await;
        let desk = app.token("officer", "Một cửa", Some("G22.26.01.01"), Some("reception")).await;
        let specialist = app.token("officer", "Chuyên viên", Some("G22.26.01.03"), Some("specialist")).await;
        let other_officer = app.token("officer", "Một cửa Sở Tư pháp", Some("G22.11.01"), Some("reception")).await;
        let client_a = app.token("client", "Cổng dịch vụ công", None, None).await;
        let client_b = app.token("client", "Ứng dụng khác", None, None).await;

        let created = submit_received(&app, &client_a, &land_change("064090001234")).await;
        let dossier = created["code"].as_str().expect("code").to_owned();
        let key = created["lookup_key"].as_str().expect("lookup key").to_owned();
        // The head of the owning agency issues an apology (Mẫu 04), so the apology page exists.
        let apology = app
            .client
            .post(format!("{}/api/v1/dossiers/{dossier}/actions", app.address))
            .bearer_auth(&department)
            .header("If-Match", "\"2\"")
            .json(&json!({"action": "apologize", "reason": "Chờ xác minh", "new_due": "2026-03-20T17:00:00+07:00"}))
            .send()
            .await
            .expect("sent");
        assert_eq!(apology.status(), 200, "{}", apology.text().await.unwrap_or_default());

        let bearer = |t: &str| Some(format!("Bearer {t}"));
        let headers = vec![
            None,
            Some("Basic x".to_owned()),
            bearer(&format!("mc_{}", "0".repeat(64))),
            bearer(&expired),
            bearer(&admin),
            bearer(&department),
            bearer(&other_department),
            bearer(&desk),
            bearer(&specialist),
            bearer(&other_officer),
            bearer(&client_a),
            bearer(&client_b),
        ];
        Fixture { app, headers, admin, client_a, department, dossier, key, next_version: Cell::new(2) }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.app.address)
    }

    /// A request as `caller`.
    fn request(&self, caller: Caller, method: Method, path: &str) -> RequestBuilder {
        let index = CALLERS.iter().position(|c| *c == caller).expect("caller");
        let request = self.app.client.request(method, self.url(path));
        match &self.headers[index] {
            Some(header) => request.header("Authorization", header),
            None => request,
        }
    }

    /// Uploads a valid draft of the land procedure as `Authorization: <header>`.
    fn draft(&self, request: RequestBuilder) -> RequestBuilder {
        let version = self.next_version.get();
        self.next_version.set(version + 1);
        let yaml = LAND.replacen("\nversion: 1\n", &format!("\nversion: {version}\n"), 1);
        request.header("Content-Type", "application/yaml").body(yaml)
    }

    /// The admin uploads a fresh draft; its version.
    async fn fresh_draft(&self) -> u32 {
        let version = self.next_version.get();
        let request = self.app.client.put(self.url("/api/v1/procedures/1.004227/draft")).bearer_auth(&self.admin);
        let response = self.draft(request).send().await.expect("sent");
        assert_eq!(response.status(), 200, "setup: draft v{version}: {}", response.text().await.unwrap_or_default());
        version
    }

    async fn admin_post(&self, path: &str, body: Value) {
        let response = self.app.client.post(self.url(path)).bearer_auth(&self.admin).json(&body).send().await;
        let response = response.expect("sent");
        assert_eq!(response.status(), 200, "setup: {path}: {}", response.text().await.unwrap_or_default());
    }

    /// The dossier's current ETag, read by the admin.
    async fn etag(&self, code: &str) -> String {
        let response = self
            .app
            .client
            .get(self.url(&format!("/api/v1/dossiers/{code}")))
            .bearer_auth(&self.admin)
            .send()
            .await
            .expect("sent");
        response.headers()["etag"].to_str().expect("ETag").to_owned()
    }

    /// Sends `route` as `caller`, preparing what the cell needs first.
    async fn call(&self, route: Route, caller: Caller) -> Response {
        let p = "/api/v1/procedures/1.004227";
        let d = format!("/api/v1/dossiers/{}", self.dossier);
        let key = &self.key;
        let get = |path: &str| self.request(caller, Method::GET, path);
        let request = match route {
            Health => get("/health"),
            Catalogue => get("/api/v1/procedures"),
            Procedure => get(p),
            PutDraft => self.draft(self.request(caller, Method::PUT, &format!("{p}/draft"))),
            Publish => {
                self.fresh_draft().await;
                self.request(caller, Method::POST, &format!("{p}/publish"))
            }
            Retire => {
                let version = self.fresh_draft().await;
                self.admin_post(&format!("{p}/publish"), json!(null)).await;
                self.request(caller, Method::POST, &format!("{p}/retire")).json(&json!({"version": version}))
            }
            Versions => {
                self.fresh_draft().await;
                get(&format!("{p}/versions"))
            }
            Diff => get(&format!("{p}/diff?from=1&to=1")),
            DiffDraft => {
                self.fresh_draft().await;
                get(&format!("{p}/diff?from=1&to=draft"))
            }
            Impact => {
                self.fresh_draft().await;
                get(&format!("{p}/impact"))
            }
            GetOwner => get(&format!("{p}/owner")),
            PutOwner => self
                .request(caller, Method::PUT, &format!("{p}/owner"))
                .json(&json!({"agency": OWNER, "reason": "Xác nhận thẩm quyền"})),
            Agencies => get("/api/v1/agencies"),
            PutAgency => self
                .request(caller, Method::PUT, "/api/v1/agencies/G22.26.01.01")
                .json(&json!({"name": "Bộ phận tiếp nhận và trả kết quả", "parent": OWNER})),
            Submit => {
                // No channel claimed: each token files by its own (the desk at the counter).
                let mut body = land_change("064090005678");
                body.as_object_mut().expect("object").remove("channel");
                self.request(caller, Method::POST, "/api/v1/dossiers").json(&body)
            }
            ListDossiers => get("/api/v1/dossiers?per_page=200"),
            GetDossier => get(&d),
            GetDossierRightKey => get(&format!("{d}?key={key}")),
            GetDossierWrongKey => get(&format!("{d}?key=WRONGKEY23")),
            GetNoSuchDossier => get("/api/v1/dossiers/G22.26.01.01-260302-9999"),
            ActWrongState => {
                let etag = self.etag(&self.dossier).await;
                self.request(caller, Method::POST, &format!("{d}/actions"))
                    .header("If-Match", etag)
                    .json(&json!({"action": "resubmit"}))
            }
            ActAccept => {
                let created = submit(&self.app, &self.client_a, &land_change("064090009999"), None).await;
                assert_eq!(created.status(), 201, "setup: a fresh dossier");
                let created: Value = created.json().await.expect("JSON");
                let code = created["code"].as_str().expect("code");
                self.request(caller, Method::POST, &format!("/api/v1/dossiers/{code}/actions"))
                    .header("If-Match", "\"1\"")
                    .json(&json!({"action": "accept"}))
            }
            Receipt => get(&format!("{d}/receipt")),
            ReceiptRightKey => get(&format!("{d}/receipt?key={key}")),
            ReceiptWrongKey => get(&format!("{d}/receipt?key=WRONGKEY23")),
            Apology => get(&format!("{d}/apology")),
            ApologyRightKey => get(&format!("{d}/apology?key={key}")),
            Stats => get("/api/v1/stats?from=2026-03-01&to=2026-03-31"),
            StatsOfOwner => get(&format!("/api/v1/stats?from=2026-03-01&to=2026-03-31&agency={OWNER}")),
            Alerts => get("/api/v1/alerts"),
            Import => self
                .request(caller, Method::POST, "/api/v1/import/dossiers")
                .header("Content-Type", "application/x-ndjson")
                .body(""),
            OpenApi => get("/api/openapi.json"),
            Metrics => get("/metrics"),
        };
        request.send().await.expect("sent")
    }
}

/// What a cell got, in the table's terms where they apply.
fn judge(expected: Expect, status: u16, body: &Value, dossier: &str) -> bool {
    let items = || body["items"].as_array().cloned().unwrap_or_default();
    match expected {
        Status(s) => status == s,
        Acts => status == 200 || (status == 422 && body["code"] == "action_refused"),
        Full => status == 200 && body["applicant"].is_object() && body["form"].is_object(),
        Public => {
            status == 200 && body.get("applicant").is_none() && body.get("form").is_none() && body["state"].is_string()
        }
        Listed | Unlisted => status == 200 && (expected == Listed) == items().iter().any(|i| i["code"] == dossier),
        Drafts | NoDrafts => {
            let drafts = body["versions"].as_array().is_some_and(|v| v.iter().any(|v| v["status"] == "draft"));
            status == 200 && (expected == Drafts) == drafts
        }
    }
}

/// What a cell got, for the report.
fn describe(status: u16, body: &Value, dossier: &str) -> String {
    let mut text = status.to_string();
    if let Some(items) = body["items"].as_array() {
        let listed = items.iter().any(|i| i["code"] == dossier);
        text += if listed { " Listed" } else { " Unlisted" };
    } else if let Some(versions) = body["versions"].as_array() {
        text += if versions.iter().any(|v| v["status"] == "draft") { " Drafts" } else { " NoDrafts" };
    } else if status == 200 && body.is_object() && body.get("state").is_some() {
        text += if body.get("applicant").is_some() { " Full" } else { " Public" };
    } else if let Some(code) = body["code"].as_str().filter(|_| status >= 400) {
        text += &format!(" {code}");
    }
    text
}

#[tokio::test]
async fn every_route_answers_every_caller_as_the_matrix_says() {
    let fx = Fixture::new().await;
    let mut failures = Vec::new();
    let mut cells = 0;
    for (name, route, row) in MATRIX {
        for (caller, expected) in CALLERS.iter().zip(row) {
            cells += 1;
            let response = fx.call(*route, *caller).await;
            let status = response.status().as_u16();
            let kind = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
            let text = response.text().await.expect("body");
            let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            if !judge(*expected, status, &body, &fx.dossier) {
                let got = describe(status, &body, &fx.dossier);
                failures.push(format!("{name} × {caller:?}: expected {expected:?}, got {got}"));
            }
            // Every refusal of authentication or authorisation is a problem document.
            if let Some(codes) = match status {
                401 => Some(&["unauthorized"][..]),
                403 => Some(FORBIDDEN_CODES),
                _ => None,
            } && (!kind.starts_with("application/problem+json") || !codes.iter().any(|c| body["code"] == *c))
            {
                failures.push(format!("{name} × {caller:?}: {status} is not problem+json {codes:?}: {kind} {text}"));
            }
        }
    }
    assert_eq!(cells, MATRIX.len() * CALLERS.len());
    assert!(failures.is_empty(), "{} of {cells} cells differ:\n{}", failures.len(), failures.join("\n"));
}

#[tokio::test]
async fn the_matrix_covers_every_caller_and_its_tokens_are_what_they_claim() {
    let fx = Fixture::new().await;
    assert_eq!(fx.headers.len(), CALLERS.len());
    // The expired token is refused for being expired, not unknown.
    let response = fx.request(Expired, Method::GET, "/api/v1/dossiers").send().await.expect("sent");
    let problem: Value = response.json().await.expect("JSON");
    assert!(problem["detail"].as_str().is_some_and(|d| d.contains("expired")), "{problem}");
    let response = fx.request(Malformed, Method::GET, "/api/v1/dossiers").send().await.expect("sent");
    let problem: Value = response.json().await.expect("JSON");
    assert!(problem["detail"].as_str().is_some_and(|d| d.contains("Bearer")), "{problem}");
    // The owning department is the one that issued the apology on client A's dossier.
    let response =
        fx.app.client.get(fx.url(&format!("/api/v1/dossiers/{}", fx.dossier))).bearer_auth(&fx.department).send();
    let dossier: Value = response.await.expect("sent").json().await.expect("JSON");
    assert_eq!(dossier["agency"], OWNER);
    assert_eq!(dossier["apology"]["agency"], OWNER);
}

#[tokio::test]
async fn a_revoked_token_is_refused() {
    let app = spawn_app().await;
    let token = app.token("client", "Ứng dụng bị thu hồi", None, None).await;
    assert_eq!(app.get_as("/api/v1/dossiers", &token).await.status(), 200);
    let db = motcua_server::db::connect(&app.database_url).await.expect("database");
    let id = motcua_server::auth::list_tokens(&db).await.expect("tokens").last().expect("one").id;
    assert!(motcua_server::auth::revoke_token(&db, id).await.expect("revoked"));
    let response = app.get_as("/api/v1/dossiers", &token).await;
    assert_eq!(response.status(), 401);
    let problem: serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(problem["detail"], "this token was revoked");
}
