//! The definition application service: what the API and the portal's editor do with a
//! procedure's definitions — compile and store a draft, run its examples, compare versions,
//! preview the impact of a draft on dossiers in flight, publish and retire — as commands over
//! typed inputs answering typed records or an [`ApiError`] with its code. Who may edit a
//! code is [`ownership`]. No HTTP here: the routes and the portal's pages render the answers.
//!
//! [`ApiError`]: crate::error::ApiError

pub mod diff;
mod drafts;
mod impact;
mod listing;
pub mod ownership;
mod versions;

pub use diff::{ChangeKind, Diff, FieldChange};
pub use drafts::{Drafted, EarlierVersion, Published, RenderedDiagnostic, Retired, rendered};
pub use impact::Impact;
pub use listing::Editable;
pub use versions::{Version, Versions};

use crate::auth::Principal;
use crate::catalogue::DRAFT;
use crate::db::entities::procedure_version;
use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;
use motcua_engine::Procedure;
use motcua_engine::codes::AgencyCode;

/// The service, over the application's state.
#[derive(Clone, Copy)]
pub struct Definitions<'a> {
    state: &'a AppState,
}

impl AppState {
    /// The definition service.
    pub fn definitions(&self) -> Definitions<'_> {
        Definitions { state: self }
    }
}

impl Definitions<'_> {
    /// The procedure's draft compiled again (form schemas may have changed since it was
    /// saved), once the caller is known to be allowed to edit it.
    pub async fn compiled_draft(
        &self,
        principal: &Principal,
        code: &str,
    ) -> Result<(procedure_version::Model, Procedure), ApiError> {
        let db = &self.state.db;
        let draft = crate::repository::procedures::draft(db, code)
            .await?
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("`{code}` has no draft")))?;
        let agency = stored_agency(&draft)?;
        ownership::may_edit(principal, db, code, &[&agency]).await?;
        let compilation = self.compile(&draft.source, &draft.yaml).await?;
        match compilation.procedure {
            Some(procedure) => Ok((draft, procedure)),
            None => {
                let diagnostics: Vec<String> = compilation.diagnostics.iter().map(ToString::to_string).collect();
                Err(ApiError::new(ErrorCode::DefinitionInvalid, "the draft no longer compiles")
                    .with("diagnostics", serde_json::json!(diagnostics)))
            }
        }
    }

    /// `yaml`, named `source`, compiled as `motcua validate` compiles it, against the forms and
    /// agencies this server holds; examples run under the budget submissions get, so that a
    /// rule too slow on one is refused now.
    pub async fn compile(&self, source: &str, yaml: &str) -> Result<motcua_engine::Compilation, ApiError> {
        let ctx = self
            .state
            .catalogue
            .context(&self.state.db)
            .await
            .map_err(catalogue_error)?
            .with_examples_budget(crate::evaluation::rule_time_budget());
        Ok(crate::catalogue::compile_apart(source, yaml, &ctx))
    }

    /// The stored versions of `code`, oldest first, drafts only for `principal` when they may
    /// edit it.
    pub async fn stored(
        &self,
        principal: Option<&Principal>,
        code: &str,
    ) -> Result<Vec<procedure_version::Model>, ApiError> {
        let rows = crate::repository::procedures::versions(&self.state.db, code).await?;
        let draft = rows.iter().find(|row| row.status == DRAFT).map(stored_agency).transpose()?;
        let editor = ownership::is_editor(principal, &self.state.db, code, draft.as_ref()).await?;
        Ok(rows.into_iter().filter(|row| editor || row.status != DRAFT).collect())
    }
}

impl Definitions<'_> {
    /// Every stored version of `code`, the draft included, for an editor of the code:
    /// `not_owner` for anyone else, `not_found` when there is none.
    pub async fn for_editor(
        &self,
        principal: &Principal,
        code: &str,
    ) -> Result<Vec<procedure_version::Model>, ApiError> {
        principal.require(&[crate::auth::ApiRole::Admin, crate::auth::ApiRole::Department])?;
        let rows = crate::repository::procedures::versions(&self.state.db, code).await?;
        if rows.is_empty() {
            return Err(ApiError::new(ErrorCode::NotFound, format!("no procedure `{code}`")));
        }
        let draft = rows.iter().find(|row| row.status == DRAFT).map(stored_agency).transpose()?;
        if !ownership::is_editor(Some(principal), &self.state.db, code, draft.as_ref()).await? {
            return Err(ApiError::new(ErrorCode::NotOwner, format!("procedure `{code}` belongs to another agency")));
        }
        Ok(rows)
    }
}

/// The agency a stored version names.
pub(crate) fn stored_agency(row: &procedure_version::Model) -> Result<AgencyCode, ApiError> {
    row.agency.parse().map_err(|_| ApiError::new(ErrorCode::Internal, format!("stored agency `{}`", row.agency)))
}

fn catalogue_error(error: crate::catalogue::CatalogueError) -> ApiError {
    match error {
        crate::catalogue::CatalogueError::Database(e) => e.into(),
        other => ApiError::new(ErrorCode::Internal, other.to_string()),
    }
}
