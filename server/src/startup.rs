//! Builds the app from typed settings and binds it; tests bind port 0 and read the port.

use crate::background::{Background, Job};
use crate::catalogue::{Catalogue, CatalogueError};
use crate::db::StartupLock;
use crate::routes;
use crate::settings::Settings;
use actix_web::dev::Server;
use actix_web::{App, HttpServer, web};
use std::net::TcpListener;
use std::sync::Arc;

/// Why the server did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// The database could not be reached or migrated.
    #[error("database `{url}`: {source}")]
    Database {
        /// The URL, for the operator.
        url: String,
        /// The cause.
        source: sea_orm::DbErr,
    },
    /// The catalogue could not be loaded.
    #[error("catalogue: {0}")]
    Catalogue(#[from] CatalogueError),
    /// The file store could not be opened.
    #[error("{0}")]
    Files(String),
    /// The address could not be bound.
    #[error("cannot listen on `{address}`: {source}")]
    Bind {
        /// The address.
        address: String,
        /// The cause.
        source: std::io::Error,
    },
}

/// A bound, ready-to-run server and its background task.
pub struct Application {
    port: u16,
    server: Server,
    background: tokio::task::JoinHandle<()>,
    watch: tokio::task::JoinHandle<()>,
}

impl Application {
    /// Connects, migrates, loads the catalogue and binds.
    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        let database_error = |source| StartupError::Database { url: settings.database_url.clone(), source };
        // One instance at a time migrates and, on an empty database, publishes the catalogue.
        let startup = StartupLock::acquire(&settings.database_url).await.map_err(database_error)?;
        let db = crate::db::connect(&settings.database_url).await.map_err(database_error)?;
        let catalogue =
            Catalogue::load(&db, settings.calendar.clone(), &settings.procedures_dir, &settings.schemas_dir).await?;
        crate::registry::load(&db, &settings.agencies_dir).await?;
        startup.release().await;
        let writer = crate::repository::write_queue::DossierWriter::connect(&settings.database_url, &db)
            .await
            .map_err(database_error)?;
        let listener = TcpListener::bind(&settings.bind)
            .map_err(|source| StartupError::Bind { address: settings.bind.clone(), source })?;
        let port = listener
            .local_addr()
            .map_err(|source| StartupError::Bind { address: settings.bind.clone(), source })?
            .port();
        let state = Arc::new(Background::new(settings.instance_id.clone()));
        let job = Job {
            db: db.clone(),
            database_url: settings.database_url.clone(),
            calendar: settings.calendar.clone(),
            clock: settings.clock.clone(),
            interval: settings.deadline_scan_interval,
            state: state.clone(),
        };
        let catalogue = Arc::new(catalogue);
        let watch = crate::background::catalogue_watch::spawn(
            db.clone(),
            catalogue.clone(),
            settings.catalogue_refresh_interval,
        );
        let files_url = settings
            .files_url
            .clone()
            .unwrap_or_else(|| crate::files::FileStore::default_location(&settings.database_url));
        let files = crate::files::FileStore::open(&files_url).map_err(StartupError::Files)?;
        tracing::info!(files = %files.location, "document files");
        let state = web::Data::new(crate::state::AppState {
            db,
            catalogue,
            writer,
            clock: settings.clock.clone(),
            evaluator: crate::evaluation::Evaluator::default(),
            tokens: crate::auth::TokenCache::new(settings.token_cache_ttl),
            lookups: crate::rate_limit::RateLimiter::new(settings.lookups_per_minute, crate::rate_limit::LOOKUP_WINDOW),
            sign_ins: crate::rate_limit::RateLimiter::new(
                crate::rate_limit::SIGN_INS_PER_WINDOW,
                crate::rate_limit::LOOKUP_WINDOW,
            ),
            filings: crate::rate_limit::RateLimiter::new(settings.filings_per_minute, crate::rate_limit::LOOKUP_WINDOW),
            secure_cookies: settings.secure_cookies,
            files,
            metrics: crate::telemetry::Metrics::default(),
            portal: tokio::sync::OnceCell::new(),
            background: state,
        });
        tokio::spawn(crate::accounts::warm_up());
        let server = HttpServer::new(move || {
            App::new()
                .wrap(actix_web::middleware::ErrorHandlers::new().default_handler(crate::error::as_problem))
                .wrap(actix_web::middleware::from_fn(crate::conventions::apply))
                .wrap(actix_web::middleware::from_fn(crate::portal::secure_cookies::apply))
                .wrap(actix_web::middleware::from_fn(crate::telemetry::observe))
                .app_data(state.clone())
                .service(crate::telemetry::metrics)
                .configure(routes::configure)
                .default_service(web::to(crate::conventions::unmatched))
        })
        .listen(listener)
        .map_err(|source| StartupError::Bind { address: settings.bind.clone(), source })?
        .run();
        let background = crate::background::spawn(job);
        Ok(Application { port, server, background, watch })
    }

    /// The port actually bound.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until the process is stopped; then stops the background task, which closes the
    /// lock's session so that another instance can take over at its next tick.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        self.background.abort();
        self.watch.abort();
        result
    }
}
