//! `interdict eval`: run a labelled corpus and print a per-class scorecard.
//!
//! Corpus format (one JSON object per line):
//! `{"id", "class", "family", "query": {"schema", "properties"}, "expect": [entity ids]}`.
//! A positive (non-empty `expect`) is found when any expected id is among the matches at the
//! threshold; a negative (`expect: []`) fails when anything matches.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use interdict_engine::{Index, Query, ScreenOptions, DEFAULT_THRESHOLD};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

#[derive(clap::Args)]
pub struct EvalArgs {
    /// The watchlist: any list file (FtM JSON lines in the corpus).
    #[arg(long)]
    pub index: PathBuf,
    /// Labelled cases (JSON lines).
    #[arg(long)]
    pub cases: PathBuf,
    /// Match threshold.
    #[arg(long, default_value_t = DEFAULT_THRESHOLD)]
    pub threshold: f64,
    /// Print the scorecard as JSON.
    #[arg(long)]
    pub json: bool,
    /// Print up to N failed cases per class (to stderr).
    #[arg(long, default_value_t = 0)]
    pub failures: usize,
}

#[derive(Deserialize)]
struct CaseQuery {
    #[serde(default)]
    schema: String,
    #[serde(default)]
    properties: Map<String, Value>,
}

#[derive(Deserialize)]
struct Case {
    id: String,
    class: String,
    #[serde(default)]
    family: String,
    query: CaseQuery,
    #[serde(default)]
    expect: Vec<String>,
}

#[derive(Serialize, Default)]
struct ClassScore {
    class: String,
    family: String,
    /// "recall" for positives, "false_positive_rate" for negatives.
    measure: &'static str,
    cases: usize,
    /// Positives found, or negatives that raised a match.
    hits: usize,
    rate: f64,
    alerts: usize,
}

fn read_cases(path: &PathBuf) -> Result<Vec<(Case, Query)>> {
    let f = File::open(path).with_context(|| format!("{}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in BufReader::new(f).lines().enumerate() {
        let line = line.with_context(|| format!("{}: line {}", path.display(), i + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let case: Case = serde_json::from_str(&line)
            .with_context(|| format!("{}: line {}: not a corpus case", path.display(), i + 1))?;
        let q = Query::from_ftm(&case.query.schema, &case.query.properties)
            .with_context(|| format!("{}: line {}: case {}", path.display(), i + 1, case.id))?;
        out.push((case, q));
    }
    if out.is_empty() {
        bail!("{}: no cases", path.display());
    }
    Ok(out)
}

pub fn run(args: EvalArgs) -> Result<ExitCode> {
    let t0 = Instant::now();
    let (entities, _) = crate::load::load_lists(std::slice::from_ref(&args.index))?;
    let load_s = t0.elapsed().as_secs_f64();
    let t1 = Instant::now();
    let index = Index::build(entities);
    let build_s = t1.elapsed().as_secs_f64();
    let cases = read_cases(&args.cases)?;
    let opts = ScreenOptions {
        threshold: args.threshold,
        cutoff: args.threshold,
        limit: 10,
        ..ScreenOptions::default()
    };

    let mut classes: BTreeMap<String, ClassScore> = BTreeMap::new();
    let mut alerts = 0usize;
    let mut latencies = Vec::with_capacity(cases.len());
    let t2 = Instant::now();
    for (case, q) in &cases {
        let ts = Instant::now();
        let matches = index.screen(q, &opts);
        latencies.push(ts.elapsed().as_secs_f64());
        let matched: Vec<&str> = matches
            .iter()
            .filter(|m| m.is_match)
            .map(|m| m.entity_id.as_str())
            .collect();
        alerts += matched.len();
        let c = classes
            .entry(case.class.clone())
            .or_insert_with(|| ClassScore {
                class: case.class.clone(),
                family: case.family.clone(),
                measure: if case.expect.is_empty() {
                    "false_positive_rate"
                } else {
                    "recall"
                },
                ..ClassScore::default()
            });
        c.cases += 1;
        c.alerts += matched.len();
        let ok = if case.expect.is_empty() {
            matched.is_empty()
        } else {
            case.expect.iter().any(|e| matched.contains(&e.as_str()))
        };
        let hit = if case.expect.is_empty() {
            !matched.is_empty()
        } else {
            ok
        };
        if hit {
            c.hits += 1;
        }
        if !ok && args.failures > 0 {
            let shown = if case.expect.is_empty() {
                c.hits
            } else {
                c.cases - c.hits
            };
            if shown <= args.failures {
                let top = matches.first();
                eprintln!(
                    "FAIL {} [{}] {:?} expect {:?}; top: {}",
                    case.id,
                    case.class,
                    q.names,
                    case.expect,
                    top.map(|m| format!(
                        "{} {:.3} {}",
                        m.entity_id,
                        m.score,
                        m.explanation.short()
                    ))
                    .unwrap_or_else(|| "-".into())
                );
                if !case.expect.is_empty() {
                    // Show how the expected entity scores, to see why it was missed.
                    let wide = ScreenOptions {
                        cutoff: 0.0,
                        limit: 50,
                        ..opts.clone()
                    };
                    if let Some(m) = index
                        .screen(q, &wide)
                        .iter()
                        .find(|m| case.expect.contains(&m.entity_id))
                    {
                        eprintln!(
                            "     expected scored {:.3}: {}",
                            m.score,
                            m.explanation.short()
                        );
                    } else {
                        eprintln!("     expected entity not among candidates");
                    }
                }
            }
        }
    }
    let screen_s = t2.elapsed().as_secs_f64();
    for c in classes.values_mut() {
        c.rate = if c.cases == 0 {
            0.0
        } else {
            (c.hits as f64 / c.cases as f64 * 10000.0).round() / 10000.0
        };
    }
    latencies.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * p) as usize)
            .copied()
            .unwrap_or(0.0)
            * 1e6
    };
    let qps = cases.len() as f64 / screen_s;
    let stats = index.stats();
    let mut list: Vec<ClassScore> = classes.into_values().collect();
    let family_rank = |f: &str| {
        [
            "benign",
            "degraded",
            "adversarial",
            "cross_script",
            "negative",
        ]
        .iter()
        .position(|x| *x == f)
        .unwrap_or(9)
    };
    list.sort_by(|a, b| {
        (family_rank(&a.family), &a.class).cmp(&(family_rank(&b.family), &b.class))
    });
    if args.json {
        let out = json!({
            "threshold": args.threshold,
            "queries": cases.len(),
            "classes": list,
            "alerts_per_query": (alerts as f64 / cases.len() as f64 * 1000.0).round() / 1000.0,
            "queries_per_second": qps.round(),
            "latency_us": {"p50": pct(0.5).round(), "p99": pct(0.99).round()},
            "index": {"entities": stats.entities, "names": stats.names, "load_seconds": load_s, "build_seconds": build_s},
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        println!(
            "threshold {:.2}; {} entities, {} names; {} queries",
            args.threshold,
            stats.entities,
            stats.names,
            cases.len()
        );
        println!(
            "{:<14} {:<18} {:>6} {:>6} {:>8}  measure",
            "family", "class", "cases", "hits", "rate"
        );
        for c in &list {
            println!(
                "{:<14} {:<18} {:>6} {:>6} {:>7.2}%  {}",
                c.family,
                c.class,
                c.cases,
                c.hits,
                c.rate * 100.0,
                c.measure
            );
        }
        println!(
            "alerts per query {:.3}; {:.0} queries/s on one thread (p50 {:.0} µs, p99 {:.0} µs); index build {:.2} s",
            alerts as f64 / cases.len() as f64,
            qps,
            pct(0.5),
            pct(0.99),
            build_s
        );
    }
    Ok(ExitCode::SUCCESS)
}
