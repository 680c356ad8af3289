//! `GET /`: the catalogue a citizen searches, with or without diacritics, and browses by
//! field, agency and online service level.

use super::fold::{fold, matches, words};
use super::page::{PageResult, render};
use super::{fee_text, query};
use crate::state::AppState;
use actix_web::{HttpRequest, get, web};
use askama::Template;
use motcua_engine::Procedure;
use motcua_engine::codes::AgencyCode;
use motcua_engine::definition::OnlineLevel;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// What the search form sends; parameters it does not know are ignored (links shared from
/// elsewhere carry their own).
#[derive(Debug, Default, Deserialize)]
pub(super) struct HomeQuery {
    /// Words to find.
    #[serde(default)]
    pub q: String,
    /// A field slug.
    #[serde(default)]
    linh_vuc: String,
    /// An agency code: its procedures and its units'.
    #[serde(default)]
    co_quan: String,
    /// `full`, `partial` or `info`.
    #[serde(default)]
    muc_do: String,
}

/// A choice of a filter.
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

/// A procedure in the list.
struct Item {
    code: String,
    name: String,
    field: String,
    agency: String,
    level: &'static str,
    level_label: &'static str,
    time: String,
    fee: String,
}

#[derive(Template)]
#[template(path = "portal/home.html")]
struct Home {
    title: &'static str,
    query: HomeQuery,
    fields: Vec<Choice>,
    agencies: Vec<Choice>,
    levels: Vec<Choice>,
    found: usize,
    filtered: bool,
    items: Vec<Item>,
}

fn choices(options: BTreeMap<String, String>, selected: &str) -> Vec<Choice> {
    let mut choices: Vec<Choice> =
        options.into_iter().map(|(value, label)| Choice { selected: value == selected, value, label }).collect();
    choices.sort_by_cached_key(|c| fold(&c.label));
    choices
}

/// Whether `p` passes the filters of `query`.
fn passes(p: &Procedure, query: &HomeQuery) -> bool {
    (query.linh_vuc.is_empty() || p.field == query.linh_vuc)
        && (query.co_quan.is_empty() || query.co_quan.parse::<AgencyCode>().is_ok_and(|unit| p.agency.is_within(&unit)))
        && (query.muc_do.is_empty() || p.online_level.as_str() == query.muc_do)
}

/// The words a procedure is found by: its name and code, its field and its agency.
fn searchable(p: &Procedure) -> Vec<String> {
    let mut all = words(&p.name);
    all.extend(words(p.code.as_str()));
    all.extend(p.field_name.as_deref().map(words).unwrap_or_default());
    all.extend(p.agency_name.as_deref().map(words).unwrap_or_default());
    all
}

fn item(p: &Procedure) -> Item {
    Item {
        code: p.code.to_string(),
        name: p.name.clone(),
        field: p.field_name.clone().unwrap_or_else(|| p.field.clone()),
        agency: p.agency_name.clone().unwrap_or_else(|| p.agency.to_string()),
        level: p.online_level.as_str(),
        level_label: p.online_level.label(),
        time: p.processing_time.to_string(),
        fee: fee_text(p),
    }
}

/// The home page: the search form and the procedures in force that match it.
#[get("/")]
pub async fn home(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let query: HomeQuery = query(&req)?;
    let in_force: Vec<Arc<Procedure>> = state.catalogue.in_force(state.clock.now().date_naive());
    let asked = words(&query.q);
    let mut found: Vec<&Arc<Procedure>> = in_force
        .iter()
        .filter(|p| passes(p, &query) && (asked.is_empty() || matches(&asked, &searchable(p))))
        .collect();
    found.sort_by_cached_key(|p| fold(&p.name));
    let fields = in_force.iter().map(|p| (p.field.clone(), p.field_name.clone().unwrap_or_else(|| p.field.clone())));
    let agencies =
        in_force.iter().map(|p| (p.agency.to_string(), p.agency_name.clone().unwrap_or_else(|| p.agency.to_string())));
    let levels = OnlineLevel::ALL
        .iter()
        .map(|l| Choice {
            value: l.as_str().to_owned(),
            label: l.label().to_owned(),
            selected: l.as_str() == query.muc_do,
        })
        .collect();
    let page = Home {
        title: "Thủ tục hành chính",
        fields: choices(fields.collect(), &query.linh_vuc),
        agencies: choices(agencies.collect(), &query.co_quan),
        levels,
        found: found.len(),
        filtered: !asked.is_empty()
            || !query.linh_vuc.is_empty()
            || !query.co_quan.is_empty()
            || !query.muc_do.is_empty(),
        items: found.into_iter().map(|p| item(p)).collect(),
        query,
    };
    render(&page)
}
