//! `/can-bo/tiep-nhan`: reception files a dossier at the counter for the applicant in front of
//! it — the procedures its desk receives, then the same generated form as online
//! ([`super::filing`]), filed as the officer: received at once, its receipt (Mẫu 01) printed
//! from the dossier's page.

use super::filing::{Filer, blank_for, file_for, verdict_for};
use super::page::{PageResult, PortalError, render};
use super::session::Staff;
use super::staff::{Nav, nav};
use crate::auth::ApiRole;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use motcua_engine::codes::Role;
use motcua_engine::definition::Channel;

#[derive(Template)]
#[template(path = "portal/counter.html")]
struct Counter {
    title: &'static str,
    nav: Nav,
    procedures: Vec<(String, String)>,
}

/// Only reception files at the counter.
fn reception(staff: Staff) -> Result<Staff, PortalError> {
    let principal = &staff.0.principal;
    if principal.role == ApiRole::Officer && principal.duty == Some(Role::Reception) {
        Ok(staff)
    } else {
        Err(PortalError::new(
            StatusCode::FORBIDDEN,
            "Không có quyền",
            "Chỉ cán bộ tiếp nhận của Bộ phận Một cửa tiếp nhận hồ sơ trực tiếp.",
        ))
    }
}

/// The procedures the officer's desk receives at the counter.
#[get("/can-bo/tiep-nhan")]
pub async fn procedures(staff: Staff, state: web::Data<AppState>) -> PageResult {
    let staff = reception(staff)?;
    let principal = &staff.0.principal;
    let today = state.clock.now().date_naive();
    let mut procedures: Vec<(String, String)> = state
        .catalogue
        .in_force(today)
        .iter()
        .filter(|p| p.channels.contains(&Channel::Counter))
        .filter(|p| principal.agency.as_ref().is_some_and(|own| p.reception_agency().is_within(own)))
        .map(|p| (p.code.to_string(), p.name.clone()))
        .collect();
    procedures.sort();
    render(&Counter { title: "Tiếp nhận hồ sơ trực tiếp", nav: nav(&staff.0), procedures })
}

/// The empty form of `code`, for the counter.
#[get("/can-bo/tiep-nhan/{code}")]
pub async fn blank(staff: Staff, state: web::Data<AppState>, code: web::Path<String>) -> PageResult {
    blank_for(&Filer::Counter(reception(staff)?), &state, &code)
}

/// Checks or files it.
#[post("/can-bo/tiep-nhan/{code}")]
pub async fn file(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
    code: web::Path<String>,
    body: web::Bytes,
) -> PageResult {
    file_for(&Filer::Counter(reception(staff)?), &req, &state, &code, &body).await
}

/// The check before sending, as JSON for the page's script.
#[post("/can-bo/tiep-nhan/{code}/kiem-tra")]
pub async fn verdict(
    req: HttpRequest,
    staff: Staff,
    state: web::Data<AppState>,
    code: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, PortalError> {
    verdict_for(&Filer::Counter(reception(staff)?), &req, &state, &code, &body).await
}
