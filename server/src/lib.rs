//! The motcua HTTP API: the public catalogue and, as it grows, the definition lifecycle,
//! dossier intake and processing. actix-web over sea-orm (SQLite by default, PostgreSQL to
//! scale out); the engine decides, this crate stores and serves.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod background;
pub mod backup;
pub mod catalogue;
pub mod clock;
pub mod conventions;
pub mod db;
pub mod definitions;
pub mod docs;
pub mod dossiers;
pub mod error;
pub mod evaluation;
pub mod extract;
pub mod files;
pub mod hex;
pub mod html;
pub mod openapi;
pub mod portal;
pub mod problems;
pub mod rate_limit;
pub mod registry;
pub mod repository;
pub mod routes;
pub mod settings;
pub mod startup;
pub mod state;
pub mod statistics;
pub mod strict_json;
pub mod telemetry;
pub mod validity;
pub mod vi_format;

pub use settings::Settings;
pub use startup::Application;
