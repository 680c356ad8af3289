//! `POST …/actions`: hostile payloads in every action, odd `If-Match` values, reception and
//! the applicant's answers.

use super::*;

section!(hostile_actions_get_coded_problems_and_move_nothing, "actions", |c| {
    actions(c).await;
    reception_and_answers(c).await;
});

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
