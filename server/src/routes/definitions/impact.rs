//! `GET …/impact`: what the draft's processing time would mean for dossiers in flight.

use crate::auth::Principal;
use crate::dossiers::list::ListFilter;
use crate::error::{ApiError, ErrorCode};
use crate::repository::dossiers;
use crate::state::AppState;
use actix_web::{HttpResponse, get, web};

/// Most open dossiers looked at.
const MAX_OPEN: u64 = 10_000;

/// The open dossiers of a procedure, late under the time they were filed with and under the
/// draft's.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Impact {
    /// The procedure code.
    code: String,
    /// The draft's version number.
    draft_version: i32,
    /// The draft's processing time, as the notices write it (`5 ngày làm việc`).
    draft_processing_time: String,
    /// Dossiers received and not yet in a final state.
    open: usize,
    /// Of those, how many are past their due time now.
    late_now: usize,
    /// How many would be, were their due time counted with the draft's processing time.
    late_with_draft: usize,
    /// The codes of the dossiers on time now that the draft's time would make late.
    newly_late: Vec<String>,
}

/// Before publishing: the open dossiers of this procedure, how many are late now, and how many
/// would be late if their due time were counted with the draft's processing time (for
/// example after cutting 10 working days to 5). Publishing never changes a dossier in flight;
/// this shows what the new time would have meant.
#[utoipa::path(get, path = "/api/v1/procedures/{code}/impact", tag = "definitions", params(("code" = String, Path, description = "procedure code, e.g. 1.004227")), responses((status = 200, description = "open dossiers late now and with the draft time", body = Impact), (status = 404, description = "no draft", body = crate::error::Problem, content_type = "application/problem+json"), (status = 401, description = "missing, unknown, expired or revoked token", body = crate::error::Problem, content_type = "application/problem+json"), (status = 403, description = "the token's role or agency does not allow this", body = crate::error::Problem, content_type = "application/problem+json")), security(("bearer" = [])))]
#[get("/procedures/{code}/impact")]
pub async fn impact(
    principal: Principal,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (draft, procedure) = super::compiled_draft(&principal, &state.catalogue, &state.db, &code).await?;
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
    Ok(HttpResponse::Ok().json(Impact {
        code: code.into_inner(),
        draft_version: draft.version,
        draft_processing_time: procedure.processing_time.to_string(),
        open,
        late_now,
        late_with_draft,
        newly_late,
    }))
}
