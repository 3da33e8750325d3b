//! The booklet worker.
//!
//! Typesetting a booklet takes seconds to minutes and up to gigabytes of
//! memory, cannot be cancelled and reports no progress of its own (see
//! DESIGN.md §6). So the server never typesets in its own process:
//!
//! 1. a server function queues a build in the database ([`app::db::booklets`]);
//! 2. [`spawn`] runs a loop in every server instance that claims the next
//!    queued build (PostgreSQL: `FOR UPDATE SKIP LOCKED`), one at a time;
//! 3. for each build it starts this same executable as `booklet-worker` in a
//!    child process with a memory cap, writes the document JSON to its stdin,
//!    and records the phases the child reports on stdout;
//! 4. the PDF the child wrote is stored by the object store, and the build is
//!    marked done (or failed, with typst's diagnostics).

use crate::booklet::{self, BookletDocument, RenderOptions};
use app::db::booklets as store;
use app::db::Db;
use app::domain::ids::BuildId;
use object_store::ObjectStore;
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::sync::Notify;

/// What the worker child reads from stdin.
#[derive(Debug, Serialize, Deserialize)]
pub struct WorkerJob {
    /// The booklet to render.
    pub document: BookletDocument,
    /// The build's timestamp (PDF metadata, `today()` in the template).
    pub timestamp: chrono::DateTime<chrono::Utc>,
    /// A stable document id.
    pub ident: String,
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

async fn run(
    db: &Db,
    objects: &dyn ObjectStore,
    config: &WorkerConfig,
    job: store::ClaimedBuild,
) -> Result<(), String> {
    let started = std::time::Instant::now();
    tokio::fs::create_dir_all(&config.tmp_dir)
        .await
        .map_err(|e| format!("tmp dir: {e}"))?;
    let out = config.tmp_dir.join(format!("{}.pdf", job.id));
    let input = serde_json::to_vec(&WorkerJob {
        ident: format!(
            "wijkverhalen-{}-{}",
            crate::files::slug(&job.document.municipality),
            job.document.year
        ),
        document: job.document,
        timestamp: chrono::Utc::now(),
    })
    .map_err(|e| e.to_string())?;
    let mut child = tokio::process::Command::new(&config.exe)
        .arg("booklet-worker")
        .arg(&out)
        .env("WV_WORKER_MEMORY_MB", config.memory_mb.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("starting {}: {e}", config.exe.display()))?;
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    stdin
        .write_all(&input)
        .await
        .map_err(|e| format!("writing job: {e}"))?;
    drop(stdin);
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut stderr = child.stderr.take().ok_or("no stderr")?;
    let errors = tokio::spawn(async move {
        let mut s = String::new();
        let _ = tokio::io::AsyncReadExt::read_to_string(&mut stderr, &mut s).await;
        s
    });
    let mut lines = BufReader::new(stdout).lines();
    let mut pages: i64 = 0;
    while let Ok(Some(line)) = lines.next_line().await {
        if let Some(phase) = line.strip_prefix("phase ") {
            let _ = store::set_phase(db, job.id, phase.trim()).await;
        } else if let Some(n) = line.strip_prefix("done ") {
            pages = n.trim().parse().unwrap_or(0);
        }
    }
    let status = child.wait().await.map_err(|e| e.to_string())?;
    let stderr = errors.await.unwrap_or_default();
    if !status.success() {
        let _ = tokio::fs::remove_file(&out).await;
        let reason = if stderr.trim().is_empty() {
            format!("worker exited with {status}")
        } else {
            stderr.chars().take(4000).collect()
        };
        return Err(reason);
    }
    store::set_phase(db, job.id, "storing")
        .await
        .map_err(|e| e.to_string())?;
    let pdf = tokio::fs::read(&out)
        .await
        .map_err(|e| format!("reading PDF: {e}"))?;
    let _ = tokio::fs::remove_file(&out).await;
    let key = pdf_key(job.id);
    let size = pdf.len() as i64;
    objects
        .put(&object_store::path::Path::from(key.as_str()), pdf.into())
        .await
        .map_err(|e| format!("storing PDF: {e}"))?;
    store::finish(db, job.id, &key, size, pages)
        .await
        .map_err(|e| e.to_string())?;
    tracing::info!(build = %job.id, pages, bytes = size, ms = started.elapsed().as_millis() as u64, "booklet built");
    Ok(())
}

/// Where a build's PDF is stored.
pub fn pdf_key(id: BuildId) -> String {
    format!("booklets/{id}/booklet.pdf")
}

/// The `booklet-worker` subcommand: reads a [`WorkerJob`] from stdin, writes
/// the PDF to `out`, reports `phase …` and `done <pages>` on stdout. Runs
/// under an address-space cap from `WV_WORKER_MEMORY_MB`.
pub fn worker_main(out: &Path) -> Result<(), String> {
    if let Some(mb) = std::env::var("WV_WORKER_MEMORY_MB")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        limit_memory(mb)?;
    }
    let mut input = Vec::new();
    std::io::stdin()
        .read_to_end(&mut input)
        .map_err(|e| format!("reading job: {e}"))?;
    let job: WorkerJob =
        serde_json::from_slice(&input).map_err(|e| format!("job is not valid JSON: {e}"))?;
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "phase typesetting");
    let _ = stdout.flush();
    let opts = RenderOptions {
        timestamp: job.timestamp,
        ident: Some(job.ident),
    };
    let rendered = booklet::render(&job.document, &opts).map_err(|e| e.to_string())?;
    let _ = writeln!(stdout, "phase pdf");
    std::fs::write(out, &rendered.pdf).map_err(|e| format!("writing {}: {e}", out.display()))?;
    let _ = writeln!(stdout, "done {}", rendered.page_count);
    Ok(())
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
