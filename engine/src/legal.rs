//! Dated legal rule sets: which decree, form set, dossier-code format, service-level scale
//! and apology rules apply to a dossier, by its receipt date. A dossier received in 2020 is
//! judged by the rules of 2020, one received today by today's.

use chrono::NaiveDate;
use serde::Serialize;

/// A numbered form of the one-stop regulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FormName {
    /// "Mẫu 01".
    pub number: &'static str,
    /// Its title.
    pub title: &'static str,
}

/// The forms of the one-stop mechanism in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FormSet {
    /// The circular that defines them.
    pub circular: &'static str,
    /// Receipt and appointment.
    pub receipt: FormName,
    /// Supplement request.
    pub supplement: FormName,
    /// Refusal.
    pub refusal: FormName,
    /// Apology and new appointment.
    pub apology: FormName,
    /// Process-control slip.
    pub control_slip: FormName,
}

/// The scale of online service levels in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceLevelScale {
    /// Decree 43/2011: levels 1–4.
    Decree43Levels,
    /// Decree 42/2022: full online / partial online.
    Decree42FullPartial,
    /// Decree 224/2026: full online by default, partial must state its reason.
    Decree224,
}

/// A procedure's online service level in a scale: what a dossier's records and reports state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceLevel {
    /// The scale of the dossier's receipt date.
    pub scale: ServiceLevelScale,
    /// The level in that scale: `1`–`4` (Decree 43/2011), `full`, `partial` or `info`.
    pub level: String,
    /// In Vietnamese, as printed.
    pub label: String,
}

/// Rules on apologies for late dossiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ApologyRules {
    /// Working days before the due time the apology must be issued by, at the latest.
    pub lead_working_days: u32,
    /// How many new appointments a dossier may get.
    pub max_new_appointments: u32,
}

/// One period of the law.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LegalRuleSet {
    /// First day in force.
    pub effective_from: NaiveDate,
    /// The one-stop decree.
    pub decree: &'static str,
    /// Forms.
    pub forms: FormSet,
    /// Online service levels.
    pub service_levels: ServiceLevelScale,
    /// Whether nationally centralised services use the `MX1X2.Y1Y2Y3.Z1Z2-YYMMDD-AAXXXX`
    /// code (Circular 04/2025/TT-VPCP, from 25/01/2026).
    pub centralised_codes: bool,
    /// Apologies.
    pub apology: ApologyRules,
}

const FORMS_2018: FormSet = FormSet {
    circular: "Thông tư 01/2018/TT-VPCP",
    receipt: FormName { number: "Mẫu 01", title: "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" },
    supplement: FormName { number: "Mẫu 02", title: "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ" },
    refusal: FormName { number: "Mẫu 03", title: "Phiếu từ chối tiếp nhận giải quyết hồ sơ" },
    apology: FormName { number: "Mẫu 04", title: "Phiếu xin lỗi và hẹn lại ngày trả kết quả" },
    control_slip: FormName { number: "Mẫu 05", title: "Phiếu kiểm soát quá trình giải quyết hồ sơ" },
};

// Circular 03/2025/TT-VPCP (from 15/9/2025) renames the apology form (DOMAIN.md; check the
// other titles against the circular's annex).
const FORMS_2025: FormSet = FormSet {
    circular: "Thông tư 03/2025/TT-VPCP",
    apology: FormName {
        number: "Mẫu 04", title: "Phiếu xin lỗi và đề nghị gia hạn thời gian giải quyết hồ sơ"
    },
    ..FORMS_2018
};

const APOLOGY: ApologyRules = ApologyRules { lead_working_days: 1, max_new_appointments: 1 };

const fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => date,
        None => panic!("invalid constant date"),
    }
}

/// Every period, oldest first.
pub const RULE_SETS: [LegalRuleSet; 6] = [
    // Decree 61/2018 in force 21/8/2018, with Circular 01/2018; levels per Decree 43/2011.
    LegalRuleSet {
        effective_from: date(2018, 8, 21),
        decree: "Nghị định 61/2018/NĐ-CP",
        forms: FORMS_2018,
        service_levels: ServiceLevelScale::Decree43Levels,
        centralised_codes: false,
        apology: APOLOGY,
    },
    // Decree 42/2022 replaced the four levels with full/partial online (in force 1/8/2022; check).
    LegalRuleSet {
        effective_from: date(2022, 8, 1),
        decree: "Nghị định 61/2018/NĐ-CP (sửa đổi bởi Nghị định 107/2021/NĐ-CP)",
        forms: FORMS_2018,
        service_levels: ServiceLevelScale::Decree42FullPartial,
        centralised_codes: false,
        apology: APOLOGY,
    },
    LegalRuleSet {
        effective_from: date(2025, 7, 1),
        decree: "Nghị định 118/2025/NĐ-CP",
        forms: FORMS_2018,
        service_levels: ServiceLevelScale::Decree42FullPartial,
        centralised_codes: false,
        apology: APOLOGY,
    },
    LegalRuleSet {
        effective_from: date(2025, 9, 15),
        decree: "Nghị định 118/2025/NĐ-CP",
        forms: FORMS_2025,
        service_levels: ServiceLevelScale::Decree42FullPartial,
        centralised_codes: false,
        apology: APOLOGY,
    },
    LegalRuleSet {
        effective_from: date(2026, 1, 25),
        decree: "Nghị định 118/2025/NĐ-CP",
        forms: FORMS_2025,
        service_levels: ServiceLevelScale::Decree42FullPartial,
        centralised_codes: true,
        apology: APOLOGY,
    },
    // Decree 224/2026 from 1/7/2026 (check).
    LegalRuleSet {
        effective_from: date(2026, 7, 1),
        decree: "Nghị định 118/2025/NĐ-CP",
        forms: FORMS_2025,
        service_levels: ServiceLevelScale::Decree224,
        centralised_codes: true,
        apology: APOLOGY,
    },
];

/// The rule set in force on a day. Days before the first period get the first: the platform
/// does not model the one-stop rules before Decree 61/2018.
pub fn rule_set_on(day: NaiveDate) -> &'static LegalRuleSet {
    RULE_SETS.iter().rev().find(|r| r.effective_from <= day).unwrap_or(&RULE_SETS[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_follow_receipt_dates() {
        assert_eq!(rule_set_on(date(2020, 3, 1)).decree, "Nghị định 61/2018/NĐ-CP");
        assert_eq!(rule_set_on(date(2020, 3, 1)).service_levels, ServiceLevelScale::Decree43Levels);
        assert_eq!(rule_set_on(date(2025, 7, 1)).decree, "Nghị định 118/2025/NĐ-CP");
        assert_eq!(rule_set_on(date(2025, 9, 14)).forms.apology.title, "Phiếu xin lỗi và hẹn lại ngày trả kết quả");
        assert_eq!(rule_set_on(date(2025, 9, 15)).forms.circular, "Thông tư 03/2025/TT-VPCP");
        assert!(!rule_set_on(date(2026, 1, 24)).centralised_codes);
        assert!(rule_set_on(date(2026, 1, 25)).centralised_codes);
        assert!(RULE_SETS.windows(2).all(|w| w[0].effective_from < w[1].effective_from));
    }
}
