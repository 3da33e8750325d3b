//! What every HTTP handler of the server works with: the router's state and
//! the signed-in user of a request. Kept apart from start-up, which wires
//! the handlers, so the handlers do not depend on the code that calls them.

use app::state::ServerState;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use object_store::ObjectStore;
use std::sync::Arc;
use tower_sessions::Session;

/// State of the axum router.
#[derive(Clone, Debug)]
pub struct AppState {
    /// Leptos settings (site root, bundle name).
    pub leptos_options: LeptosOptions,
    /// What server functions get as context.
    pub server: ServerState,
    /// Stored files (booklet PDFs).
    pub objects: Arc<dyn ObjectStore>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> Self {
        s.leptos_options.clone()
    }
}

/// The signed-in user of a download or upload request: `NotAuthenticated`
/// without a valid session (or for a deactivated account); refused while
/// the account still has its start password (see
/// [`app::api::server::actor_of`]).
pub async fn current_actor(
    db: &app::db::Db,
    session: &Session,
) -> Result<app::domain::access::Actor, app::error::AppError> {
    app::api::server::actor_of(db, session).await
}
