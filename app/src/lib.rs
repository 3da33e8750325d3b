//! Wijkverhalen — neighbourhood stories, from interview to booklet.
//!
//! This crate is both the server-side application (feature `ssr`: server
//! functions, database access, rendering) and the browser client (feature
//! `hydrate`: the same components, compiled to wasm, take over the
//! server-rendered HTML). See `DESIGN.md` for the architecture:
//!
//! * [`domain`] — pure rules (lifecycle, access, consent, text);
//! * [`api`] — server functions: who is calling → domain check → [`db`];
//! * [`db`] — SQL for SQLite and PostgreSQL (server only);
//! * [`pages`], [`components`] — the interface, Dutch first;
//! * [`error::AppError`] — the one error type.

#![recursion_limit = "256"]

pub mod api;
pub mod autosave;
pub mod booklet;
pub mod client;
pub mod components;
pub mod csp;
#[cfg(feature = "ssr")]
pub mod db;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod model;
pub mod pages;
pub mod recorder;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod state;

pub use pages::{shell, App};

/// Browser entry point: hydrates the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
    // A marker for tests and styles: from here on the page is interactive.
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
    // The service worker keeps the client and the open interview pages
    // available when the connection drops (see assets/sw.js).
    let _ = leptos::prelude::window()
        .navigator()
        .service_worker()
        .register("/sw.js");
}
