//! Benchmark of the photo pipeline (`server::media::photo::process_photo`) on a 4000 × 3000
//! photo-like JPEG, as a tablet camera would upload it.
//!
//! Run with `cargo bench -p server --bench photo_pipeline` (release profile), or through
//! `scripts/bench-photos`, which also times `vipsthumbnail` on the same file. Plain
//! `std::time::Instant`, no benchmark framework: a few warm-up runs, then [`RUNS`] timed ones,
//! reporting min / median / max, the output sizes and the peak resident memory.
//!
//! The input is written to `$WV_BENCH_PHOTO` (default: `wv-bench-4000x3000.jpg` in the
//! temporary directory) so that other tools can be given the very same file; the outputs are
//! written next to it (`…-wv-1600.jpg`, `…-wv-400.jpg`) for a look by eye.
//!
//! The last line is machine-readable (`RESULT key=value …`) for `scripts/bench-photos`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use server::media::photo::{process_photo, PhotoLimits};
use testdata::jpeg_of_size;

const WIDTH: u32 = 4000;
const HEIGHT: u32 = 3000;
const WARM_UP: usize = 2;
const RUNS: usize = 10;

fn main() {
    // `cargo bench` passes `--bench` (and any filter); there is nothing to filter here.
    let path = std::env::var_os("WV_BENCH_PHOTO")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("wv-bench-4000x3000.jpg"));

    let started = Instant::now();
    let input = jpeg_of_size(WIDTH, HEIGHT);
    std::fs::write(&path, &input)
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    println!(
        "input: {} ({WIDTH}x{HEIGHT} JPEG q90, {}; generated in {} ms)",
        path.display(),
        mib(input.len() as u64),
        started.elapsed().as_millis()
    );
    drop(input);
    // Read back what other tools get, as an upload handler would hold it in memory.
    let input = std::fs::read(&path).expect("reading the input back");

    let limits = PhotoLimits::default();
    let run = || {
        process_photo(&input, Some("IMG_0001.JPG"), Some("image/jpeg"), &limits)
            .expect("the benchmark photo is accepted")
    };
    for _ in 0..WARM_UP {
        run();
    }

    // Peak memory of the pipeline itself, not of generating the input: reset the high-water
    // mark (Linux ≥ 4.0) now that only the input bytes are left.
    let rss_before = proc_status_kib("VmRSS");
    let reset = reset_peak_rss();
    let mut times = Vec::with_capacity(RUNS);
    let mut photo = None;
    for _ in 0..RUNS {
        let start = Instant::now();
        let result = run();
        times.push(start.elapsed());
        photo = Some(result);
    }
    let peak = proc_status_kib("VmHWM");
    let photo = photo.expect("at least one run");

    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let (min, median, max) = (ms(times[0]), ms(median_of(&times)), ms(times[RUNS - 1]));
    println!(
        "process_photo, {RUNS} runs after {WARM_UP} warm-up: min {min:.1} ms, median \
         {median:.1} ms, max {max:.1} ms"
    );
    println!(
        "  image {}x{}: {}   thumbnail {}x{}: {}",
        photo.width,
        photo.height,
        kib(photo.image.len()),
        photo.thumb_width,
        photo.thumb_height,
        kib(photo.thumbnail.len())
    );
    match (peak, rss_before) {
        (Some(peak), Some(before)) => println!(
            "  peak RSS {} (VmHWM{}; RSS before the runs {}, incl. the {} input)",
            mib(peak * 1024),
            if reset {
                ", reset before the timed runs"
            } else {
                " of the whole process: reset not permitted"
            },
            mib(before * 1024),
            mib(input.len() as u64)
        ),
        _ => println!("  peak RSS unknown (no /proc/self/status)"),
    }

    let stem = path.with_extension("");
    let stem = stem.display();
    std::fs::write(format!("{stem}-wv-1600.jpg"), &photo.image).expect("writing the output");
    std::fs::write(format!("{stem}-wv-400.jpg"), &photo.thumbnail).expect("writing the output");

    println!(
        "RESULT min_ms={min:.1} median_ms={median:.1} max_ms={max:.1} peak_rss_kib={} \
         input_bytes={} image_bytes={} thumb_bytes={} width={} height={} thumb_width={} \
         thumb_height={}",
        peak.unwrap_or(0),
        input.len(),
        photo.image.len(),
        photo.thumbnail.len(),
        photo.width,
        photo.height,
        photo.thumb_width,
        photo.thumb_height
    );
}

fn median_of(sorted: &[Duration]) -> Duration {
    let mid = sorted.len() / 2;
    if sorted.len().is_multiple_of(2) {
        (sorted[mid - 1] + sorted[mid]) / 2
    } else {
        sorted[mid]
    }
}

/// A field of `/proc/self/status` in KiB, such as `VmHWM` (peak resident set size).
fn proc_status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find_map(|line| {
        let value = line.strip_prefix(field)?.strip_prefix(':')?;
        value.trim().strip_suffix("kB")?.trim().parse().ok()
    })
}

/// Resets `VmHWM` to the current RSS (`echo 5 > /proc/self/clear_refs`); false if refused.
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

fn kib(bytes: usize) -> String {
    format!("{:.0} KiB", bytes as f64 / 1024.0)
}
