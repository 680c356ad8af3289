//! Evaluating submissions of the shipped land-change procedure.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use motcua_engine::definition::Channel;
use motcua_engine::{Evaluation, Input, Refusal, evaluate};
use serde_json::json;

fn refusals(evaluation: Evaluation) -> Vec<Refusal> {
    match evaluation {
        Evaluation::Refused { reasons } => reasons,
        Evaluation::Accepted(intake) => panic!("expected a refusal, got {intake:?}"),
    }
}

#[test]
fn accepted_with_fee_due_checklist_and_step_plan() {
    let procedure = land_change();
    let outcome = evaluate(
        &procedure,
        Input {
            channel: Channel::Counter,
            form: &land_change_form(),
            documents: &land_change_documents(),
            received_at: at("2026-02-12T09:00:00+07:00"),
        },
    )
    .unwrap();
    let Evaluation::Accepted(intake) = outcome else { panic!("{outcome:?}") };
    assert_eq!(intake.fee, 30_000);
    assert_eq!(intake.due, at("2026-02-26T09:00:00+07:00"));
    let required: Vec<&str> = intake.checklist.iter().filter(|c| c.required).map(|c| c.id.as_str()).collect();
    assert_eq!(required, ["don", "gcn", "giay_to_thay_doi"]);
    // 0.5 + 3 + 1 + 0.5 days: the last step ends with the dossier.
    assert_eq!(intake.steps.last().unwrap().due, intake.due);
    assert_eq!(intake.steps[0].due, at("2026-02-12T15:00:00+07:00"));
}

#[test]
fn every_reason_at_once() {
    let procedure = land_change();
    let mut form = land_change_form();
    form["don_dang_ky"]["nguoi_nop"]["ngay_sinh"] = json!("15/01/2010");
    form["don_dang_ky"]["thua_dat"]["so_thua"] = json!("mười");
    form["don_dang_ky"].as_object_mut().unwrap().remove("noi_dung_thay_doi");
    form["to_khai_la"] = json!({});
    let documents = vec!["don".to_owned(), "giay_phep_la".to_owned()];
    let reasons = refusals(
        evaluate(
            &procedure,
            Input {
                channel: Channel::Counter,
                form: &form,
                documents: &documents,
                received_at: at("2026-03-02T08:00:00+07:00"),
            },
        )
        .unwrap(),
    );
    let codes: Vec<(&str, String)> = reasons
        .iter()
        .map(|r| match r {
            Refusal::InvalidField { pointer, .. } => (r.code(), pointer.clone()),
            Refusal::MissingDocument { document, .. } | Refusal::UnknownDocument { document, .. } => {
                (r.code(), document.clone())
            }
            Refusal::UnknownForm { form, .. } => (r.code(), form.clone()),
            other => (other.code(), String::new()),
        })
        .collect();
    for expected in [
        ("unknown_form", "to_khai_la"),
        ("invalid_field", "/don_dang_ky/nguoi_nop/ngay_sinh"),
        ("invalid_field", "/don_dang_ky/thua_dat/so_thua"),
        ("invalid_field", "/don_dang_ky/noi_dung_thay_doi"),
        ("missing_document", "gcn"),
        ("missing_document", "giay_to_thay_doi"),
        ("unknown_document", "giay_phep_la"),
    ] {
        assert!(codes.contains(&(expected.0, expected.1.to_owned())), "{expected:?} not in {codes:?}");
    }
    // Each message names the field by the title the applicant read on the form.
    let message = |pointer: &str| {
        reasons
            .iter()
            .find_map(|r| match r {
                Refusal::InvalidField { pointer: p, message, .. } if p == pointer => Some(message.clone()),
                _ => None,
            })
            .unwrap()
    };
    assert_eq!(
        message("/don_dang_ky/nguoi_nop/ngay_sinh"),
        "Trường “Ngày sinh” không đúng định dạng ngày (năm-tháng-ngày, ví dụ 1990-05-01)"
    );
    assert_eq!(message("/don_dang_ky/thua_dat/so_thua"), "Trường “Thửa đất số” sai kiểu dữ liệu");
    assert_eq!(
        message("/don_dang_ky/noi_dung_thay_doi"),
        "Thiếu thông tin bắt buộc “Nội dung thay đổi (trước và sau khi thay đổi)”"
    );
}

#[test]
fn conditional_document_and_fee_rule_follow_the_form() {
    let procedure = land_change();
    let mut form = land_change_form();
    form["don_dang_ky"]["loai_thay_doi"] = json!("dia_chi");
    form["don_dang_ky"]["doi_tuong"] = json!("to_chuc");
    let documents = vec!["don".to_owned(), "gcn".to_owned()];
    let Evaluation::Accepted(intake) = evaluate(
        &procedure,
        Input {
            channel: Channel::Online,
            form: &form,
            documents: &documents,
            received_at: at("2026-03-02T08:00:00+07:00"),
        },
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!(intake.fee, 50_000);
    assert!(!intake.checklist.iter().find(|c| c.id == "giay_to_thay_doi").unwrap().required);
}

#[test]
fn eligibility_reasons_are_vietnamese() {
    let procedure = land_change();
    let mut form = land_change_form();
    form["don_dang_ky"]["nguoi_nop"]["ngay_sinh"] = json!("2010-01-15");
    let reasons = refusals(
        evaluate(
            &procedure,
            Input {
                channel: Channel::Counter,
                form: &form,
                documents: &land_change_documents(),
                received_at: at("2026-03-02T08:00:00+07:00"),
            },
        )
        .unwrap(),
    );
    assert_eq!(reasons.len(), 1);
    assert_eq!(reasons[0].code(), "ineligible");
    assert!(reasons[0].message().contains("chưa đủ 18 tuổi"));
}

#[test]
fn version_not_in_force_is_refused() {
    let procedure = land_change();
    let reasons = refusals(
        evaluate(
            &procedure,
            Input {
                channel: Channel::Counter,
                form: &land_change_form(),
                documents: &land_change_documents(),
                received_at: at("2020-03-02T08:00:00+07:00"),
            },
        )
        .unwrap(),
    );
    assert_eq!(reasons.iter().map(Refusal::code).collect::<Vec<_>>(), ["not_in_force"]);
}
