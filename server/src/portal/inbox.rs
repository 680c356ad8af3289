//! `GET /can-bo`: an officer's inbox — the dossiers waiting at their duty in their agency,
//! soonest due first, overdue and near-deadline ones marked.

use super::at_text;
use super::page::{PageResult, render};
use super::session::Staff;
use super::staff::{Nav, nav};
use crate::dossiers::available::waits_for;
use crate::dossiers::list::{ListFilter, MAX_PER_PAGE, PageRequest};
use crate::state::AppState;
use actix_web::{HttpResponse, get, web};
use askama::Template;
use chrono::{DateTime, FixedOffset};
use motcua_engine::calendar::{ProcessingTime, WorkingDays};
use motcua_engine::lifecycle::Actor;

/// Pages of open dossiers looked through at most (of 200 each): an inbox is read by a person.
const MAX_PAGES_SCANNED: u64 = 25;

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
    nav: Nav,
    duty: String,
    items: Vec<Row>,
    more: bool,
}

/// The inbox of the signed-in officer or department; an administrator, who acts on no
/// dossier, lands on the definitions.
#[get("/can-bo")]
pub async fn inbox(staff: Staff, state: web::Data<AppState>) -> PageResult {
    let principal = &staff.0.principal;
    if principal.role == crate::auth::ApiRole::Admin {
        return Ok(HttpResponse::SeeOther().insert_header(("Location", "/can-bo/thu-tuc")).finish());
    }
    let actor = principal.actor()?;
    let now = state.clock.now();
    // Within a working day of the due time: the last moment to issue an apology (Mẫu 04).
    let one_day = ProcessingTime::WorkingDays(WorkingDays::try_from(1.0).unwrap_or(WorkingDays::ZERO));
    let soon =
        |due: DateTime<FixedOffset>| state.catalogue.calendar().add(now, &one_day).is_ok_and(|limit| due <= limit);
    // The open dossiers the officer may see, soonest due first, page by page; kept are those
    // on which the lifecycle would take an action of theirs now (what "waiting for me" is).
    let service = state.dossiers();
    let (mut items, mut seen, mut page_number) = (Vec::new(), 0, 0);
    let more = loop {
        let filter = ListFilter { open: true, due_first: true, ..ListFilter::default() };
        let page = service.list(principal, filter, PageRequest::new(page_number, Some(MAX_PER_PAGE))?).await?;
        for dossier in &page.items {
            let procedure = service.procedure_of(dossier).await?;
            if !waits_for(&procedure, &dossier.lifecycle, &actor, now) {
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
        seen += page.items.len() as u64;
        page_number += 1;
        if seen >= page.total || page.items.is_empty() {
            break false;
        }
        if page_number >= MAX_PAGES_SCANNED {
            break true;
        }
    };
    let duty = match &actor {
        Actor::Official { role, agency, .. } => format!("{} — {agency}", role.label()),
        Actor::Applicant { .. } => String::new(),
    };
    render(&Inbox { title: "Hồ sơ chờ xử lý", nav: nav(&staff.0), duty, more, items })
}
