//! `/problems` and `/problems/{code}`: the catalogue of codes as pages, in Vietnamese and
//! English. Public; a problem's `type` links here.

use super::{Entry, Family, catalogue, find};
use crate::error::{ApiError, ErrorCode};
use crate::html::escape;
use actix_web::{HttpResponse, get, web};
use std::fmt::Write;

fn page(title: &str, body: &str) -> HttpResponse {
    let html = format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>{}</title><style>\
         body{{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;line-height:1.5}}\
         code{{background:#f3f3f3;padding:0 .2em}}dt{{font-weight:bold;margin-top:1em}}\
         .en{{color:#555}}.status{{font-family:monospace;color:#555}}</style></head><body>{body}</body></html>",
        escape(title)
    );
    HttpResponse::Ok().content_type("text/html; charset=utf-8").body(html)
}

/// The anchor of an entry on the catalogue page.
fn anchor(entry: &Entry) -> String {
    format!("{}-{}", entry.family.as_str(), entry.code)
}

/// Inline code in a help text (`…`) as `<code>`, the rest escaped.
fn help(text: &str) -> String {
    let mut out = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{}</code>", escape(part));
        } else {
            out.push_str(&escape(part));
        }
    }
    out
}

fn describe(out: &mut String, entry: &Entry) {
    let link = match entry.family {
        Family::Problem => format!("<a href=\"/problems/{0}\"><code>{0}</code></a>", entry.code),
        _ => format!("<code>{}</code>", entry.code),
    };
    let _ = write!(
        out,
        "<dt id=\"{}\">{link} <span class=\"status\">{}</span> — {} <span class=\"en\">({})</span></dt>\
         <dd><p>{}</p><p class=\"en\">{}</p></dd>",
        anchor(entry),
        entry.status,
        escape(&entry.vi),
        escape(&entry.en),
        help(&entry.help_vi),
        help(&entry.help),
    );
}

/// Every code a client or an administrator can see, family by family. Public.
#[get("/problems")]
pub async fn index() -> HttpResponse {
    let mut body = String::from(
        "<h1>Danh mục mã lỗi <span class=\"en\">(Catalogue of codes)</span></h1>\
         <p>Mỗi mã là ổn định: mã mới được thêm, không bao giờ đổi tên hay bỏ đi. \
         <span class=\"en\">Every code is stable: codes are added, never renamed or dropped.</span></p><ul>",
    );
    for family in Family::ALL {
        let (en, vi) = family.heading();
        let _ = write!(body, "<li><a href=\"#{}\">{vi}</a> <span class=\"en\">({en})</span></li>", family.as_str());
    }
    body.push_str("</ul>");
    for family in Family::ALL {
        let (en, vi) = family.heading();
        let _ = write!(body, "<h2 id=\"{}\">{vi} <span class=\"en\">({en})</span></h2>", family.as_str());
        if let Some((carrier, member)) = family.carried_by() {
            let _ = write!(
                body,
                "<p>Trong <code>{member}</code> của <a href=\"/problems/{0}\"><code>{0}</code></a>. \
                 <span class=\"en\">In <code>{member}</code> of <code>{0}</code>.</span></p>",
                carrier.as_str()
            );
        }
        body.push_str("<dl>");
        for entry in catalogue().iter().filter(|e| e.family == family) {
            describe(&mut body, entry);
        }
        body.push_str("</dl>");
    }
    page("Danh mục mã lỗi — motcua", &body)
}

/// One problem type: its status, titles, how to fix it, and the codes that travel inside it.
/// Public; 404 for a code that is not a problem.
#[get("/problems/{code}")]
pub async fn problem(code: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let entry = find(Family::Problem, &code)
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("`{code}` is not a problem code; see /problems")))?;
    let mut body = format!(
        "<p><a href=\"/problems\">Danh mục mã lỗi</a></p><h1><code>{}</code> — {}</h1><p class=\"en\">{}</p>\
         <p>HTTP <span class=\"status\">{}</span></p><p>{}</p><p class=\"en\">{}</p>",
        entry.code,
        escape(&entry.vi),
        escape(&entry.en),
        entry.status,
        help(&entry.help_vi),
        help(&entry.help),
    );
    for family in Family::ALL.into_iter().filter(|f| f.carried_by().is_some_and(|(p, _)| p.as_str() == entry.code)) {
        let (en, vi) = family.heading();
        let member = family.carried_by().map_or("", |(_, m)| m);
        let _ = write!(body, "<h2>{vi} <span class=\"en\">({en}, in <code>{member}</code>)</span></h2><dl>");
        for sub in catalogue().iter().filter(|e| e.family == family) {
            describe(&mut body, sub);
        }
        body.push_str("</dl>");
    }
    Ok(page(&format!("{} — motcua", entry.code), &body))
}
