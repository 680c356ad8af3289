//! `GET /thu-tuc/{code}`: a procedure as an official prints it for the notice board —
//! documents, fee, committed and statutory times, channels, steps and legal basis.

use super::fee_text;
use super::page::{PageResult, PortalError, render};
use crate::repository::agencies;
use crate::state::AppState;
use actix_web::{get, web};
use askama::Template;
use motcua_engine::Procedure;
use motcua_engine::definition::Channel;
use motcua_engine::procedure::FeeAmount;

/// A document row.
struct DocumentRow {
    title: String,
    kind: &'static str,
    copies: u32,
    need: String,
    /// The files it is provided as online, when the definition says.
    files: Option<String>,
}

/// A step row.
struct StepRow {
    name: String,
    role: &'static str,
    unit: String,
    days: String,
}

/// What the page shows.
struct Shown {
    name: String,
    code: String,
    version: u32,
    valid_from: String,
    field: String,
    agency: String,
    level: &'static str,
    level_label: &'static str,
    channels: Vec<&'static str>,
    online_only: bool,
    online: bool,
    channel_note: Option<String>,
    time: String,
    statutory: Option<String>,
    fee: String,
    fee_name: Option<String>,
    fee_basis: Option<String>,
    result: Option<String>,
    documents: Vec<DocumentRow>,
    forms: Vec<String>,
    steps: Vec<StepRow>,
    legal_basis: Vec<String>,
    published_by: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/procedure.html")]
struct ProcedurePage {
    title: String,
    p: Shown,
}

/// A file type as an applicant knows it.
fn file_kind(media_type: motcua_engine::files::MediaType) -> &'static str {
    match media_type {
        motcua_engine::files::MediaType::Pdf => "PDF",
        motcua_engine::files::MediaType::Jpeg => "ảnh JPEG",
        motcua_engine::files::MediaType::Png => "ảnh PNG",
    }
}

fn shown(p: &Procedure, names: &std::collections::BTreeMap<String, String>) -> Shown {
    let unit = |code: &str| names.get(code).cloned().unwrap_or_else(|| code.to_owned());
    let (fee_name, fee_basis) = match &p.fee.amount {
        FeeAmount::Fixed(0) => (None, None),
        _ => (p.fee.name.clone(), p.fee.basis.clone()),
    };
    Shown {
        name: p.name.clone(),
        code: p.code.to_string(),
        version: p.version,
        valid_from: p.valid_from.format("%d/%m/%Y").to_string(),
        field: p.field_name.clone().unwrap_or_else(|| p.field.clone()),
        agency: p.agency_name.clone().unwrap_or_else(|| unit(p.agency.as_str())),
        level: p.online_level.as_str(),
        level_label: p.online_level.label(),
        channels: p.channels.iter().map(|c| c.label()).collect(),
        online_only: p.channels == [Channel::Online],
        online: p.channels.contains(&Channel::Online),
        channel_note: p.channel_note.clone(),
        time: p.processing_time.to_string(),
        statutory: p.statutory_time.map(|t| t.to_string()),
        fee: fee_text(p),
        fee_name,
        fee_basis,
        result: p.result.clone(),
        documents: p
            .documents
            .iter()
            .map(|d| DocumentRow {
                title: d.title.clone(),
                kind: d.kind.label(),
                copies: d.copies,
                need: super::need(d),
                files: d.files.as_ref().map(|f| {
                    let kinds: Vec<&str> = f.media_types.iter().map(|m| file_kind(*m)).collect();
                    format!(
                        "Nộp trực tuyến dưới dạng tệp {}, mỗi tệp tối đa {} MB, nhiều nhất {} tệp",
                        kinds.join(", "),
                        f.max_bytes / (1024 * 1024),
                        f.max_files
                    )
                }),
            })
            .collect(),
        forms: p.forms.iter().map(|f| f.title.clone()).collect(),
        steps: p
            .steps
            .iter()
            .map(|s| StepRow {
                name: s.name.clone().unwrap_or_else(|| s.id.clone()),
                role: s.role.label(),
                unit: unit(s.agency.as_str()),
                days: s.budget.to_string().replace('.', ","),
            })
            .collect(),
        legal_basis: p.legal_basis.clone(),
        published_by: p.published_by.clone(),
    }
}

/// The procedure in force today with `code`; 404 as a page otherwise.
#[get("/thu-tuc/{code}")]
pub async fn procedure(state: web::Data<AppState>, code: web::Path<String>) -> PageResult {
    let p = state.catalogue.get(&code, None, state.clock.now().date_naive()).ok_or_else(|| {
        PortalError::not_found("Không có thủ tục đang có hiệu lực với mã này.")
            .help("Tìm thủ tục theo tên trên trang chủ.")
    })?;
    let units: Vec<&str> = p.steps.iter().map(|s| s.agency.as_str()).chain([p.agency.as_str()]).collect();
    let names = agencies::names(&state.db, &units).await.map_err(crate::error::ApiError::from)?;
    render(&ProcedurePage { title: p.name.clone(), p: shown(&p, &names) })
}
