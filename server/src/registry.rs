//! The agencies folder (`agencies/*.yaml`, one list of `{code, name, parent}` a file) loaded on
//! start: codes the database does not have yet are registered; names edited since through the
//! API are kept, as the database is the source of truth.

use crate::catalogue::CatalogueError;
use crate::repository::agencies::{self, Agency};
use chrono::Utc;
use motcua_engine::definition::Node;
use sea_orm::DatabaseConnection;
use std::collections::BTreeMap;
use std::path::Path;

/// Registers the agencies of every `*.yaml` of `dir` that the database lacks. A folder that
/// does not exist holds none.
pub async fn load(db: &DatabaseConnection, dir: &Path) -> Result<usize, CatalogueError> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(0) };
    let mut files: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    files.retain(|path| path.extension().is_some_and(|e| e == "yaml"));
    files.sort();
    let mut listed: Vec<Agency> = Vec::new();
    for file in files {
        listed.extend(read(&file)?);
    }
    let codes: BTreeMap<String, String> = listed.iter().map(|a| (a.code.to_string(), a.name.clone())).collect();
    let now = Utc::now().fixed_offset();
    for agency in &mut listed {
        if agency.parent.is_none() {
            let code = agency.code.to_string();
            agency.parent = agencies::parent_of(&code, None, &codes).and_then(|p| p.parse().ok());
        }
        agencies::insert_missing(db, agency, now).await?;
    }
    Ok(listed.len())
}

fn read(file: &Path) -> Result<Vec<Agency>, CatalogueError> {
    let path = file.display().to_string();
    let invalid = |reason: String| CatalogueError::Io { path: path.clone(), reason };
    let text = std::fs::read_to_string(file).map_err(|e| invalid(e.to_string()))?;
    let document = Node::parse(&text).map_err(|e| invalid(e.to_string()))?.to_json();
    serde_json::from_value(document)
        .map_err(|e| invalid(format!("{e}: each entry is {{ code: G22.26.01, name: \"…\", parent: G22.26 }}")))
}
