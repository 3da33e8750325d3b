//! Start-up: connect and migrate the database, optionally seed the demo,
//! assemble the router, start the booklet worker. The binary and the
//! integration tests both go through [`build`].

use crate::config::Config;
use crate::session_store::DbSessionStore;
use crate::state::AppState;
use crate::worker::{self, WorkerConfig};
use app::db::{Backend, Db};
use app::state::ServerState;
use axum::routing::get;
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use object_store::local::LocalFileSystem;
use object_store::ObjectStore;
use std::sync::Arc;
use tower_sessions::cookie::{time, SameSite};
use tower_sessions::{Expiry, SessionManagerLayer};

/// Name of the client bundle (`pkg/wijkverhalen.js`, `…_bg.wasm`, `….css`).
pub const OUTPUT_NAME: &str = "wijkverhalen";

/// A built application, ready to serve.
pub struct Built {
    /// The router.
    pub router: Router,
    /// The state (tests use its database).
    pub state: AppState,
    /// Demo account password, when the demo was seeded.
    pub demo_password: Option<String>,
    /// The booklet worker loop.
    pub worker: tokio::task::JoinHandle<()>,
}

/// Builds the application from `config`.
pub async fn build(config: &Config) -> Result<Built, String> {
    std::fs::create_dir_all(&config.data_dir)
        .map_err(|e| format!("data dir {}: {e}", config.data_dir.display()))?;
    let db = Db::connect(&config.database_url, config.db_connections)
        .await
        .map_err(|e| format!("database: {e:?}"))?;
    let demo_password = if config.demo {
        let password = config.demo_password.clone().unwrap_or_else(random_password);
        crate::seed::demo(&db, &password)
            .await
            .map_err(|e| format!("demo data: {e:?}"))?;
        Some(password)
    } else {
        None
    };
    // Builds that were running when the previous server stopped: with one
    // SQLite instance every running build is orphaned; with PostgreSQL other
    // instances may be busy, so only clearly stale ones are re-queued.
    let cutoff = match db.backend {
        Backend::Sqlite => chrono::Utc::now(),
        Backend::Postgres => chrono::Utc::now() - chrono::Duration::minutes(30),
    };
    app::db::booklets::requeue_stale(&db, &app::domain::time::Timestamp(cutoff).to_db())
        .await
        .map_err(|e| format!("requeue: {e:?}"))?;

    let objects_dir = config.data_dir.join("objects");
    std::fs::create_dir_all(&objects_dir).map_err(|e| format!("objects dir: {e}"))?;
    let objects: Arc<dyn ObjectStore> = Arc::new(
        LocalFileSystem::new_with_prefix(&objects_dir).map_err(|e| format!("object store: {e}"))?,
    );
    let wakeup = Arc::new(tokio::sync::Notify::new());
    let server = ServerState {
        db: db.clone(),
        booklet_wakeup: wakeup.clone(),
        template_hash: crate::booklet::template_hash().into(),
        objects: objects.clone(),
        mail: Arc::new(crate::mail::Direct::new(&config.mail)?),
        public_url: config.public_url.clone().into(),
    };
    let leptos_options = LeptosOptions::builder()
        .output_name(OUTPUT_NAME)
        .site_root(config.site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .build();
    let state = AppState {
        leptos_options: leptos_options.clone(),
        server: server.clone(),
        objects: objects.clone(),
    };
    let exe = match &config.worker_exe {
        Some(p) => p.clone(),
        None => std::env::current_exe().map_err(|e| format!("current exe: {e}"))?,
    };
    let worker = worker::spawn(
        db.clone(),
        objects,
        wakeup,
        WorkerConfig {
            exe,
            memory_mb: config.booklet_memory_mb,
            tmp_dir: config.data_dir.join("tmp"),
        },
    );
    let router = router(state.clone(), config);
    crate::mail::spawn(db.clone(), &config.mail, config.public_url.clone())?;
    spawn_session_cleanup(db);
    Ok(Built {
        router,
        state,
        demo_password,
        worker,
    })
}

fn router(state: AppState, config: &Config) -> Router {
    use app::routes::files;
    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.server.db.clone()))
        .with_name(if config.secure_cookies() {
            "__Host-wv_session"
        } else {
            "wv_session"
        })
        .with_secure(config.secure_cookies())
        .with_same_site(SameSite::Lax)
        .with_http_only(true)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(time::Duration::hours(12)));
    let routes = generate_route_list(app::App);
    let context = {
        let server = state.server.clone();
        move || {
            provide_context(server.clone());
            app::csp::provide_request_nonce();
        }
    };
    let shell = {
        let options = state.leptos_options.clone();
        move || app::shell(options.clone())
    };
    Router::new()
        .route(files::BOOKLET_PDF, get(crate::files::booklet_pdf))
        .route(files::BOOKLET_FILE, get(crate::files::booklet_file))
        .route(
            files::PHOTO_UPLOAD,
            axum::routing::post(crate::media::http::upload_photo).layer(
                axum::extract::DefaultBodyLimit::max(crate::media::http::upload_body_limit()),
            ),
        )
        .route(
            files::RECORDING_START,
            axum::routing::post(crate::media::recording::start),
        )
        .route(
            files::RECORDING_CHUNK,
            axum::routing::put(crate::media::recording::chunk),
        )
        .route(
            files::RECORDING_FINISH,
            axum::routing::post(crate::media::recording::finish),
        )
        .route(
            files::SIGNATURE,
            axum::routing::post(crate::media::http::sign_consent),
        )
        .route(files::MEDIA, get(crate::media::http::media_file))
        .route(files::MEDIA_THUMB, get(crate::media::http::media_thumb))
        .route(files::HEALTH, get(|| async { "ok" }))
        .leptos_routes_with_context(&state, routes, context, shell)
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(app::csp::provide_request_nonce, app::shell))
        .layer(axum::middleware::from_fn(crate::error_status::error_status))
        .layer(sessions)
        .layer(axum::middleware::from_fn(crate::security::same_origin))
        .with_state(state)
}

fn spawn_session_cleanup(db: Db) {
    use tower_sessions::ExpiredDeletion;
    let store = DbSessionStore::new(db);
    tokio::spawn(async move {
        loop {
            if let Err(e) = store.delete_expired().await {
                tracing::warn!("deleting expired sessions: {e}");
            }
            tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
        }
    });
}

/// A random password for the demo accounts: 4 groups of 4 lowercase letters
/// and digits (no look-alikes).
pub fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let bytes = uuid::Uuid::new_v4().into_bytes();
    let chars: String = bytes
        .iter()
        .take(16)
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect();
    format!(
        "{}-{}-{}-{}",
        &chars[0..4],
        &chars[4..8],
        &chars[8..12],
        &chars[12..16]
    )
}
