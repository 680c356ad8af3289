//! The dossier application service: what the API and the portal do with dossiers — submit,
//! act, read, list and import — as commands over typed inputs, answering typed records (and
//! their views) or an [`ApiError`] with its code. No HTTP and no SQL here: the routes extract a
//! request and render the answer; the repository stores records. Who may do what is
//! [`access`]; how a submission is taken in is [`intake`]; what an action does to the stored
//! submission is [`reception`].
//!
//! [`ApiError`]: crate::error::ApiError

pub mod access;
mod act;
pub mod available;
pub mod files;
pub mod import;
pub mod intake;
pub mod list;
mod read;
pub mod reception;
pub mod record;
pub mod requests;
mod submit;
pub mod view;

pub use act::Act;
pub use read::Seen;
pub use submit::Filed;

use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;
use motcua_engine::Procedure;
use record::StoredDossier;
use std::sync::Arc;

/// The service, over the application's state.
#[derive(Clone, Copy)]
pub struct Dossiers<'a> {
    state: &'a AppState,
}

impl AppState {
    /// The dossier service.
    pub fn dossiers(&self) -> Dossiers<'_> {
        Dossiers { state: self }
    }
}

impl Dossiers<'_> {
    /// The history of `dossier` (seen by a caller who may see it): its audit records in order.
    pub async fn history(
        &self,
        dossier: &StoredDossier,
    ) -> Result<Vec<crate::repository::dossiers::Recorded>, ApiError> {
        Ok(crate::repository::dossiers::history(&self.state.db, dossier).await?)
    }

    /// The procedure version `dossier` was filed under, loaded if this instance has not seen
    /// it yet (published on another instance).
    pub async fn procedure_of(&self, dossier: &StoredDossier) -> Result<Arc<Procedure>, ApiError> {
        let state = self.state;
        let day = state.clock.now().date_naive();
        state
            .catalogue
            .version(&state.db, dossier.procedure.as_str(), dossier.procedure_version, day)
            .await
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?
            .ok_or_else(|| ApiError::new(ErrorCode::Internal, "the dossier's procedure version is not in the database"))
    }
}
