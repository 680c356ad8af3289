//! How the portal answers: a page rendered from its template, or an error page in Vietnamese
//! with the status the API would give — never raw JSON to a citizen.

use crate::error::{ApiError, ErrorCode};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use askama::Template;
use std::fmt;

/// A page, or the error page that stands in for it.
pub type PageResult = Result<HttpResponse, PortalError>;

/// `page` rendered, 200.
pub fn render(page: &impl Template) -> PageResult {
    render_with(StatusCode::OK, page)
}

/// `page` rendered with `status` (a form shown again with what was wrong, say).
pub fn render_with(status: StatusCode, page: &impl Template) -> PageResult {
    let html = page.render().map_err(|error| {
        tracing::error!(%error, "a portal template failed");
        PortalError::new(StatusCode::INTERNAL_SERVER_ERROR, "Lỗi hệ thống", "Trang không hiển thị được.")
    })?;
    Ok(HttpResponse::build(status).content_type("text/html; charset=utf-8").body(html))
}

/// An error as a citizen reads it.
#[derive(Debug)]
pub struct PortalError {
    status: StatusCode,
    title: &'static str,
    message: String,
    help: String,
    /// Where to send the browser instead (303), e.g. to sign in.
    location: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    message: &'a str,
    help: &'a str,
}

impl PortalError {
    /// An error page with `status`, a `title` and what happened.
    pub fn new(status: StatusCode, title: &'static str, message: impl Into<String>) -> Self {
        PortalError { status, title, message: message.into(), help: String::new(), location: None }
    }

    /// What the citizen can do about it.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = help.into();
        self
    }

    /// A redirection (303 See Other) to `location`, e.g. the sign-in page.
    pub fn redirect(location: impl Into<String>) -> Self {
        PortalError { location: Some(location.into()), ..PortalError::new(StatusCode::SEE_OTHER, "Chuyển trang", "") }
    }

    /// 403: the session's form token is missing or wrong (a form posted from another site).
    pub fn forged() -> Self {
        PortalError::new(
            StatusCode::FORBIDDEN,
            "Yêu cầu không hợp lệ",
            "Biểu mẫu đã hết hạn hoặc không gửi từ cổng này.",
        )
        .help("Tải lại trang rồi gửi lại.")
    }

    /// 404 with what was not found.
    pub fn not_found(message: impl Into<String>) -> Self {
        PortalError::new(StatusCode::NOT_FOUND, "Không tìm thấy", message)
    }
}

impl From<ApiError> for PortalError {
    /// The application's error in the citizen's words; its code's status is kept.
    fn from(error: ApiError) -> Self {
        let status = error.kind().status();
        match error.kind() {
            ErrorCode::NotFound => PortalError::not_found("Không tìm thấy nội dung bạn yêu cầu."),
            ErrorCode::TooManyRequests => {
                PortalError::new(status, "Quá nhiều yêu cầu", "Bạn đã gửi quá nhiều yêu cầu trong thời gian ngắn.")
                    .help(format!("Vui lòng thử lại sau {} giây.", crate::rate_limit::LOOKUP_WINDOW.as_secs()))
            }
            ErrorCode::InvalidQuery | ErrorCode::InvalidBody => {
                PortalError::new(status, "Thông tin chưa hợp lệ", "Thông tin gửi lên chưa đúng định dạng.")
                    .help("Kiểm tra lại các ô đã nhập rồi gửi lại.")
            }
            ErrorCode::Database => PortalError::new(status, "Hệ thống đang bận", "Hệ thống tạm thời chưa trả lời.")
                .help("Vui lòng thử lại sau ít phút."),
            code => {
                tracing::warn!(%error, "a portal page failed");
                let what = crate::problems::find(crate::problems::Family::Problem, code.as_str())
                    .map_or("Không thực hiện được", |entry| entry.vi.as_str());
                PortalError::new(status, "Không thực hiện được", what)
            }
        }
    }
}

impl fmt::Display for PortalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.status, self.message)
    }
}

impl ResponseError for PortalError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        if let Some(location) = &self.location {
            return HttpResponse::SeeOther().insert_header((header::LOCATION, location.as_str())).finish();
        }
        let page = ErrorPage { title: self.title, message: &self.message, help: &self.help };
        let html = page.render().unwrap_or_else(|_| self.message.clone());
        let mut response = HttpResponse::build(self.status);
        if self.status == StatusCode::TOO_MANY_REQUESTS {
            let wait = crate::rate_limit::LOOKUP_WINDOW.as_secs().to_string();
            if let Ok(value) = HeaderValue::from_str(&wait) {
                response.insert_header((header::RETRY_AFTER, value));
            }
        }
        response.content_type("text/html; charset=utf-8").body(html)
    }
}
