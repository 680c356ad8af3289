//! `GET`/`POST /dang-nhap` and `POST /dang-xuat`: staff sign in with their account (attempts
//! limited per address), and sign out, which ends the session for good.

use super::page::{PageResult, PortalError};
use super::session::{FORM_COOKIE, SESSION_COOKIE, Staff, check_form_token, cookie, removal, with_form_token};
use super::{form_body, query};
use crate::accounts;
use crate::error::ErrorCode;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "portal/sign_in.html")]
struct SignInPage<'a> {
    title: &'static str,
    csrf: String,
    next: &'a str,
    username: &'a str,
    message: &'a str,
}

/// Where to go after signing in: a staff page of this portal only, written in plain
/// characters — never another site, whatever a browser would make of `//`, `\\` or a tab.
fn next_page(asked: &str) -> &str {
    let plain = asked.bytes().all(|b| b.is_ascii_alphanumeric() || b"/-._?=&%".contains(&b));
    let staff = asked == "/can-bo" || asked.starts_with("/can-bo/") || asked.starts_with("/can-bo?");
    if plain && staff && !asked.contains("//") { asked } else { "/can-bo" }
}

#[derive(Deserialize, Default)]
struct Next {
    #[serde(default)]
    tiep: String,
}

/// The form, with a fresh token that the form and a cookie both carry.
fn form(next: &str, username: &str, message: &str, status: StatusCode) -> PageResult {
    with_form_token(status, |csrf| SignInPage {
        title: "Đăng nhập cán bộ",
        csrf,
        next: next_page(next),
        username,
        message,
    })
}

/// The sign-in form.
#[get("/dang-nhap")]
pub async fn form_page(req: HttpRequest) -> PageResult {
    let next: Next = query(&req)?;
    form(&next.tiep, "", "", StatusCode::OK)
}

#[derive(Deserialize)]
struct Credentials {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    tiep: String,
    #[serde(default)]
    ten: String,
    #[serde(default)]
    mat_khau: String,
}

/// Signs in: a session cookie and on to the page asked for; the form again, 401, with one
/// message whichever of the two was wrong; 403 for a form not sent from the sign-in page.
#[post("/dang-nhap")]
pub async fn sign_in(req: HttpRequest, state: web::Data<AppState>, body: web::Bytes) -> PageResult {
    let credentials: Credentials = form_body(&body)?;
    check_form_token(&req, &credentials.csrf)?;
    state.sign_ins.check(req.peer_addr().map(|a| a.ip())).map_err(|_| {
        PortalError::new(StatusCode::TOO_MANY_REQUESTS, "Đăng nhập quá nhiều lần", "Đã thử đăng nhập quá nhiều lần.")
            .help(format!("Vui lòng thử lại sau {} giây.", crate::rate_limit::LOOKUP_WINDOW.as_secs()))
    })?;
    match accounts::sign_in(&state.db, &credentials.ten, &credentials.mat_khau, state.clock.now()).await {
        Ok(signed_in) => {
            let mut response =
                HttpResponse::SeeOther().insert_header(("Location", next_page(&credentials.tiep))).finish();
            let set = response
                .add_cookie(&cookie(SESSION_COOKIE, signed_in.secret))
                .and_then(|()| response.add_removal_cookie(&removal(FORM_COOKIE)));
            set.map_err(|_| PortalError::forged())?;
            Ok(response)
        }
        Err(error) if error.kind() == ErrorCode::Unauthorized => form(
            &credentials.tiep,
            &credentials.ten,
            "Tên đăng nhập hoặc mật khẩu không đúng.",
            StatusCode::UNAUTHORIZED,
        ),
        Err(error) => Err(error.into()),
    }
}

#[derive(Deserialize)]
struct SignOut {
    #[serde(default)]
    csrf: String,
}

/// Signs out: the session ends on the server, so its cookie signs no one in again.
#[post("/dang-xuat")]
pub async fn sign_out(staff: Staff, state: web::Data<AppState>, body: web::Bytes) -> PageResult {
    let asked: SignOut = form_body(&body)?;
    staff.check(&asked.csrf)?;
    accounts::sign_out(&state.db, staff.0.id, state.clock.now()).await?;
    let mut response = HttpResponse::SeeOther().insert_header(("Location", "/")).finish();
    response.add_removal_cookie(&removal(SESSION_COOKIE)).map_err(|_| PortalError::forged())?;
    Ok(response)
}
