//! `POST /api/v1/dossiers`: truncated, malformed and oversized bodies, wrong content types and
//! types, hostile text in every field.

use super::*;

section!(hostile_submissions_get_coded_problems, "submissions", |c| submissions(c).await);

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
