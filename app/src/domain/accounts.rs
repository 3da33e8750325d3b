//! The rules for managing accounts: nobody locks the werkplaats out of its
//! own administration, and nobody deactivates themselves.

use super::ids::UserId;
use super::role::Role;
use super::Message;

/// What an administrator does to an account of their organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountChange {
    /// Give a role.
    Grant(Role),
    /// Take a role away.
    Revoke(Role),
    /// Deactivate the account (every session ends).
    Deactivate,
    /// Activate it again.
    Reactivate,
    /// Give it a new start password.
    ResetPassword,
}

/// Whether `actor` may make `change` to `target`'s account, given whether
/// the target is an active administrator of the organisation and how many
/// active administrators it has (`admins`).
pub fn check_change(
    actor: UserId,
    target: UserId,
    change: AccountChange,
    target_is_admin: bool,
    admins: i64,
) -> Result<(), Message> {
    let last_admin = target_is_admin && admins <= 1;
    match change {
        AccountChange::Revoke(Role::Admin) | AccountChange::Deactivate if last_admin => {
            Err(Message::new(
                "Dit is de laatste beheerder van de werkplaats. Maak eerst iemand anders beheerder.",
                "This is the werkplaats's last administrator. Make someone else administrator first.",
            ))
        }
        AccountChange::Deactivate | AccountChange::ResetPassword if actor == target => {
            Err(Message::new(
                "Dit is uw eigen account. Uw wachtwoord wijzigt u onder ‘Mijn account’.",
                "This is your own account. You change your password under ‘My account’.",
            ))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_admin_stays() {
        let (me, other) = (UserId::new(), UserId::new());
        let e = check_change(me, other, AccountChange::Revoke(Role::Admin), true, 1).unwrap_err();
        assert!(e.nl.contains("laatste beheerder"));
        assert!(check_change(me, me, AccountChange::Revoke(Role::Admin), true, 1).is_err());
        assert!(check_change(me, other, AccountChange::Deactivate, true, 1).is_err());
        assert!(check_change(me, other, AccountChange::Revoke(Role::Admin), true, 2).is_ok());
        assert!(check_change(me, other, AccountChange::Revoke(Role::Researcher), true, 1).is_ok());
        assert!(check_change(me, other, AccountChange::Deactivate, false, 1).is_ok());
    }

    #[test]
    fn not_oneself() {
        let me = UserId::new();
        assert!(check_change(me, me, AccountChange::Deactivate, false, 3)
            .unwrap_err()
            .nl
            .contains("eigen account"));
        assert!(check_change(me, me, AccountChange::ResetPassword, true, 3).is_err());
        assert!(check_change(me, me, AccountChange::Grant(Role::Researcher), true, 3).is_ok());
        assert!(check_change(me, me, AccountChange::Revoke(Role::Admin), true, 2).is_ok());
    }
}
