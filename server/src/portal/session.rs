//! The staff member behind a portal request: the session cookie read, checked against the
//! database, and the CSRF token every form of the session must carry.

use super::page::{PageResult, PortalError, render_with};
use crate::accounts::{self, Session};
use crate::auth::new_secret;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest};
use std::future::Future;
use std::pin::Pin;

/// The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's page
/// sends it), for the whole portal.
pub const SESSION_COOKIE: &str = "motcua_phien";
/// The token of a form sent before there is a session (signing in, filing a dossier): the
/// form and this cookie carry the same random value, which another site can neither read
/// nor set (double submit).
pub const FORM_COOKIE: &str = "motcua_bieu_mau";

/// A cookie as the portal sets them.
pub fn cookie(name: &'static str, value: String) -> Cookie<'static> {
    Cookie::build(name, value).path("/").http_only(true).same_site(SameSite::Strict).finish()
}

/// A cookie's removal.
pub fn removal(name: &'static str) -> Cookie<'static> {
    let mut cookie = cookie(name, String::new());
    cookie.make_removal();
    cookie
}

/// `page`, built around a fresh form token, rendered with `status` and the token's cookie:
/// the form and the cookie carry the same value (double submit).
pub fn with_form_token<T: askama::Template>(status: StatusCode, page: impl FnOnce(String) -> T) -> PageResult {
    let token = new_secret("");
    let mut response = render_with(status, &page(token.clone()))?;
    response.add_cookie(&cookie(FORM_COOKIE, token)).map_err(|_| PortalError::forged())?;
    Ok(response)
}

/// Refuses (403) a form sent before there is a session whose token `sent` is not its
/// cookie's: a form posted from another site.
pub fn check_form_token(req: &HttpRequest, sent: &str) -> Result<(), PortalError> {
    let expected = req.cookie(FORM_COOKIE).map(|c| c.value().to_owned()).unwrap_or_default();
    if expected.is_empty() || !constant_time_eq(expected.as_bytes(), sent.as_bytes()) {
        return Err(PortalError::forged());
    }
    Ok(())
}

/// A signed-in staff member; a page taking one sends anyone else to sign in.
pub struct Staff(pub Session);

impl Staff {
    /// Refuses a form whose `csrf` is not this session's.
    pub fn check(&self, csrf: &str) -> Result<(), PortalError> {
        if constant_time_eq(csrf.as_bytes(), self.0.csrf.as_bytes()) { Ok(()) } else { Err(PortalError::forged()) }
    }
}

/// Byte equality that takes as long wherever the first difference is.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl FromRequest for Staff {
    type Error = PortalError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, PortalError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let secret = req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned());
        let state = crate::state::of(req);
        // Back to where the browser was after signing in: a page it can open again, not a
        // form's target (a post whose session had ended lands on the staff's home).
        let back = match req.uri().path_and_query() {
            Some(p) if req.method() == actix_web::http::Method::GET || super::answers_get(p.path()) => {
                p.as_str().to_owned()
            }
            _ => "/can-bo".to_owned(),
        };
        Box::pin(async move {
            let state = state?;
            let sign_in = || PortalError::redirect(format!("/dang-nhap?tiep={}", urlencoding(&back)));
            let Some(secret) = secret else { return Err(sign_in()) };
            match accounts::session(&state.db, &secret, state.clock.now()).await? {
                Some(session) => Ok(Staff(session)),
                None => Err(sign_in()),
            }
        })
    }
}

/// `text` percent-encoded for a query parameter.
pub fn urlencoding(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            b => format!("%{b:02X}"),
        })
        .collect()
}
