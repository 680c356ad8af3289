//! The registry of agencies, and the names printed forms use.

use crate::db::entities::agency;
use chrono::{DateTime, FixedOffset};
use motcua_engine::codes::AgencyCode;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};
use std::collections::BTreeMap;

/// An agency as registered.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Agency {
    /// Electronic identifier.
    #[schema(value_type = String, example = "G22.26.01.01")]
    pub code: AgencyCode,
    /// Its name, as forms print it.
    pub name: String,
    /// The agency it belongs to; by default the longest registered prefix of its code.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub parent: Option<AgencyCode>,
}

/// Every agency, by code.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "agencies::all"))]
pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<agency::Model>, DbErr> {
    agency::Entity::find().order_by_asc(agency::Column::Code).all(db).await
}

/// The registered names of `codes` (those registered).
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "agencies::names"))]
pub async fn names(db: &impl ConnectionTrait, codes: &[&str]) -> Result<BTreeMap<String, String>, DbErr> {
    let rows = agency::Entity::find().filter(agency::Column::Code.is_in(codes.iter().copied())).all(db).await?;
    Ok(rows.into_iter().map(|row| (row.code, row.name)).collect())
}

/// Registers or renames `agency`.
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "agencies::upsert"))]
pub async fn upsert(db: &impl ConnectionTrait, agency: &Agency, now: DateTime<FixedOffset>) -> Result<(), DbErr> {
    save(db, agency, now, true).await
}

/// Registers `agency` unless its code is registered already (what was edited since wins).
#[tracing::instrument(name = "repository", level = "debug", skip_all, fields(call = "agencies::insert_missing"))]
pub async fn insert_missing(
    db: &impl ConnectionTrait,
    agency: &Agency,
    now: DateTime<FixedOffset>,
) -> Result<(), DbErr> {
    save(db, agency, now, false).await
}

async fn save(
    db: &impl ConnectionTrait,
    agency: &Agency,
    now: DateTime<FixedOffset>,
    replace: bool,
) -> Result<(), DbErr> {
    let row = agency::ActiveModel {
        code: Set(agency.code.to_string()),
        name: Set(agency.name.clone()),
        parent: Set(agency.parent.as_ref().map(ToString::to_string)),
        updated_at: Set(now),
    };
    let mut conflict = OnConflict::column(agency::Column::Code);
    let conflict = if replace {
        conflict.update_columns([agency::Column::Name, agency::Column::Parent, agency::Column::UpdatedAt]).to_owned()
    } else {
        conflict.do_nothing().to_owned()
    };
    match agency::Entity::insert(row).on_conflict(conflict).exec(db).await {
        Ok(_) | Err(DbErr::RecordNotInserted) => Ok(()),
        Err(error) => Err(error),
    }
}

/// The parent of each agency of `registered`: its own, or the longest registered prefix.
pub fn parent_of(code: &str, parent: Option<&str>, registered: &BTreeMap<String, String>) -> Option<String> {
    if let Some(parent) = parent {
        return Some(parent.to_owned());
    }
    let mut prefix = code;
    while let Some((head, _)) = prefix.rsplit_once('.') {
        if registered.contains_key(head) {
            return Some(head.to_owned());
        }
        prefix = head;
    }
    None
}
