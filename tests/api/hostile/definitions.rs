//! Drafts (YAML bombs, bodies over the limit, invalid UTF-8, wrong types) and procedure
//! owners.

use super::*;

section!(hostile_drafts_and_owners_get_coded_problems, "definitions", |c| {
    owners(c).await;
    drafts(c).await;
});

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
