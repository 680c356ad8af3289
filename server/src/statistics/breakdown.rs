//! Where the late dossiers are: the late rate of the dossiers resolved in the period, by
//! agency (the units just below the one asked for) and by procedure.

use super::{Scope, Share, Statistics, percent};
use crate::db::entities::dossier::Column;
use crate::error::ApiError;
use crate::repository::{agencies, stats};
use std::collections::BTreeMap;

/// Dossiers resolved and resolved late, for one agency or one procedure.
#[derive(Debug, Clone)]
pub struct LateRate {
    /// The agency's or the procedure's code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Dossiers resolved.
    pub resolved: i64,
    /// Of those, resolved after their due time.
    pub late: i64,
    /// The share resolved late.
    pub rate: Share,
}

/// The late rates of a period.
#[derive(Debug, Clone)]
pub struct Breakdown {
    /// By agency: the units just below the agency asked for (the province's departments and
    /// districts when all are), highest rate first.
    pub by_agency: Vec<LateRate>,
    /// By procedure, highest rate first.
    pub by_procedure: Vec<LateRate>,
}

/// `agency` as the unit `depth` levels deep it belongs to (`G22.26.01.01` at 2: `G22.26`).
fn rolled_up(agency: &str, depth: usize) -> String {
    agency.split('.').take(depth).collect::<Vec<_>>().join(".")
}

impl Statistics<'_> {
    /// The late rates of `scope`, by agency and by procedure.
    pub async fn breakdown(&self, scope: &Scope) -> Result<Breakdown, ApiError> {
        let state = self.state;
        let (start, end) = scope.instants()?;
        let agency = scope.agency.as_deref();
        // One level below the agency asked for; below the province's own when none was.
        let depth = agency.map_or(2, |a| a.split('.').count() + 1);
        let count = |rows: Vec<(String, Option<String>, i64)>, key: &dyn Fn(&str) -> String| {
            let mut totals: BTreeMap<String, (i64, i64)> = BTreeMap::new();
            for (value, timing, n) in rows {
                let entry = totals.entry(key(&value)).or_default();
                entry.0 += n;
                if timing.as_deref() == Some("late") {
                    entry.1 += n;
                }
            }
            totals
        };
        let by_agency =
            count(stats::resolved_by(&state.db, start, end, agency, Column::Agency).await?, &|a| rolled_up(a, depth));
        let by_procedure =
            count(stats::resolved_by(&state.db, start, end, agency, Column::ProcedureCode).await?, &str::to_owned);
        let codes: Vec<&str> = by_agency.keys().map(String::as_str).collect();
        let names = agencies::names(&state.db, &codes).await?;
        let rate = |code: String, name: String, (resolved, late): (i64, i64)| LateRate {
            code,
            name,
            resolved,
            late,
            rate: percent(late, resolved),
        };
        let mut by_agency: Vec<LateRate> = by_agency
            .into_iter()
            .map(|(code, counts)| {
                let name = names.get(&code).cloned().unwrap_or_default();
                rate(code, name, counts)
            })
            .collect();
        let mut by_procedure: Vec<LateRate> = by_procedure
            .into_iter()
            .map(|(code, counts)| {
                let name = state.catalogue.get(&code, None, scope.to).map(|p| p.name.clone()).unwrap_or_default();
                rate(code, name, counts)
            })
            .collect();
        for list in [&mut by_agency, &mut by_procedure] {
            // Highest share late first: the rate is late/resolved, compared without division.
            list.sort_by(|a, b| (b.late * a.resolved).cmp(&(a.late * b.resolved)).then(b.resolved.cmp(&a.resolved)));
        }
        Ok(Breakdown { by_agency, by_procedure })
    }
}
