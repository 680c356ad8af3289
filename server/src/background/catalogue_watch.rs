//! Every instance serves the same catalogue: each one checks, every interval, a fingerprint
//! of what is published and retired (one small aggregate query), and reloads the versions
//! when it changed — so a version published or retired on one instance is served or refused
//! by the others within one interval.

use crate::catalogue::Catalogue;
use sea_orm::{DatabaseConnection, DbErr, FromQueryResult, Statement};
use std::sync::Arc;
use std::time::Duration;
use tracing::Instrument;

/// What changes whenever a version is published or retired anywhere.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
struct Fingerprint {
    versions: i64,
    retired: i64,
    last_change: Option<String>,
}

/// Counted in SQL both backends read alike (timestamps compared as text, the way they are
/// stored on each).
const FINGERPRINT: &str = "SELECT COUNT(*) AS versions, \
     COALESCE(SUM(CASE WHEN status = 'retired' THEN 1 ELSE 0 END), 0) AS retired, \
     CAST(MAX(COALESCE(retired_at, published_at)) AS TEXT) AS last_change \
     FROM procedure_versions WHERE status IN ('published', 'retired')";

async fn fingerprint(db: &DatabaseConnection) -> Result<Fingerprint, DbErr> {
    let statement = Statement::from_string(db.get_database_backend(), FINGERPRINT);
    let row = Fingerprint::find_by_statement(statement).one(db).await?;
    Ok(row.unwrap_or(Fingerprint { versions: 0, retired: 0, last_change: None }))
}

/// Watches the catalogue every `interval` until aborted.
pub fn spawn(db: DatabaseConnection, catalogue: Arc<Catalogue>, interval: Duration) -> tokio::task::JoinHandle<()> {
    let span = tracing::info_span!("catalogue_watch");
    tokio::spawn(
        async move {
            let mut seen = fingerprint(&db).await.ok();
            let mut ticks = tokio::time::interval(interval);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                let now = match fingerprint(&db).await {
                    Ok(now) => now,
                    Err(error) => {
                        tracing::warn!(%error, "catalogue check failed");
                        continue;
                    }
                };
                if seen.as_ref() == Some(&now) {
                    continue;
                }
                match catalogue.refresh(&db).await {
                    Ok(()) => {
                        tracing::info!(versions = now.versions, retired = now.retired, "catalogue reloaded");
                        seen = Some(now);
                    }
                    Err(error) => tracing::warn!(%error, "catalogue reload failed"),
                }
            }
        }
        .instrument(span),
    )
}
