//! What a draft's processing time would mean for the dossiers in flight.

use super::Definitions;
use crate::auth::Principal;
use crate::dossiers::list::ListFilter;
use crate::error::{ApiError, ErrorCode};
use crate::repository::dossiers;

/// Most open dossiers looked at.
const MAX_OPEN: u64 = 10_000;

/// The open dossiers of a procedure, late under the time they were filed with and under the
/// draft's.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Impact {
    /// The procedure code.
    pub code: String,
    /// The draft's version number.
    pub draft_version: i32,
    /// The draft's processing time, as the notices write it (`5 ngày làm việc`).
    pub draft_processing_time: String,
    /// Dossiers received and not yet in a final state.
    pub open: usize,
    /// Of those, how many are past their due time now.
    pub late_now: usize,
    /// How many would be, were their due time counted with the draft's processing time.
    pub late_with_draft: usize,
    /// The codes of the dossiers on time now that the draft's time would make late.
    pub newly_late: Vec<String>,
}

impl Definitions<'_> {
    /// Before publishing: the open dossiers of this procedure, how many are late now, and how many
    /// would be late if their due time were counted with the draft's processing time (for
    /// example after cutting 10 working days to 5). Publishing never changes a dossier in flight;
    /// this shows what the new time would have meant.
    pub async fn impact(&self, principal: &Principal, code: &str) -> Result<Impact, ApiError> {
        let state = self.state;
        let (draft, procedure) = self.compiled_draft(principal, code).await?;
        let now = state.clock.now();
        let filter = ListFilter { procedure: Some(procedure.code.clone()), ..ListFilter::default() };
        let (rows, _) = dossiers::list(&state.db, now, &filter, 0, MAX_OPEN).await?;
        let (mut open, mut late_now, mut late_with_draft, mut newly_late) = (0, 0, 0, Vec::new());
        for row in rows {
            let d = &row.lifecycle;
            let (Some(received), Some(due)) = (d.received_at, d.due) else { continue };
            if d.state.is_final() {
                continue;
            }
            open += 1;
            let draft_due = procedure
                .calendar()
                .add(received, &procedure.processing_time)
                .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
            let (late, late_draft) = (due < now, draft_due < now);
            late_now += usize::from(late);
            late_with_draft += usize::from(late_draft);
            if late_draft && !late {
                newly_late.push(row.code);
            }
        }
        Ok(Impact {
            code: code.to_owned(),
            draft_version: draft.version,
            draft_processing_time: procedure.processing_time.to_string(),
            open,
            late_now,
            late_with_draft,
            newly_late,
        })
    }
}
