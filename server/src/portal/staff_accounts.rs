//! `/can-bo/tai-khoan`: the administrator manages who may use motcua — staff accounts that
//! sign in to the portal, and API tokens for programs (a token's secret is shown once) — and
//! revokes either, which ends the account's sessions at once.

use super::form_body;
use super::page::{PageResult, PortalError, render, render_with};
use super::session::Staff;
use super::staff::{Nav, nav, role_label};
use crate::accounts::{self, NewAccount};
use crate::auth::{ApiRole, NewToken, TokenInfo};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use chrono::Duration;
use motcua_engine::codes::{AgencyCode, Role};
use motcua_engine::definition::Channel;
use serde::Deserialize;

/// An account or token in the tables.
struct Row {
    id: i32,
    username: String,
    name: String,
    role: &'static str,
    agency: String,
    duty: &'static str,
    channels: String,
    status: String,
    live: bool,
}

#[derive(Template)]
#[template(path = "portal/accounts.html")]
struct Accounts {
    title: &'static str,
    nav: Nav,
    said: String,
    problem: String,
    secret: String,
    accounts: Vec<Row>,
    tokens: Vec<Row>,
    duties: Vec<(&'static str, &'static str)>,
}

#[derive(Deserialize, Default)]
struct Said {
    #[serde(rename = "thong-bao", default)]
    said: String,
}

/// The accounts and tokens.
#[get("/can-bo/tai-khoan")]
pub async fn show(req: HttpRequest, staff: Staff, state: web::Data<AppState>) -> PageResult {
    let said: Said = super::query(&req)?;
    let said = match said.said.as_str() {
        "tao" => "Đã tạo tài khoản: người dùng đăng nhập bằng tên và mật khẩu vừa đặt.",
        "thu-hoi" => "Đã thu hồi: tài khoản hoặc mã truy cập không dùng được nữa, các phiên đăng nhập đã kết thúc.",
        _ => "",
    };
    page(&state, &staff, said.to_owned(), String::new(), String::new(), StatusCode::OK).await
}

/// What the administrator posted.
#[derive(Deserialize)]
struct Posted {
    csrf: String,
    /// `tao-tai-khoan`, `cap-ma` or `thu-hoi`.
    buoc: String,
    #[serde(default)]
    id: Option<i32>,
    #[serde(default)]
    ten_dang_nhap: String,
    #[serde(default)]
    ho_ten: String,
    #[serde(default)]
    vai_tro: String,
    #[serde(default)]
    co_quan: String,
    #[serde(default)]
    nhiem_vu: String,
    #[serde(default)]
    mat_khau: String,
    #[serde(default)]
    kenh: String,
    #[serde(default)]
    so_ngay: String,
}

/// Creates an account, issues a token or revokes one.
#[post("/can-bo/tai-khoan")]
pub async fn act(staff: Staff, state: web::Data<AppState>, body: web::Bytes) -> PageResult {
    let posted: Posted = form_body(&body)?;
    staff.check(&posted.csrf)?;
    require_admin(&staff)?;
    let refused =
        |problem: String| page(&state, &staff, String::new(), problem, String::new(), StatusCode::UNPROCESSABLE_ENTITY);
    let done = |said: &str| {
        Ok(HttpResponse::SeeOther().insert_header(("Location", format!("/can-bo/tai-khoan?thong-bao={said}"))).finish())
    };
    match posted.buoc.as_str() {
        "tao-tai-khoan" => {
            let (role, agency, duty) = match who(&posted) {
                Ok(who) => who,
                Err(problem) => return refused(problem).await,
            };
            let new = NewAccount {
                username: posted.ten_dang_nhap.clone(),
                name: posted.ho_ten.trim().to_owned(),
                role,
                agency,
                duty,
                password: posted.mat_khau.clone(),
            };
            match accounts::create(&state.db, new).await {
                Ok(()) => done("tao"),
                Err(problem) => refused(format!("Chưa tạo được tài khoản: {problem}.")).await,
            }
        }
        "cap-ma" => {
            let (role, agency, duty) = match who(&posted) {
                Ok(who) => who,
                Err(problem) => return refused(problem).await,
            };
            let channels = match posted.kenh.as_str() {
                "" | "online" => vec![Channel::Online],
                "postal" => vec![Channel::Postal],
                _ => return refused("Kênh nộp hồ sơ không hợp lệ.".to_owned()).await,
            };
            let expires_at = match posted.so_ngay.trim() {
                "" => None,
                days => match days.parse::<u16>() {
                    Ok(days) if days > 0 => Some(state.clock.now() + Duration::days(i64::from(days))),
                    _ => return refused("Số ngày hiệu lực là một số nguyên dương, hoặc để trống.".to_owned()).await,
                },
            };
            let token = NewToken {
                name: posted.ho_ten.trim().to_owned(),
                role,
                agency,
                duty,
                channels: if role == ApiRole::Client { channels } else { Vec::new() },
                expires_at,
            };
            if token.name.is_empty() {
                return refused("Ghi tên người hoặc ứng dụng được cấp mã.".to_owned()).await;
            }
            match crate::auth::create_token(&state.db, token).await {
                Ok(secret) => {
                    let said = "Đã cấp mã truy cập. Sao chép ngay: mã chỉ hiển thị một lần, hệ thống chỉ lưu bản băm.";
                    page(&state, &staff, said.to_owned(), String::new(), secret, StatusCode::CREATED).await
                }
                Err(problem) => refused(format!("Chưa cấp được mã: {problem}.")).await,
            }
        }
        "thu-hoi" => {
            let Some(id) = posted.id else { return Err(PortalError::forged()) };
            if id == staff.0.principal.id {
                return refused("Không thể tự thu hồi tài khoản đang đăng nhập.".to_owned()).await;
            }
            if !crate::auth::revoke_token(&state.db, id).await.map_err(crate::error::ApiError::from)? {
                return refused("Không có tài khoản hoặc mã truy cập này, hoặc nó đã bị thu hồi.".to_owned()).await;
            }
            state.tokens.clear();
            done("thu-hoi")
        }
        _ => Err(PortalError::forged()),
    }
}

/// The role, agency and duty posted, checked as the issuing rules want them.
fn who(posted: &Posted) -> Result<(ApiRole, Option<AgencyCode>, Option<Role>), String> {
    let role: ApiRole = posted.vai_tro.parse().map_err(|_| "Chọn vai trò.".to_owned())?;
    let agency = match posted.co_quan.trim() {
        "" => None,
        code => Some(
            code.parse::<AgencyCode>().map_err(|_| format!("Mã cơ quan “{code}” không đúng mẫu (ví dụ G22.26.01)."))?,
        ),
    };
    let duty = match posted.nhiem_vu.as_str() {
        "" => None,
        duty => Some(duty.parse::<Role>().map_err(|_| "Nhiệm vụ không hợp lệ.".to_owned())?),
    };
    Ok((role, agency, duty))
}

fn require_admin(staff: &Staff) -> Result<(), PortalError> {
    Ok(staff.0.principal.require(&[ApiRole::Admin])?)
}

async fn page(
    state: &AppState,
    staff: &Staff,
    said: String,
    problem: String,
    secret: String,
    status: StatusCode,
) -> PageResult {
    require_admin(staff)?;
    let all = crate::auth::list_tokens(&state.db).await.map_err(crate::error::ApiError::from)?;
    let (mut accounts, mut tokens) = (Vec::new(), Vec::new());
    let now = state.clock.now();
    for info in all {
        match &info.username {
            // The portal's own identity is no one's to manage.
            Some(username) if username.starts_with('@') => {}
            Some(_) => accounts.push(row(info, now)),
            None => tokens.push(row(info, now)),
        }
    }
    let duties = Role::ALL.iter().map(|r| (r.as_str(), r.label())).collect();
    let page = Accounts {
        title: "Tài khoản và mã truy cập",
        nav: nav(&staff.0),
        said,
        problem,
        secret,
        accounts,
        tokens,
        duties,
    };
    if status == StatusCode::OK { render(&page) } else { render_with(status, &page) }
}

fn row(info: TokenInfo, now: chrono::DateTime<chrono::FixedOffset>) -> Row {
    let role = info.role.parse::<ApiRole>().map_or("", role_label);
    let duty = info.duty.as_deref().and_then(|d| d.parse::<Role>().ok()).map_or("", Role::label);
    let (status, live) = match (info.revoked_at, info.expires_at) {
        (Some(at), _) => (format!("Đã thu hồi {}", super::at_text(at)), false),
        (None, Some(at)) if at <= now => (format!("Hết hạn {}", super::at_text(at)), false),
        (None, Some(at)) => (format!("Còn hiệu lực đến {}", super::at_text(at)), true),
        (None, None) => ("Còn hiệu lực".to_owned(), true),
    };
    Row {
        id: info.id,
        username: info.username.unwrap_or_default(),
        name: info.name,
        role,
        agency: info.agency.unwrap_or_default(),
        duty,
        channels: info.channels.unwrap_or_default(),
        status,
        live,
    }
}
