//! Errors as RFC 9457 problem+json, each with a stable snake_case code from one table.

use crate::repository::dossiers::RepoError;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use std::fmt;

/// Every error the API returns. Codes are a contract: add, never rename.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// No such resource.
    NotFound,
    /// A query string the route does not understand.
    InvalidQuery,
    /// No token, or an unknown, expired or revoked one.
    Unauthorized,
    /// The token's role or agency does not allow this.
    Forbidden,
    /// A request body that is not the JSON the route expects.
    InvalidBody,
    /// The submission is not acceptable: every reason is listed.
    SubmissionRefused,
    /// The lifecycle refuses the action (wrong state, wrong actor, apology needed...).
    ActionRefused,
    /// `If-Match` does not name the dossier's current version.
    StaleVersion,
    /// `If-Match` is required for actions.
    PreconditionRequired,
    /// The same `Idempotency-Key` was used for a different request.
    IdempotencyKeyReused,
    /// A rule of the procedure failed.
    RuleFailed,
    /// A rule of the procedure was stopped at one of its limits (operations, time, sizes) on
    /// this submission's data.
    RuleBudgetExceeded,
    /// A definition that does not compile; every diagnostic is listed.
    DefinitionInvalid,
    /// A version number already published or retired.
    VersionExists,
    /// The procedure code belongs to another agency.
    NotOwner,
    /// A version whose validity period would hide an earlier version entirely, or is over.
    VersionOverlap,
    /// The token does not file dossiers by the channel the body names.
    ChannelNotAllowed,
    /// A body of the wrong content type.
    UnsupportedMediaType,
    /// A body over the size limit.
    PayloadTooLarge,
    /// A method the route does not have.
    MethodNotAllowed,
    /// Too many public lookups from one address.
    TooManyRequests,
    /// The database failed.
    Database,
    /// The server is misconfigured or a stored definition no longer compiles.
    Internal,
}

impl ErrorCode {
    /// Every code, in declaration order: the catalogue of codes lists each.
    pub const ALL: [ErrorCode; 23] = [
        ErrorCode::NotFound,
        ErrorCode::InvalidQuery,
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::InvalidBody,
        ErrorCode::SubmissionRefused,
        ErrorCode::ActionRefused,
        ErrorCode::StaleVersion,
        ErrorCode::PreconditionRequired,
        ErrorCode::IdempotencyKeyReused,
        ErrorCode::RuleFailed,
        ErrorCode::RuleBudgetExceeded,
        ErrorCode::DefinitionInvalid,
        ErrorCode::VersionExists,
        ErrorCode::NotOwner,
        ErrorCode::VersionOverlap,
        ErrorCode::ChannelNotAllowed,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::PayloadTooLarge,
        ErrorCode::MethodNotAllowed,
        ErrorCode::TooManyRequests,
        ErrorCode::Database,
        ErrorCode::Internal,
    ];

    /// The code and HTTP status of each error; titles and help are in the catalogue of codes.
    fn describe(self) -> (&'static str, StatusCode) {
        match self {
            ErrorCode::NotFound => ("not_found", StatusCode::NOT_FOUND),
            ErrorCode::InvalidQuery => ("invalid_query", StatusCode::BAD_REQUEST),
            ErrorCode::Unauthorized => ("unauthorized", StatusCode::UNAUTHORIZED),
            ErrorCode::Forbidden => ("forbidden", StatusCode::FORBIDDEN),
            ErrorCode::InvalidBody => ("invalid_body", StatusCode::BAD_REQUEST),
            ErrorCode::SubmissionRefused => ("submission_refused", StatusCode::UNPROCESSABLE_ENTITY),
            ErrorCode::ActionRefused => ("action_refused", StatusCode::UNPROCESSABLE_ENTITY),
            ErrorCode::StaleVersion => ("stale_version", StatusCode::PRECONDITION_FAILED),
            ErrorCode::PreconditionRequired => ("precondition_required", StatusCode::PRECONDITION_REQUIRED),
            ErrorCode::IdempotencyKeyReused => ("idempotency_key_reused", StatusCode::UNPROCESSABLE_ENTITY),
            ErrorCode::RuleFailed => ("rule_failed", StatusCode::INTERNAL_SERVER_ERROR),
            ErrorCode::RuleBudgetExceeded => ("rule_budget_exceeded", StatusCode::UNPROCESSABLE_ENTITY),
            ErrorCode::DefinitionInvalid => ("definition_invalid", StatusCode::UNPROCESSABLE_ENTITY),
            ErrorCode::VersionExists => ("version_exists", StatusCode::CONFLICT),
            ErrorCode::NotOwner => ("not_owner", StatusCode::FORBIDDEN),
            ErrorCode::VersionOverlap => ("version_overlap", StatusCode::CONFLICT),
            ErrorCode::ChannelNotAllowed => ("channel_not_allowed", StatusCode::FORBIDDEN),
            ErrorCode::UnsupportedMediaType => ("unsupported_media_type", StatusCode::UNSUPPORTED_MEDIA_TYPE),
            ErrorCode::PayloadTooLarge => ("payload_too_large", StatusCode::PAYLOAD_TOO_LARGE),
            ErrorCode::MethodNotAllowed => ("method_not_allowed", StatusCode::METHOD_NOT_ALLOWED),
            ErrorCode::TooManyRequests => ("too_many_requests", StatusCode::TOO_MANY_REQUESTS),
            ErrorCode::Database => ("database_error", StatusCode::SERVICE_UNAVAILABLE),
            ErrorCode::Internal => ("internal_error", StatusCode::INTERNAL_SERVER_ERROR),
        }
    }

    /// The stable snake_case code.
    pub fn as_str(self) -> &'static str {
        self.describe().0
    }

    /// The HTTP status it is answered with.
    pub fn status(self) -> StatusCode {
        self.describe().1
    }
}

/// An error response.
#[derive(Debug)]
pub struct ApiError {
    code: ErrorCode,
    detail: String,
    extensions: serde_json::Map<String, serde_json::Value>,
}

impl ApiError {
    /// An error with a detail for the client.
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        ApiError { code, detail: detail.into(), extensions: serde_json::Map::new() }
    }

    /// Adds a member to the problem body (RFC 9457 extension), e.g. the list of reasons.
    pub fn with(mut self, key: &str, value: serde_json::Value) -> Self {
        self.extensions.insert(key.to_owned(), value);
        self
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        self.code.as_str()
    }

    /// What happened, as the API's `detail` says it.
    pub fn detail(&self) -> &str {
        &self.detail
    }

    /// Which error it is.
    pub fn kind(&self) -> ErrorCode {
        self.code
    }

    /// A member added with [`ApiError::with`] (the `refusal` code of `action_refused`, say).
    pub fn extension(&self, key: &str) -> Option<&serde_json::Value> {
        self.extensions.get(key)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), self.detail)
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(error: sea_orm::DbErr) -> Self {
        tracing::error!(%error, "database error");
        ApiError::new(ErrorCode::Database, "the database did not answer; try again")
    }
}

impl From<RepoError> for ApiError {
    fn from(error: RepoError) -> Self {
        match error {
            RepoError::Stale(version) => ApiError::new(
                ErrorCode::StaleVersion,
                format!("the dossier is no longer at version {version}; read it again"),
            ),
            RepoError::DuplicateKey => {
                ApiError::new(ErrorCode::IdempotencyKeyReused, "this idempotency key was already used")
            }
            RepoError::AlreadyImported => {
                ApiError::new(ErrorCode::InvalidBody, "a dossier was already imported from this line")
            }
            RepoError::Database(e) => e.into(),
            RepoError::Corrupt(detail) => {
                tracing::error!(%detail, "corrupt dossier row");
                ApiError::new(ErrorCode::Internal, "a stored dossier could not be read")
            }
        }
    }
}

/// The problem+json body (RFC 9457) every error has, for the OpenAPI document.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // described, never built: responses are built from `ProblemBody`
pub struct Problem {
    /// The page describing the problem type and how to fix it (`/problems/{code}`, on this server).
    #[schema(rename = "type")]
    kind: String,
    /// Short title.
    title: String,
    /// HTTP status.
    status: u16,
    /// Stable snake_case code, e.g. `submission_refused`.
    code: String,
    /// What went wrong and how to fix it.
    detail: String,
}

#[derive(Serialize)]
struct ProblemBody<'a> {
    #[serde(rename = "type")]
    kind: String,
    title: &'a str,
    status: u16,
    code: &'a str,
    detail: &'a str,
    #[serde(flatten)]
    extensions: &'a serde_json::Map<String, serde_json::Value>,
}

/// The error a bare status stands for, for responses actix builds itself (an unknown route, a
/// body over the limit) so that every error leaves as problem+json with a code.
pub fn for_status(status: StatusCode) -> ErrorCode {
    match status {
        StatusCode::NOT_FOUND => ErrorCode::NotFound,
        StatusCode::METHOD_NOT_ALLOWED => ErrorCode::MethodNotAllowed,
        StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::PayloadTooLarge,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ErrorCode::UnsupportedMediaType,
        StatusCode::UNAUTHORIZED => ErrorCode::Unauthorized,
        StatusCode::FORBIDDEN => ErrorCode::Forbidden,
        s if s.is_client_error() => ErrorCode::InvalidBody,
        _ => ErrorCode::Internal,
    }
}

/// Rewrites an error response that is not problem+json yet (built by actix, not by a route).
pub fn as_problem<B>(
    response: actix_web::dev::ServiceResponse<B>,
) -> actix_web::Result<actix_web::middleware::ErrorHandlerResponse<B>> {
    // A problem, or an error page the portal rendered for a person, leaves as it is.
    let is_answer = response.headers().get(actix_web::http::header::CONTENT_TYPE).is_some_and(|v| {
        v.as_bytes().starts_with(b"application/problem+json") || v.as_bytes().starts_with(b"text/html")
    });
    if is_answer {
        return Ok(actix_web::middleware::ErrorHandlerResponse::Response(response.map_into_left_body()));
    }
    let status = response.status();
    let detail = match status {
        StatusCode::NOT_FOUND => "no such route; see /api/openapi.json".to_owned(),
        StatusCode::PAYLOAD_TOO_LARGE => "the body is over the limit of this route".to_owned(),
        other => other.canonical_reason().unwrap_or("error").to_lowercase(),
    };
    let (request, original) = response.into_parts();
    let mut problem = ApiError::new(for_status(status), detail).error_response();
    // A 405 built by a resource names the methods it has.
    if let Some(allow) = original.headers().get(actix_web::http::header::ALLOW) {
        problem.headers_mut().insert(actix_web::http::header::ALLOW, allow.clone());
    }
    let response = actix_web::dev::ServiceResponse::new(request, problem).map_into_right_body();
    Ok(actix_web::middleware::ErrorHandlerResponse::Response(response))
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.code.status()
    }

    fn error_response(&self) -> HttpResponse {
        let (code, status) = (self.code.as_str(), self.code.status());
        let problem = ProblemBody {
            kind: crate::problems::page_of(code),
            title: crate::problems::title(crate::problems::Family::Problem, code),
            status: status.as_u16(),
            code,
            detail: &self.detail,
            extensions: &self.extensions,
        };
        let mut response = HttpResponse::build(status);
        match self.code {
            // RFC 9110 §11.6.1: a 401 names the scheme that would be accepted.
            ErrorCode::Unauthorized => {
                response.insert_header(("WWW-Authenticate", "Bearer realm=\"motcua\""));
            }
            // RFC 6585: when to try again, at the latest when the lookup window has passed.
            ErrorCode::TooManyRequests => {
                response.insert_header(("Retry-After", crate::rate_limit::LOOKUP_WINDOW.as_secs().to_string()));
            }
            _ => {}
        }
        response.content_type("application/problem+json").json(problem)
    }
}
