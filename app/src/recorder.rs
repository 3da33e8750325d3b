//! The browser's upload queue for interview recordings: the part that needs
//! no browser (see [`crate::domain::recording`] for the idea, and
//! `client::audio` for the glue to `MediaRecorder`, `fetch` and
//! IndexedDB).
//!
//! A recording's work for the server is a queue of [`Job`]s, done strictly
//! in order, one at a time: announce the recording, send chunk 0, 1, 2…,
//! finish. A job leaves the queue only when the server confirmed it; a
//! failure leaves it at the front to be tried again (the chunks wait on the
//! tablet meanwhile), so a dropped connection delays the recording but never
//! reorders or loses it. Everything here is pure and unit-tested; the chunk
//! payload is generic (a `Blob` in the browser, bytes in the tests).

use crate::domain::ids::{MediaId, StoryId, UserId};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, VecDeque};

/// What the tablet keeps of a recording that is not finished on the server,
/// so it can be finished after a reload (the chunks are kept beside it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptRecording {
    /// The recording.
    pub media: MediaId,
    /// Its story.
    pub story: StoryId,
    /// Who recorded it (a shared tablet resumes only its own user's).
    pub user: UserId,
    /// Its type, as announced to the server.
    pub mime: String,
    /// How many chunks, from 0 without gaps, are safe (kept or sent).
    pub chunks: u32,
    /// Its length up to the last chunk, in milliseconds.
    pub duration_ms: u64,
}

/// One piece of work for the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job<B> {
    /// Announce the recording (idempotent on the server).
    Start,
    /// Send chunk `seq`.
    Chunk {
        /// Its number, from 0.
        seq: u32,
        /// Its bytes.
        data: B,
    },
    /// Join the chunks into the finished recording.
    Finish {
        /// How many chunks there are.
        chunks: u32,
        /// Length without pauses, in milliseconds.
        duration_ms: u64,
    },
}

/// The jobs of one recording, in order.
#[derive(Debug, Clone)]
pub struct UploadQueue<B> {
    jobs: VecDeque<Job<B>>,
    next_seq: u32,
    finishing: bool,
}

impl<B> Default for UploadQueue<B> {
    fn default() -> Self {
        Self::new()
    }
}

impl<B> UploadQueue<B> {
    /// A new recording: its first job is announcing it.
    pub fn new() -> Self {
        UploadQueue {
            jobs: VecDeque::from([Job::Start]),
            next_seq: 0,
            finishing: false,
        }
    }

    /// A recording interrupted earlier (a reload): announce it again (harmless
    /// if the server knew it), send the `unsent` chunks it kept, and finish
    /// with `chunks` chunks. Kept chunks at or beyond `chunks` are dropped.
    pub fn resumed(chunks: u32, duration_ms: u64, mut unsent: Vec<(u32, B)>) -> Self {
        unsent.sort_by_key(|(seq, _)| *seq);
        unsent.dedup_by_key(|(seq, _)| *seq);
        let mut jobs = VecDeque::from([Job::Start]);
        jobs.extend(
            unsent
                .into_iter()
                .filter(|(seq, _)| *seq < chunks)
                .map(|(seq, data)| Job::Chunk { seq, data }),
        );
        jobs.push_back(Job::Finish {
            chunks,
            duration_ms,
        });
        UploadQueue {
            jobs,
            next_seq: chunks,
            finishing: true,
        }
    }

    /// Queues the recorder's next chunk; returns its number, or `None` once
    /// the recording is finishing (nothing may follow the finish).
    pub fn push_chunk(&mut self, data: B) -> Option<u32> {
        if self.finishing {
            return None;
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        self.jobs.push_back(Job::Chunk { seq, data });
        Some(seq)
    }

    /// The recording stopped: finish it once every chunk so far is sent.
    pub fn finish(&mut self, duration_ms: u64) {
        if !self.finishing {
            self.finishing = true;
            self.jobs.push_back(Job::Finish {
                chunks: self.next_seq,
                duration_ms,
            });
        }
    }

    /// The job to do now.
    pub fn front(&self) -> Option<&Job<B>> {
        self.jobs.front()
    }

    /// The server confirmed the front job.
    pub fn confirm_front(&mut self) -> Option<Job<B>> {
        self.jobs.pop_front()
    }

    /// Chunks not yet confirmed by the server.
    pub fn unsent_chunks(&self) -> usize {
        self.jobs
            .iter()
            .filter(|j| matches!(j, Job::Chunk { .. }))
            .count()
    }

    /// Chunks the recorder made so far.
    pub fn chunks_made(&self) -> u32 {
        self.next_seq
    }

    /// Whether the stop was queued.
    pub fn is_finishing(&self) -> bool {
        self.finishing
    }

    /// Whether everything, the finish included, is confirmed.
    pub fn is_done(&self) -> bool {
        self.jobs.is_empty()
    }
}

/// How long to wait before trying again after `failures` failures in a row:
/// 2 s, 4 s, 8 s … at most 30 s (the connection coming back retries at once).
pub fn retry_delay_ms(failures: u32) -> u32 {
    2_000u32
        .saturating_mul(1 << failures.saturating_sub(1).min(4))
        .min(30_000)
}

/// The first of `preferred` the browser can record, for `MediaRecorder`'s
/// `mimeType` (`None`: let the browser choose).
pub fn choose_mime(supported: impl Fn(&str) -> bool) -> Option<&'static str> {
    const PREFERRED: [&str; 5] = [
        "audio/webm;codecs=opus",
        "audio/webm",
        "audio/ogg;codecs=opus",
        "audio/mp4",
        "audio/mp4;codecs=mp4a.40.2",
    ];
    PREFERRED.into_iter().find(|t| supported(t))
}

/// Which chunks are safe from a crash of the page — kept on the device or
/// confirmed by the server — as a count from 0 without gaps. A recording
/// interrupted by a reload is finished with that many chunks: everything up
/// to there can still reach the server.
#[derive(Debug, Clone, Default)]
pub struct SafeChunks {
    prefix: u32,
    beyond: BTreeSet<u32>,
}

impl SafeChunks {
    /// Starts from `prefix` safe chunks.
    pub fn from_prefix(prefix: u32) -> Self {
        SafeChunks {
            prefix,
            beyond: BTreeSet::new(),
        }
    }

    /// Chunk `seq` is safe; returns the count of safe chunks without gaps.
    pub fn mark(&mut self, seq: u32) -> u32 {
        if seq >= self.prefix {
            self.beyond.insert(seq);
        }
        while self.beyond.remove(&self.prefix) {
            self.prefix += 1;
        }
        self.prefix
    }

    /// The count of safe chunks without gaps.
    pub fn prefix(&self) -> u32 {
        self.prefix
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_go_in_order_and_stay_until_confirmed() {
        let mut q = UploadQueue::new();
        assert_eq!(q.front(), Some(&Job::Start));
        assert_eq!(q.push_chunk("a"), Some(0));
        assert_eq!(q.push_chunk("b"), Some(1));
        assert_eq!(q.unsent_chunks(), 2);
        // A failed attempt confirms nothing: the same job is tried again.
        assert_eq!(q.front(), Some(&Job::Start));
        q.confirm_front();
        assert_eq!(q.front(), Some(&Job::Chunk { seq: 0, data: "a" }));
        q.confirm_front();
        q.finish(12_345);
        assert!(q.is_finishing());
        assert_eq!(q.push_chunk("late"), None, "nothing after the finish");
        q.finish(99);
        assert_eq!(q.unsent_chunks(), 1);
        assert_eq!(q.confirm_front(), Some(Job::Chunk { seq: 1, data: "b" }));
        assert_eq!(
            q.front(),
            Some(&Job::Finish {
                chunks: 2,
                duration_ms: 12_345
            })
        );
        assert!(!q.is_done());
        q.confirm_front();
        assert!(q.is_done());
        assert_eq!(q.chunks_made(), 2);
    }

    #[test]
    fn an_interrupted_recording_is_resumed_in_order() {
        let q = UploadQueue::resumed(4, 20_000, vec![(3, "d"), (1, "b"), (3, "d"), (7, "x")]);
        let jobs: Vec<_> = q.jobs.iter().cloned().collect();
        assert_eq!(
            jobs,
            vec![
                Job::Start,
                Job::Chunk { seq: 1, data: "b" },
                Job::Chunk { seq: 3, data: "d" },
                Job::Finish {
                    chunks: 4,
                    duration_ms: 20_000
                },
            ]
        );
        assert!(q.is_finishing());
    }

    #[test]
    fn retries_back_off_to_half_a_minute() {
        assert_eq!(retry_delay_ms(0), 2_000);
        assert_eq!(retry_delay_ms(1), 2_000);
        assert_eq!(retry_delay_ms(2), 4_000);
        assert_eq!(retry_delay_ms(3), 8_000);
        assert_eq!(retry_delay_ms(5), 30_000);
        assert_eq!(retry_delay_ms(u32::MAX), 30_000);
    }

    #[test]
    fn the_browsers_best_format_is_chosen() {
        assert_eq!(
            choose_mime(|t| t.starts_with("audio/webm")),
            Some("audio/webm;codecs=opus")
        );
        assert_eq!(choose_mime(|t| t == "audio/mp4"), Some("audio/mp4"));
        assert_eq!(choose_mime(|_| false), None);
        for t in [
            "audio/webm;codecs=opus",
            "audio/ogg;codecs=opus",
            "audio/mp4;codecs=mp4a.40.2",
        ] {
            assert!(
                crate::domain::recording::audio_mime(t).is_some(),
                "{t} is accepted by the server"
            );
        }
    }

    #[test]
    fn safe_chunks_count_without_gaps() {
        let mut s = SafeChunks::default();
        assert_eq!(s.mark(1), 0);
        assert_eq!(s.mark(2), 0);
        assert_eq!(s.mark(0), 3);
        assert_eq!(s.mark(0), 3);
        assert_eq!(s.mark(4), 3);
        assert_eq!(s.mark(3), 5);
        let mut t = SafeChunks::from_prefix(2);
        assert_eq!(t.mark(1), 2);
        assert_eq!(t.mark(2), 3);
        assert_eq!(t.prefix(), 3);
    }
}
