//! `GET /can-bo/ho-so/{code}`: a dossier as the officer works it — applicant, forms,
//! documents, history, the printable forms, and only the actions this officer may take now,
//! each with the form of its payload; `POST …/xu-ly` takes one, under the version the page
//! showed (someone acting first is told, not overwritten).

use super::page::{PageResult, PortalError, render_with};
use super::session::Staff;
use super::{at_text, fee_text, form_body};
use crate::dossiers::Seen;
use crate::dossiers::available::available;
use crate::dossiers::record::StoredDossier;
use crate::dossiers::requests::ActionRequest;
use crate::error::{ApiError, ErrorCode};
use crate::problems::{Family, find};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use chrono::{NaiveDateTime, TimeZone};
use motcua_engine::Procedure;
use motcua_engine::calendar::VIETNAM_OFFSET;
use motcua_engine::lifecycle::{Action, PauseReason, State};
use serde::Deserialize;
use serde_json::{Map, Value, json};

/// A field of an action's form.
struct Field {
    name: &'static str,
    label: &'static str,
    /// `text`, `lines` (one item a line), `datetime`, `approval` or `channel`.
    kind: &'static str,
    required: bool,
}

/// An action offered, with its form.
struct Offered {
    name: &'static str,
    label: &'static str,
    fields: Vec<Field>,
}

const fn field(name: &'static str, label: &'static str, kind: &'static str, required: bool) -> Field {
    Field { name, label, kind, required }
}

/// The form of action `name`'s payload.
fn fields_of(name: &str) -> Vec<Field> {
    match name {
        "request_supplement_before_receipt" | "request_supplement" => {
            vec![field(
                "items",
                "Nội dung cần bổ sung, hoàn thiện (mỗi dòng một nội dung, nêu rõ lý do)",
                "lines",
                true,
            )]
        }
        "refuse" => vec![field("reasons", "Lý do từ chối (mỗi dòng một lý do)", "lines", true)],
        "forward" => vec![field("note", "Ghi chú bàn giao (nếu có)", "text", false)],
        "request_financial_obligation" => {
            vec![field("note", "Nghĩa vụ tài chính công dân cần thực hiện", "text", true)]
        }
        "apologize" => vec![
            field("reason", "Lý do chậm trễ", "text", true),
            field("new_due", "Hẹn lại ngày trả kết quả", "datetime", true),
        ],
        "decide" => vec![
            field("approved", "Kết quả", "approval", true),
            field("reasons", "Lý do (bắt buộc khi không giải quyết; mỗi dòng một lý do)", "lines", false),
        ],
        "return_result" => vec![field("channel", "Trả kết quả", "channel", true)],
        "stop" => vec![field("reason", "Lý do dừng (theo đề nghị của công dân)", "text", true)],
        _ => Vec::new(),
    }
}

/// A form of the dossier with its rows (title, value).
struct FormShown {
    title: String,
    rows: Vec<(String, String)>,
}

/// What the page shows of the dossier.
struct Shown {
    code: String,
    version: i32,
    procedure: String,
    state: &'static str,
    channel: &'static str,
    submitted_at: String,
    appointment: Option<String>,
    fee: String,
    applicant: Vec<(String, String)>,
    forms: Vec<FormShown>,
    documents: Vec<(String, &'static str, bool)>,
    history: Vec<(String, String, String, String)>,
    printable: Vec<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "portal/dossier.html")]
struct DossierPage {
    title: String,
    d: Shown,
    actions: Vec<Offered>,
    csrf: String,
    message: String,
    /// The files filed with it: name, document, size, link.
    files: Vec<(String, String, String, String)>,
}

/// A value as a person reads it.
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Bool(true) => "Có".to_owned(),
        Value::Bool(false) => "Không".to_owned(),
        Value::Null => String::new(),
        Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join("; "),
        other => other.to_string(),
    }
}

/// The rows of form data `value` under `schema`: each field by its title, nested objects
/// with their parent's title before theirs.
fn rows(schema: &Value, value: &Value, prefix: &str, out: &mut Vec<(String, String)>) {
    let Value::Object(fields) = value else {
        out.push((prefix.to_owned(), text(value)));
        return;
    };
    for (key, item) in fields {
        let sub = &schema["properties"][key];
        let title = sub["title"].as_str().unwrap_or(key);
        let title = if prefix.is_empty() { title.to_owned() } else { format!("{prefix} — {title}") };
        match item {
            Value::Object(_) => rows(sub, item, &title, out),
            item => out.push((title, text(item))),
        }
    }
}

fn shown(dossier: &StoredDossier, procedure: &Procedure, history: Vec<crate::repository::dossiers::Recorded>) -> Shown {
    let d = &dossier.lifecycle;
    let submission = &dossier.submission;
    let applicant = &submission.applicant;
    let mut people = vec![("Họ và tên".to_owned(), applicant.name.clone())];
    for (label, value) in [
        ("Số định danh cá nhân", &applicant.id_number),
        ("Số điện thoại", &applicant.phone),
        ("Thư điện tử", &applicant.email),
    ] {
        if let Some(value) = value {
            people.push((label.to_owned(), value.clone()));
        }
    }
    let data = submission.form_value();
    let forms = procedure
        .forms
        .iter()
        .map(|form| {
            let mut out = Vec::new();
            rows(&form.schema, &data[form.id.as_str()], "", &mut out);
            FormShown { title: form.title.clone(), rows: out }
        })
        .collect();
    let documents = procedure
        .documents
        .iter()
        .map(|doc| (doc.title.clone(), doc.kind.label(), submission.documents.contains(&doc.id)))
        .collect();
    let history = history
        .into_iter()
        .map(|h| {
            let action = match h.action.as_str() {
                "attach_file" => "Đính kèm tệp".to_owned(),
                other => Action::label(other).map_or_else(|| other.to_owned(), str::to_owned),
            };
            let to = State::label_of(&h.to).map_or_else(|| h.to.clone(), str::to_owned);
            (at_text(h.at), action, crate::dossiers::record::signer(&h.actor).to_owned(), to)
        })
        .collect();
    let key = submission.receipt_names().lookup_key.unwrap_or_default();
    let link = |page: &str| format!("/api/v1/dossiers/{}/{page}?key={key}", dossier.code);
    let mut printable = Vec::new();
    if d.received_at.is_some() {
        printable.push(("Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01)", link("receipt")));
        // The agency's own record: opened with the officer's session, not the lookup key.
        let slip = format!("/api/v1/dossiers/{}/control-slip", dossier.code);
        printable.push(("Phiếu kiểm soát quá trình giải quyết hồ sơ (Mẫu 05)", slip));
    }
    let supplement = matches!(d.state, State::AwaitingSupplementBeforeReceipt)
        || d.pause.as_ref().is_some_and(|p| p.reason == PauseReason::Supplement);
    if supplement {
        printable.push(("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02)", link("supplement-request")));
    }
    if d.state == State::Refused {
        printable.push(("Phiếu từ chối tiếp nhận giải quyết hồ sơ (Mẫu 03)", link("refusal")));
    }
    if d.apology.is_some() {
        printable.push(("Phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04)", link("apology")));
    }
    Shown {
        code: dossier.code.clone(),
        version: dossier.version,
        procedure: procedure.name.clone(),
        state: d.state.label(),
        channel: d.channel.label(),
        submitted_at: at_text(d.submitted_at),
        appointment: d.appointment().map(at_text),
        fee: if d.received_at.is_some() { crate::vi_format::dong(dossier.fee) } else { fee_text(procedure) },
        applicant: people,
        forms,
        documents,
        history,
        printable,
    }
}

/// The page of dossier `code` for `staff`, with `message` (what went wrong) and `status`.
async fn page(state: &AppState, staff: &Staff, code: &str, message: String, status: StatusCode) -> PageResult {
    let principal = &staff.0.principal;
    let service = state.dossiers();
    let dossier = match service.read(Some(principal), code, None).await {
        Ok(Seen::Full(dossier)) => dossier,
        Ok(Seen::Public(_)) => return Err(PortalError::not_found("Không có hồ sơ này trong phạm vi của bạn.")),
        Err(error) if error.kind() == ErrorCode::NotFound => {
            return Err(PortalError::not_found("Không có hồ sơ này trong phạm vi của bạn."));
        }
        Err(error) => return Err(error.into()),
    };
    let procedure = service.procedure_of(&dossier).await?;
    let history = service.history(&dossier).await?;
    let actions = match principal.actor() {
        Ok(actor) => available(&procedure, &dossier.lifecycle, &actor, state.clock.now())
            .into_iter()
            .map(|name| Offered { name, label: Action::label(name).unwrap_or(name), fields: fields_of(name) })
            .collect(),
        Err(_) => Vec::new(),
    };
    let key = dossier.submission.receipt_names().lookup_key.unwrap_or_default();
    let files = service
        .files(&dossier)
        .await?
        .into_iter()
        .map(|f| {
            let document =
                procedure.documents.iter().find(|d| d.id == f.document).map_or(f.document.clone(), |d| d.title.clone());
            let link = format!("/api/v1/dossiers/{}/files/{}?key={key}", dossier.code, f.id);
            (f.name, document, crate::dossiers::files::size_text(f.size), link)
        })
        .collect();
    let page = DossierPage {
        files,
        title: format!("Hồ sơ {}", dossier.code),
        d: shown(&dossier, &procedure, history),
        actions,
        csrf: staff.0.csrf.clone(),
        message,
    };
    render_with(status, &page)
}

/// The dossier's page.
#[get("/can-bo/ho-so/{code}")]
pub async fn show(staff: Staff, state: web::Data<AppState>, code: web::Path<String>) -> PageResult {
    page(&state, &staff, &code, String::new(), StatusCode::OK).await
}

/// What an action's form sends.
#[derive(Deserialize, Default)]
struct Taken {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    phien_ban: i32,
    #[serde(default)]
    action: String,
    #[serde(default)]
    items: String,
    #[serde(default)]
    reasons: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    new_due: String,
    #[serde(default)]
    approved: String,
    #[serde(default)]
    channel: String,
}

fn lines(text: &str) -> Value {
    json!(text.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>())
}

/// The action's request as the API would receive it.
fn request(taken: &Taken) -> Result<Value, String> {
    let mut body = Map::new();
    body.insert("action".to_owned(), json!(taken.action));
    match taken.action.as_str() {
        "request_supplement_before_receipt" | "request_supplement" => {
            body.insert("items".to_owned(), lines(&taken.items));
        }
        "refuse" => {
            body.insert("reasons".to_owned(), lines(&taken.reasons));
        }
        "forward" if !taken.note.trim().is_empty() => {
            body.insert("note".to_owned(), json!(taken.note.trim()));
        }
        "request_financial_obligation" => {
            body.insert("note".to_owned(), json!(taken.note.trim()));
        }
        "apologize" => {
            let at = NaiveDateTime::parse_from_str(&taken.new_due, "%Y-%m-%dT%H:%M")
                .ok()
                .and_then(|at| VIETNAM_OFFSET.from_local_datetime(&at).single())
                .ok_or("Chọn ngày và giờ hẹn lại.")?;
            body.insert("reason".to_owned(), json!(taken.reason.trim()));
            body.insert("new_due".to_owned(), json!(at));
        }
        "decide" => {
            body.insert("approved".to_owned(), json!(taken.approved == "true"));
            body.insert("reasons".to_owned(), lines(&taken.reasons));
        }
        "return_result" => {
            body.insert("channel".to_owned(), json!(taken.channel));
        }
        "stop" => {
            body.insert("reason".to_owned(), json!(taken.reason.trim()));
        }
        _ => {}
    }
    Ok(Value::Object(body))
}

/// Why an action was not taken, in Vietnamese.
fn why(error: &ApiError) -> String {
    let title = |family: Family, code: &str| find(family, code).map(|entry| entry.vi.clone());
    match error.kind() {
        ErrorCode::StaleVersion => {
            "Hồ sơ vừa được người khác xử lý: trang đã tải lại theo tình trạng mới nhất, hãy kiểm tra rồi thao tác lại."
                .to_owned()
        }
        ErrorCode::SubmissionRefused => {
            let reasons: Vec<String> = error
                .extension("reasons")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|r| {
                    let code = r["code"].as_str()?;
                    let label = title(Family::Refusal, code).unwrap_or_else(|| code.to_owned());
                    Some(match r["message"].as_str() {
                        Some(message) => format!("{label}: {message}"),
                        None => label,
                    })
                })
                .collect();
            format!("Hồ sơ chưa đủ điều kiện: {}", reasons.join("; "))
        }
        _ => error
            .extension("refusal")
            .and_then(Value::as_str)
            .and_then(|code| title(Family::Lifecycle, code).or_else(|| title(Family::Calendar, code)))
            .or_else(|| title(Family::Problem, error.code()))
            .unwrap_or_else(|| "Không thực hiện được thao tác.".to_owned()),
    }
}

/// Takes the action the form names; back to the dossier's page, with why not if it was not.
#[post("/can-bo/ho-so/{code}/xu-ly")]
pub async fn take(staff: Staff, state: web::Data<AppState>, code: web::Path<String>, body: web::Bytes) -> PageResult {
    let taken: Taken = form_body(&body)?;
    staff.check(&taken.csrf)?;
    let sent = match request(&taken) {
        Ok(sent) => sent,
        Err(message) => return page(&state, &staff, &code, message.to_owned(), StatusCode::BAD_REQUEST).await,
    };
    let Ok(request) = serde_json::from_value::<ActionRequest>(sent.clone()) else {
        let message = "Thông tin của thao tác chưa đầy đủ hoặc không hợp lệ.".to_owned();
        return page(&state, &staff, &code, message, StatusCode::BAD_REQUEST).await;
    };
    let act = crate::dossiers::Act { request, sent, expected: Some(taken.phien_ban) };
    match state.dossiers().act(&staff.0.principal, &code, act).await {
        Ok(dossier) => {
            Ok(HttpResponse::SeeOther().insert_header(("Location", format!("/can-bo/ho-so/{}", dossier.code))).finish())
        }
        Err(error) if error.kind() == ErrorCode::NotFound => Err(error.into()),
        Err(error) => {
            let status = error.kind().status();
            page(&state, &staff, &code, why(&error), status).await
        }
    }
}
