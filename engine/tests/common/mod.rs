//! Shared fixtures: the shipped land-change procedure and a realistic submission of it.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, FixedOffset};
use motcua_engine::calendar::Calendar;
use motcua_engine::compile::DirLoader;
use motcua_engine::{CompileContext, Procedure, compile};
use serde_json::{Value, json};

pub const LAND_CHANGE: &str = include_str!("../../../procedures/1.004227-dang-ky-bien-dong-thay-doi-thong-tin.yaml");

pub fn context() -> CompileContext {
    CompileContext::new(
        Calendar::vietnam().unwrap(),
        DirLoader::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../schemas")),
    )
}

pub fn land_change() -> Procedure {
    let compilation = compile("1.004227.yaml", LAND_CHANGE, &context());
    assert!(compilation.diagnostics.is_empty(), "{:#?}", compilation.diagnostics);
    compilation.procedure.unwrap()
}

pub fn at(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap()
}

/// An individual changing their name: every document needed, adult applicant.
pub fn land_change_form() -> Value {
    json!({"don_dang_ky": {
        "doi_tuong": "ca_nhan",
        "loai_thay_doi": "ho_ten",
        "nguoi_nop": {"ho_ten": "Nguyễn Văn An", "ngay_sinh": "1990-05-01", "so_dinh_danh": "064090001234"},
        "thua_dat": {"so_thua": 125, "to_ban_do": 14, "dia_chi": "Phường Hội Thương, Pleiku", "so_giay_chung_nhan": "CS 123456"},
        "noi_dung_thay_doi": "Thay đổi họ tên từ Nguyễn Văn Ân thành Nguyễn Văn An"
    }})
}

pub fn land_change_documents() -> Vec<String> {
    ["don", "gcn", "giay_to_thay_doi"].map(String::from).to_vec()
}
