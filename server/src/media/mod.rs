//! Media: photos (and later audio and signatures) that students upload from their tablets.
//!
//! Everything in here is pure processing of bytes that have already been received: no HTTP,
//! no database, no storage. The caller streams the upload under a byte cap, hands the bytes
//! to the matching pipeline, and stores what comes back (by content hash) through
//! `object_store`. See DESIGN.md §7.

pub mod photo;

/// Generated test images (JPEG with EXIF orientation and GPS, PNG bomb headers, photo-like
/// JPEGs) for unit tests, integration tests and the benchmark. Not for application code.
#[doc(hidden)]
pub mod testdata;
