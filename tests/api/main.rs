//! Black-box tests of the HTTP API: each spawns the real server on port 0 against a fresh
//! database (SQLite by default; PostgreSQL when `MOTCUA_TEST_DATABASE_URL` is set).
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod access;
mod alerts;
mod audit;
mod backup;
mod catalogue;
mod channels;
mod conventions;
mod definitions;
mod docs;
mod dossiers;
mod editor;
mod forms;
mod health;
mod helpers;
mod hostile;
mod import;
mod life;
mod limits;
mod openapi;
mod ownership;
mod portal;
mod problems;
mod reception;
mod runaway;
mod staff;
mod uploads;
