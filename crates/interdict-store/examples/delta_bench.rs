//! Delta rescreen benchmark: N stored subjects (default 1 000 000, synthetic, several locales
//! and scripts) against the 23 entities OFAC added on 2024-03-25, on SQLite.
//!
//! ```text
//! cargo run --release -p interdict-store --example delta_bench -- [--subjects N] [--threads T] [--db PATH]
//! ```
//!
//! Setup (not timed): import the SDN list of 2024-03-22, store the subjects, take them as
//! screened (baseline), import the list of 2024-03-25. Timed: one `monitor_run`, which loads
//! every subject from the database, builds an index over the delta, screens every subject
//! against it and writes the alerts. With `--db PATH` an existing database is reused and the
//! run repeated (the state is rewound to the baseline first).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use interdict_store::{synth, MonitorOptions, Store};

fn list(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/lists/ofac")
        .join(name)
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut n = 1_000_000usize;
    let mut threads = 0usize;
    let mut db: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--subjects" => n = args.next().ok_or("--subjects N")?.parse()?,
            "--threads" => threads = args.next().ok_or("--threads T")?.parse()?,
            "--db" => db = Some(args.next().ok_or("--db PATH")?.into()),
            other => return Err(format!("unknown argument {other:?}").into()),
        }
    }
    let tmp = tempfile::tempdir()?;
    let path = db.unwrap_or_else(|| tmp.path().join("bench.db"));
    let fresh = !path.exists();
    let mut store = Store::open_sqlite(&path)?;
    if fresh {
        let t = Instant::now();
        store.import_list(&list("csv-2024-03-22"), Some("2024-03-22"), "bench")?;
        eprintln!("imported 2024-03-22 in {:.1} s", t.elapsed().as_secs_f64());
        let t = Instant::now();
        let subjects = synth::subjects(n, 1_000_003, "cust-");
        store.upsert_subjects(subjects, "synthetic", "bench")?;
        eprintln!("stored {n} subjects in {:.1} s", t.elapsed().as_secs_f64());
        store.monitor_accept_baseline("bench")?;
        let t = Instant::now();
        store.import_list(&list("csv-2024-03-25"), Some("2024-03-25"), "bench")?;
        eprintln!("imported 2024-03-25 in {:.1} s", t.elapsed().as_secs_f64());
    } else {
        rewind(&path)?;
    }
    let subjects = store.subject_count()?;
    let opts = MonitorOptions {
        threads,
        actor: "bench".into(),
        ..MonitorOptions::default()
    };
    let t = Instant::now();
    let refreshed = store.refresh_match_keys()?;
    eprintln!(
        "match-key check: {refreshed} refreshed in {:.2} s",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let r = store.monitor_run(&opts)?;
    let total = t.elapsed();
    println!(
        "delta rescreen: {} subjects x {} delta entities in {:.2} s \
         (load {:.2} s, screen {:.2} s, write {:.2} s); {} matches, {} alerts; {:.0} subjects/s",
        r.delta_subjects,
        r.delta_entities,
        total.as_secs_f64(),
        r.load_ms as f64 / 1000.0,
        r.screen_ms as f64 / 1000.0,
        r.write_ms as f64 / 1000.0,
        r.matches,
        r.alerts.len(),
        r.delta_subjects as f64 / total.as_secs_f64()
    );
    if r.delta_subjects as i64 != subjects {
        return Err(format!(
            "expected all {subjects} subjects screened against the delta, got {}",
            r.delta_subjects
        )
        .into());
    }
    Ok(())
}

/// Puts a reused benchmark database back to "baseline at 2024-03-22, 2024-03-25 not yet
/// monitored": alerts of the previous run are removed (decisions never exist here).
fn rewind(path: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    let c = rusqlite::Connection::open(path)?;
    c.execute_batch(
        "DELETE FROM alerts;
         UPDATE monitor_state SET version_id = (SELECT MIN(id) FROM list_versions);",
    )?;
    Ok(())
}
