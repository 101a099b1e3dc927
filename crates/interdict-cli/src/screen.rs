//! `interdict screen "<name>"`: screen one name and print ranked, explained matches.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use interdict_engine::{Query, ScreenOptions, DEFAULT_THRESHOLD};
use interdict_model::{IdKind, Identifier, PartialDate, Schema};
use serde_json::json;

#[derive(clap::Args)]
pub struct ScreenArgs {
    /// The name to screen (any script).
    pub name: Option<String>,
    /// Person, Organization, Company, LegalEntity, Vessel or Airplane.
    #[arg(long)]
    pub schema: Option<String>,
    /// Birth date: YYYY, YYYY-MM or YYYY-MM-DD (repeatable).
    #[arg(long = "dob")]
    pub dob: Vec<String>,
    /// Country of nationality/residence/registration, as a name or ISO code (repeatable).
    #[arg(long)]
    pub country: Vec<String>,
    /// An identifier as TYPE:VALUE, e.g. passport:E12345678, imo:9187629, crypto:1ABC… (repeatable).
    #[arg(long = "id")]
    pub ids: Vec<String>,
    /// List file or folder to screen against (repeatable; any supported format, compressed or
    /// not). Without it, the bundled sample list.
    #[arg(long = "list")]
    pub lists: Vec<PathBuf>,
    /// Maximum number of matches shown.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Score at or above which a result is a match.
    #[arg(long, default_value_t = DEFAULT_THRESHOLD)]
    pub threshold: f64,
    /// Print JSON: {"matches": [{"entity_id", "schema", "name", "score", "explanation"}]}.
    #[arg(long)]
    pub json: bool,
}

pub fn build_query(args: &ScreenArgs) -> Result<Query> {
    let mut q = Query::default();
    if let Some(s) = &args.schema {
        q.schema = Some(s.parse::<Schema>().map_err(|_| {
            anyhow::anyhow!(
                "--schema {s:?}: expected one of Person, Organization, Company, LegalEntity, Vessel, Airplane"
            )
        })?);
    }
    if let Some(n) = &args.name {
        if n.chars().count() > 1000 {
            bail!("the name is longer than 1000 characters");
        }
        q.names.push(n.clone());
    }
    for d in &args.dob {
        let parsed = d
            .parse::<PartialDate>()
            .map(|p| vec![p])
            .unwrap_or_else(|_| PartialDate::parse_loose(d));
        if parsed.is_empty() {
            bail!("--dob {d:?}: expected YYYY, YYYY-MM or YYYY-MM-DD");
        }
        q.birth_dates.extend(parsed);
    }
    for c in &args.country {
        if !q.add_country(c) {
            bail!("--country {c:?}: not a country name or ISO code");
        }
    }
    for id in &args.ids {
        let (kind, value) = id
            .split_once(':')
            .with_context(|| format!("--id {id:?}: expected TYPE:VALUE, e.g. passport:E1234567"))?;
        let kind = IdKind::parse(kind).with_context(|| {
            let kinds: Vec<&str> = IdKind::ALL.iter().map(|k| k.as_str()).collect();
            format!(
                "--id {id:?}: unknown identifier type {kind:?}; expected one of {}",
                kinds.join(", ")
            )
        })?;
        if value.trim().is_empty() {
            bail!("--id {id:?}: the value is empty");
        }
        q.identifiers.push(Identifier::new(kind, value.trim()));
    }
    if q.names.iter().all(|n| n.trim().is_empty()) && q.identifiers.is_empty() {
        bail!("give a name to screen, or at least one --id TYPE:VALUE");
    }
    Ok(q)
}

pub fn run(args: ScreenArgs) -> Result<ExitCode> {
    if !(0.0..=1.0).contains(&args.threshold) {
        bail!("--threshold {} is outside [0, 1]", args.threshold);
    }
    let query = build_query(&args)?;
    let (index, desc) = crate::load::load_index(&args.lists)?;
    let opts = ScreenOptions {
        threshold: args.threshold,
        cutoff: args.threshold,
        limit: args.limit,
        ..ScreenOptions::default()
    };
    let matches = index.screen(&query, &opts);
    if args.json {
        let list: Vec<_> = matches
            .iter()
            .map(|m| {
                json!({
                    "entity_id": m.entity_id,
                    "schema": m.schema,
                    "name": m.name,
                    "score": m.score,
                    "list": index.entity_at(m.index).map(|e| e.source.as_str()),
                    "explanation": m.explanation,
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({ "matches": list }))?
        );
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!("screening against {desc}, threshold {:.2}", args.threshold);
    if matches.is_empty() {
        println!("no match");
    }
    for (i, m) in matches.iter().enumerate() {
        let list = index
            .entity_at(m.index)
            .map(|e| e.source.as_str())
            .unwrap_or("");
        println!(
            "{:>2}. {:.3}  {}  [{} · {}]  {}",
            i + 1,
            m.score,
            m.name,
            m.schema,
            list,
            m.entity_id
        );
        if let Some(n) = &m.explanation.name {
            println!(
                "      name: {:?} ~ {:?} ({:?}, name score {:.3})",
                n.query, n.matched, n.kind, n.comparison.score
            );
            for p in &n.comparison.pairs {
                println!(
                    "        {:<18} ↔ {:<18} {:<12} similarity {:.2}  weight {:.1}",
                    p.query,
                    p.list,
                    format!("{:?}", p.how).to_lowercase(),
                    p.similarity,
                    p.weight
                );
            }
            if !n.comparison.unmatched_query.is_empty() {
                println!(
                    "        unmatched in query: {}",
                    n.comparison.unmatched_query.join(" ")
                );
            }
            if !n.comparison.unmatched_list.is_empty() {
                println!(
                    "        unmatched in list name: {}",
                    n.comparison.unmatched_list.join(" ")
                );
            }
        }
        for f in &m.explanation.features {
            println!("      {}: {:+.2} ({})", f.feature, f.effect, f.detail);
        }
    }
    Ok(ExitCode::SUCCESS)
}
