//! `GET`/`POST /nop-ho-so/{code}`: a citizen files a dossier online; `/can-bo/tiep-nhan/{code}`:
//! reception files one at the counter for an applicant in front of it (received at once, its
//! receipt printed). The page is generated from the procedure's JSON Schema forms
//! ([`super::form_fields`]); "Kiểm tra" has the engine evaluate what was filled without storing
//! it (fee, documents, due time — or every problem at its field, in the engine's words); "Nộp"
//! files it through the same service as the API — as the portal's online client, or as the
//! officer — once per page (a second click answers the dossier of the first).

use super::form_fields::{Drawing, Field, Item, id_of, items, read};
use super::page::{PageResult, PortalError, render, render_with};
use super::session::{Staff, check_form_token, with_form_token};
use super::{at_text, form_body};
use crate::accounts::portal_client;
use crate::auth::new_secret;
use crate::dossiers::intake::{Applicant, Submission};
use crate::error::ErrorCode;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use motcua_engine::definition::Channel;
use motcua_engine::evaluate::Intake;
use motcua_engine::{Evaluation, Input, Procedure, Refusal};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A form of the procedure with its fields.
struct FormShown {
    title: String,
    items: Vec<Item>,
}

/// A document to tick.
struct DocumentShown {
    id: String,
    title: String,
    kind: &'static str,
    need: String,
    checked: bool,
    error: Option<String>,
}

/// What the engine found acceptable.
struct Preview {
    fee: String,
    time: String,
    due: String,
    checklist: Vec<(String, bool)>,
}

#[derive(Template)]
#[template(path = "portal/filing.html")]
struct FilingPage {
    title: String,
    heading: &'static str,
    action: String,
    back: String,
    procedure: String,
    csrf: String,
    key: String,
    applicant: Vec<Field>,
    forms: Vec<FormShown>,
    documents: Vec<DocumentShown>,
    problems: Vec<(String, String)>,
    preview: Option<Preview>,
    /// Something to know before sending again.
    notice: String,
}

#[derive(Template)]
#[template(path = "portal/filed.html")]
struct FiledPage {
    title: &'static str,
    procedure: String,
    desk: String,
    code: String,
    key: String,
    state: &'static str,
    at: String,
}

/// The applicant's fields and the names they are posted under.
const APPLICANT: [(&str, &str, &str, bool); 4] = [
    ("name", "Họ và tên người nộp", "text", true),
    ("id_number", "Số định danh cá nhân", "text", false),
    ("phone", "Số điện thoại", "tel", false),
    ("email", "Thư điện tử (nhận thông báo)", "email", false),
];

/// What a browser may fill an applicant's field with (WCAG 1.3.5).
fn autocomplete(key: &str) -> &'static str {
    match key {
        "name" => "name",
        "phone" => "tel",
        "email" => "email",
        _ => "off",
    }
}

fn applicant_fields(posted: &BTreeMap<String, String>, errors: &BTreeMap<String, String>) -> Vec<Field> {
    APPLICANT
        .iter()
        .map(|(key, label, kind, required)| {
            let name = format!("/nguoi_nop/{key}");
            Field {
                id: id_of(&name),
                label: (*label).to_owned(),
                kind,
                required: *required,
                pattern: None,
                length: (None, Some(200)),
                range: (None, None),
                step: "any",
                options: Vec::new(),
                value: posted.get(&name).cloned().unwrap_or_default(),
                checked: false,
                error: errors.get(&name).cloned(),
                autocomplete: autocomplete(key),
                name,
            }
        })
        .collect()
}

/// Who files: a citizen online through the portal, or reception at the counter for the
/// applicant in front of it.
pub enum Filer {
    /// Online, as the portal's own client; the form's token is a cookie (no session).
    Citizen,
    /// At the counter, as the signed-in officer; the form carries the session's token.
    Counter(Staff),
}

impl Filer {
    fn channel(&self) -> Channel {
        match self {
            Filer::Citizen => Channel::Online,
            Filer::Counter(_) => Channel::Counter,
        }
    }

    /// Where the form of `code` is posted.
    fn action(&self, code: &str) -> String {
        match self {
            Filer::Citizen => format!("/nop-ho-so/{code}"),
            Filer::Counter(_) => format!("/can-bo/tiep-nhan/{code}"),
        }
    }

    /// `page` (given the form's token) with `status`: the citizen's with a fresh token and
    /// its cookie, the officer's with the session's.
    fn respond(&self, status: StatusCode, page: impl FnOnce(String) -> FilingPage) -> PageResult {
        match self {
            Filer::Citizen => with_form_token(status, page),
            Filer::Counter(staff) => render_with(status, &page(staff.0.csrf.clone())),
        }
    }

    /// Counts a check or a filing from the public form against its address's limit (officers
    /// at the counter are signed in and not counted).
    fn limit(&self, req: &HttpRequest, state: &AppState) -> Result<(), PortalError> {
        match self {
            Filer::Citizen => Ok(state.filings.check(req.peer_addr().map(|a| a.ip()))?),
            Filer::Counter(_) => Ok(()),
        }
    }

    /// Refuses a form whose token `sent` is not the one this filer's forms carry.
    fn check(&self, req: &HttpRequest, sent: &str) -> Result<(), PortalError> {
        match self {
            Filer::Citizen => check_form_token(req, sent),
            Filer::Counter(staff) => staff.check(sent),
        }
    }
}

/// A procedure in force that takes dossiers by `filer`'s channel, or the page saying how to
/// file instead.
fn accepting(state: &AppState, code: &str, filer: &Filer) -> Result<Arc<Procedure>, PortalError> {
    let procedure = state.catalogue.get(code, None, state.clock.now().date_naive()).ok_or_else(|| {
        PortalError::not_found("Không có thủ tục đang có hiệu lực với mã này.")
            .help("Tìm thủ tục theo tên trên trang chủ.")
    })?;
    let channel = filer.channel();
    if !procedure.channels.contains(&channel) {
        let how: Vec<&str> = procedure.channels.iter().map(|c| c.label()).collect();
        let (title, what) = match channel {
            Channel::Counter => {
                ("Không nhận trực tiếp", "Thủ tục này không tiếp nhận hồ sơ trực tiếp tại Bộ phận Một cửa.")
            }
            _ => ("Không nộp trực tuyến", "Thủ tục này không tiếp nhận hồ sơ trực tuyến."),
        };
        return Err(
            PortalError::new(StatusCode::NOT_FOUND, title, what).help(format!("Nộp hồ sơ {}.", how.join(" hoặc ")))
        );
    }
    Ok(procedure)
}

/// What was filled, read back for the page and for the engine.
struct Filled {
    posted: BTreeMap<String, String>,
    documents: Vec<String>,
}

impl Filled {
    fn form(&self, procedure: &Procedure) -> Value {
        let mut data = Map::new();
        for form in &procedure.forms {
            data.insert(form.id.clone(), read(&form.schema, &form.schema, &format!("/{}", form.id), &self.posted));
        }
        Value::Object(data)
    }

    fn applicant(&self) -> Option<Applicant> {
        let field = |key: &str| {
            self.posted.get(&format!("/nguoi_nop/{key}")).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
        };
        Some(Applicant {
            name: field("name")?,
            id_number: field("id_number"),
            phone: field("phone"),
            email: field("email"),
        })
    }
}

/// The page for `procedure` with what was `filled`, the engine's `refusals` at their fields
/// and, when it found the dossier acceptable, the `preview`.
#[allow(clippy::too_many_arguments, reason = "the parts of one page, each from its own source")]
fn page(
    filer: &Filer,
    procedure: &Procedure,
    filled: &Filled,
    refusals: &[Refusal],
    preview: Option<Preview>,
    longer: Option<&str>,
    csrf: String,
    key: String,
) -> FilingPage {
    let mut errors = BTreeMap::new();
    let mut documents_errors = BTreeMap::new();
    let mut problems = Vec::new();
    for refusal in refusals {
        match refusal {
            Refusal::InvalidField { pointer, message, .. } => {
                errors.entry(pointer.clone()).or_insert_with(|| message.clone());
                problems.push((id_of(pointer), message.clone()));
            }
            Refusal::MissingDocument { document, message } | Refusal::UnknownDocument { document, message } => {
                documents_errors.insert(document.clone(), message.clone());
                problems.push(("giay-to".to_owned(), message.clone()));
            }
            other => problems.push((String::new(), other.message().to_owned())),
        }
    }
    let data = filled.form(procedure);
    let forms = procedure
        .forms
        .iter()
        .map(|form| {
            let mut out = Vec::new();
            let drawing = Drawing { root: &form.schema, errors: &errors, longer };
            items(&drawing, &form.schema, &format!("/{}", form.id), &data[form.id.as_str()], &mut out);
            FormShown { title: form.title.clone(), items: out }
        })
        .collect();
    let documents = procedure
        .documents
        .iter()
        .map(|d| DocumentShown {
            id: d.id.clone(),
            title: d.title.clone(),
            kind: d.kind.label(),
            need: super::need(d),
            checked: filled.documents.contains(&d.id),
            error: documents_errors.get(&d.id).cloned(),
        })
        .collect();
    let code = procedure.code.to_string();
    let (heading, back) = match filer {
        Filer::Citizen => ("Nộp hồ sơ trực tuyến", format!("/thu-tuc/{code}")),
        Filer::Counter(_) => ("Tiếp nhận hồ sơ trực tiếp tại Bộ phận Một cửa", "/can-bo/tiep-nhan".to_owned()),
    };
    FilingPage {
        title: format!("{heading}: {}", procedure.name),
        heading,
        action: filer.action(&code),
        back,
        procedure: procedure.name.clone(),
        csrf,
        key,
        applicant: applicant_fields(&filled.posted, &errors),
        forms,
        documents,
        problems,
        preview,
        notice: String::new(),
    }
}

/// The citizen's empty form.
#[get("/nop-ho-so/{code}")]
pub async fn blank(state: web::Data<AppState>, code: web::Path<String>) -> PageResult {
    blank_for(&Filer::Citizen, &state, &code)
}

/// The empty form `filer` fills.
pub fn blank_for(filer: &Filer, state: &AppState, code: &str) -> PageResult {
    let procedure = accepting(state, code, filer)?;
    let filled = Filled { posted: BTreeMap::new(), documents: Vec::new() };
    let key = new_secret("web-");
    filer.respond(StatusCode::OK, |csrf| page(filer, &procedure, &filled, &[], None, None, csrf, key))
}

/// A filing form as posted, its token checked against its cookie.
struct Posted {
    /// `xem-truoc` (check) or `nop` (file).
    step: String,
    /// The page's idempotency key.
    key: Option<String>,
    /// What was filled.
    filled: Filled,
}

fn posted(filer: &Filer, req: &HttpRequest, body: &[u8]) -> Result<Posted, PortalError> {
    let pairs: Vec<(String, String)> = form_body(body)?;
    let value = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    filer.check(req, &value("csrf").unwrap_or_default())?;
    let step = value("buoc").unwrap_or_default();
    let key = value("khoa_gui").filter(|k| !k.is_empty() && k.len() <= 100);
    let documents: Vec<String> = pairs.iter().filter(|(k, _)| k == "giay_to").map(|(_, v)| v.clone()).collect();
    let posted: BTreeMap<String, String> = pairs.into_iter().filter(|(k, _)| k.starts_with('/')).collect();
    Ok(Posted { step, key, filled: Filled { posted, documents } })
}

/// The engine's verdict on what was filled, as if it were received now: the intake, or every
/// reason it is not acceptable (the applicant's name among them).
async fn check(
    state: &AppState,
    procedure: &Arc<Procedure>,
    filled: &Filled,
    channel: Channel,
) -> Result<(Option<Intake>, Vec<Refusal>), crate::error::ApiError> {
    let form = filled.form(procedure);
    let input = Input { channel, form: &form, documents: &filled.documents, received_at: state.clock.now() };
    let (intake, mut refusals) = match state.evaluator.evaluate(procedure, input).await? {
        Evaluation::Accepted(intake) => (Some(intake), Vec::new()),
        Evaluation::Refused { reasons } => (None, reasons),
    };
    if filled.applicant().is_none() {
        refusals.insert(
            0,
            Refusal::InvalidField {
                pointer: "/nguoi_nop/name".to_owned(),
                keyword: "required".to_owned(),
                message: "Nhập họ và tên người nộp hồ sơ".to_owned(),
            },
        );
    }
    Ok((intake.filter(|_| refusals.is_empty()), refusals))
}

/// `POST …/kiem-tra`: the same check as "Kiểm tra", answered as JSON for the page's script,
/// so that the engine's messages appear at their fields before anything is sent.
#[post("/nop-ho-so/{code}/kiem-tra")]
pub async fn verdict(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, PortalError> {
    verdict_for(&Filer::Citizen, &req, &state, &code, &body).await
}

/// The check of what `filer` filled, as JSON for the page's script.
pub async fn verdict_for(
    filer: &Filer,
    req: &HttpRequest,
    state: &AppState,
    code: &str,
    body: &[u8],
) -> Result<HttpResponse, PortalError> {
    let procedure = accepting(state, code, filer)?;
    let Posted { filled, .. } = posted(filer, req, body)?;
    filer.limit(req, state)?;
    let (intake, refusals) = check(state, &procedure, &filled, filer.channel()).await?;
    let errors: Vec<Value> = refusals
        .iter()
        .map(|refusal| {
            let field = match refusal {
                Refusal::InvalidField { pointer, .. } => id_of(pointer),
                Refusal::MissingDocument { .. } | Refusal::UnknownDocument { .. } => "giay-to".to_owned(),
                _ => String::new(),
            };
            json!({"field": field, "message": refusal.message()})
        })
        .collect();
    let fee = intake.map(|intake| crate::vi_format::dong(intake.fee));
    Ok(HttpResponse::Ok().json(json!({"ok": errors.is_empty(), "errors": errors, "fee": fee})))
}

/// Checks (`buoc=xem-truoc`) or files (`buoc=nop`) what was filled.
#[post("/nop-ho-so/{code}")]
pub async fn file(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
    body: web::Bytes,
) -> PageResult {
    file_for(&Filer::Citizen, &req, &state, &code, &body).await
}

/// Checks or files what `filer` filled.
pub async fn file_for(filer: &Filer, req: &HttpRequest, state: &AppState, code: &str, body: &[u8]) -> PageResult {
    let procedure = accepting(state, code, filer)?;
    let Posted { step, key, filled } = posted(filer, req, body)?;
    let key_shown = key.clone().unwrap_or_else(|| new_secret("web-"));
    // "Thêm dòng": the same page with one more row in that list, nothing checked yet.
    if let Some(list) = step.strip_prefix("them:") {
        return filer
            .respond(StatusCode::OK, |csrf| page(filer, &procedure, &filled, &[], None, Some(list), csrf, key_shown));
    }
    filer.limit(req, state)?;
    let (intake, refusals) = check(state, &procedure, &filled, filer.channel()).await?;
    let (Some(_), Some(applicant), "nop") = (&intake, filled.applicant(), step.as_str()) else {
        let preview = intake.as_ref().map(|intake| Preview {
            fee: crate::vi_format::dong(intake.fee),
            time: procedure.processing_time.to_string(),
            due: at_text(intake.due),
            checklist: intake
                .checklist
                .iter()
                .filter(|i| i.required || i.provided)
                .map(|i| (i.title.clone(), i.provided))
                .collect(),
        });
        let status = if refusals.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
        return filer
            .respond(status, |csrf| page(filer, &procedure, &filled, &refusals, preview, None, csrf, key_shown));
    };
    let form = filled.form(&procedure);
    let submitter = match filer {
        Filer::Citizen => state.portal.get_or_try_init(|| portal_client(&state.db)).await?,
        Filer::Counter(staff) => &staff.0.principal,
    };
    let submission = Submission {
        procedure: procedure.code.to_string(),
        channel: Some(filer.channel()),
        form,
        documents: filled.documents.clone(),
        files: BTreeMap::new(),
        applicant,
    };
    submission.check()?;
    let filed = match state.dossiers().submit(submitter, submission, key).await {
        Ok(filed) => filed,
        // Refused on filing though the check passed (the law changed at midnight, say): the
        // same page with the engine's reasons at their fields.
        Err(error) if error.kind() == ErrorCode::SubmissionRefused => {
            let reasons: Vec<Refusal> =
                error.extension("reasons").and_then(|r| serde_json::from_value(r.clone()).ok()).unwrap_or_default();
            return filer.respond(StatusCode::UNPROCESSABLE_ENTITY, |csrf| {
                page(filer, &procedure, &filled, &reasons, None, None, csrf, key_shown)
            });
        }
        // This page was sent before with other content (the browser went back and it was
        // changed): the first dossier stands; a new key lets the changed one be filed anew.
        Err(error) if error.kind() == ErrorCode::IdempotencyKeyReused => {
            return filer.respond(StatusCode::CONFLICT, |csrf| {
                let mut shown = page(filer, &procedure, &filled, &[], None, None, csrf, new_secret("web-"));
                shown.notice =
                    "Trang này đã được gửi một lần trước đó, với nội dung khác: hồ sơ gửi lần đó vẫn được giữ \
                                (xem mã hồ sơ đã nhận). Nếu muốn nộp thêm một hồ sơ với nội dung đã sửa, kiểm tra lại \
                                rồi bấm “Nộp hồ sơ” lần nữa."
                        .to_owned();
                shown
            });
        }
        Err(error) => return Err(error.into()),
    };
    let dossier = &filed.dossier;
    if let Filer::Counter(_) = filer {
        // Received at once: the officer goes on from the dossier's page, its receipt to print.
        return Ok(HttpResponse::SeeOther()
            .insert_header(("Location", format!("/can-bo/ho-so/{}", dossier.code)))
            .finish());
    }
    render(&FiledPage {
        title: "Đã nộp hồ sơ",
        procedure: procedure.name.clone(),
        desk: procedure.agency_name.clone().unwrap_or_else(|| procedure.reception_agency().to_string()),
        code: dossier.code.clone(),
        key: dossier.submission.receipt_names().lookup_key.unwrap_or_default(),
        state: dossier.lifecycle.state.label(),
        at: at_text(dossier.lifecycle.submitted_at),
    })
}
