//! Early, on time or late.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// How a finished dossier or step compares with its due time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Timing {
    /// Finished on a day before the due day (trước hạn).
    Early,
    /// Finished on the due day, by the due time (đúng hạn).
    OnTime,
    /// Finished after the due time (quá hạn).
    Late,
}

impl Timing {
    /// Every timing's name, as serialised.
    pub const NAMES: [&'static str; 3] = ["early", "on_time", "late"];

    /// As the one-stop reports write it.
    pub fn label(self) -> &'static str {
        match self {
            Timing::Early => "trước hạn",
            Timing::OnTime => "đúng hạn",
            Timing::Late => "trễ hạn",
        }
    }
}

/// Classifies a finish against a due time, both compared in UTC+7 days.
pub fn classify(finished: DateTime<FixedOffset>, due: DateTime<FixedOffset>) -> Timing {
    let local = crate::calendar::VIETNAM_OFFSET;
    if finished > due {
        Timing::Late
    } else if finished.with_timezone(&local).date_naive() < due.with_timezone(&local).date_naive() {
        Timing::Early
    } else {
        Timing::OnTime
    }
}
