//! Signing in and out, the current user, the interface language.

use crate::domain::Lang;
use crate::error::AppError;
use crate::model::Me;
use leptos::prelude::*;

/// Password hashing (argon2id, PHC strings), off the async threads.
#[cfg(feature = "ssr")]
pub mod password {
    use crate::error::AppError;
    use argon2::password_hash::{
        rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
    };
    use argon2::Argon2;

    /// Hashes a password with a fresh salt.
    pub async fn hash(password: String) -> Result<String, AppError> {
        tokio::task::spawn_blocking(move || {
            let salt = SaltString::generate(&mut OsRng);
            Argon2::default()
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(|e| AppError::internal(format!("hashing failed: {e}")))
        })
        .await
        .map_err(AppError::internal)?
    }

    /// Checks a password against a stored hash. With no hash (unknown user)
    /// it still spends the same time, so timing does not reveal which e-mail
    /// addresses exist.
    pub async fn verify(password: String, stored: Option<String>) -> Result<bool, AppError> {
        tokio::task::spawn_blocking(move || {
            let known = stored.is_some();
            let stored = stored.unwrap_or_else(dummy_hash);
            let parsed = PasswordHash::new(&stored)
                .map_err(|e| AppError::internal(format!("bad stored hash: {e}")))?;
            let matches = Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok();
            // An unknown (or disabled) account never signs in, whatever was typed.
            Ok(known && matches)
        })
        .await
        .map_err(AppError::internal)?
    }

    /// A start password for an account someone else hands on: twelve
    /// letters and digits that cannot be confused (no 0/o, 1/l/i), in groups
    /// of four, e.g. `k7mp-3xqa-9hfd`.
    pub fn start_password() -> String {
        use argon2::password_hash::rand_core::{OsRng, RngCore};
        const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
        let mut out = String::with_capacity(14);
        for i in 0..12 {
            if i > 0 && i % 4 == 0 {
                out.push('-');
            }
            // Rejection sampling keeps every character equally likely.
            let limit = u32::MAX - u32::MAX % ALPHABET.len() as u32;
            let n = loop {
                let n = OsRng.next_u32();
                if n < limit {
                    break n;
                }
            };
            out.push(ALPHABET[(n % ALPHABET.len() as u32) as usize] as char);
        }
        out
    }

    fn dummy_hash() -> String {
        static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        DUMMY
            .get_or_init(|| {
                let salt = SaltString::generate(&mut OsRng);
                Argon2::default()
                    .hash_password(b"not a real password", &salt)
                    .map(|h| h.to_string())
                    .unwrap_or_default()
            })
            .clone()
    }
}

/// The signed-in user, or `None`.
#[server(endpoint = "me")]
pub async fn current_user() -> Result<Option<Me>, AppError> {
    use super::server::*;
    respond(async {
        let Some((a, state)) = account().await? else {
            return Ok(None);
        };
        let mut conn = db()?.pool.acquire().await?;
        let unread = crate::db::notifications::unread(&mut conn, a.user).await?;
        Ok(Some(Me {
            id: a.user,
            name: a.name.clone(),
            roles: a.roles(),
            unread,
            must_change_password: state.must_change_password,
        }))
    })
    .await
}

/// Signs in with e-mail address and password, then goes to `next` (a local
/// path) or the start page.
#[server(endpoint = "login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use super::server::*;
    use crate::domain::Message;
    respond(async move {
        let db = db()?;
        let creds = crate::db::users::credentials(&db, &email).await?;
        let stored = creds.as_ref().filter(|c| !c.disabled).map(|c| c.password_hash.clone());
        let ok = password::verify(password, stored).await?;
        let Some(creds) = creds.filter(|_| ok) else {
            return Err(AppError::invalid(Message::new(
                "Dit e-mailadres en wachtwoord horen niet bij elkaar. Controleer ze en probeer het opnieuw.",
                "This e-mail address and password do not match. Check them and try again.",
            )));
        };
        let session = session().await?;
        // A new session id on every sign-in (no session fixation).
        session
            .cycle_id()
            .await
            .map_err(|e| AppError::internal(format!("session: {e}")))?;
        session
            .insert(SESSION_USER, creds.user)
            .await
            .map_err(|e| AppError::internal(format!("session: {e}")))?;
        let state = crate::db::users::session_state(&db, creds.user)
            .await?
            .ok_or_else(AppError::not_found)?;
        session
            .insert(SESSION_EPOCH, state.epoch)
            .await
            .map_err(|e| AppError::internal(format!("session: {e}")))?;
        // The language the user chose follows them to this device.
        if let Some(lang) = state.language.as_deref().and_then(Lang::parse) {
            language_cookie(lang)?;
        }
        crate::db::audit(&db.pool, None, Some(creds.user), "login", "user", &creds.user.to_string(), serde_json::json!({}))
            .await?;
        let target = next
            .filter(|n| crate::routes::is_local_path(n))
            .unwrap_or_else(|| "/".to_string());
        leptos_axum::redirect(&target);
        Ok(())
    })
    .await
}

/// Signs out.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use super::server::*;
    respond(async {
        session()
            .await?
            .flush()
            .await
            .map_err(|e| AppError::internal(format!("session: {e}")))?;
        leptos_axum::redirect(crate::routes::LOGIN);
        Ok(())
    })
    .await
}

/// Chooses the interface language (a cookie), then returns to the page.
#[server(endpoint = "language")]
pub async fn set_language(lang: Lang) -> Result<(), AppError> {
    use super::server::*;
    respond(async move {
        language_cookie(lang)?;
        // Signed in: the choice is the account's, on every device.
        if let Some((a, _)) = account().await? {
            crate::db::users::set_language(&db()?, a.user, Some(lang.tag())).await?;
        }
        Ok(())
    })
    .await
}

/// Sets the interface-language cookie on the response.
#[cfg(feature = "ssr")]
fn language_cookie(lang: Lang) -> Result<(), AppError> {
    let ro = expect_context::<leptos_axum::ResponseOptions>();
    let cookie = format!(
        "{}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        crate::i18n::LANG_COOKIE,
        lang.tag()
    );
    let value = axum::http::HeaderValue::from_str(&cookie).map_err(AppError::internal)?;
    ro.append_header(axum::http::header::SET_COOKIE, value);
    Ok(())
}

/// Replaces the caller's password: `current` must be right (also for a
/// start password), `new` must be a password of their own (see
/// [`crate::domain::password::NewPassword`]) typed twice alike. Every other
/// session of the account ends; this one carries on.
#[server(endpoint = "password_change")]
pub async fn change_password(current: String, new: String, repeat: String) -> Result<(), AppError> {
    use super::server::*;
    use crate::domain::password::NewPassword;
    respond(async move {
        let db = db()?;
        let (actor, _) = account().await?.ok_or(AppError::NotAuthenticated)?;
        let new =
            NewPassword::parse(&new, &repeat, &current, &actor.name).map_err(AppError::invalid)?;
        let stored = crate::db::users::password_hash(&db, actor.user).await?;
        if !password::verify(current, stored).await? {
            return Err(AppError::invalid(crate::domain::Message::new(
                "Uw huidige wachtwoord klopt niet. Er is niets gewijzigd.",
                "Your current password is not right. Nothing was changed.",
            )));
        }
        let hash = password::hash(new.into_inner()).await?;
        let mut tx = db.begin().await?;
        let epoch = crate::db::users::change_password(&mut *tx, actor.user, &hash).await?;
        crate::db::audit(
            &mut *tx,
            None,
            Some(actor.user),
            "password.change",
            "user",
            &actor.user.to_string(),
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        let session = session().await?;
        session
            .cycle_id()
            .await
            .map_err(|e| AppError::internal(format!("session: {e}")))?;
        session
            .insert(SESSION_EPOCH, epoch)
            .await
            .map_err(|e| AppError::internal(format!("session: {e}")))?;
        Ok(())
    })
    .await
}
