//! Printable forms laid out as Circular 01/2018/TT-VPCP (and 03/2025/TT-VPCP) draws them —
//! the issuing unit beside the national motto, the title, numbered items, signature blocks:
//! the receipt (Mẫu 01), the supplement request (Mẫu 02), the refusal (Mẫu 03), the apology
//! with a new appointment (Mẫu 04) and the process-control slip (Mẫu 05). Templates are
//! askama's (`templates/printable/`), checked at compile time and escaped.

pub(crate) mod apology;
pub(crate) mod control_slip;
pub(crate) mod notices;
pub(crate) mod receipt;

use super::read::limit_anonymous;
use crate::auth::MaybePrincipal;
use crate::dossiers::Seen;
use crate::dossiers::record::StoredDossier;
use crate::error::{ApiError, ErrorCode};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use chrono::{DateTime, FixedOffset};
use motcua_engine::calendar::VIETNAM_OFFSET;
use sea_orm::DatabaseConnection;
use serde::Deserialize;
use serde_json::Value;
use std::future::Future;
use std::pin::Pin;

/// The receipt's lookup key, for the public.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct KeyQuery {
    /// The lookup key printed on the receipt (Mẫu 01), for a caller without a token.
    pub(in crate::routes::dossiers) key: Option<String>,
}

/// "09 giờ 00 phút, ngày 12/02/2026", as the forms write times.
pub(super) fn spoken(at: DateTime<FixedOffset>) -> String {
    at.with_timezone(&VIETNAM_OFFSET).format("%H giờ %M phút, ngày %d/%m/%Y").to_string()
}

/// A text member of the stored submission, empty when there is none.
pub(super) fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}

/// The dossier a printable page is asked for, for a caller who may see it or holds its lookup
/// key (`?key=`); an anonymous caller's lookups are rate-limited. 404 otherwise, the same as
/// for a code that does not exist.
pub(super) struct Printable {
    /// The dossier.
    pub row: StoredDossier,
    /// Its applicant and receipt, as a tree the pages index.
    pub submission: Value,
    /// The application, for the names the page prints.
    pub state: actix_web::web::Data<crate::state::AppState>,
    /// Whether the caller sees the whole dossier (staff of its agencies), not only what its
    /// lookup key shows.
    pub full: bool,
}

impl FromRequest for Printable {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let principal = MaybePrincipal::from_request(&req, payload);
        Box::pin(async move {
            let state = crate::state::of(&req)?;
            // A printed form is also opened from the portal's pages, where staff hold a session
            // cookie rather than a token (SameSite=Strict: no other site's page sends it).
            let principal = match principal.await? {
                MaybePrincipal(None) => MaybePrincipal(staff_session(&req, &state).await?),
                bearer => bearer,
            };
            let query = crate::extract::Query::<KeyQuery>::parse(req.query_string())?;
            limit_anonymous(&req, &principal)?;
            let code = req.match_info().get("code").unwrap_or_default();
            let seen = state.dossiers().read(principal.0.as_ref(), code, query.key.as_deref()).await?;
            let full = matches!(seen, Seen::Full(_));
            let (Seen::Full(row) | Seen::Public(row)) = seen;
            let submission = serde_json::json!({
                "applicant": row.submission.applicant,
                "receipt": row.submission.receipt_value(),
            });
            Ok(Printable { row, submission, state, full })
        })
    }
}

/// The staff member signed in to the portal by `req`'s session cookie, if any.
async fn staff_session(
    req: &HttpRequest,
    state: &crate::state::AppState,
) -> Result<Option<crate::auth::Principal>, ApiError> {
    let Some(cookie) = req.cookie(crate::portal::SESSION_COOKIE) else { return Ok(None) };
    let session = crate::accounts::session(&state.db, cookie.value(), state.clock.now()).await?;
    Ok(session.map(|s| s.principal))
}

pub(super) use crate::dossiers::record::signer;

/// The registered names of `codes`; a code not registered prints as itself.
pub(super) async fn names(db: &DatabaseConnection, codes: &[&str]) -> Result<Names, ApiError> {
    Ok(Names(crate::repository::agencies::names(db, codes).await?))
}

/// Agency names by code, for one page.
pub(super) struct Names(std::collections::BTreeMap<String, String>);

impl Names {
    /// The name of `code`, or the code itself when it is not registered.
    pub(super) fn of(&self, code: &str) -> String {
        self.0.get(code).map_or(code, String::as_str).to_owned()
    }
}

/// The header every form starts with: the form, the issuing unit under its parent, the day.
pub(super) struct Header {
    /// `Mẫu 01`.
    pub number: &'static str,
    /// The circular that defines it.
    pub circular: &'static str,
    /// The form's title, in capitals as the forms print it.
    pub title: String,
    /// The issuer's parent (the agency a desk belongs to), printed above it.
    pub parent: String,
    /// The issuing unit.
    pub issuer: String,
    /// The dossier code.
    pub code: String,
    /// The day it is issued (UTC+7), two digits: the header writes `ngày 03 tháng 12 năm 2026`.
    pub day: String,
    /// Month, two digits.
    pub month: String,
    /// Year.
    pub year: String,
}

impl Header {
    /// The header of `form` (of the set `circular`), issued by `issuer` under `parent` on
    /// `at` for dossier `code`.
    pub(super) fn new(
        form: motcua_engine::legal::FormName,
        circular: &'static str,
        (parent, issuer): (String, String),
        code: &str,
        at: DateTime<FixedOffset>,
    ) -> Self {
        let local = at.with_timezone(&VIETNAM_OFFSET);
        // A unit printed under itself says it once.
        let parent = if parent == issuer { String::new() } else { parent };
        Header {
            number: form.number,
            circular,
            title: form.title.to_uppercase(),
            parent,
            issuer,
            code: code.to_owned(),
            day: local.format("%d").to_string(),
            month: local.format("%m").to_string(),
            year: local.format("%Y").to_string(),
        }
    }
}

/// `form` rendered as a printable page.
pub(super) fn page(form: &impl askama::Template) -> Result<HttpResponse, ApiError> {
    let html = form.render().map_err(|e| ApiError::new(ErrorCode::Internal, format!("a printable form: {e}")))?;
    Ok(HttpResponse::Ok().content_type("text/html; charset=utf-8").body(html))
}
