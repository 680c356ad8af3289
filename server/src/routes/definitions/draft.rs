//! `PUT …/draft`, `POST …/publish`, `POST …/retire`.

use super::ownership;
use crate::auth::Principal;
use crate::catalogue::{PUBLISHED, RETIRED};
use crate::error::{ApiError, ErrorCode};
use crate::evaluation::rule_time_budget;
use crate::extract::MaybeJsonBody;
use crate::repository::procedures;
use crate::state::AppState;
use crate::validity::{Change, Period};
use actix_web::{HttpRequest, HttpResponse, post, put, web};
use chrono::{DateTime, FixedOffset, NaiveDate};
use motcua_engine::Diagnostic;
use motcua_engine::codes::AgencyCode;
use serde::Deserialize;
use std::sync::Arc;

/// A diagnostic as people read it, and as programs do.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct RenderedDiagnostic {
    /// One line, `FILE:LINE:COL: warning[CODE]: message (help: …)`.
    text: String,
    /// The same diagnostic as the engine reports it: file, line, column, path, code, severity,
    /// message and help.
    #[schema(value_type = Object)]
    diagnostic: serde_json::Value,
}

fn rendered(diagnostics: &[Diagnostic]) -> Vec<RenderedDiagnostic> {
    diagnostics
        .iter()
        .map(|d| RenderedDiagnostic { text: d.to_string(), diagnostic: serde_json::to_value(d).unwrap_or_default() })
        .collect()
}

/// A draft as stored, with the warnings it compiled with.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct StoredDraft {
    /// The procedure code.
    code: String,
    /// The draft's version number.
    version: i32,
    /// Always `draft`.
    status: String,
    /// The warnings; a draft with errors is not stored.
    diagnostics: Vec<RenderedDiagnostic>,
}

/// A version just published, and what became of the earlier ones.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Published {
    /// The procedure code.
    code: String,
    /// The version number.
    version: i32,
    /// Always `published`.
    status: String,
    /// When it was published.
    published_at: Option<DateTime<FixedOffset>>,
    /// The earlier published versions it ended or retired.
    earlier_versions: Vec<EarlierVersion>,
}

/// An earlier version publishing changed: either it now ends (`valid_to`) or it is retired
/// (`status`), never both.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct EarlierVersion {
    /// The version number.
    version: i32,
    /// Its new last day in force, when it now ends.
    #[serde(skip_serializing_if = "Option::is_none")]
    valid_to: Option<NaiveDate>,
    /// `retired`, when it could never be in force again.
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<String>,
    /// What happened, in a sentence.
    note: String,
}

/// A version just retired.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Retired {
    /// The procedure code.
    code: String,
    /// The version number.
    version: i32,
    /// Always `retired`.
    status: String,
    /// When it was retired.
    retired_at: Option<DateTime<FixedOffset>>,
}

fn is_yaml(req: &HttpRequest) -> bool {
    let kind = req.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
    let kind = kind.split(';').next().unwrap_or_default().trim();
    matches!(kind, "application/yaml" | "application/x-yaml" | "text/yaml")
}

/// Uploads a draft as one YAML body (`Content-Type: application/yaml`); form schemas are
/// named by the paths the server holds, as in the shipped folder. 200 with the warnings; 422
/// `definition_invalid` with every diagnostic located `FILE:LINE:COL`; 409 `version_exists`
/// when the version is already published. Admin, or the department owning the procedure.
#[utoipa::path(put, path = "/api/v1/procedures/{code}/draft", tag = "definitions", params(("code" = String, Path, description = "procedure code, e.g. 1.004227")), request_body(content = String, content_type = "application/yaml", description = "the definition, as YAML (procedure.schema.json)"), responses((status = 200, description = "draft stored, with warnings", body = StoredDraft), (status = 409, description = "version already published", body = crate::error::Problem, content_type = "application/problem+json"), (status = 415, description = "not application/yaml", body = crate::error::Problem, content_type = "application/problem+json"), (status = 422, description = "diagnostics located FILE:LINE:COL", body = crate::error::Problem, content_type = "application/problem+json"), (status = 401, description = "missing, unknown, expired or revoked token", body = crate::error::Problem, content_type = "application/problem+json"), (status = 403, description = "the token's role or agency does not allow this", body = crate::error::Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
#[put("/procedures/{code}/draft")]
pub async fn put_draft(
    req: HttpRequest,
    principal: Principal,
    state: web::Data<AppState>,
    code: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    if !is_yaml(&req) {
        return Err(ApiError::new(
            ErrorCode::UnsupportedMediaType,
            "send the definition as `Content-Type: application/yaml`",
        ));
    }
    let yaml = std::str::from_utf8(&body)
        .map_err(|e| ApiError::new(ErrorCode::InvalidBody, format!("the body is not UTF-8: {e}")))?;
    let source = format!("{code}.yaml");
    // Examples run under the budget submissions get: a rule too slow on one is refused now.
    let ctx =
        state.catalogue.context(&state.db).await.map_err(catalogue_error)?.with_examples_budget(rule_time_budget());
    let compilation = crate::catalogue::compile_apart(&source, yaml, &ctx);
    let Some(procedure) = compilation.procedure else {
        let count = compilation.diagnostics.iter().filter(|d| d.is_error()).count();
        return Err(ApiError::new(ErrorCode::DefinitionInvalid, format!("{count} error(s) in the definition"))
            .with("diagnostics", serde_json::to_value(rendered(&compilation.diagnostics)).unwrap_or_default()));
    };
    if procedure.code.as_str() != code.as_str() {
        return Err(ApiError::new(
            ErrorCode::DefinitionInvalid,
            format!("the definition's code is `{}`, not `{code}`", procedure.code),
        ));
    }
    let existing = procedures::versions(&state.db, &code).await?;
    let earlier_draft =
        existing.iter().find(|v| v.status == crate::catalogue::DRAFT).map(super::stored_agency).transpose()?;
    let named: Vec<&AgencyCode> = std::iter::once(&procedure.agency).chain(earlier_draft.as_ref()).collect();
    ownership::may_edit(&principal, &state.db, &code, &named).await?;
    if existing
        .iter()
        .any(|v| v.status != crate::catalogue::DRAFT && i64::from(v.version) >= i64::from(procedure.version))
    {
        return Err(ApiError::new(
            ErrorCode::VersionExists,
            format!("version {} is not newer than the published ones", procedure.version),
        ));
    }
    let row = procedures::save_draft(&state.db, &procedure, &source, yaml, state.clock.now()).await?;
    Ok(HttpResponse::Ok().json(StoredDraft {
        code: row.code,
        version: row.version,
        status: row.status,
        diagnostics: rendered(&compilation.diagnostics),
    }))
}

fn catalogue_error(error: crate::catalogue::CatalogueError) -> ApiError {
    match error {
        crate::catalogue::CatalogueError::Database(e) => e.into(),
        other => ApiError::new(ErrorCode::Internal, other.to_string()),
    }
}

/// Publishes the draft as an immutable version. Dossiers in flight keep their version. An
/// earlier published version whose period it starts inside ends the day before; one it starts
/// no later than is retired (it could never be in force again); `earlier_versions` says which.
/// 404 when there is no draft; 422 if it no longer compiles (a form schema changed); 409
/// `version_overlap` when its own period is already over.
#[utoipa::path(post, path = "/api/v1/procedures/{code}/publish", tag = "definitions", params(("code" = String, Path, description = "procedure code, e.g. 1.004227")), responses((status = 200, description = "published", body = Published), (status = 404, description = "no draft", body = crate::error::Problem, content_type = "application/problem+json"), (status = 422, description = "the draft no longer compiles", body = crate::error::Problem, content_type = "application/problem+json"), (status = 409, description = "its validity period is already over (`version_overlap`)", body = crate::error::Problem, content_type = "application/problem+json"), (status = 401, description = "missing, unknown, expired or revoked token", body = crate::error::Problem, content_type = "application/problem+json"), (status = 403, description = "the token's role or agency does not allow this", body = crate::error::Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
#[post("/procedures/{code}/publish")]
pub async fn publish(
    principal: Principal,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (draft, procedure) = super::compiled_draft(&principal, &state.catalogue, &state.db, &code).await?;
    let now = state.clock.now();
    let published: Vec<Period> = procedures::versions(&state.db, &code)
        .await?
        .iter()
        .filter(|v| v.status == PUBLISHED)
        .map(|v| Period { version: v.version, from: v.valid_from, to: v.valid_to })
        .collect();
    let new = Period { version: draft.version, from: procedure.valid_from, to: procedure.valid_to };
    let changes = crate::validity::plan(new, &published, now.date_naive())?;
    let row = procedures::publish(&state.db, draft, &procedure.agency, &principal.name, &changes, now).await?;
    let mut said = Vec::new();
    for change in &changes {
        let earlier = match *change {
            Change::End(version, day) => {
                state.catalogue.end(&code, u32::try_from(version).unwrap_or(0), day);
                let note = format!(
                    "version {version} now ends on {}, the day before version {} starts",
                    day.format("%d/%m/%Y"),
                    row.version
                );
                EarlierVersion { version, valid_to: Some(day), status: None, note }
            }
            Change::Supersede(version) => {
                state.catalogue.set_retired(&code, u32::try_from(version).unwrap_or(0), true);
                let note = format!(
                    "version {version} is retired: version {} starts no later than it did, so it could never be in \
                     force again; dossiers filed under it keep it",
                    row.version
                );
                EarlierVersion { version, valid_to: None, status: Some(RETIRED.to_owned()), note }
            }
        };
        said.push(earlier);
    }
    state.catalogue.put(Arc::new(procedure), false, row.valid_to);
    Ok(HttpResponse::Ok().json(Published {
        code: row.code,
        version: row.version,
        status: row.status,
        published_at: row.published_at,
        earlier_versions: said,
    }))
}

/// Which version to retire.
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetireRequest {
    /// By default the newest published version.
    version: Option<i32>,
}

/// Retires a published version: no new dossiers are accepted under it, dossiers filed under
/// it keep it.
#[utoipa::path(post, path = "/api/v1/procedures/{code}/retire", tag = "definitions", params(("code" = String, Path, description = "procedure code, e.g. 1.004227")), request_body(content = Option<RetireRequest>, description = "which version; none, or `{}`, for the newest published"), responses((status = 200, description = "retired", body = Retired), (status = 404, description = "no such published version", body = crate::error::Problem, content_type = "application/problem+json"), (status = 401, description = "missing, unknown, expired or revoked token", body = crate::error::Problem, content_type = "application/problem+json"), (status = 403, description = "the token's role or agency does not allow this", body = crate::error::Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
#[post("/procedures/{code}/retire")]
pub async fn retire(
    principal: Principal,
    state: web::Data<AppState>,
    code: web::Path<String>,
    MaybeJsonBody(body): MaybeJsonBody,
) -> Result<HttpResponse, ApiError> {
    // No body, or JSON null, leaves the choice to the server: the newest published version.
    let request: RetireRequest = match body {
        None | Some(serde_json::Value::Null) => RetireRequest::default(),
        Some(body) => crate::routes::object_body(body, "{\"version\": 2}")?,
    };
    let wanted = request.version;
    let row = procedures::versions(&state.db, &code)
        .await?
        .into_iter()
        .rev()
        .find(|v| v.status == PUBLISHED && wanted.is_none_or(|n| n == v.version))
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("`{code}` has no such published version")))?;
    ownership::may_retire(&principal, &state.db, &code, &super::stored_agency(&row)?).await?;
    let row = procedures::set_status(&state.db, row, RETIRED, state.clock.now()).await?;
    state.catalogue.set_retired(&row.code, u32::try_from(row.version).unwrap_or(0), true);
    Ok(HttpResponse::Ok().json(Retired {
        code: row.code,
        version: row.version,
        status: row.status,
        retired_at: row.retired_at,
    }))
}
