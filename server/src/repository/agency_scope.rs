//! The agency-subtree rule in SQL, once: an agency's dossiers are its own and its units'
//! (`G22.26` covers `G22.26.01`, not `G22.260`), and it takes part in those with a step of
//! one of its units.

use crate::db::entities::dossier;
use sea_orm::{ColumnTrait, Condition};

/// Dossiers whose agency is `agency` or one of its units.
pub fn within(agency: &str) -> Condition {
    Condition::any()
        .add(dossier::Column::Agency.eq(agency))
        .add(dossier::Column::Agency.starts_with(format!("{agency}.")))
}

/// Dossiers `agency` takes part in: [`within`] it, or with a step of it or of its units
/// (`step_agencies` holds `|A|B|`, so `|A|` and `|A.` match whole codes only).
pub fn involving(agency: &str) -> Condition {
    within(agency)
        .add(dossier::Column::StepAgencies.contains(format!("|{agency}|")))
        .add(dossier::Column::StepAgencies.contains(format!("|{agency}.")))
}
