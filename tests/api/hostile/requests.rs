//! Path parameters and query strings: traversal, odd characters, injection-looking filters,
//! extreme values.

use super::*;

section!(hostile_paths_and_queries_get_coded_problems, "requests", |c| {
    let target = c.fresh_dossier("target of the path and query corpus").await;
    path_parameters(c, &target).await;
    query_strings(c, &target).await;
});

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
    let invalid = || Expect::Problem(400, "invalid_query");
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
        // Valid but far past the last page: an empty page up to the last page number the list
        // serves, a refusal beyond.
        // Was (the last two) (fixed): the worker panics and the connection drops with no answer.
        // `page * per_page` past i64::MAX panics in sea-query-sqlx's binding
        // (`TryFromIntError`, sqlx_sqlite.rs:36) and past u64::MAX in sea-orm's paginator
        // (`attempt to multiply with overflow`, paginator.rs:59).
        ("/api/v1/dossiers?page=1000000".to_owned(), Expect::Ok),
        ("/api/v1/dossiers?page=46116860184273879&per_page=200".to_owned(), invalid()),
        ("/api/v1/dossiers?page=92233720368547758&per_page=200".to_owned(), invalid()),
        ("/api/v1/dossiers?page=18446744073709551615&per_page=200".to_owned(), invalid()),
        // SQL in filters is never a filter: each is checked for what it names (a state, a
        // procedure code, an agency code) and refused.
        ("/api/v1/dossiers?status=%27%20OR%201%3D1%20--".to_owned(), invalid()),
        ("/api/v1/dossiers?status=processing%27%20OR%20%271%27%3D%271".to_owned(), invalid()),
        ("/api/v1/dossiers?procedure=1.004227%27%20OR%201%3D1%20--".to_owned(), invalid()),
        ("/api/v1/dossiers?procedure=%3Cscript%3E".to_owned(), invalid()),
        ("/api/v1/dossiers?agency=%27%20OR%201%3D1%20--".to_owned(), invalid()),
        // Was (fixed): `agency` is matched with LIKE without escaping: `%` and `_` are wildcards, so
        // `agency=%` lists every dossier and `G22_26_01` matches G22.26.01.
        ("/api/v1/dossiers?agency=%25".to_owned(), invalid()),
        ("/api/v1/dossiers?agency=G22_26_01".to_owned(), invalid()),
        // Was (these three, PostgreSQL only) (fixed): a NUL in a filter reaches the database: 503.
        ("/api/v1/dossiers?agency=%00".to_owned(), invalid()),
        ("/api/v1/dossiers?status=%00".to_owned(), invalid()),
        ("/api/v1/dossiers?procedure=%00".to_owned(), invalid()),
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
        ("/api/v1/stats?from=0001-01-01&to=9999-12-31".to_owned(), Expect::Ok),
        ("/api/v1/stats?from=-262143-01-01&to=2026-01-01".to_owned(), invalid()),
        ("/api/v1/stats?from=2026-01-01&to=%2B262142-12-31".to_owned(), Expect::Ok),
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
