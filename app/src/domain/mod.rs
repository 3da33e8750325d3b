//! The domain: pure Rust rules of Wijkverhalen.
//!
//! Nothing in here knows about HTTP, databases, Leptos or async: the types and
//! functions compile for the server and for the browser (wasm) alike, and are
//! unit-tested exhaustively. Every other layer asks the domain:
//!
//! * [`lifecycle`] — the story status machine; [`lifecycle::transition`] is the
//!   *only* way any layer changes a story's status.
//! * [`access`] — who may read, edit or act on which record (organisation,
//!   group, role, status).
//! * [`text`] — newtypes that parse user input (titles, pseudonyms, answers,
//!   comments) into values that are valid by construction.
//! * [`consent`] — consent scopes and what each one allows.
//! * [`story_form`] — the interview form's field keys and its rules (age
//!   bands, years, scopes, lengths, the guide's questions).
//! * [`curation`] — booklet order (chapters, stories) and moving items.
//! * [`diff`] — word-level differences between two versions of a text.
//! * [`media`] — photos, audio and signatures, and who may add or see them;
//!   [`recording`] — limits, formats and chunk bookkeeping of audio recordings.
//! * [`notify`] — which events notify whom, and what the notification says.
//! * [`guide`] — the interview guide: question texts, order, archiving;
//!   [`edition`] — an edition's status (the guide changes only while open).
//! * [`cbs`] — CBS area codes (GM/WK/BU) and reading CBS neighbourhood lists.
//! * [`groups`] — study groups: who manages them, pasted member lists.
//! * [`portal`] — who reads published booklets and which stories are web pages.
//! * [`ids`], [`role`], [`time`], [`lang`] — small shared vocabulary.

pub mod access;
pub mod accounts;
pub mod build;
pub mod cbs;
pub mod consent;
pub mod curation;
pub mod diff;
pub mod edition;
pub mod groups;
pub mod guide;
pub mod ids;
pub mod lang;
pub mod lifecycle;
pub mod media;
pub mod notify;
pub mod password;
pub mod portal;
pub mod recording;
pub mod role;
pub mod story_form;
pub mod text;
pub mod time;

pub use lang::{Lang, Message};
