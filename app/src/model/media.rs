//! Photos and recordings: how a page shows them, and the recording
//! upload protocol (start, chunks, finish).

use crate::domain::ids::MediaId;
use crate::domain::time::Timestamp;
use serde::{Deserialize, Serialize};

/// A photo or recording of a story, as the interface shows it. The bytes are
/// served by the access-checked handler at [`crate::routes::media`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MediaView {
    /// Its id.
    pub id: MediaId,
    /// Photo, audio or signature.
    pub kind: crate::domain::media::MediaKind,
    /// Caption (photos).
    pub caption: String,
    /// What the photo shows, for screen readers.
    pub alt_text: String,
    /// Width in pixels (photos).
    pub width: Option<i64>,
    /// Height in pixels (photos).
    pub height: Option<i64>,
    /// Length in milliseconds (audio).
    pub duration_ms: Option<i64>,
    /// Size in bytes.
    pub bytes: i64,
    /// When it was added.
    pub created_at: Timestamp,
}

/// Starting an audio recording (`POST` to [`crate::routes::recording_start`],
/// JSON). The browser may choose the id itself, so a recording can begin
/// while the connection is down and be announced when it returns; starting
/// the same id again is answered as the first time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordingStart {
    /// The recording's id (a fresh UUID from the browser), or none to let
    /// the server choose.
    #[serde(default)]
    pub id: Option<MediaId>,
    /// What `MediaRecorder` produces, e.g. `audio/webm;codecs=opus`.
    pub mime: String,
}

/// The answer to [`RecordingStart`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordingStarted {
    /// The recording's id (chunks go to [`crate::routes::recording_chunk`]).
    pub id: MediaId,
    /// The MIME type it is stored with (`audio/webm`, …).
    pub mime: String,
}

/// The answer to one chunk (`PUT` to [`crate::routes::recording_chunk`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChunkReceipt {
    /// The chunk's number (from 0).
    pub seq: u32,
    /// The server had this chunk already (a repeated upload; nothing stored).
    pub duplicate: bool,
}

/// Finishing a recording (`POST` to [`crate::routes::recording_finish`],
/// JSON): the server joins chunks `0..chunks` into one file. The answer is the
/// ready [`MediaView`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordingFinish {
    /// How many chunks the browser made.
    pub chunks: u32,
    /// How long the recording is (pauses not counted), in milliseconds.
    pub duration_ms: u64,
}
