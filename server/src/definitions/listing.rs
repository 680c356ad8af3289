//! The procedures an editor may change, for the editor's list.

use super::{Definitions, ownership};
use crate::auth::Principal;
use crate::catalogue::{DRAFT, PUBLISHED};
use crate::error::ApiError;
use crate::repository::{owners, procedures};
use motcua_engine::codes::AgencyCode;

/// A procedure as its editor's list shows it.
#[derive(Debug, Clone)]
pub struct Editable {
    /// The procedure code.
    pub code: String,
    /// Its name, as its newest version writes it.
    pub name: String,
    /// The agency owning it, or the one its draft names when it was never published.
    pub agency: String,
    /// The newest published version.
    pub published: Option<i32>,
    /// The draft's version, if there is one.
    pub draft: Option<i32>,
}

impl Definitions<'_> {
    /// Every procedure `principal` may edit, by code.
    pub async fn editable(&self, principal: &Principal) -> Result<Vec<Editable>, ApiError> {
        let db = &self.state.db;
        let owners = owners::all_current(db).await?;
        let mut out: Vec<Editable> = Vec::new();
        for row in procedures::summaries(db).await? {
            if out.last().is_none_or(|last| last.code != row.code) {
                out.push(Editable {
                    code: row.code.clone(),
                    name: String::new(),
                    agency: String::new(),
                    published: None,
                    draft: None,
                });
            }
            let Some(current) = out.last_mut() else { continue };
            current.name.clone_from(&row.name);
            current.agency.clone_from(&row.agency);
            match row.status.as_str() {
                PUBLISHED => current.published = Some(row.version),
                DRAFT => current.draft = Some(row.version),
                _ => {}
            }
        }
        out.retain_mut(|item| {
            // A code once published is its owner's, whatever agency an older version names;
            // one never published is whoever governs the agency its draft names.
            let owner = owners.get(&item.code);
            let named: Vec<AgencyCode> = match owner {
                Some(owner) => {
                    item.agency = owner.to_string();
                    Vec::new()
                }
                None => item.agency.parse().ok().into_iter().collect(),
            };
            ownership::allowed(principal, &item.code, owner, &named.iter().collect::<Vec<_>>())
        });
        Ok(out)
    }
}
