//! The organisation's structure as administrators maintain it:
//! municipalities and their neighbourhoods, with CBS codes.

use crate::domain::groups::LineProblem;
use crate::domain::ids::{MunicipalityId, NeighbourhoodId, OrganisationId};
use serde::{Deserialize, Serialize};

/// The "Gemeenten en wijken" page of one organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreasView {
    /// Organisations the user administers, by name.
    pub organisations: Vec<OrganisationChoice>,
    /// The organisation shown.
    pub organisation: OrganisationChoice,
    /// Its municipalities, by name.
    pub municipalities: Vec<MunicipalityAdmin>,
    /// A fresh id for the "new municipality" form (a repeated post creates
    /// one municipality).
    pub new_municipality: MunicipalityId,
}

/// An organisation to choose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganisationChoice {
    /// Id.
    pub id: OrganisationId,
    /// Name.
    pub name: String,
}

/// A municipality with its neighbourhoods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MunicipalityAdmin {
    /// Id.
    pub id: MunicipalityId,
    /// Name.
    pub name: String,
    /// CBS code (`GM1883`), if known.
    pub cbs_code: Option<String>,
    /// Neighbourhoods in use first, then archived ones; each by name.
    pub neighbourhoods: Vec<NeighbourhoodAdmin>,
    /// A fresh id for its "new neighbourhood" form.
    pub new_neighbourhood: NeighbourhoodId,
}

/// A neighbourhood as its administrator sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NeighbourhoodAdmin {
    /// Id.
    pub id: NeighbourhoodId,
    /// Name.
    pub name: String,
    /// CBS wijk or buurt code, if known.
    pub cbs_code: Option<String>,
    /// Archived: no new interviews, its stories stay.
    pub archived: bool,
    /// How many stories were written there.
    pub stories: i64,
    /// How many groups interview there.
    pub groups: i64,
}

/// What importing a CBS list did (or, with problems, would have done:
/// then nothing was written).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ImportReport {
    /// Names of the neighbourhoods created.
    pub created: Vec<String>,
    /// Neighbourhoods renamed to their CBS name: (from, to).
    pub renamed: Vec<(String, String)>,
    /// Existing neighbourhoods that got their CBS code.
    pub coded: Vec<String>,
    /// Rows already present with this code and name.
    pub unchanged: usize,
    /// Rows of other municipalities, passed over.
    pub other_municipalities: usize,
    /// Rows of the municipality itself or of the other level, passed over.
    pub other_levels: usize,
    /// Bad lines; when there are any, nothing was imported.
    pub problems: Vec<LineProblem>,
}
