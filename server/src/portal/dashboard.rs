//! `GET /can-bo/thong-ke`: the supervisor's dashboard for a period and an agency — received by
//! channel, resolved early / on time / late, in progress within or past the due time, the late
//! rate by agency and by procedure, the catalogue by online level, the monthly trend — each
//! chart drawn by the server ([`super::charts`]) with its numbers in a table beside it, all
//! from the statistics service the API answers `/api/v1/stats` with.

use super::charts::{Bar, Series, Tone, bars, columns};
use super::page::{PageResult, PortalError, render};
use super::query;
use super::session::Staff;
use super::staff::{Nav, nav};
use crate::state::AppState;
use crate::statistics::{LateRate, Month, Report, Scope, Share};
use crate::vi_format::thousands;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, get, web};
use askama::Template;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

/// A row of a chart's table.
struct Cell {
    label: String,
    count: String,
    share: String,
}

/// A chart and its table.
struct Chart {
    id: &'static str,
    title: String,
    svg: String,
    head: [&'static str; 3],
    rows: Vec<Cell>,
    note: String,
}

/// An agency to pick.
struct Choice {
    code: String,
    name: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "portal/dashboard.html")]
struct Dashboard {
    title: &'static str,
    nav: Nav,
    from: String,
    to: String,
    all_agencies: bool,
    agencies: Vec<Choice>,
    scope: String,
    charts: Vec<Chart>,
    months: Vec<Month>,
    trend: String,
}

#[derive(Deserialize, Default)]
struct Asked {
    #[serde(default)]
    tu: Option<NaiveDate>,
    #[serde(default)]
    den: Option<NaiveDate>,
    #[serde(default)]
    co_quan: Option<String>,
}

fn cell(label: &str, count: i64, share: &Share) -> Cell {
    Cell { label: label.to_owned(), count: thousands(count), share: share.text.clone() }
}

fn bar(label: &str, value: i64, text: String, tone: Tone) -> Bar {
    #[allow(clippy::cast_precision_loss)] // counts far below 2^52
    Bar { label: label.to_owned(), value: value as f64, text, tone }
}

/// The dashboard of the period and agency asked for: this year to date by default.
#[get("/can-bo/thong-ke")]
pub async fn dashboard(req: HttpRequest, staff: Staff, state: web::Data<AppState>) -> PageResult {
    let asked: Asked = query(&req)?;
    let principal = &staff.0.principal;
    let today = state.clock.now().with_timezone(&motcua_engine::calendar::VIETNAM_OFFSET).date_naive();
    let to = asked.den.unwrap_or(today);
    let from = asked.tu.unwrap_or_else(|| NaiveDate::from_ymd_opt(to.year(), 1, 1).unwrap_or(to));
    let agency = asked.co_quan.filter(|a| !a.is_empty());
    let scope = Scope::new(principal, from, to, agency.as_deref()).map_err(|error| match error.kind() {
        crate::error::ErrorCode::InvalidQuery => PortalError::new(
            StatusCode::BAD_REQUEST,
            "Thông tin chưa hợp lệ",
            "Ngày kết thúc phải không sớm hơn ngày bắt đầu, và mã cơ quan phải đúng mẫu.",
        ),
        _ => error.into(),
    })?;
    let service = state.statistics();
    let report = service.report(&scope).await?;
    let breakdown = service.breakdown(&scope).await?;
    let months = service.monthly(&scope).await?;
    let registered = crate::repository::agencies::all(&state.db).await.map_err(crate::error::ApiError::from)?;
    let agencies = registered
        .into_iter()
        .filter(|a| a.code.parse().is_ok_and(|code| principal.governs(&code)))
        .map(|a| Choice { selected: scope.agency.as_deref() == Some(a.code.as_str()), code: a.code, name: a.name })
        .collect();
    let scope_text = match &scope.agency {
        Some(code) => format!("Cơ quan {code} và các đơn vị trực thuộc"),
        None => "Tất cả cơ quan".to_owned(),
    };
    let trend = columns(
        "Xu hướng theo tháng: hồ sơ tiếp nhận và đã giải quyết",
        &[Series { name: "Tiếp nhận", tone: Tone::Plain }, Series { name: "Đã giải quyết", tone: Tone::Good }],
        &months.iter().map(|m| (m.label.clone(), vec![m.received, m.early + m.on_time + m.late])).collect::<Vec<_>>(),
    );
    render(&Dashboard {
        title: "Thống kê tình hình giải quyết hồ sơ",
        nav: nav(&staff.0),
        from: from.format("%Y-%m-%d").to_string(),
        to: to.format("%Y-%m-%d").to_string(),
        all_agencies: principal.role == crate::auth::ApiRole::Admin,
        agencies,
        scope: format!("{scope_text}, từ {} đến {}", from.format("%d/%m/%Y"), to.format("%d/%m/%Y")),
        charts: charts(&report, &breakdown.by_agency, &breakdown.by_procedure),
        months,
        trend,
    })
}

fn charts(report: &Report, by_agency: &[LateRate], by_procedure: &[LateRate]) -> Vec<Chart> {
    let share = |part: i64, whole: i64| crate::statistics::percent(part, whole);
    let received = &report.received;
    let channels = [
        ("Trực tuyến", received.by_channel.online, Tone::Good),
        ("Trực tiếp tại Bộ phận Một cửa", received.by_channel.counter, Tone::Plain),
        ("Qua dịch vụ bưu chính công ích", received.by_channel.postal, Tone::Middle),
    ];
    let resolved = &report.resolved;
    let timings = [
        ("Trước hạn", resolved.early, Tone::Good),
        ("Đúng hạn", resolved.on_time, Tone::Plain),
        ("Quá hạn", resolved.late, Tone::Bad),
    ];
    let open = &report.in_progress;
    let open_total = open.within_due + open.past_due + open.paused;
    let progress = [
        ("Trong hạn", open.within_due, Tone::Good),
        ("Quá hạn", open.past_due, Tone::Bad),
        ("Tạm dừng (chờ bổ sung, nghĩa vụ tài chính)", open.paused, Tone::Middle),
    ];
    let counted = |id, title: &str, items: &[(&str, i64, Tone)], total: i64, note: String| {
        let drawn: Vec<Bar> = items.iter().map(|(l, n, t)| bar(l, *n, thousands(*n), *t)).collect();
        let mut rows: Vec<Cell> = items.iter().map(|(l, n, _)| cell(l, *n, &share(*n, total))).collect();
        rows.push(cell("Tổng số", total, &share(total, total)));
        Chart {
            id,
            title: title.to_owned(),
            svg: bars(title, &drawn, None),
            head: ["Chỉ tiêu", "Số hồ sơ", "Tỷ lệ"],
            rows,
            note,
        }
    };
    let late = |id, title: &str, items: &[LateRate]| {
        let drawn: Vec<Bar> = items
            .iter()
            .map(|r| Bar {
                label: if r.name.is_empty() { r.code.clone() } else { r.name.clone() },
                value: r.rate.value.unwrap_or(0.0),
                text: r.rate.text.clone(),
                tone: if r.late > 0 { Tone::Bad } else { Tone::Good },
            })
            .collect();
        let rows = items
            .iter()
            .map(|r| Cell {
                label: if r.name.is_empty() { r.code.clone() } else { format!("{} ({})", r.name, r.code) },
                count: format!("{} / {}", thousands(r.late), thousands(r.resolved)),
                share: r.rate.text.clone(),
            })
            .collect();
        let note = if items.is_empty() {
            "Không có hồ sơ nào được giải quyết trong kỳ.".to_owned()
        } else {
            String::new()
        };
        Chart {
            id,
            title: title.to_owned(),
            svg: bars(title, &drawn, Some(100.0)),
            head: ["Đơn vị, thủ tục", "Quá hạn / đã giải quyết", "Tỷ lệ quá hạn"],
            rows,
            note,
        }
    };
    let catalogue = &report.catalogue;
    let levels = [
        ("Toàn trình", &catalogue.by_online_level.full, Tone::Good),
        ("Một phần", &catalogue.by_online_level.partial, Tone::Plain),
        ("Cung cấp thông tin", &catalogue.by_online_level.info, Tone::Quiet),
    ];
    let legacy = [
        ("Mức độ 1", &catalogue.by_legacy_level.level_1),
        ("Mức độ 2", &catalogue.by_legacy_level.level_2),
        ("Mức độ 3", &catalogue.by_legacy_level.level_3),
        ("Mức độ 4", &catalogue.by_legacy_level.level_4),
    ];
    let level_bars: Vec<Bar> = levels
        .iter()
        .map(|(l, c, t)| Bar {
            label: (*l).to_owned(),
            value: c.share.value.unwrap_or(0.0),
            text: c.share.text.clone(),
            tone: *t,
        })
        .collect();
    let mut level_rows: Vec<Cell> = levels.iter().map(|(l, c, _)| cell(l, c.count, &c.share)).collect();
    level_rows.extend(legacy.iter().map(|(l, c)| cell(&format!("{l} (Nghị định 43/2011)"), c.count, &c.share)));
    level_rows.push(cell("Tổng số thủ tục", catalogue.procedures, &share(catalogue.procedures, catalogue.procedures)));
    vec![
        counted("tiep-nhan", "Hồ sơ tiếp nhận theo kênh", &channels, received.total, String::new()),
        counted(
            "giai-quyet",
            "Hồ sơ đã giải quyết",
            &timings,
            resolved.total,
            format!("Tỷ lệ quá hạn: {}.", resolved.late_rate.text),
        ),
        counted("dang-giai-quyet", "Hồ sơ đang giải quyết cuối kỳ", &progress, open_total, String::new()),
        late("qua-han-co-quan", "Tỷ lệ quá hạn theo cơ quan", by_agency),
        late("qua-han-thu-tuc", "Tỷ lệ quá hạn theo thủ tục", by_procedure),
        Chart {
            id: "muc-do",
            title: "Thủ tục theo mức độ dịch vụ công trực tuyến".to_owned(),
            svg: bars("Thủ tục theo mức độ dịch vụ công trực tuyến", &level_bars, Some(100.0)),
            head: ["Chỉ tiêu", "Số thủ tục", "Tỷ lệ"],
            rows: level_rows,
            note: "Thủ tục đang có hiệu lực vào ngày cuối kỳ, theo Nghị định 42/2022/NĐ-CP; mức độ 1–4 theo cách tính cũ của Nghị định 43/2011/NĐ-CP.".to_owned(),
        },
    ]
}
