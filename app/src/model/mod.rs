//! Data the server sends to the pages (and the pages send back): plain
//! serialisable structs shared by the server and the browser build, one
//! module per area. Everything is re-exported here, so `crate::model::X`
//! names every type.

mod account;
mod accounts;
mod areas;
mod booklets;
mod curation;
mod editions;
mod groups;
mod guide;
mod media;
mod portal;
mod stories;

pub use account::*;
pub use accounts::*;
pub use areas::*;
pub use booklets::*;
pub use curation::*;
pub use editions::*;
pub use groups::*;
pub use guide::*;
pub use media::*;
pub use portal::*;
pub use stories::*;
