//! Published procedures, compiled once per version and held in memory. The database is the
//! source of truth; on an empty database the shipped catalogue is published from its folder.

use crate::db::entities::{form_schema, procedure_version};
use chrono::{NaiveDate, Utc};
use motcua_engine::calendar::Calendar;
use motcua_engine::compile::MemoryLoader;
use motcua_engine::{CompileContext, Procedure, compile};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, RwLock};

/// Why the catalogue could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    /// The database failed.
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    /// A file of the shipped catalogue cannot be read.
    #[error("cannot read `{path}`: {reason}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// A definition does not compile; every diagnostic, one per line.
    #[error("{0}")]
    Invalid(String),
}

/// Status of a published version.
pub const PUBLISHED: &str = "published";

/// The compiled published versions by procedure code, newest version last.
pub struct Catalogue {
    calendar: Calendar,
    versions: RwLock<BTreeMap<String, Vec<Arc<Procedure>>>>,
}

impl Catalogue {
    /// Loads every published version; publishes the shipped catalogue first when the
    /// database has none.
    pub async fn load(
        db: &DatabaseConnection,
        calendar: Calendar,
        procedures: &Path,
        schemas: &Path,
    ) -> Result<Self, CatalogueError> {
        if procedure_version::Entity::find().count(db).await? == 0 {
            seed(db, &calendar, procedures, schemas).await?;
        }
        let ctx = context(db, &calendar).await?;
        let mut versions: BTreeMap<String, Vec<Arc<Procedure>>> = BTreeMap::new();
        let rows = procedure_version::Entity::find()
            .filter(procedure_version::Column::Status.eq(PUBLISHED))
            .order_by_asc(procedure_version::Column::Code)
            .order_by_asc(procedure_version::Column::Version)
            .all(db)
            .await?;
        for row in rows {
            let procedure = compile_or_explain(&ctx, &row.source, &row.yaml)?;
            versions.entry(row.code).or_default().push(Arc::new(procedure));
        }
        Ok(Catalogue { calendar, versions: RwLock::new(versions) })
    }

    /// The calendar procedures are compiled with.
    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    /// The newest version of each procedure in force on `day`.
    pub fn in_force(&self, day: NaiveDate) -> Vec<Arc<Procedure>> {
        let versions = self.versions.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        versions.values().filter_map(|v| v.iter().rev().find(|p| p.in_force_on(day)).cloned()).collect()
    }

    /// A procedure's version in force on `day`, or a given version.
    pub fn get(&self, code: &str, version: Option<u32>, day: NaiveDate) -> Option<Arc<Procedure>> {
        let versions = self.versions.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        let all = versions.get(code)?;
        match version {
            Some(n) => all.iter().find(|p| p.version == n).cloned(),
            None => all.iter().rev().find(|p| p.in_force_on(day)).cloned(),
        }
    }
}

/// A compile context whose form schemas are the ones the database holds.
async fn context(db: &DatabaseConnection, calendar: &Calendar) -> Result<CompileContext, CatalogueError> {
    let mut loader = MemoryLoader::new();
    for schema in form_schema::Entity::find().all(db).await? {
        loader.insert(schema.path, schema.json);
    }
    Ok(CompileContext::new(calendar.clone(), loader))
}

fn compile_or_explain(ctx: &CompileContext, source: &str, yaml: &str) -> Result<Procedure, CatalogueError> {
    let compilation = compile(source, yaml, ctx);
    compilation.procedure.ok_or_else(|| {
        let lines: Vec<String> = compilation.diagnostics.iter().map(ToString::to_string).collect();
        CatalogueError::Invalid(lines.join("\n"))
    })
}

fn read(path: &Path) -> Result<String, CatalogueError> {
    std::fs::read_to_string(path)
        .map_err(|e| CatalogueError::Io { path: path.display().to_string(), reason: e.to_string() })
}

fn sorted_files(dir: &Path, suffix: &str) -> Result<Vec<std::path::PathBuf>, CatalogueError> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| CatalogueError::Io { path: dir.display().to_string(), reason: e.to_string() })?;
    let mut files: Vec<_> =
        entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.to_string_lossy().ends_with(suffix)).collect();
    files.sort();
    Ok(files)
}

/// Publishes the shipped folder: its form schemas, then every definition, through the same
/// compile path an API upload takes (schemas from the database, not the folder).
async fn seed(
    db: &DatabaseConnection,
    calendar: &Calendar,
    procedures: &Path,
    schemas: &Path,
) -> Result<(), CatalogueError> {
    let now = Utc::now().fixed_offset();
    for file in sorted_files(&schemas.join("forms"), ".json")? {
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        form_schema::ActiveModel { path: Set(format!("forms/{name}")), json: Set(read(&file)?), created_at: Set(now) }
            .insert(db)
            .await?;
    }
    let ctx = context(db, calendar).await?;
    for file in sorted_files(procedures, ".yaml")? {
        let source = file.display().to_string();
        let yaml = read(&file)?;
        let procedure = compile_or_explain(&ctx, &source, &yaml)?;
        procedure_version::ActiveModel {
            code: Set(procedure.code.to_string()),
            version: Set(i32::try_from(procedure.version).unwrap_or(i32::MAX)),
            status: Set(PUBLISHED.to_owned()),
            name: Set(procedure.name.clone()),
            field: Set(procedure.field.clone()),
            agency: Set(procedure.agency.to_string()),
            online_level: Set(serde_json::to_value(procedure.online_level)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()),
            valid_from: Set(procedure.valid_from),
            valid_to: Set(procedure.valid_to),
            source: Set(source),
            yaml: Set(yaml),
            created_at: Set(now),
            published_at: Set(Some(now)),
            retired_at: Set(None),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}
