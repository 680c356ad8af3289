//! `GET /can-bo`: an officer's inbox — the dossiers waiting at their duty in their agency,
//! soonest due first, overdue and near-deadline ones marked.

use super::at_text;
use super::page::{PageResult, render};
use super::session::Staff;
use crate::dossiers::list::{ListFilter, MAX_PER_PAGE, PageRequest};
use crate::dossiers::record::StoredDossier;
use crate::state::AppState;
use actix_web::{get, web};
use askama::Template;
use chrono::{DateTime, FixedOffset};
use motcua_engine::Procedure;
use motcua_engine::calendar::{ProcessingTime, WorkingDays};
use motcua_engine::codes::Role;
use motcua_engine::lifecycle::{Actor, State};

/// A dossier in the inbox.
struct Row {
    code: String,
    procedure: String,
    state: &'static str,
    due: String,
    overdue: bool,
    near: bool,
}

#[derive(Template)]
#[template(path = "portal/inbox.html")]
struct Inbox {
    title: &'static str,
    who: String,
    duty: String,
    csrf: String,
    items: Vec<Row>,
    more: bool,
}

/// Whether `dossier` waits for `actor` now: a submitted one for the reception of its desk, a
/// received one for the role and unit of its current step.
fn waits_for(actor: &Actor, dossier: &StoredDossier, procedure: &Procedure) -> bool {
    let Actor::Official { role, agency, .. } = actor else { return false };
    let d = &dossier.lifecycle;
    let step = match d.state {
        State::Submitted => return *role == Role::Reception && procedure.reception_agency().is_within(agency),
        State::Processing { step } | State::Paused { step } | State::Decided { step: Some(step) } => step,
        _ => return false,
    };
    d.steps.get(step).is_some_and(|s| s.role == *role && s.agency.is_within(agency))
}

/// The inbox of the signed-in officer or department.
#[get("/can-bo")]
pub async fn inbox(staff: Staff, state: web::Data<AppState>) -> PageResult {
    let principal = &staff.0.principal;
    let actor = principal.actor()?;
    let now = state.clock.now();
    let filter = ListFilter { open: true, due_first: true, ..ListFilter::default() };
    let page = state.dossiers().list(principal, filter, PageRequest::new(0, Some(MAX_PER_PAGE))?).await?;
    // Within a working day of the due time: the last moment to issue an apology (Mẫu 04).
    let one_day = ProcessingTime::WorkingDays(WorkingDays::try_from(1.0).unwrap_or(WorkingDays::ZERO));
    let soon =
        |due: DateTime<FixedOffset>| state.catalogue.calendar().add(now, &one_day).is_ok_and(|limit| due <= limit);
    let mut items = Vec::new();
    for dossier in &page.items {
        let Some(procedure) =
            state.catalogue.get(dossier.procedure.as_str(), Some(dossier.procedure_version), now.date_naive())
        else {
            continue;
        };
        if !waits_for(&actor, dossier, &procedure) {
            continue;
        }
        let due = dossier.lifecycle.appointment();
        items.push(Row {
            code: dossier.code.clone(),
            procedure: procedure.name.clone(),
            state: dossier.lifecycle.state.label(),
            due: due.map(at_text).unwrap_or_else(|| "Chưa tiếp nhận".to_owned()),
            overdue: due.is_some_and(|due| due < now),
            near: due.is_some_and(|due| due >= now && soon(due)),
        });
    }
    let duty = match &actor {
        Actor::Official { role, agency, .. } => format!("{} — {agency}", role.label()),
        Actor::Applicant { .. } => String::new(),
    };
    render(&Inbox {
        title: "Hồ sơ chờ xử lý",
        who: format!("Cán bộ: {}", principal.name),
        duty,
        csrf: staff.0.csrf.clone(),
        more: page.total > page.items.len() as u64,
        items,
    })
}
