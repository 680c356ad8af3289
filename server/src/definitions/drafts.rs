//! Storing a draft, running its examples, publishing it and retiring a published version.

use super::{Definitions, ownership, stored_agency};
use crate::auth::Principal;
use crate::catalogue::{DRAFT, PUBLISHED, RETIRED};
use crate::error::{ApiError, ErrorCode};
use crate::repository::procedures;
use crate::validity::{Change, Period};
use chrono::{DateTime, FixedOffset, NaiveDate};
use motcua_engine::Diagnostic;
use motcua_engine::codes::AgencyCode;
use motcua_engine::examples::{ExampleOutcome, run_examples};
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

/// `diagnostics` as the API answers them.
pub fn rendered(diagnostics: &[Diagnostic]) -> Vec<RenderedDiagnostic> {
    diagnostics
        .iter()
        .map(|d| RenderedDiagnostic { text: d.to_string(), diagnostic: serde_json::to_value(d).unwrap_or_default() })
        .collect()
}

/// What became of a text offered as the draft.
pub enum Drafted {
    /// Stored as the draft, with the warnings it compiled with.
    Stored {
        /// The stored row.
        row: Box<crate::db::entities::procedure_version::Model>,
        /// Its warnings.
        diagnostics: Vec<Diagnostic>,
    },
    /// Not stored: it does not compile.
    Invalid {
        /// Every diagnostic, errors and warnings, located at their lines.
        diagnostics: Vec<Diagnostic>,
    },
}

/// A version just published, and what became of the earlier ones.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Published {
    /// The procedure code.
    pub code: String,
    /// The version number.
    pub version: i32,
    /// Always `published`.
    pub status: String,
    /// When it was published.
    pub published_at: Option<DateTime<FixedOffset>>,
    /// The earlier published versions it ended or retired.
    pub earlier_versions: Vec<EarlierVersion>,
}

/// An earlier version publishing changed: either it now ends (`valid_to`) or it is retired
/// (`status`), never both.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct EarlierVersion {
    /// The version number.
    pub version: i32,
    /// Its new last day in force, when it now ends.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<NaiveDate>,
    /// `retired`, when it could never be in force again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// What happened, in a sentence.
    pub note: String,
}

/// A version just retired.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Retired {
    /// The procedure code.
    pub code: String,
    /// The version number.
    pub version: i32,
    /// Always `retired`.
    pub status: String,
    /// When it was retired.
    pub retired_at: Option<DateTime<FixedOffset>>,
}

impl Definitions<'_> {
    /// Compiles `yaml` as the draft of `code` and stores it when it compiles: refused when the
    /// text names another code, when the caller may not edit the code or the agencies it
    /// names (`not_owner`), or when its version is not newer than the published ones
    /// (`version_exists`).
    pub async fn save_draft(&self, principal: &Principal, code: &str, yaml: &str) -> Result<Drafted, ApiError> {
        let state = self.state;
        let source = format!("{code}.yaml");
        let compilation = self.compile(&source, yaml).await?;
        let Some(procedure) = compilation.procedure else {
            return Ok(Drafted::Invalid { diagnostics: compilation.diagnostics });
        };
        if procedure.code.as_str() != code {
            return Err(ApiError::new(
                ErrorCode::DefinitionInvalid,
                format!("the definition's code is `{}`, not `{code}`", procedure.code),
            ));
        }
        let existing = procedures::versions(&state.db, code).await?;
        let earlier_draft = existing.iter().find(|v| v.status == DRAFT).map(stored_agency).transpose()?;
        let named: Vec<&AgencyCode> = std::iter::once(&procedure.agency).chain(earlier_draft.as_ref()).collect();
        ownership::may_edit(principal, &state.db, code, &named).await?;
        if existing.iter().any(|v| v.status != DRAFT && i64::from(v.version) >= i64::from(procedure.version)) {
            return Err(ApiError::new(
                ErrorCode::VersionExists,
                format!("version {} is not newer than the published ones", procedure.version),
            ));
        }
        let row = procedures::save_draft(&state.db, &procedure, &source, yaml, state.clock.now()).await?;
        Ok(Drafted::Stored { row: Box::new(row), diagnostics: compilation.diagnostics })
    }

    /// `yaml` compiled and its examples run, nothing stored: the diagnostics, and each
    /// example's outcome when it compiles. Only editors of definitions ask.
    pub async fn try_examples(
        &self,
        principal: &Principal,
        code: &str,
        yaml: &str,
    ) -> Result<(Vec<Diagnostic>, Option<Vec<ExampleOutcome>>), ApiError> {
        principal.require(&[crate::auth::ApiRole::Admin, crate::auth::ApiRole::Department])?;
        let compilation = self.compile(&format!("{code}.yaml"), yaml).await?;
        let outcomes = compilation.procedure.as_ref().map(run_examples);
        Ok((compilation.diagnostics, outcomes))
    }

    /// Publishes the draft as an immutable version. Dossiers in flight keep their version. An
    /// earlier published version whose period it starts inside ends the day before; one it
    /// starts no later than is retired (it could never be in force again).
    pub async fn publish(&self, principal: &Principal, code: &str) -> Result<Published, ApiError> {
        let state = self.state;
        let (draft, procedure) = self.compiled_draft(principal, code).await?;
        let now = state.clock.now();
        let published: Vec<Period> = procedures::versions(&state.db, code)
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
                    state.catalogue.end(code, u32::try_from(version).unwrap_or(0), day);
                    let note = format!(
                        "version {version} now ends on {}, the day before version {} starts",
                        day.format("%d/%m/%Y"),
                        row.version
                    );
                    EarlierVersion { version, valid_to: Some(day), status: None, note }
                }
                Change::Supersede(version) => {
                    state.catalogue.set_retired(code, u32::try_from(version).unwrap_or(0), true);
                    let note = format!(
                        "version {version} is retired: version {} starts no later than it did, so it could never be \
                         in force again; dossiers filed under it keep it",
                        row.version
                    );
                    EarlierVersion { version, valid_to: None, status: Some(RETIRED.to_owned()), note }
                }
            };
            said.push(earlier);
        }
        state.catalogue.put(Arc::new(procedure), false, row.valid_to);
        Ok(Published {
            code: row.code,
            version: row.version,
            status: row.status,
            published_at: row.published_at,
            earlier_versions: said,
        })
    }

    /// Retires a published version (by default the newest): no new dossiers are accepted
    /// under it, dossiers filed under it keep it.
    pub async fn retire(&self, principal: &Principal, code: &str, wanted: Option<i32>) -> Result<Retired, ApiError> {
        let state = self.state;
        let row = procedures::versions(&state.db, code)
            .await?
            .into_iter()
            .rev()
            .find(|v| v.status == PUBLISHED && wanted.is_none_or(|n| n == v.version))
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("`{code}` has no such published version")))?;
        ownership::may_retire(principal, &state.db, code, &stored_agency(&row)?).await?;
        let row = procedures::set_status(&state.db, row, RETIRED, state.clock.now()).await?;
        state.catalogue.set_retired(&row.code, u32::try_from(row.version).unwrap_or(0), true);
        Ok(Retired { code: row.code, version: row.version, status: row.status, retired_at: row.retired_at })
    }
}
