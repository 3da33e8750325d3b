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

    /// A fresh secret for a reset link (32 random bytes, as hex) and the
    /// hash that is stored instead of it.
    pub fn reset_secret() -> (String, String) {
        use argon2::password_hash::rand_core::{OsRng, RngCore};
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        let secret: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let hash = secret_hash(&secret);
        (secret, hash)
    }

    /// The stored form of a reset link's secret (SHA-256, hex).
    pub fn secret_hash(secret: &str) -> String {
        use sha2::{Digest, Sha256};
        Sha256::digest(secret.trim().as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
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

/// How long a password-reset link works.
#[cfg(feature = "ssr")]
pub const RESET_LINK_MINUTES: i64 = 60;

/// Sends a link to choose a new password to `email`, if an active account
/// has that address. The answer is the same either way, and comes at once
/// (the mail leaves in the background), so nobody learns from it which
/// addresses have an account.
#[server(endpoint = "password_forgotten")]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    use super::server::*;
    respond(async move {
        let email = email.trim().to_lowercase();
        if !email.contains('@') || email.len() > 254 {
            return Err(AppError::invalid(crate::domain::Message::new(
                "Vul het e-mailadres in waarmee u inlogt.",
                "Enter the e-mail address you sign in with.",
            )));
        }
        let state = state()?;
        let db = state.db.clone();
        let Some(creds) = crate::db::users::credentials(&db, &email).await?.filter(|c| !c.disabled) else {
            return Ok(());
        };
        let (secret, hash) = password::reset_secret();
        let expires = crate::domain::time::Timestamp(
            chrono::Utc::now() + chrono::Duration::minutes(RESET_LINK_MINUTES),
        );
        let mut tx = db.begin().await?;
        crate::db::password_reset::insert(&mut tx, &hash, creds.user, &expires.to_db()).await?;
        crate::db::audit(&mut *tx, None, Some(creds.user), "password.reset_link", "user", &creds.user.to_string(), serde_json::json!({}))
            .await?;
        tx.commit().await?;
        let link = format!(
            "{}{}?sleutel={secret}",
            state.public_url.trim_end_matches('/'),
            crate::routes::PASSWORD_RESET
        );
        state.mail.send(crate::state::OutgoingMail {
            to: email,
            subject: "Wijkverhalen: een nieuw wachtwoord kiezen / choose a new password".into(),
            body: format!(
                "Iemand (hopelijk u) vroeg om een nieuw wachtwoord voor Wijkverhalen.\n\
                 Kies het via deze link; hij werkt {RESET_LINK_MINUTES} minuten en één keer:\n\n{link}\n\n\
                 Niet gevraagd? Dan hoeft u niets te doen; uw wachtwoord blijft zoals het is.\n\n---\n\
                 Someone (hopefully you) asked for a new Wijkverhalen password.\n\
                 Choose it with the link above; it works for {RESET_LINK_MINUTES} minutes, once.\n\
                 Did not ask? Then do nothing; your password stays as it is.\n"
            ),
        });
        Ok(())
    })
    .await
}

/// Whether the reset link with secret `token` can still be used (the page
/// says so before the user types a new password).
#[server(endpoint = "password_reset_check")]
pub async fn reset_link_usable(token: String) -> Result<bool, AppError> {
    use super::server::*;
    respond(async move {
        let mut conn = db()?.pool.acquire().await?;
        let now = crate::domain::time::Timestamp::now().to_db();
        crate::db::password_reset::usable(&mut conn, &password::secret_hash(&token), &now).await
    })
    .await
}

/// Sets a new password with the reset link's secret `token` (once, before
/// it expires); every session of the account ends and its other links stop
/// working. The user then signs in with the new password.
#[server(endpoint = "password_reset")]
pub async fn reset_password(token: String, new: String, repeat: String) -> Result<(), AppError> {
    use super::server::*;
    use crate::domain::password::NewPassword;
    respond(async move {
        let db = db()?;
        let expired = || {
            AppError::invalid(crate::domain::Message::new(
                "Deze link is verlopen of al gebruikt. Vraag hieronder een nieuwe aan.",
                "This link has expired or was used already. Ask for a new one below.",
            ))
        };
        let new = NewPassword::parse(&new, &repeat, "", "").map_err(AppError::invalid)?;
        let hash = password::hash(new.into_inner()).await?;
        let mut tx = db.begin().await?;
        let now = crate::domain::time::Timestamp::now().to_db();
        let user = crate::db::password_reset::take(&mut tx, &password::secret_hash(&token), &now)
            .await?
            .ok_or_else(expired)?;
        if crate::db::users::session_state(&db, user).await?.is_none() {
            return Err(expired());
        }
        crate::db::users::change_password(&mut *tx, user, &hash).await?;
        crate::db::password_reset::retire_all(&mut tx, user).await?;
        crate::db::audit(
            &mut *tx,
            None,
            Some(user),
            "password.reset",
            "user",
            &user.to_string(),
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}
