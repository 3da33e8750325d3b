//! Accounts as an organisation's administrators see them: the
//! "Gebruikers" page.

use super::OrganisationChoice;
use crate::domain::ids::{MunicipalityId, UserId};
use crate::domain::role::Role;
use serde::{Deserialize, Serialize};

/// The "Gebruikers" page of one organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountsView {
    /// Organisations the user administers, by name.
    pub organisations: Vec<OrganisationChoice>,
    /// The organisation shown.
    pub organisation: OrganisationChoice,
    /// Its accounts that match the search, by name.
    pub accounts: Vec<AccountAdmin>,
    /// Its municipalities (for the municipality role), by name.
    pub municipalities: Vec<(MunicipalityId, String)>,
    /// The signed-in administrator (who cannot deactivate themselves).
    pub me: UserId,
}

/// One account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountAdmin {
    /// Id.
    pub id: UserId,
    /// Display name.
    pub name: String,
    /// E-mail address (the sign-in name).
    pub email: String,
    /// Not deactivated.
    pub active: bool,
    /// Still has a start password (to be replaced at the next sign-in).
    pub start_password: bool,
    /// Roles in this organisation.
    pub roles: Vec<RoleGrant>,
    /// Groups in this organisation's editions, e.g. "Groep Sittard (2026, student)".
    pub groups: Vec<String>,
}

/// A role held in the organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleGrant {
    /// The role.
    pub role: Role,
    /// For municipality staff: the municipality.
    pub municipality: Option<MunicipalityId>,
    /// Its name.
    pub municipality_name: Option<String>,
}
