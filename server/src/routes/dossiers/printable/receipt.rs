//! The receipt and appointment (Mẫu 01): what was received, the appointment, the fee, with
//! the applicant's and the receiving officer's signatures.

use super::{Header, KeyQuery, Printable, names, page, signer, spoken, text};
use crate::error::{ApiError, ErrorCode};
use actix_web::{HttpResponse, get};
use askama::Template;
use motcua_engine::definition::{Channel, DocumentKind};
use motcua_engine::legal::rule_set_on;

/// A document of the checklist.
struct Document {
    title: String,
    kind: &'static str,
    copies: String,
    note: &'static str,
}

#[derive(Template)]
#[template(path = "printable/receipt.html")]
struct Receipt {
    h: Header,
    key: String,
    applicant: String,
    address: String,
    phone: String,
    email: String,
    procedure: String,
    documents: Vec<Document>,
    processing_time: String,
    received: String,
    due: String,
    fee: String,
    result_at: String,
    receiver: String,
}

/// The receipt and appointment (Mẫu 01) as a printable page. With a token that may see the
/// dossier, or `?key=` with the lookup key.
#[utoipa::path(get, path = "/api/v1/dossiers/{code}/receipt", operation_id = "receipt", tag = "dossiers", params(("code" = String, Path, description = "dossier code, e.g. G22.26.01.01-260302-0001"), KeyQuery), responses((status = 429, description = "too many anonymous lookups from this address", body = crate::error::Problem, content_type = "application/problem+json"), (status = 200, description = "printable Mẫu 01", body = String, content_type = "text/html"), (status = 404, description = "no such dossier for you", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/dossiers/{code}/receipt")]
pub async fn receipt(asked: Printable) -> Result<HttpResponse, ApiError> {
    let Printable { row, submission, state, .. } = asked;
    let code = &row.code;
    let Some(received_at) = row.received_at else {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            format!("dossier `{code}` is not received yet: its receipt (Mẫu 01) is issued when reception accepts it"),
        ));
    };
    let r = &submission["receipt"];
    let desk = r["desk"].as_str().unwrap_or(row.agency.as_str());
    let names = names(&state.db, &[row.agency.as_str(), desk]).await?;
    let rules = rule_set_on(received_at.date_naive());
    let documents = r["checklist"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|i| i["required"] == true || i["provided"] == true)
        .map(|item| Document {
            title: text(&item["title"]),
            kind: serde_json::from_value::<DocumentKind>(item["kind"].clone()).unwrap_or(DocumentKind::Copy).label(),
            copies: item["copies"].to_string(),
            note: if item["provided"] == true { "Đã nộp" } else { "Chưa nộp" },
        })
        .collect();
    // Who received it: the officer who accepted it or filed it at the counter; an online
    // dossier a definition accepts at once was received by the portal.
    let history = state.dossiers().history(&row).await?;
    let received_by = history.iter().find(|r| r.to == "processing");
    let receiver = match received_by {
        Some(r) if r.action == "accept" || row.lifecycle.channel == Channel::Counter => signer(&r.actor).to_owned(),
        _ => "Tiếp nhận trực tuyến trên Cổng dịch vụ công".to_owned(),
    };
    let applicant = &submission["applicant"];
    let form = Receipt {
        h: Header::new(
            rules.forms.receipt,
            rules.forms.circular,
            (names.of(row.agency.as_str()), names.of(desk)),
            code,
            received_at,
        ),
        key: text(&r["lookup_key"]),
        applicant: text(&applicant["name"]),
        address: text(&applicant["address"]),
        phone: text(&applicant["phone"]),
        email: text(&applicant["email"]),
        procedure: text(&r["procedure"]),
        documents,
        processing_time: text(&r["processing_time"]),
        received: spoken(received_at),
        due: row.due_at.map(spoken).unwrap_or_default(),
        fee: crate::vi_format::dong(row.fee),
        result_at: match row.lifecycle.channel {
            Channel::Online => "Cổng dịch vụ công (bản điện tử) hoặc Bộ phận tiếp nhận và trả kết quả".to_owned(),
            Channel::Postal => "Địa chỉ của người nộp, qua dịch vụ bưu chính công ích".to_owned(),
            Channel::Counter => names.of(desk),
        },
        receiver,
    };
    page(&form)
}
