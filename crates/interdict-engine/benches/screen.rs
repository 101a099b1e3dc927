//! Screening benchmark on the labelled corpus's watchlist (`../shared/eval`).
//!
//! Run: `cargo bench -p interdict-engine --bench screen` (release profile). Prints index build
//! time and memory, then single-query latency percentiles on one thread over every corpus
//! query (each run several times), and the throughput that implies. Paths can be overridden
//! with INTERDICT_BENCH_INDEX / INTERDICT_BENCH_CASES.

use std::time::Instant;

use interdict_engine::{Index, Query, ScreenOptions};
use interdict_model::ftm::FtmAssembler;
use serde_json::Value;

fn path(var: &str, default: &str) -> String {
    std::env::var(var).unwrap_or_else(|_| {
        format!(
            "{}/../../../shared/eval/{default}",
            env!("CARGO_MANIFEST_DIR")
        )
    })
}

fn rss_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

fn main() {
    let index_path = path("INTERDICT_BENCH_INDEX", "index.ftm.jsonl");
    let cases_path = path("INTERDICT_BENCH_CASES", "dev.cases.jsonl");
    let text = std::fs::read_to_string(&index_path).unwrap_or_else(|e| panic!("{index_path}: {e}"));
    let mut asm = FtmAssembler::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line).expect("index line is JSON");
        asm.push(v).expect("index line is an FtM entity");
    }
    let entities = asm.finish();
    drop(text);
    let rss_before = rss_kib("VmRSS:");
    let t = Instant::now();
    let index = Index::build(entities);
    let build = t.elapsed();
    let rss_after = rss_kib("VmRSS:");
    let stats = index.stats();
    println!(
        "index: {} entities, {} names, {} keys, {} postings; build {:.3} s; resident memory +{} MiB (process {} MiB, peak {} MiB)",
        stats.entities,
        stats.names,
        stats.keys,
        stats.postings,
        build.as_secs_f64(),
        rss_after.saturating_sub(rss_before) / 1024,
        rss_after / 1024,
        rss_kib("VmHWM:") / 1024
    );

    let cases =
        std::fs::read_to_string(&cases_path).unwrap_or_else(|e| panic!("{cases_path}: {e}"));
    let queries: Vec<Query> = cases
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| {
            let v: Value = serde_json::from_str(l).ok()?;
            let q = v.get("query")?;
            let props = q.get("properties")?.as_object()?;
            Query::from_ftm(q.get("schema")?.as_str().unwrap_or(""), props).ok()
        })
        .collect();
    let mut opts = ScreenOptions::default();
    if let Ok(c) = std::env::var("INTERDICT_BENCH_CANDIDATES") {
        opts.candidates = c.parse().expect("a number");
    }
    // Warm up, then time each query individually.
    for q in queries.iter().take(500) {
        std::hint::black_box(index.screen(q, &opts));
    }
    let rounds = 3;
    let mut lat = Vec::with_capacity(queries.len() * rounds);
    let t = Instant::now();
    for _ in 0..rounds {
        for q in &queries {
            let s = Instant::now();
            std::hint::black_box(index.screen(q, &opts));
            lat.push(s.elapsed().as_secs_f64() * 1e6);
        }
    }
    let total = t.elapsed().as_secs_f64();
    lat.sort_by(|a, b| a.total_cmp(b));
    let p = |q: f64| lat[((lat.len() - 1) as f64 * q) as usize];
    println!(
        "screen: {} queries x {rounds}: p50 {:.0} µs, p90 {:.0} µs, p99 {:.0} µs, max {:.0} µs; {:.0} queries/s on one thread",
        queries.len(),
        p(0.5),
        p(0.9),
        p(0.99),
        p(1.0),
        lat.len() as f64 / total
    );
    println!(
        "targets: p50 <= 100 µs ({}), p99 <= 2000 µs ({}), build <= 2 s ({})",
        if p(0.5) <= 100.0 { "met" } else { "NOT met" },
        if p(0.99) <= 2000.0 { "met" } else { "NOT met" },
        if build.as_secs_f64() <= 2.0 {
            "met"
        } else {
            "NOT met"
        }
    );
}
