//! `/can-bo/thu-tuc`: the definition editor for departments and administrators — the
//! procedures they may change; a definition's YAML with its line numbers and the diagnostics
//! of the same compile as `motcua validate` at their lines; its examples run on demand; the
//! draft's differences from the published version and its impact on dossiers in flight;
//! saving, publishing and retiring — all through the definition service.

use super::page::{PageResult, PortalError, render, render_with};
use super::session::Staff;
use super::staff::{Nav, nav};
use super::{form_body, query};
use crate::catalogue::{DRAFT, PUBLISHED};
use crate::db::entities::procedure_version;
use crate::definitions::{ChangeKind, Drafted};
use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use motcua_engine::Diagnostic;
use motcua_engine::examples::ExampleOutcome;
use serde::Deserialize;

/// A procedure in the editor's list.
struct Listed {
    code: String,
    name: String,
    agency: String,
    published: String,
    draft: String,
}

#[derive(Template)]
#[template(path = "portal/definitions.html")]
struct List {
    title: &'static str,
    nav: Nav,
    items: Vec<Listed>,
}

/// The procedures the signed-in department or administrator may edit.
#[get("/can-bo/thu-tuc")]
pub async fn list(staff: Staff, state: web::Data<AppState>) -> PageResult {
    let principal = &staff.0.principal;
    principal.require(&[crate::auth::ApiRole::Admin, crate::auth::ApiRole::Department])?;
    let items = state
        .definitions()
        .editable(principal)
        .await?
        .into_iter()
        .map(|e| Listed {
            code: e.code,
            name: e.name,
            agency: e.agency,
            published: e.published.map_or_else(|| "Chưa công bố".to_owned(), |v| format!("Phiên bản {v}")),
            draft: e.draft.map(|v| format!("Phiên bản {v}")).unwrap_or_default(),
        })
        .collect();
    render(&List { title: "Định nghĩa thủ tục", nav: nav(&staff.0), items })
}

/// A diagnostic as the editor shows it.
struct Note {
    error: bool,
    severity: &'static str,
    file: String,
    line: u32,
    column: u32,
    label: &'static str,
    code: &'static str,
    message: String,
    help: String,
}

impl From<&Diagnostic> for Note {
    fn from(d: &Diagnostic) -> Self {
        Note {
            error: d.is_error(),
            severity: if d.is_error() { "Lỗi" } else { "Cảnh báo" },
            file: d.file.clone(),
            line: d.line,
            column: d.column,
            label: d.code.label(),
            code: d.code.as_str(),
            message: d.message.clone(),
            help: d.help.clone().unwrap_or_default(),
        }
    }
}

/// A line of the text with the diagnostics found on it.
struct Line {
    number: u32,
    text: String,
    notes: Vec<Note>,
}

/// An example's outcome.
struct Example {
    name: String,
    line: u32,
    failures: Vec<String>,
}

/// A change from the published version to the draft.
struct Changed {
    path: String,
    kind: &'static str,
    from: String,
    to: String,
}

/// The impact of the draft's processing time on the dossiers in flight.
struct ImpactView {
    time: String,
    open: usize,
    late_now: usize,
    late_with_draft: usize,
    newly_late: Vec<String>,
}

/// A version in the table of versions.
struct VersionRow {
    version: i32,
    status: &'static str,
    valid: String,
    published: bool,
}

#[derive(Template)]
#[template(path = "portal/editor.html")]
struct Editor {
    title: String,
    nav: Nav,
    code: String,
    yaml: String,
    lines: Vec<Line>,
    /// The diagnostics of another file (a form schema), or of no line.
    elsewhere: Vec<Note>,
    errors: usize,
    warnings: usize,
    checked: bool,
    examples: Option<Vec<Example>>,
    said: String,
    problem: String,
    versions: Vec<VersionRow>,
    draft: Option<i32>,
    compared_with: Option<i32>,
    changes: Vec<Changed>,
    impact: Option<ImpactView>,
}

/// What the page was asked to say after a redirect.
#[derive(Deserialize, Default)]
struct Said {
    #[serde(rename = "thong-bao", default)]
    said: String,
}

/// A definition in the editor: the draft if there is one, else the newest published text.
#[get("/can-bo/thu-tuc/{code}")]
pub async fn show(req: HttpRequest, staff: Staff, state: web::Data<AppState>, code: web::Path<String>) -> PageResult {
    let said: Said = query(&req)?;
    let said = match said.said.as_str() {
        "luu" => "Đã lưu bản nháp. Kiểm tra khác biệt và ảnh hưởng bên dưới trước khi công bố.",
        "cong-bo" => "Đã công bố: hồ sơ nộp từ nay theo phiên bản mới; hồ sơ đang giải quyết giữ phiên bản cũ.",
        "ngung" => "Đã ngừng áp dụng phiên bản: không nhận hồ sơ mới theo phiên bản này.",
        _ => "",
    };
    editor(&state, &staff, &code, None, said.to_owned(), StatusCode::OK).await
}

/// A text the editor posted, with what to do with it.
#[derive(Deserialize)]
struct Posted {
    csrf: String,
    /// `kiem-tra` (compile and run the examples), `luu` (save as the draft), `cong-bo`
    /// (publish the draft) or `ngung` (retire a published version).
    buoc: String,
    #[serde(default)]
    yaml: String,
    #[serde(default)]
    phien_ban: Option<i32>,
}

/// A text offered by the editor and what it compiled to, shown in place of the stored one.
struct Offered {
    yaml: String,
    diagnostics: Vec<Diagnostic>,
    examples: Option<Vec<ExampleOutcome>>,
    problem: String,
}

/// Checks, saves, publishes or retires.
#[post("/can-bo/thu-tuc/{code}")]
pub async fn act(staff: Staff, state: web::Data<AppState>, code: web::Path<String>, body: web::Bytes) -> PageResult {
    let posted: Posted = form_body(&body)?;
    staff.check(&posted.csrf)?;
    let principal = &staff.0.principal;
    let service = state.definitions();
    let done = |said: &str| {
        Ok(HttpResponse::SeeOther()
            .insert_header(("Location", format!("/can-bo/thu-tuc/{code}?thong-bao={said}")))
            .finish())
    };
    let offered = |yaml: String, problem: String| Offered { yaml, diagnostics: Vec::new(), examples: None, problem };
    match posted.buoc.as_str() {
        "kiem-tra" => {
            let (diagnostics, examples) = service.try_examples(principal, &code, &posted.yaml).await?;
            let status = if diagnostics.iter().any(Diagnostic::is_error) {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::OK
            };
            let shown = Offered { yaml: posted.yaml, diagnostics, examples, problem: String::new() };
            editor(&state, &staff, &code, Some(shown), String::new(), status).await
        }
        "luu" => match service.save_draft(principal, &code, &posted.yaml).await {
            Ok(Drafted::Stored { .. }) => done("luu"),
            Ok(Drafted::Invalid { diagnostics }) => {
                let shown = Offered {
                    diagnostics,
                    ..offered(
                        posted.yaml,
                        "Bản nháp chưa được lưu: sửa các lỗi được đánh dấu tại dòng của chúng rồi lưu lại.".to_owned(),
                    )
                };
                editor(&state, &staff, &code, Some(shown), String::new(), StatusCode::UNPROCESSABLE_ENTITY).await
            }
            Err(error) => refused(&state, &staff, &code, offered(posted.yaml, why(&error)), &error).await,
        },
        "cong-bo" => match service.publish(principal, &code).await {
            Ok(_) => done("cong-bo"),
            Err(error) => refused(&state, &staff, &code, offered(String::new(), why(&error)), &error).await,
        },
        "ngung" => match service.retire(principal, &code, posted.phien_ban).await {
            Ok(_) => done("ngung"),
            Err(error) => refused(&state, &staff, &code, offered(String::new(), why(&error)), &error).await,
        },
        _ => Err(PortalError::forged()),
    }
}

/// The editor again with what was refused, at the refusal's status.
async fn refused(state: &AppState, staff: &Staff, code: &str, shown: Offered, error: &ApiError) -> PageResult {
    if error.kind() == ErrorCode::NotFound {
        return Err(PortalError::not_found(why(error)));
    }
    editor(state, staff, code, Some(shown), String::new(), error.kind().status()).await
}

/// The draft if there is one, else the newest published version, else the newest.
fn open_text(rows: &[procedure_version::Model]) -> Option<&procedure_version::Model> {
    rows.iter()
        .find(|row| row.status == DRAFT)
        .or_else(|| rows.iter().rev().find(|row| row.status == PUBLISHED))
        .or_else(|| rows.last())
}

/// An error of the definition service in the editor's words.
fn why(error: &ApiError) -> String {
    match error.kind() {
        ErrorCode::NotOwner => format!(
            "Thủ tục này thuộc cơ quan khác: chỉ cơ quan chủ quản hoặc quản trị viên được thay đổi. ({})",
            error.detail()
        ),
        ErrorCode::VersionExists => format!(
            "Số phiên bản (version) này đã được công bố: tăng số phiên bản để lưu bản nháp mới. ({})",
            error.detail()
        ),
        ErrorCode::VersionOverlap => {
            format!("Thời gian hiệu lực của bản nháp đã qua: sửa valid_from/valid_to rồi lưu lại. ({})", error.detail())
        }
        ErrorCode::DefinitionInvalid => {
            format!("Định nghĩa không hợp lệ: {}", error.detail())
        }
        ErrorCode::NotFound => "Không có bản nháp hoặc phiên bản được yêu cầu.".to_owned(),
        _ => {
            let what = crate::problems::find(crate::problems::Family::Problem, error.code())
                .map_or("Không thực hiện được", |entry| entry.vi.as_str());
            format!("{what} ({})", error.detail())
        }
    }
}

/// The editor page: `shown` (a text just offered) or the stored one, with the versions, and
/// for a stored draft its differences from the newest published version and its impact.
async fn editor(
    state: &AppState,
    staff: &Staff,
    code: &str,
    shown: Option<Offered>,
    said: String,
    status: StatusCode,
) -> PageResult {
    let principal = &staff.0.principal;
    let service = state.definitions();
    let rows = service.for_editor(principal, code).await?;
    let draft = rows.iter().find(|row| row.status == DRAFT).map(|row| row.version);
    let published = rows.iter().rev().find(|row| row.status == PUBLISHED).map(|row| row.version);
    // A text offered without one (publishing, retiring) is shown as stored; the checks
    // appear only for a text that was compiled.
    let stored = || open_text(&rows).map(|row| row.yaml.clone()).unwrap_or_default();
    let shown = match shown {
        Some(shown) if shown.yaml.is_empty() => Offered { yaml: stored(), ..shown },
        Some(shown) => shown,
        None => Offered { yaml: stored(), diagnostics: Vec::new(), examples: None, problem: String::new() },
    };
    let checked = shown.examples.is_some() || !shown.diagnostics.is_empty();
    let (changes, impact) = match (draft, published) {
        (Some(_), Some(from)) => {
            let diff = service.diff(Some(principal), code, &from.to_string(), DRAFT).await?;
            (diff.changes.into_iter().map(changed).collect(), impact(state, staff, code).await)
        }
        (Some(_), None) => (Vec::new(), impact(state, staff, code).await),
        _ => (Vec::new(), None),
    };
    let (lines, elsewhere) = at_lines(code, &shown.yaml, &shown.diagnostics);
    let errors = shown.diagnostics.iter().filter(|d| d.is_error()).count();
    let page = Editor {
        title: format!("Định nghĩa thủ tục {code}"),
        nav: nav(&staff.0),
        code: code.to_owned(),
        lines,
        elsewhere,
        errors,
        warnings: shown.diagnostics.len() - errors,
        checked,
        examples: shown
            .examples
            .map(|all| all.into_iter().map(|o| Example { name: o.name, line: o.line, failures: o.failures }).collect()),
        yaml: shown.yaml,
        said,
        problem: shown.problem,
        versions: rows.iter().map(version_row).collect(),
        draft,
        compared_with: published.filter(|_| draft.is_some()),
        changes,
        impact,
    };
    render_with(status, &page)
}

/// The draft's impact, when it compiles (a draft that no longer does says so in its checks).
async fn impact(state: &AppState, staff: &Staff, code: &str) -> Option<ImpactView> {
    let impact = state.definitions().impact(&staff.0.principal, code).await.ok()?;
    Some(ImpactView {
        time: impact.draft_processing_time,
        open: impact.open,
        late_now: impact.late_now,
        late_with_draft: impact.late_with_draft,
        newly_late: impact.newly_late,
    })
}

fn changed(change: crate::definitions::FieldChange) -> Changed {
    let text = |value: Option<serde_json::Value>| match value {
        None => String::new(),
        Some(serde_json::Value::String(s)) => s,
        Some(other) => other.to_string(),
    };
    Changed {
        path: change.path,
        kind: match change.change {
            ChangeKind::Added => "Thêm",
            ChangeKind::Removed => "Bỏ",
            ChangeKind::Changed => "Sửa",
        },
        from: text(change.from),
        to: text(change.to),
    }
}

fn version_row(row: &procedure_version::Model) -> VersionRow {
    let day = |d: chrono::NaiveDate| d.format("%d/%m/%Y").to_string();
    VersionRow {
        version: row.version,
        status: match row.status.as_str() {
            DRAFT => "Bản nháp",
            PUBLISHED => "Đang công bố",
            _ => "Đã ngừng áp dụng",
        },
        valid: match row.valid_to {
            Some(to) => format!("{} – {}", day(row.valid_from), day(to)),
            None => format!("Từ {}", day(row.valid_from)),
        },
        published: row.status == PUBLISHED,
    }
}

/// The text's lines, each with the diagnostics of this file found on it, and the diagnostics
/// that belong to no line of it.
fn at_lines(code: &str, yaml: &str, diagnostics: &[Diagnostic]) -> (Vec<Line>, Vec<Note>) {
    let source = format!("{code}.yaml");
    let mut lines: Vec<Line> =
        yaml.lines().zip(1..).map(|(text, number)| Line { number, text: text.to_owned(), notes: Vec::new() }).collect();
    let mut elsewhere = Vec::new();
    for d in diagnostics {
        let index = usize::try_from(d.line).ok().and_then(|n| n.checked_sub(1));
        match index.and_then(|i| lines.get_mut(i)).filter(|_| d.file == source) {
            Some(line) => line.notes.push(Note::from(d)),
            None => elsewhere.push(Note::from(d)),
        }
    }
    (lines, elsewhere)
}
