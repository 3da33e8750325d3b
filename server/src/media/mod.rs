//! Media: photos, audio recordings and consent signatures that students make on their tablets.
//!
//! * [`photo`] is the pure pipeline: untrusted bytes in, clean JPEGs out (no HTTP, no
//!   database, no storage);
//! * [`http`] streams uploads under a byte cap, checks who may add or see a medium
//!   (`app::domain::media`), runs the pipeline on a blocking thread and stores the result by
//!   content hash through `object_store`; downloads answer byte ranges ([`range`]).
//!   See DESIGN.md §7;
//! * [`recording`] takes an interview's audio recording in chunks while it is being made and
//!   joins them when it ends; [`audio`] is the little container knowledge that needs (pure).

pub mod audio;
pub mod http;
pub mod photo;
pub mod range;
pub mod recording;
pub mod signature;
