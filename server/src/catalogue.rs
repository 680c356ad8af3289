//! Published procedures, compiled once per version and held in memory. The database is the
//! source of truth; on an empty database the shipped catalogue is published from its folder.

use crate::db::entities::{form_schema, procedure_version};
use chrono::{NaiveDate, Utc};
use motcua_engine::calendar::Calendar;
use motcua_engine::compile::MemoryLoader;
use motcua_engine::compile::catalogue::{CatalogueFile, duplicate_versions};
use motcua_engine::diagnostic::{Code, Diagnostic, Severity};
use motcua_engine::{Compilation, CompileContext, Procedure, compile};
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
/// Status of a retired version: no new dossiers, but dossiers filed under it keep it.
pub const RETIRED: &str = "retired";
/// Status of a draft.
pub const DRAFT: &str = "draft";

/// A compiled version, whether it was retired, and its last day in force as the database
/// holds it (publishing a later version may end it earlier than its text says).
struct Entry {
    procedure: Arc<Procedure>,
    retired: bool,
    ends: Option<NaiveDate>,
}

impl Entry {
    fn in_force_on(&self, day: NaiveDate) -> bool {
        !self.retired && day >= self.procedure.valid_from && self.ends.is_none_or(|end| day <= end)
    }
}

/// The compiled published (and retired) versions by procedure code, oldest version first.
pub struct Catalogue {
    calendar: Calendar,
    versions: RwLock<BTreeMap<String, Vec<Entry>>>,
}

impl Catalogue {
    /// Loads every published and retired version; publishes the shipped catalogue first when
    /// the database has none.
    pub async fn load(
        db: &DatabaseConnection,
        calendar: Calendar,
        procedures: &Path,
        schemas: &Path,
    ) -> Result<Self, CatalogueError> {
        if procedure_version::Entity::find().count(db).await? == 0 {
            seed(db, &calendar, procedures, schemas).await?;
        } else {
            report_unpublished_files(db, procedures).await?;
        }
        let catalogue = Catalogue { calendar, versions: RwLock::new(BTreeMap::new()) };
        catalogue.refresh(db).await?;
        Ok(catalogue)
    }

    /// Reloads the versions from the database: what another instance published or retired
    /// becomes visible here too.
    pub async fn refresh(&self, db: &DatabaseConnection) -> Result<(), CatalogueError> {
        let ctx = self.context(db).await?;
        let rows = procedure_version::Entity::find()
            .filter(procedure_version::Column::Status.is_in([PUBLISHED, RETIRED]))
            .order_by_asc(procedure_version::Column::Code)
            .order_by_asc(procedure_version::Column::Version)
            .all(db)
            .await?;
        for row in rows {
            let retired = row.status == RETIRED;
            let version = u32::try_from(row.version).unwrap_or(0);
            let known = {
                let mut versions = self.write();
                let entry =
                    versions.get_mut(&row.code).and_then(|v| v.iter_mut().find(|e| e.procedure.version == version));
                entry.map(|e| {
                    (e.retired, e.ends) = (retired, row.valid_to);
                })
            };
            if known.is_none() {
                let procedure = compile_or_explain(&ctx, &row.source, &row.yaml)?;
                self.put(Arc::new(procedure), retired, row.valid_to);
            }
        }
        Ok(())
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, BTreeMap<String, Vec<Entry>>> {
        self.versions.read().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, BTreeMap<String, Vec<Entry>>> {
        self.versions.write().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Adds or replaces a compiled version, in force until `ends`.
    pub fn put(&self, procedure: Arc<Procedure>, retired: bool, ends: Option<NaiveDate>) {
        let mut versions = self.write();
        let entries = versions.entry(procedure.code.to_string()).or_default();
        entries.retain(|e| e.procedure.version != procedure.version);
        entries.push(Entry { procedure, retired, ends });
        entries.sort_by_key(|e| e.procedure.version);
    }

    /// Ends a version on `day`: a later one starts the day after.
    pub fn end(&self, code: &str, version: u32, day: NaiveDate) {
        if let Some(entry) =
            self.write().get_mut(code).and_then(|v| v.iter_mut().find(|e| e.procedure.version == version))
        {
            entry.ends = Some(day);
        }
    }

    /// Marks a version retired or not.
    pub fn set_retired(&self, code: &str, version: u32, retired: bool) {
        if let Some(entry) =
            self.write().get_mut(code).and_then(|v| v.iter_mut().find(|e| e.procedure.version == version))
        {
            entry.retired = retired;
        }
    }

    /// The calendar procedures are compiled with.
    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    /// The newest published version of each procedure in force on `day`.
    pub fn in_force(&self, day: NaiveDate) -> Vec<Arc<Procedure>> {
        self.read()
            .values()
            .filter_map(|v| v.iter().rev().find(|e| e.in_force_on(day)).map(|e| Arc::clone(&e.procedure)))
            .collect()
    }

    /// A given version (retired ones too: dossiers filed under them keep them), or the newest
    /// published version in force on `day`.
    pub fn get(&self, code: &str, version: Option<u32>, day: NaiveDate) -> Option<Arc<Procedure>> {
        let versions = self.read();
        let all = versions.get(code)?;
        let entry = match version {
            Some(n) => all.iter().find(|e| e.procedure.version == n),
            None => all.iter().rev().find(|e| e.in_force_on(day)),
        };
        entry.map(|e| Arc::clone(&e.procedure))
    }

    /// A given version of `code`, reloading the catalogue first when this instance does not
    /// hold it yet: a dossier filed under a version another instance published just now is
    /// acted on here all the same.
    pub async fn version(
        &self,
        db: &DatabaseConnection,
        code: &str,
        version: u32,
        day: NaiveDate,
    ) -> Result<Option<Arc<Procedure>>, CatalogueError> {
        if let Some(procedure) = self.get(code, Some(version), day) {
            return Ok(Some(procedure));
        }
        self.refresh(db).await?;
        Ok(self.get(code, Some(version), day))
    }

    /// A compile context whose form schemas are the ones the database holds, so a draft
    /// uploaded through the API compiles exactly like a file of the shipped folder.
    pub async fn context(&self, db: &DatabaseConnection) -> Result<CompileContext, CatalogueError> {
        context(db, &self.calendar).await
    }
}

/// Stack for compiling a definition sent over the API: the parser and the schema check descend
/// recursively, and a worker thread's stack is small.
const COMPILE_STACK: usize = 32 * 1024 * 1024;

/// Compiles on a thread with a large stack, whatever the text: a hostile definition gets
/// diagnostics, never a crashed worker.
pub fn compile_apart(source: &str, yaml: &str, ctx: &CompileContext) -> Compilation {
    std::thread::scope(|scope| {
        let worker =
            std::thread::Builder::new().stack_size(COMPILE_STACK).spawn_scoped(scope, || compile(source, yaml, ctx));
        match worker {
            Ok(handle) => handle.join().unwrap_or_else(|_| {
                tracing::error!(%source, "the compiler panicked on a definition");
                let diagnostic = Diagnostic {
                    file: source.to_owned(),
                    line: 1,
                    column: 1,
                    path: String::new(),
                    code: Code::SchemaViolation,
                    severity: Severity::Error,
                    message: "the compiler failed on this definition; the failure is logged".to_owned(),
                    help: None,
                };
                Compilation { procedure: None, diagnostics: vec![diagnostic] }
            }),
            // No thread could be started: compile here.
            Err(_) => compile(source, yaml, ctx),
        }
    })
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
    let compilation = compile_apart(source, yaml, ctx);
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

/// The code and version a definition's text names, if it names them.
fn code_and_version(yaml: &str) -> Option<(String, i64)> {
    let document = motcua_engine::definition::Node::parse(yaml).ok()?.to_json();
    Some((document["code"].as_str()?.to_owned(), document["version"].as_i64()?))
}

/// Warns of every file of the folder the database does not hold as it is. The folder is
/// published only on an empty database; after that the database is the source of truth, and
/// an edited or added file would otherwise be ignored without a word.
async fn report_unpublished_files(db: &DatabaseConnection, procedures: &Path) -> Result<(), CatalogueError> {
    let Ok(files) = sorted_files(procedures, ".yaml") else { return Ok(()) };
    for file in files {
        let path = file.display().to_string();
        let yaml = read(&file)?;
        let Some((code, version)) = code_and_version(&yaml) else {
            tracing::warn!(file = %path, "not published: the file names no code and version; check it with `motcua validate`");
            continue;
        };
        let stored = procedure_version::Entity::find()
            .filter(procedure_version::Column::Code.eq(code.as_str()))
            .filter(procedure_version::Column::Version.eq(version))
            .one(db)
            .await?;
        let publish = format!(
            "publish it with `curl -X PUT --data-binary @{path} -H 'Content-Type: application/yaml' \
             /api/v1/procedures/{code}/draft` then `POST /api/v1/procedures/{code}/publish` (an admin or the \
             owning department's token)"
        );
        match stored {
            Some(row) if row.yaml == yaml => {}
            Some(_) => tracing::warn!(
                file = %path,
                "edited since version {version} of `{code}` was published; the server keeps the published text. \
                 Give the change the next version number and {publish}"
            ),
            None => tracing::warn!(file = %path, "version {version} of `{code}` is not published; {publish}"),
        }
    }
    Ok(())
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
    let mut compiled = Vec::new();
    for file in sorted_files(procedures, ".yaml")? {
        let source = file.display().to_string();
        let yaml = read(&file)?;
        let procedure = compile_or_explain(&ctx, &source, &yaml)?;
        compiled.push((source, yaml, procedure));
    }
    let files: Vec<CatalogueFile<'_>> =
        compiled.iter().map(|(file, text, procedure)| CatalogueFile { file, text, procedure }).collect();
    let duplicates = duplicate_versions(&files);
    if !duplicates.is_empty() {
        let lines: Vec<String> = duplicates.iter().map(ToString::to_string).collect();
        return Err(CatalogueError::Invalid(lines.join("\n")));
    }
    for (source, yaml, procedure) in &compiled {
        crate::repository::procedures::insert_version(db, procedure, source, yaml, PUBLISHED, now).await?;
        let code = procedure.code.as_str();
        if crate::repository::owners::current(db, code).await?.is_none() {
            let reason = Some(format!("the shipped catalogue, `{source}`"));
            crate::repository::owners::assign(db, code, &procedure.agency, "catalogue", reason, now).await?;
        }
    }
    Ok(())
}
