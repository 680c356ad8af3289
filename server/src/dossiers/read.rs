//! Reading dossiers: one by code, for who may see it or holds its lookup key, and lists
//! scoped to the caller.

use super::Dossiers;
use super::access::{may_see, scope};
use super::list::{ListFilter, Page, PageRequest};
use super::record::StoredDossier;
use crate::auth::Principal;
use crate::error::{ApiError, ErrorCode};
use crate::repository::dossiers;
use motcua_engine::dossier_code::DossierCode;

/// A dossier as its reader may see it.
pub enum Seen {
    /// In full: the caller may see it.
    Full(StoredDossier),
    /// Its public status: the caller holds the receipt's lookup key.
    Public(StoredDossier),
}

impl Seen {
    /// The dossier, whichever way it is seen.
    pub fn dossier(&self) -> &StoredDossier {
        match self {
            Seen::Full(dossier) | Seen::Public(dossier) => dossier,
        }
    }
}

fn not_found(code: &str) -> ApiError {
    ApiError::new(ErrorCode::NotFound, format!("no dossier `{code}` for you"))
}

impl Dossiers<'_> {
    /// A dossier by code; text that is not a dossier code is no dossier, without asking the
    /// store (a database may refuse odd bytes such as NUL with an error of its own).
    async fn find(&self, code: &str) -> Result<Option<StoredDossier>, ApiError> {
        if code.parse::<DossierCode>().is_err() {
            return Ok(None);
        }
        Ok(dossiers::find_by_code(&self.state.db, code).await?)
    }

    /// Dossier `code` if `caller` may see it; 404 otherwise, the same as for no dossier.
    pub(super) async fn visible(&self, caller: &Principal, code: &str) -> Result<StoredDossier, ApiError> {
        self.find(code).await?.filter(|dossier| may_see(caller, dossier)).ok_or_else(|| not_found(code))
    }

    /// Dossier `code`: in full for a `caller` who may see it, its public status for the
    /// receipt's lookup `key`. 404 `not_found` otherwise, the same whether the dossier does not
    /// exist or is not yours, so codes cannot be probed.
    #[tracing::instrument(name = "dossiers", skip_all, fields(command = "read", code = %code))]
    pub async fn read(&self, caller: Option<&Principal>, code: &str, key: Option<&str>) -> Result<Seen, ApiError> {
        let dossier = self.find(code).await?.ok_or_else(|| not_found(code))?;
        match (caller, key) {
            (Some(caller), _) if may_see(caller, &dossier) => Ok(Seen::Full(dossier)),
            (_, Some(key)) if dossier.has_lookup_key(key) => Ok(Seen::Public(dossier)),
            _ => Err(not_found(code)),
        }
    }

    /// The dossiers `caller` may see that match `filter`, newest first.
    #[tracing::instrument(name = "dossiers", skip_all, fields(command = "list"))]
    pub async fn list(
        &self,
        caller: &Principal,
        mut filter: ListFilter,
        request: PageRequest,
    ) -> Result<Page<StoredDossier>, ApiError> {
        scope(caller, &mut filter)?;
        let state = self.state;
        let (items, total) =
            dossiers::list(&state.db, state.clock.now(), &filter, request.page, request.per_page).await?;
        Ok(Page { total, request, items })
    }
}
