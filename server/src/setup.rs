//! First run: the first administrator and their organisation.
//!
//! A fresh installation (no `--demo`) has no account at all. The command
//! `wijkverhalen admin create --email … --org "…"` makes the first
//! administrator with a start password (printed, or read from stdin) and
//! the organisation they administer. It works only while no administrator
//! exists: after that, accounts are managed by administrators in the
//! application, and the command refuses.

use app::db::{audit, org, users, Db};
use app::domain::ids::{OrganisationId, UserId};
use app::domain::role::Role;
use app::domain::text::slug;

/// Shortest start password accepted from stdin (as for every password).
pub use app::domain::password::MIN_PASSWORD_CHARS;

/// What [`create_first_admin`] made.
#[derive(Debug, Clone)]
pub struct FirstAdmin {
    /// The new organisation.
    pub organisation: OrganisationId,
    /// The administrator's account.
    pub user: UserId,
}

/// The first administrator's details, as given on the command line.
#[derive(Debug, Clone)]
pub struct AdminRequest {
    /// Sign-in address.
    pub email: String,
    /// The organisation's name (a werkplaats, e.g. "Werkplaats Sociaal Domein Zuyd").
    pub organisation: String,
    /// The name shown in the application; the e-mail address when `None`.
    pub display_name: Option<String>,
    /// The start password.
    pub password: String,
}

/// Why the first administrator was not made (in Dutch, for the person at
/// the terminal).
pub fn check(request: &AdminRequest) -> Result<(), String> {
    let email = request.email.trim();
    let valid_email = email
        .split_once('@')
        .is_some_and(|(user, host)| !user.is_empty() && host.contains('.') && !host.ends_with('.'))
        && !email.contains(char::is_whitespace);
    if !valid_email {
        return Err(format!("‘{email}’ is geen geldig e-mailadres."));
    }
    let name = request.organisation.trim();
    if name.is_empty() || slug(name).is_empty() {
        return Err("Geef de naam van de organisatie (--org \"…\").".into());
    }
    if request.password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(format!(
            "Het startwachtwoord is te kort: minstens {MIN_PASSWORD_CHARS} tekens."
        ));
    }
    Ok(())
}

/// Makes the organisation and its first administrator, in one transaction;
/// refused when any administrator exists already.
pub async fn create_first_admin(db: &Db, request: &AdminRequest) -> Result<FirstAdmin, String> {
    check(request)?;
    let internal = |e: app::error::AppError| format!("database: {e:?}");
    let (admins,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM role_membership WHERE role = $1")
        .bind(Role::Admin.as_str())
        .fetch_one(&db.pool)
        .await
        .map_err(|e| format!("database: {e}"))?;
    if admins > 0 {
        return Err(
            "Er is al een beheerder. Nieuwe accounts maakt een beheerder in de applicatie.".into(),
        );
    }
    let email = request.email.trim().to_lowercase();
    if users::credentials(db, &email)
        .await
        .map_err(internal)?
        .is_some()
    {
        return Err(format!("Er bestaat al een account met {email}."));
    }
    let name = request.organisation.trim();
    let hash = app::api::auth::password::hash(request.password.clone())
        .await
        .map_err(internal)?;
    let display = request
        .display_name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .unwrap_or(&email)
        .to_string();
    let mut tx = db.begin().await.map_err(internal)?;
    let organisation = org::create_organisation(&mut *tx, &slug(name), name)
        .await
        .map_err(internal)?;
    let user = users::create(&mut *tx, &email, &display, &hash)
        .await
        .map_err(internal)?;
    users::grant_role(&mut *tx, user, organisation, Role::Admin, None)
        .await
        .map_err(internal)?;
    // Printed or piped in, a start password is seen by whoever ran the
    // command: the administrator chooses their own at the first sign-in.
    users::require_password_change(&mut *tx, user)
        .await
        .map_err(internal)?;
    audit(
        &mut *tx,
        Some(organisation),
        Some(user),
        "admin.first",
        "user",
        &user.to_string(),
        serde_json::json!({ "via": "command line" }),
    )
    .await
    .map_err(internal)?;
    tx.commit().await.map_err(|e| format!("database: {e}"))?;
    Ok(FirstAdmin { organisation, user })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(email: &str, org: &str, password: &str) -> AdminRequest {
        AdminRequest {
            email: email.into(),
            organisation: org.into(),
            display_name: None,
            password: password.into(),
        }
    }

    #[test]
    fn only_sensible_first_admins_pass() {
        let ok = "een-lang-wachtwoord";
        assert!(check(&request("coordinator@zuyd.nl", "Werkplaats Zuyd", ok)).is_ok());
        for bad_email in [
            "",
            "zuyd.nl",
            "@zuyd.nl",
            "a@zuyd",
            "a b@zuyd.nl",
            "a@zuyd.",
        ] {
            let e = check(&request(bad_email, "Werkplaats Zuyd", ok)).unwrap_err();
            assert!(e.contains("e-mailadres"), "{bad_email}: {e}");
        }
        assert!(check(&request("a@zuyd.nl", "  ", ok))
            .unwrap_err()
            .contains("organisatie"));
        assert!(check(&request("a@zuyd.nl", "Zuyd", "kort"))
            .unwrap_err()
            .contains("te kort"));
    }
}
