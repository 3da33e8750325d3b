//! Browser glue: the code that talks to the browser's own APIs
//! (`MediaRecorder`, `IndexedDB`, `localStorage`, `fetch`, online/offline
//! events) on behalf of the pages. The rules it follows are pure and live
//! elsewhere ([`crate::autosave`], [`crate::recorder`], [`crate::domain`]);
//! here is only what needs a browser. On the server (SSR) every method is
//! a no-op, so the pages can hold these types in both builds.

pub mod audio;
pub mod autosave;
