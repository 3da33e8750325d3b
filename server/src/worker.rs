//! The booklet worker.
//!
//! Typesetting a booklet takes seconds to minutes and up to gigabytes of
//! memory, cannot be cancelled and reports no progress of its own (see
//! DESIGN.md §6). So the server never typesets in its own process:
//!
//! 1. a server function queues a build in the database ([`app::db::booklets`]);
//! 2. [`spawn`] runs a loop in every server instance that claims the next
//!    queued build (PostgreSQL: `FOR UPDATE SKIP LOCKED`), one at a time;
//! 3. for each build it writes the document (`data.json`) and its photos
//!    (copied out of the object store, `photos/0001.jpg`, …; phase
//!    `photos n/N`) into a directory, starts this same executable as
//!    `booklet-worker DIR` in a child process with a memory cap, and records
//!    the phases the child reports on stdout (`typesetting`, `pdf n/N`,
//!    `previews n/N`);
//! 4. every file the child wrote (screen and print edition, chapter PDFs,
//!    page previews) is stored by the object store and listed in
//!    `booklet_output` (phase `storing n/N`), and the build is marked done
//!    (or failed, with typst's diagnostics).

use crate::booklet::{self, BookletDocument, Output, RenderOptions};
use app::db::booklets as store;
use app::db::Db;
use app::domain::ids::BuildId;
use app::model::BuildOutputKind;
use object_store::ObjectStore;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::sync::Notify;
use typst::foundations::Bytes;

/// Build settings the worker child reads from `DIR/job.json` (all
/// optional, so a directory made for the typst CLI builds as it is).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct WorkerJob {
    /// The build's timestamp (PDF metadata, `today()` in the template);
    /// default: 2026-01-01 00:00 UTC, so a benchmark is reproducible.
    #[serde(default)]
    pub timestamp: Option<chrono::DateTime<chrono::Utc>>,
    /// A stable document id.
    #[serde(default)]
    pub ident: Option<String>,
    /// Whether to render a PNG preview of every page (default: yes).
    #[serde(default)]
    pub skip_previews: bool,
}

/// How the server runs builds.
#[derive(Clone, Debug)]
pub struct WorkerConfig {
    /// The executable with the `booklet-worker` subcommand.
    pub exe: PathBuf,
    /// Memory cap of the child, in MiB.
    pub memory_mb: u64,
    /// Directory for the child's output files.
    pub tmp_dir: PathBuf,
}

/// Starts the build loop of this server instance.
pub fn spawn(
    db: Db,
    objects: Arc<dyn ObjectStore>,
    wakeup: Arc<Notify>,
    config: WorkerConfig,
) -> tokio::task::JoinHandle<()> {
    let instance = uuid::Uuid::new_v4().to_string();
    tokio::spawn(async move {
        loop {
            match store::claim_next(&db, &instance).await {
                Ok(Some(job)) => {
                    let id = job.id;
                    if let Err(e) = run(&db, objects.as_ref(), &config, job).await {
                        tracing::error!(build = %id, "booklet build failed: {e}");
                        let _ = store::fail(&db, id, &e).await;
                    }
                }
                Ok(None) => {
                    tokio::select! {
                        _ = wakeup.notified() => {}
                        _ = tokio::time::sleep(Duration::from_secs(5)) => {}
                    }
                }
                Err(e) => {
                    tracing::error!("claiming a booklet build: {e}");
                    tokio::time::sleep(Duration::from_secs(5)).await;
                }
            }
        }
    })
}

/// One file the worker child made, as it reported it on stdout.
#[derive(Debug, Clone, PartialEq, Eq)]
struct MadeOutput {
    kind: BuildOutputKind,
    ordinal: i64,
    pages: i64,
    label: String,
}

/// Parses `output <kind> <ordinal> <pages> <label…>`.
fn parse_output_line(line: &str) -> Option<MadeOutput> {
    let rest = line.strip_prefix("output ")?;
    let mut parts = rest.splitn(4, ' ');
    let kind = BuildOutputKind::parse(parts.next()?)?;
    let ordinal = parts.next()?.parse().ok()?;
    let pages = parts.next()?.parse().ok()?;
    let label = parts.next().unwrap_or("").to_string();
    Some(MadeOutput {
        kind,
        ordinal,
        pages,
        label,
    })
}

async fn run(
    db: &Db,
    objects: &dyn ObjectStore,
    config: &WorkerConfig,
    job: store::ClaimedBuild,
) -> Result<(), String> {
    let dir = config.tmp_dir.join(job.id.to_string());
    let result = run_in(db, objects, config, &job, &dir).await;
    let _ = tokio::fs::remove_dir_all(&dir).await;
    result
}

async fn run_in(
    db: &Db,
    objects: &dyn ObjectStore,
    config: &WorkerConfig,
    job: &store::ClaimedBuild,
    dir: &Path,
) -> Result<(), String> {
    let started = std::time::Instant::now();
    tokio::fs::create_dir_all(dir.join("photos"))
        .await
        .map_err(|e| format!("tmp dir: {e}"))?;
    let data = serde_json::to_vec(&job.document).map_err(|e| e.to_string())?;
    tokio::fs::write(dir.join("data.json"), data)
        .await
        .map_err(|e| format!("writing data: {e}"))?;
    let settings = serde_json::to_vec(&WorkerJob {
        ident: Some(format!(
            "wijkverhalen-{}-{}",
            app::domain::text::slug(&job.document.municipality),
            job.document.year
        )),
        timestamp: Some(chrono::Utc::now()),
        skip_previews: false,
    })
    .map_err(|e| e.to_string())?;
    tokio::fs::write(dir.join("job.json"), settings)
        .await
        .map_err(|e| format!("writing job: {e}"))?;

    // Photos: out of the object store into DIR/photos/NNNN.jpg.
    let total = job.photos.len();
    for (i, photo) in job.photos.iter().enumerate() {
        if i % 5 == 0 || i + 1 == total {
            let _ = store::set_phase(db, job.id, &format!("photos {}/{total}", i + 1)).await;
        }
        if !booklet::is_photo_path(&photo.path) {
            return Err(format!("not a photo path: {:?}", photo.path));
        }
        let bytes = objects
            .get(&object_store::path::Path::from(photo.object_key.as_str()))
            .await
            .map_err(|e| format!("photo {}: {e}", photo.path))?
            .bytes()
            .await
            .map_err(|e| format!("photo {}: {e}", photo.path))?;
        tokio::fs::write(dir.join(photo.path.trim_start_matches('/')), bytes)
            .await
            .map_err(|e| format!("writing photo {}: {e}", photo.path))?;
    }

    let mut child = tokio::process::Command::new(&config.exe)
        .arg("booklet-worker")
        .arg(dir)
        .env("WV_WORKER_MEMORY_MB", config.memory_mb.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("starting {}: {e}", config.exe.display()))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut stderr = child.stderr.take().ok_or("no stderr")?;
    let errors = tokio::spawn(async move {
        let mut s = String::new();
        let _ = tokio::io::AsyncReadExt::read_to_string(&mut stderr, &mut s).await;
        s
    });
    let mut lines = BufReader::new(stdout).lines();
    let mut made = Vec::new();
    let mut missing_glyphs = Vec::new();
    while let Ok(Some(line)) = lines.next_line().await {
        if let Some(phase) = line.strip_prefix("phase ") {
            let _ = store::set_phase(db, job.id, phase.trim()).await;
        } else if let Some(out) = parse_output_line(&line) {
            made.push(out);
        } else if let Some(glyph) = line
            .strip_prefix("missing-glyph ")
            .and_then(|json| serde_json::from_str::<booklet::MissingGlyph>(json).ok())
        {
            missing_glyphs.push(glyph);
        }
    }
    let status = child.wait().await.map_err(|e| e.to_string())?;
    let stderr = errors.await.unwrap_or_default();
    if !status.success() {
        let reason = if stderr.trim().is_empty() {
            format!("worker exited with {status}")
        } else {
            stderr.chars().take(4000).collect()
        };
        return Err(reason);
    }

    // Store every file, then mark the build done with the screen edition.
    let total = made.len();
    let mut screen = None;
    for (i, out) in made.iter().enumerate() {
        if i % 10 == 0 || i + 1 == total {
            let _ = store::set_phase(db, job.id, &format!("storing {}/{total}", i + 1)).await;
        }
        let file = out.kind.file_name(out.ordinal);
        let bytes = tokio::fs::read(dir.join("out").join(&file))
            .await
            .map_err(|e| format!("reading {file}: {e}"))?;
        let key = output_key(job.id, &file);
        let size = bytes.len() as i64;
        objects
            .put(&object_store::path::Path::from(key.as_str()), bytes.into())
            .await
            .map_err(|e| format!("storing {file}: {e}"))?;
        store::add_output(
            db,
            job.id,
            &store::OutputRecord {
                kind: out.kind,
                ordinal: out.ordinal,
                label: out.label.clone(),
                storage_key: key.clone(),
                bytes: size,
                page_count: out.pages,
            },
        )
        .await
        .map_err(|e| e.to_string())?;
        if out.kind == BuildOutputKind::Screen {
            screen = Some((key, size, out.pages));
        }
    }
    let (key, size, pages) = screen.ok_or("the worker made no screen edition")?;
    store::finish(db, job.id, &key, size, pages, &missing_glyphs)
        .await
        .map_err(|e| e.to_string())?;
    tracing::info!(build = %job.id, pages, files = total, ms = started.elapsed().as_millis() as u64, "booklet built");
    Ok(())
}

/// Where a build's PDF (the screen edition) is stored.
pub fn pdf_key(id: BuildId) -> String {
    output_key(id, &BuildOutputKind::Screen.file_name(0))
}

/// Where a file of a build is stored.
pub fn output_key(id: BuildId, file: &str) -> String {
    format!("booklets/{id}/{file}")
}

/// Every photo path the document names (cover and stories), deduplicated.
fn photo_paths(doc: &BookletDocument) -> Vec<String> {
    let mut paths: Vec<String> = doc
        .cover_photo
        .iter()
        .chain(
            doc.chapters
                .iter()
                .flat_map(|c| &c.stories)
                .flat_map(|s| &s.photos),
        )
        .map(|p| p.path.clone())
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

/// The `booklet-worker DIR` subcommand: reads `DIR/data.json` (the
/// [`BookletDocument`]), `DIR/job.json` ([`WorkerJob`], optional) and the
/// photos the document names (`DIR/photos/0001.jpg`, …); writes the screen
/// edition, the print edition, one PDF per chapter and a PNG per page to
/// `DIR/out/`; reports `phase …`, `missing-glyph <json>` and `output <kind> <ordinal> <pages>
/// <label>` lines on stdout. Runs under an address-space cap from
/// `WV_WORKER_MEMORY_MB`.
///
/// The same directory compiles with the typst CLI when `main.typ` (the
/// template) is in it: `typst compile --root DIR DIR/main.typ out.pdf`.
pub fn worker_main(dir: &Path) -> Result<(), String> {
    if let Some(mb) = std::env::var("WV_WORKER_MEMORY_MB")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        limit_memory(mb)?;
    }
    let read = |name: &str| {
        std::fs::read(dir.join(name))
            .map_err(|e| format!("reading {}: {e}", dir.join(name).display()))
    };
    let document: BookletDocument = serde_json::from_slice(&read("data.json")?)
        .map_err(|e| format!("data.json is not a booklet: {e}"))?;
    let job: WorkerJob = match std::fs::read(dir.join("job.json")) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| format!("job.json: {e}"))?,
        Err(_) => WorkerJob::default(),
    };
    let mut photos = HashMap::new();
    for path in photo_paths(&document) {
        if !booklet::is_photo_path(&path) {
            return Err(format!("not a photo path: {path:?}"));
        }
        let bytes = read(path.trim_start_matches('/'))?;
        photos.insert(path, Bytes::new(bytes));
    }
    let out = dir.join("out");
    std::fs::create_dir_all(&out).map_err(|e| format!("creating {}: {e}", out.display()))?;
    let opts = RenderOptions {
        timestamp: job.timestamp.unwrap_or_else(|| {
            chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
                .map(|t| t.with_timezone(&chrono::Utc))
                .unwrap_or_default()
        }),
        ident: job.ident,
    };
    let mut stdout = std::io::stdout();
    let mut sink = |event: booklet::BuildEvent<'_>| -> Result<(), String> {
        let (kind, ordinal, pages, bytes, label) = match event {
            booklet::BuildEvent::Phase(phase) => {
                let _ = writeln!(stdout, "phase {phase}");
                let _ = stdout.flush();
                return Ok(());
            }
            booklet::BuildEvent::File { output, pages, pdf } => match output {
                Output::Screen => (BuildOutputKind::Screen, 0, pages, pdf, String::new()),
                Output::Print => (BuildOutputKind::Print, 0, pages, pdf, String::new()),
                Output::Chapter(i) => (
                    BuildOutputKind::Chapter,
                    i as i64 + 1,
                    pages,
                    pdf,
                    // The label is the last field and may contain spaces,
                    // never newlines.
                    document.chapters[i]
                        .neighbourhood
                        .replace(['\r', '\n'], " "),
                ),
            },
            booklet::BuildEvent::MissingGlyph(glyph) => {
                // One line of JSON: the place may hold any text but no raw
                // newline survives JSON encoding.
                let json = serde_json::to_string(glyph).map_err(|e| e.to_string())?;
                let _ = writeln!(stdout, "missing-glyph {json}");
                return Ok(());
            }
            booklet::BuildEvent::Preview(p) => {
                let file = out.join(BuildOutputKind::Page.file_name(p.page as i64));
                std::fs::write(&file, &p.png)
                    .map_err(|e| format!("writing {}: {e}", file.display()))?;
                let _ = writeln!(stdout, "output page {} 1", p.page);
                return Ok(());
            }
        };
        let file = out.join(kind.file_name(ordinal));
        std::fs::write(&file, bytes).map_err(|e| format!("writing {}: {e}", file.display()))?;
        let _ = writeln!(stdout, "output {} {ordinal} {pages} {label}", kind.as_str());
        let _ = stdout.flush();
        Ok(())
    };
    booklet::render_all(&document, &photos, &opts, !job.skip_previews, &mut sink)
        .map_err(|e| e.to_string())
}

#[cfg(unix)]
fn limit_memory(mb: u64) -> Result<(), String> {
    let bytes = mb.saturating_mul(1024 * 1024);
    let limit = libc::rlimit {
        rlim_cur: bytes as libc::rlim_t,
        rlim_max: bytes as libc::rlim_t,
    };
    // SAFETY: setrlimit only reads the struct we pass.
    let rc = unsafe { libc::setrlimit(libc::RLIMIT_AS, &limit) };
    if rc == 0 {
        Ok(())
    } else {
        Err(format!(
            "setrlimit failed: {}",
            std::io::Error::last_os_error()
        ))
    }
}

#[cfg(not(unix))]
fn limit_memory(_mb: u64) -> Result<(), String> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_lines() {
        assert_eq!(
            parse_output_line("output chapter 2 14 De Baandert"),
            Some(MadeOutput {
                kind: BuildOutputKind::Chapter,
                ordinal: 2,
                pages: 14,
                label: "De Baandert".into()
            })
        );
        assert_eq!(
            parse_output_line("output screen 0 40").map(|o| (o.kind, o.label)),
            Some((BuildOutputKind::Screen, String::new()))
        );
        assert_eq!(parse_output_line("output nonsense 0 1"), None);
        assert_eq!(parse_output_line("phase pdf 2/3"), None);
    }
}
