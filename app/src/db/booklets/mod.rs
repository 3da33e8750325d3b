//! Booklets in the database: [`selection`] holds which stories go in, in
//! which order and with which texts, and loads the rows a build composes
//! its document from (the rules of what is printed are
//! [`crate::booklet::compose`]'s); [`builds`] holds the build queue, the
//! stored files and publication.

pub mod builds;
pub mod selection;

pub use builds::*;
pub use selection::*;
