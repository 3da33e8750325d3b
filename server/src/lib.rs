//! The Wijkverhalen server: configuration, start-up, and the parts of the
//! system that only the server knows — booklet typesetting (typst), the
//! booklet worker, file downloads and sessions.
//!
//! [`startup::build`] assembles the whole application (database, migrations,
//! router, worker) so the binary and the integration tests start exactly the
//! same thing.

#![recursion_limit = "256"]

pub mod booklet;
pub mod config;
pub mod error_status;
pub mod files;
pub mod mail;
pub mod media;
pub mod refusal;
pub mod security;
pub mod seed;
pub mod session_store;
pub mod setup;
pub mod startup;
pub mod state;
pub mod worker;
