//! `GET /tra-cuu`: a citizen with the code and the lookup key printed on the receipt follows
//! the dossier — submitted, accepted, each step with its unit and dates, a pause and what it
//! waits for, the decision, the result returned — with the appointment and any apology.

use super::page::{PageResult, render, render_with};
use super::{at_text, query};
use crate::dossiers::Seen;
use crate::dossiers::record::StoredDossier;
use crate::repository::agencies;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, get, web};
use askama::Template;
use chrono::{DateTime, FixedOffset};
use motcua_engine::Procedure;
use motcua_engine::lifecycle::Timing;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The lookup form.
#[derive(Debug, Default, Deserialize)]
struct TrackQuery {
    /// The dossier code.
    #[serde(default)]
    ma: String,
    /// The lookup key.
    #[serde(default)]
    khoa: String,
}

/// One entry of the timeline.
struct Entry {
    at: String,
    class: &'static str,
    title: String,
    lines: Vec<String>,
}

/// The dossier as the page shows it.
struct Tracked {
    code: String,
    procedure: String,
    procedure_code: String,
    state: &'static str,
    appointment: Option<String>,
    apology: Option<String>,
    events: Vec<Entry>,
    /// The files filed with it: name, document, size, link (with the lookup key).
    files: Vec<(String, String, String, String)>,
}

#[derive(Template)]
#[template(path = "portal/tracking.html")]
struct TrackingPage {
    title: &'static str,
    code: String,
    dossier: Option<Tracked>,
    /// Why nothing was found, above the form to try again.
    problem: Option<(&'static str, &'static str)>,
}

/// A timeline entry at `at`.
fn entry(
    at: DateTime<FixedOffset>,
    class: &'static str,
    title: impl Into<String>,
    lines: Vec<String>,
) -> (Option<DateTime<FixedOffset>>, Entry) {
    (Some(at), Entry { at: at_text(at), class, title: title.into(), lines })
}

/// The timeline of `dossier`, oldest first; steps not started yet last.
fn timeline(dossier: &StoredDossier, procedure: &Procedure, names: &BTreeMap<String, String>) -> Vec<Entry> {
    let d = &dossier.lifecycle;
    let unit = |code: &str| names.get(code).cloned().unwrap_or_else(|| code.to_owned());
    let mut entries = vec![entry(d.submitted_at, "", "Nộp hồ sơ", vec![format!("Hình thức: {}", d.channel.label())])];
    if let Some(notice) = &d.reception_notice {
        let title = if notice.action == "refuse" {
            "Từ chối tiếp nhận hồ sơ"
        } else {
            "Yêu cầu bổ sung, hoàn thiện hồ sơ"
        };
        entries.push(entry(notice.at, "", title, notice.items.clone()));
    }
    if let Some(received) = d.received_at {
        let due = d.due.map(|due| format!("Hẹn trả kết quả: {}", at_text(due))).into_iter().collect();
        entries.push(entry(received, "", "Tiếp nhận hồ sơ", due));
    }
    let mut pending = Vec::new();
    let waiting = |name: String, agency: &str| Entry {
        at: String::new(),
        class: "pending",
        title: name,
        lines: vec![format!("Chưa thực hiện — {}", unit(agency))],
    };
    for (i, step) in procedure.steps.iter().enumerate() {
        let name = step.name.clone().unwrap_or_else(|| step.id.clone());
        let Some(record) = d.steps.get(i) else {
            if !d.state.is_final() {
                pending.push(waiting(name, step.agency.as_str()));
            }
            continue;
        };
        let mut lines = vec![format!("Đơn vị: {}", unit(record.agency.as_str()))];
        if let Some(due) = record.due {
            lines.push(format!("Hạn bước: {}", at_text(due)));
        }
        match (&record.handover, record.started_at) {
            (Some(handover), started) => {
                lines.push(format!("Hoàn thành: {} ({})", at_text(handover.at), handover.timing.label()));
                let class = if handover.timing == Timing::Late { "late" } else { "" };
                entries.push(entry(started.unwrap_or(handover.at), class, name, lines));
            }
            (None, Some(started)) if !d.state.is_final() => {
                lines.push("Đang thực hiện".to_owned());
                entries.push(entry(started, "", name, lines));
            }
            (None, _) if !d.state.is_final() => pending.push(waiting(name, record.agency.as_str())),
            (None, _) => {}
        }
    }
    if let Some(pause) = &d.pause {
        let mut lines = vec![pause.reason.label().to_owned()];
        lines.extend(pause.items.iter().cloned());
        entries.push(entry(pause.since, "pending", "Tạm dừng tính thời gian giải quyết", lines));
    }
    if let Some(apology) = &d.apology {
        let lines = vec![format!("Lý do: {}", apology.reason), format!("Hẹn lại: {}", at_text(apology.new_due))];
        entries.push(entry(
            apology.issued_at,
            "late",
            format!("Thư xin lỗi của {}", unit(apology.agency.as_str())),
            lines,
        ));
    }
    if let Some(decision) = &d.decision {
        let title = if decision.approved {
            "Có kết quả giải quyết"
        } else {
            "Không giải quyết (có văn bản nêu lý do)"
        };
        entries.push(entry(decision.at, "", title, decision.reasons.clone()));
    }
    if let Some(finished) = d.finished_at {
        let timing = d.timing.map(|t| format!("Kết quả trả {}", t.label())).into_iter().collect();
        entries.push(entry(
            finished,
            if d.timing == Some(Timing::Late) { "late" } else { "" },
            d.state.label(),
            timing,
        ));
    }
    entries.sort_by_key(|(at, _)| *at);
    let mut ordered: Vec<Entry> = entries.into_iter().map(|(_, e)| e).collect();
    ordered.extend(pending);
    ordered
}

/// The form, and with `ma` and `khoa` the dossier's timeline; the same page, never a hint of
/// which of the two was wrong, when they do not match (lookups are rate-limited per address).
#[get("/tra-cuu")]
pub async fn tracking(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let asked: TrackQuery = query(&req)?;
    let (code, key) = (asked.ma.trim().to_owned(), asked.khoa.trim().to_uppercase());
    if code.is_empty() && key.is_empty() {
        return render(&TrackingPage { title: "Tra cứu hồ sơ", code, dossier: None, problem: None });
    }
    state.lookups.check(req.peer_addr().map(|a| a.ip()))?;
    // The form again, the code kept, to correct what was typed (404, as for any dossier not
    // found).
    let not_found = |code: String| {
        let problem = (
            "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này.",
            "Kiểm tra lại hai mã in trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả (chữ in hoa, không có chữ O và I).",
        );
        render_with(
            StatusCode::NOT_FOUND,
            &TrackingPage { title: "Tra cứu hồ sơ", code, dossier: None, problem: Some(problem) },
        )
    };
    let service = state.dossiers();
    let dossier = match service.read(None, &code, Some(&key)).await {
        Ok(Seen::Public(dossier) | Seen::Full(dossier)) => dossier,
        Err(error) if error.kind() == crate::error::ErrorCode::NotFound => {
            return not_found(code.chars().filter(|c| !c.is_control()).collect());
        }
        Err(error) => return Err(error.into()),
    };
    let procedure = service.procedure_of(&dossier).await?;
    let d = &dossier.lifecycle;
    let mut units: Vec<&str> = d.steps.iter().map(|s| s.agency.as_str()).collect();
    units.extend(procedure.steps.iter().map(|s| s.agency.as_str()));
    units.extend(d.apology.iter().map(|a| a.agency.as_str()));
    let names = agencies::names(&state.db, &units).await.map_err(crate::error::ApiError::from)?;
    let tracked = Tracked {
        code: dossier.code.clone(),
        procedure: dossier.submission.receipt_names().procedure.unwrap_or_else(|| procedure.name.clone()),
        procedure_code: dossier.procedure.to_string(),
        state: d.state.label(),
        appointment: d.appointment().map(at_text),
        apology: d.apology.as_ref().map(|a| format!("Cơ quan đã xin lỗi vì trễ hẹn; hẹn lại {}", at_text(a.new_due))),
        events: timeline(&dossier, &procedure, &names),
        files: service
            .files(&dossier)
            .await?
            .into_iter()
            .map(|f| {
                let document = procedure
                    .documents
                    .iter()
                    .find(|d| d.id == f.document)
                    .map_or(f.document.clone(), |d| d.title.clone());
                let link =
                    format!("/api/v1/dossiers/{}/files/{}?key={}", dossier.code, f.id, super::percent_encoded(&key));
                (f.name, document, crate::dossiers::files::size_text(f.size), link)
            })
            .collect(),
    };
    render(&TrackingPage {
        title: "Tra cứu hồ sơ", code: dossier.code.clone(), dossier: Some(tracked), problem: None
    })
}
