//! Server functions: the public HTTP API of the interface.
//!
//! Every function here is reachable by anyone with an HTTP client, so every
//! one follows the same shape:
//!
//! 1. find out who is calling ([`server::actor`]: a signed-in user with at
//!    least one role, or an error);
//! 2. load the record's scope and ask [`crate::domain::access`] whether this
//!    actor may do this to it;
//! 3. let [`crate::domain`] decide the change (e.g. the lifecycle
//!    transition), then store it through [`crate::db`] in one transaction,
//!    with an audit event.
//!
//! Errors are [`AppError`]s with a Dutch (and English) message and the right
//! HTTP status.

pub mod accounts;
pub mod areas;
pub mod auth;
pub mod booklets;
pub mod codebook;
pub mod curation;
pub mod dashboard;
pub mod editions;
pub mod groups;
pub mod guide;
pub mod history;
pub mod media;
pub mod notifications;
pub mod portal;
pub mod stories;
pub mod withdrawal;

pub use crate::error::AppError;

/// Server-side helpers shared by the server functions.
#[cfg(feature = "ssr")]
pub mod server {
    use crate::db::stories::StoryRecord;
    use crate::db::Db;
    use crate::domain::access::{self, Actor};
    use crate::domain::ids::{StoryId, UserId};
    use crate::domain::lifecycle::{transition, StoryAction, StoryStatus};
    use crate::error::AppError;
    use crate::state::ServerState;
    use leptos::prelude::*;
    use std::future::Future;

    /// Session key holding the signed-in user's id.
    pub const SESSION_USER: &str = "user_id";

    /// A refusal for a text over its limit; the form keeps the text.
    pub fn too_long(nl: &str, en: &str, max: usize) -> AppError {
        AppError::invalid(crate::domain::Message::new(
            format!(
                "{nl} is te lang: hoogstens {max} tekens. Uw tekst staat er nog; maak hem korter."
            ),
            format!(
                "{en} is too long: at most {max} characters. Your text is still there; shorten it."
            ),
        ))
    }

    /// The shared server state.
    pub fn state() -> Result<ServerState, AppError> {
        use_context::<ServerState>()
            .ok_or_else(|| AppError::internal("ServerState missing from context"))
    }

    /// The database.
    pub fn db() -> Result<Db, AppError> {
        Ok(state()?.db)
    }

    /// The request's session.
    pub async fn session() -> Result<tower_sessions::Session, AppError> {
        leptos_axum::extract::<tower_sessions::Session>()
            .await
            .map_err(|e| AppError::internal(format!("session unavailable: {e}")))
    }

    /// Session key holding the account's session epoch at sign-in (see
    /// [`crate::db::users::SessionState`]).
    pub const SESSION_EPOCH: &str = "session_epoch";

    /// The signed-in account of `session`: the actor and the account's
    /// state. `None` when nobody is signed in, the account is deactivated, or
    /// the session belongs to an earlier epoch (the password was changed or
    /// the sessions were ended elsewhere) — such a session is emptied.
    pub async fn account_of(
        db: &Db,
        session: &tower_sessions::Session,
    ) -> Result<Option<(Actor, crate::db::users::SessionState)>, AppError> {
        let read =
            |e: tower_sessions::session::Error| AppError::internal(format!("session read: {e}"));
        let Some(user) = session.get::<UserId>(SESSION_USER).await.map_err(read)? else {
            return Ok(None);
        };
        let epoch = session
            .get::<i64>(SESSION_EPOCH)
            .await
            .map_err(read)?
            .unwrap_or(0);
        let state = crate::db::users::session_state(db, user).await?;
        let Some(state) = state.filter(|s| s.epoch == epoch) else {
            session
                .flush()
                .await
                .map_err(|e| AppError::internal(format!("session: {e}")))?;
            return Ok(None);
        };
        Ok(crate::db::users::actor(db, user).await?.map(|a| (a, state)))
    }

    /// The actor of `session` for anything but choosing a password: 401
    /// when not signed in; 403 while the account still has its start
    /// password, or has no role yet (a user without a role sees nothing).
    pub async fn actor_of(db: &Db, session: &tower_sessions::Session) -> Result<Actor, AppError> {
        let (actor, state) = account_of(db, session)
            .await?
            .ok_or(AppError::NotAuthenticated)?;
        if state.must_change_password {
            return Err(AppError::Forbidden(crate::domain::Message::new(
                "Kies eerst een eigen wachtwoord: u bent ingelogd met een startwachtwoord.",
                "Choose your own password first: you signed in with a start password.",
            )));
        }
        if !actor.has_any_role() {
            return Err(AppError::Forbidden(crate::domain::Message::new(
                "Uw account heeft nog geen rol. Vraag de coördinator van de werkplaats om toegang.",
                "Your account has no role yet. Ask the werkplaats coordinator for access.",
            )));
        }
        Ok(actor)
    }

    /// The signed-in account of this request (see [`account_of`]).
    pub async fn account() -> Result<Option<(Actor, crate::db::users::SessionState)>, AppError> {
        account_of(&db()?, &session().await?).await
    }

    /// The signed-in user with their roles, if signed in with their own
    /// password (roles may be empty).
    pub async fn signed_in() -> Result<Option<Actor>, AppError> {
        Ok(account()
            .await?
            .filter(|(_, s)| !s.must_change_password)
            .map(|(a, _)| a))
    }

    /// The calling user (see [`actor_of`]).
    pub async fn actor() -> Result<Actor, AppError> {
        actor_of(&db()?, &session().await?).await
    }

    /// The organisations a management page can show (`managed`, by name)
    /// and the one it shows: `requested` if the caller may `manage` it,
    /// else the first. With none to show, `nothing` (the page's own
    /// refusal).
    pub async fn choose_organisation(
        db: &Db,
        managed: Vec<crate::domain::ids::OrganisationId>,
        requested: Option<crate::domain::ids::OrganisationId>,
        manage: impl Fn(crate::domain::ids::OrganisationId) -> Result<(), AppError>,
        nothing: AppError,
    ) -> Result<
        (
            Vec<crate::model::OrganisationChoice>,
            crate::model::OrganisationChoice,
        ),
        AppError,
    > {
        let mut ids = managed;
        ids.sort();
        ids.dedup();
        let mut orgs = Vec::with_capacity(ids.len());
        for id in ids {
            orgs.push(crate::model::OrganisationChoice {
                id,
                name: crate::db::org::organisation_name(db, id).await?,
            });
        }
        orgs.sort_by(|a, b| a.name.cmp(&b.name));
        let chosen = match requested {
            Some(o) => {
                manage(o)?;
                orgs.iter().find(|c| c.id == o).cloned()
            }
            None => orgs.first().cloned(),
        }
        .ok_or(nothing)?;
        Ok((orgs, chosen))
    }

    /// Runs a server function body and, if it fails, sets the HTTP status of
    /// the error on the response — except for a plain HTML form post
    /// (JavaScript off), which must stay a redirect back to the form.
    pub async fn respond<T>(
        body: impl Future<Output = Result<T, AppError>>,
    ) -> Result<T, AppError> {
        let result = body.await;
        if let Err(e) = &result {
            set_error_status(e);
        }
        result
    }

    fn set_error_status(e: &AppError) {
        use axum::http::{header::ACCEPT, request::Parts, Method, StatusCode};
        let Some(parts) = use_context::<Parts>() else {
            return;
        };
        let html = parts
            .headers
            .get(ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"));
        if html && parts.method == Method::POST {
            return;
        }
        if let (Some(ro), Ok(code)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            StatusCode::from_u16(e.status()),
        ) {
            // A page that redirects (to the sign-in page, or to choose a
            // password) stays a redirect, whichever of its resources failed
            // first.
            let redirecting =
                ro.0.read()
                    .map(|parts| parts.headers.contains_key(axum::http::header::LOCATION))
                    .unwrap_or(false);
            if !redirecting {
                ro.set_status(code);
            }
        }
    }

    /// Applies a lifecycle action to a story inside the caller's transaction:
    /// finds the role the actor acts in ([`access::action_role`]), lets
    /// [`transition`] decide the new status, stores it if the story is still
    /// at `expected_version`, and writes the audit event. Returns the new
    /// status and version. Every status change goes through here.
    pub async fn apply_action(
        conn: &mut sqlx::AnyConnection,
        actor: &Actor,
        story: StoryId,
        rec: &StoryRecord,
        action: StoryAction,
        expected_version: i64,
    ) -> Result<(StoryStatus, i64), AppError> {
        let role = access::action_role(actor, &rec.scope, action)?;
        rec.edition_status
            .permits(action)
            .map_err(AppError::invalid)?;
        // A decision made on an outdated page is reported as such (someone
        // changed the story meanwhile) before asking whether it is allowed.
        if expected_version != rec.version {
            return Err(AppError::stale(rec.version));
        }
        let to = transition(rec.scope.status, action, role)?;
        let version =
            crate::db::stories::set_status(conn, story, expected_version, to, actor.user).await?;
        if let Some((kind, audience)) = crate::domain::notify::for_action(action) {
            crate::db::notifications::notify(conn, story, kind, audience, actor.user).await?;
        }
        crate::db::audit(
            &mut *conn,
            Some(rec.scope.organisation),
            Some(actor.user),
            &format!("story.{}", action.as_str()),
            "story",
            &story.to_string(),
            serde_json::json!({ "from": rec.scope.status.as_str(), "to": to.as_str(), "version": version }),
        )
        .await?;
        Ok((to, version))
    }

    /// A story the actor may read (404 for anything else, existing or not).
    pub async fn readable_story(
        conn: &mut sqlx::AnyConnection,
        actor: &Actor,
        story: StoryId,
    ) -> Result<StoryRecord, AppError> {
        let rec = crate::db::stories::record(conn, story)
            .await?
            .ok_or_else(AppError::not_found)?;
        access::read_role(actor, &rec.scope)?;
        Ok(rec)
    }

    /// Whether the request comes from a plain HTML form (JavaScript off).
    pub fn is_form_post() -> bool {
        use axum::http::{header::ACCEPT, request::Parts};
        use_context::<Parts>().is_some_and(|p| {
            p.headers
                .get(ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("text/html"))
        })
    }
}
