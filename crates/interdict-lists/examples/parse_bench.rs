//! Parses each real list file once and prints entities, time, throughput and peak memory.
//!
//! ```text
//! cargo run --release -p interdict-lists --example parse_bench [LISTS_DIR]
//! ```
//!
//! `LISTS_DIR` defaults to `../shared/data/lists` beside the checkout. Throughput is measured
//! on the decompressed content (the bzip2 Advanced XML is 121 MB unpacked). Each file is parsed
//! in a fresh child process, streaming (entities are counted and dropped), and its peak RSS is
//! that process's `VmHWM` from `/proc/self/status`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use interdict_lists::{input, read_path};

const FILES: &[&str] = &[
    "ofac/sdn-2024-05-07.xml",
    "ofac/consolidated-2024-05-06.xml",
    "ofac/sdn_advanced-2025-11-19.xml.bz2",
    "ofac/csv-2021",
    "ofac/csv-2024-03-25/sdn.csv",
    "un/consolidated-2024-05-15.xml",
    "eu/fsf-2024-05-13.xml",
    "uk/ofsi-conlist-2025-04-10.csv",
    "uk/ofsi-conlist-2025-04-10.xlsx",
    "ftm/yente-fixtures/t1/entities.ftm.json",
];

/// Decompressed size of a file, or the total size of a folder's files.
fn content_bytes(path: &Path) -> std::io::Result<u64> {
    if path.is_dir() {
        let mut total = 0;
        for entry in std::fs::read_dir(path)? {
            let p = entry?.path();
            if p.is_file() {
                total += content_bytes(&p)?;
            }
        }
        return Ok(total);
    }
    if input::sniff_compression(path).ok() == Some(input::Compression::None) {
        return Ok(std::fs::metadata(path)?.len());
    }
    match input::open(path) {
        Ok(mut r) => {
            let mut buf = vec![0u8; 1 << 20];
            let mut total = 0u64;
            loop {
                let n = r.read(&mut buf)?;
                if n == 0 {
                    return Ok(total);
                }
                total += n as u64;
            }
        }
        // A spreadsheet is a zip of several members: report its size on disk.
        Err(_) => Ok(std::fs::metadata(path)?.len()),
    }
}

/// `VmHWM` (peak resident set) in KiB.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Parses one file and prints its line of the table. Runs in a process of its own, so that the
/// peak RSS is this file's alone.
fn bench_one(path: &Path, label: &str) -> bool {
    let bytes = content_bytes(path).unwrap_or(0);
    let start = Instant::now();
    let mut entities = 0usize;
    let result = read_path(path, None, &mut |e| {
        entities += 1;
        std::hint::black_box(e);
        Ok(())
    });
    let secs = start.elapsed().as_secs_f64();
    let mb = bytes as f64 / 1e6;
    let rss = peak_rss_kib()
        .map(|k| format!("{:.0} MiB", k as f64 / 1024.0))
        .unwrap_or_else(|| "-".into());
    match result {
        Ok((format, _)) => {
            println!(
                "{label:<42} {:<16} {entities:>8} {mb:>8.1} {secs:>8.2} {:>8.1} {rss:>9}",
                format.as_str(),
                mb / secs.max(1e-9)
            );
            true
        }
        Err(e) => {
            println!("{label:<42} error: {e}");
            false
        }
    }
}

fn main() {
    let args: Vec<_> = std::env::args_os().skip(1).collect();
    if let [flag, path, label] = args.as_slice() {
        if flag == "--one" {
            let ok = bench_one(Path::new(path), &label.to_string_lossy());
            std::process::exit(if ok { 0 } else { 1 });
        }
    }
    let dir = args.first().map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/lists")
    });
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => {
            eprintln!("parse_bench: cannot find its own executable: {e}");
            std::process::exit(2);
        }
    };
    println!(
        "{:<42} {:<16} {:>8} {:>8} {:>8} {:>8} {:>9}",
        "file", "format", "entities", "MB", "seconds", "MB/s", "peak RSS"
    );
    let mut failures = 0;
    for rel in FILES {
        let path = dir.join(rel);
        if !path.exists() {
            println!("{rel:<42} (missing)");
            continue;
        }
        let status = std::process::Command::new(&exe)
            .arg("--one")
            .arg(&path)
            .arg(rel)
            .status();
        if !status.is_ok_and(|s| s.success()) {
            failures += 1;
        }
    }
    if failures > 0 {
        std::process::exit(1);
    }
}
