//! Commands over the persistent store: `lists import|diff`, `subjects import`, `monitor run`,
//! `alerts list|decide`, `audit verify|export` and `history versions|screen`.
//!
//! Every one of them opens the store named by the global `--data-dir` / `--database-url`.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;

use anyhow::{anyhow, bail, Context, Result};
use clap::{Args, Subcommand};
use interdict_engine::{Query, ScreenOptions, DEFAULT_THRESHOLD};
use interdict_model::Entity;
use interdict_store::{
    AlertFilter, AlertStatus, Decision, DecisionPolicy, ListDiff, MonitorOptions, Store,
    WebhookConfig,
};
use serde_json::json;

/// Where the store lives; global flags of every command.
#[derive(Args, Clone, Debug, Default)]
pub struct StoreOpts {
    /// Data directory (the SQLite database `interdict.db` lives here).
    /// Default: $INTERDICT_DATA_DIR, else ~/.local/share/interdict.
    #[arg(long, global = true, env = "INTERDICT_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Use this database instead of the SQLite file: postgres://user@host:port/db
    /// (or sqlite:PATH).
    #[arg(long, global = true, env = "INTERDICT_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Who is acting, for the audit log (default: $USER).
    #[arg(long, global = true, env = "INTERDICT_ACTOR")]
    pub actor: Option<String>,
}

static OPTS: OnceLock<StoreOpts> = OnceLock::new();

/// Records the global flags; `main` calls this once before dispatching.
pub fn set_options(opts: StoreOpts) {
    let _ = OPTS.set(opts);
}

fn opts() -> StoreOpts {
    OPTS.get().cloned().unwrap_or_default()
}

pub fn data_dir() -> PathBuf {
    opts()
        .data_dir
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or_else(|| {
            dirs::data_local_dir()
                .unwrap_or_else(|| PathBuf::from("."))
                .join("interdict")
        })
}

/// Whether `--data-dir` or `--database-url` (or their environment variables) name a store;
/// `interdict serve` runs with a store only then.
pub fn store_configured() -> bool {
    let o = opts();
    o.data_dir.is_some_and(|d| !d.as_os_str().is_empty())
        || o.database_url.is_some_and(|u| !u.trim().is_empty())
}

/// Opens the store the global flags name.
pub fn open_store() -> Result<Store> {
    let o = opts();
    let dir = data_dir();
    Store::open(&dir, o.database_url.as_deref()).with_context(|| match &o.database_url {
        Some(_) => "opening the database given by --database-url".to_string(),
        None => format!("opening the store in {}", dir.display()),
    })
}

fn actor() -> String {
    opts()
        .actor
        .or_else(|| std::env::var("USER").ok())
        .filter(|a| !a.trim().is_empty())
        .unwrap_or_else(|| "cli".into())
}

fn print_json(v: &impl serde::Serialize) -> Result<()> {
    let mut out = io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, v)?;
    writeln!(out)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// lists import / diff

#[derive(Args)]
pub struct ImportArgs {
    /// A list file (optionally .gz/.bz2/.zip) or an OFAC CSV folder.
    pub path: PathBuf,
    /// Publication date (YYYY-MM-DD) for formats that do not state one (e.g. OFAC CSV).
    #[arg(long)]
    pub issued: Option<String>,
    /// Print the outcome as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn lists_import(args: ImportArgs) -> Result<ExitCode> {
    let mut store = open_store()?;
    let out = store
        .import_list(&args.path, args.issued.as_deref(), &actor())
        .with_context(|| format!("importing {}", args.path.display()))?;
    if args.json {
        print_json(&out)?;
    } else if out.created {
        println!(
            "stored version {} of {} ({} entities, issued {}): {} added, {} removed, {} changed{}",
            out.version.id,
            out.version.dataset,
            out.version.entities,
            out.version.issued.as_deref().unwrap_or("unknown"),
            out.added,
            out.removed,
            out.changed,
            out.previous
                .map(|p| format!(" since version {p}"))
                .unwrap_or_default()
        );
    } else {
        println!(
            "unchanged: identical to version {} of {}",
            out.version.id, out.version.dataset
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct DiffArgs {
    /// The older list: a file or folder, or a stored version id.
    pub old: String,
    /// The newer list: a file or folder, or a stored version id.
    pub new: String,
    /// Print {"added": [...], "removed": [...], "changed": [...], "details": [...]}.
    #[arg(long)]
    pub json: bool,
}

enum Side {
    File(Vec<Entity>),
    Version(i64),
}

fn side(arg: &str) -> Result<Side> {
    let p = Path::new(arg);
    if p.exists() {
        let (_, _, entities) =
            interdict_lists::load(p, None).with_context(|| format!("loading list {arg}"))?;
        return Ok(Side::File(entities));
    }
    let id = arg
        .trim_start_matches(['v', 'V'])
        .parse::<i64>()
        .map_err(|_| anyhow!("{arg:?} is neither a list file/folder nor a stored version id"))?;
    Ok(Side::Version(id))
}

pub fn lists_diff(args: DiffArgs) -> Result<ExitCode> {
    let (old, new) = (side(&args.old)?, side(&args.new)?);
    let diff: ListDiff = match (old, new) {
        (Side::Version(a), Side::Version(b)) => open_store()?.diff_versions(a, b)?,
        (a, b) => {
            let mut store = None;
            let mut get = |s: Side| -> Result<Vec<Entity>> {
                Ok(match s {
                    Side::File(e) => e,
                    Side::Version(id) => {
                        if store.is_none() {
                            store = Some(open_store()?);
                        }
                        match store.as_mut() {
                            Some(st) => st.version_entities(id)?,
                            None => bail!("no store"),
                        }
                    }
                })
            };
            let (a, b) = (get(a)?, get(b)?);
            interdict_store::diff_entities(&a, &b)?
        }
    };
    if args.json {
        print_json(&interdict_store::diff_json(&diff))?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{} added, {} removed, {} changed",
        diff.added.len(),
        diff.removed.len(),
        diff.changed.len()
    );
    for id in &diff.added {
        println!("+ {id}");
    }
    for id in &diff.removed {
        println!("- {id}");
    }
    for c in &diff.details {
        println!("~ {} ({})", c.id, c.fields.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}

// ---------------------------------------------------------------------------------------------
// subjects

#[derive(Subcommand)]
pub enum SubjectsCommand {
    /// Import customers from CSV (header: external_id,name,birth_date,country,identifiers,schema)
    /// or JSON lines. Changed customers get a new revision; bad rows are listed with their line
    /// numbers and skipped (exit status 1 when any was).
    Import(SubjectsImportArgs),
}

#[derive(Args)]
pub struct SubjectsImportArgs {
    pub file: PathBuf,
    #[arg(long)]
    pub json: bool,
}

pub fn subjects(cmd: SubjectsCommand) -> Result<ExitCode> {
    let SubjectsCommand::Import(args) = cmd;
    let (rows, rejected) = interdict_store::subjects::parse_file(&args.file)?;
    let mut store = open_store()?;
    let mut report = store.upsert_subjects(rows, &args.file.display().to_string(), &actor())?;
    report.rows += rejected.len();
    report.rejected = rejected;
    if args.json {
        print_json(&report)?;
    } else {
        println!(
            "{} rows: {} new, {} updated, {} unchanged, {} rejected",
            report.rows,
            report.inserted,
            report.updated,
            report.unchanged,
            report.rejected.len()
        );
    }
    for e in &report.rejected {
        eprintln!("{}:{}: {}", args.file.display(), e.line, e.message);
    }
    Ok(if report.rejected.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

// ---------------------------------------------------------------------------------------------
// monitor

#[derive(Subcommand)]
pub enum MonitorCommand {
    /// Screen what changed since the last run: existing customers against new and changed
    /// list entities, new and changed customers against the whole lists. Raises alerts.
    Run(MonitorRunArgs),
    /// Take the current lists and customers as screened without screening them (migration
    /// from another system). Later runs screen only what changes.
    Baseline,
}

#[derive(Args)]
pub struct MonitorRunArgs {
    /// Score at or above which a match raises an alert.
    #[arg(long, default_value_t = DEFAULT_THRESHOLD)]
    pub threshold: f64,
    /// POST new alerts as JSON to this URL.
    #[arg(long, env = "INTERDICT_WEBHOOK_URL")]
    pub webhook: Option<String>,
    /// Webhook attempts in all before giving up.
    #[arg(long, default_value_t = 5)]
    pub webhook_attempts: u32,
    /// Screening threads (0: all cores).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    #[arg(long)]
    pub json: bool,
}

pub fn monitor(cmd: MonitorCommand) -> Result<ExitCode> {
    let args = match cmd {
        MonitorCommand::Run(a) => a,
        MonitorCommand::Baseline => {
            open_store()?.monitor_accept_baseline(&actor())?;
            println!("baseline accepted");
            return Ok(ExitCode::SUCCESS);
        }
    };
    if !(0.0..=1.0).contains(&args.threshold) {
        bail!("--threshold {} is outside [0, 1]", args.threshold);
    }
    let mut store = open_store()?;
    let opts = MonitorOptions {
        threshold: args.threshold,
        actor: actor(),
        webhook: args.webhook.map(|u| {
            let mut c = WebhookConfig::new(u);
            c.max_attempts = args.webhook_attempts.max(1);
            c
        }),
        threads: args.threads,
    };
    let r = store.monitor_run(&opts)?;
    if args.json {
        print_json(&r)?;
    } else {
        println!(
            "{} new/changed list entities; {} customers screened against them, {} new/changed \
             customers against the whole lists; {} matches, {} new alerts ({} already open, {} \
             allowlisted)",
            r.delta_entities,
            r.delta_subjects,
            r.full_subjects,
            r.matches,
            r.alerts.len(),
            r.already_open,
            r.allowlisted
        );
        for a in &r.alerts {
            println!(
                "alert {}: {} ~ {} score {:.3}",
                a.id, a.external_id, a.entity_id, a.score
            );
        }
    }
    if let Some(w) = &r.webhook {
        if !w.delivered {
            eprintln!(
                "warning: webhook not delivered after {} attempts: {}",
                w.attempts,
                w.last_error.as_deref().unwrap_or("unknown error")
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

// ---------------------------------------------------------------------------------------------
// alerts

#[derive(Subcommand)]
pub enum AlertsCommand {
    /// List alerts, oldest first.
    List(AlertsListArgs),
    /// Record a decision on an alert.
    Decide(DecideArgs),
}

#[derive(Args)]
pub struct AlertsListArgs {
    /// open, pending_second_review, escalated, true_match or false_positive.
    #[arg(long)]
    pub status: Option<String>,
    /// Only alerts of this customer (external id).
    #[arg(long)]
    pub subject: Option<String>,
    #[arg(long)]
    pub limit: Option<i64>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct DecideArgs {
    pub id: i64,
    /// true-match, false-positive or escalated.
    #[arg(long)]
    pub decision: String,
    #[arg(long)]
    pub user: String,
    #[arg(long)]
    pub reason: String,
    /// A false positive needs a second, different user to confirm it.
    #[arg(long, env = "INTERDICT_FOUR_EYES", default_value_t = true, action = clap::ArgAction::Set)]
    pub four_eyes: bool,
    #[arg(long)]
    pub json: bool,
}

pub fn alerts(cmd: AlertsCommand) -> Result<ExitCode> {
    match cmd {
        AlertsCommand::List(args) => {
            let status = match &args.status {
                Some(s) => Some(AlertStatus::parse(s).ok_or_else(|| {
                    anyhow!(
                        "--status {s:?}: expected open, pending_second_review, escalated, \
                         true_match or false_positive"
                    )
                })?),
                None => None,
            };
            let alerts = open_store()?.list_alerts(&AlertFilter {
                status,
                subject_external_id: args.subject,
                limit: args.limit,
            })?;
            if args.json {
                print_json(&alerts)?;
            } else {
                for a in &alerts {
                    println!(
                        "{:>6}  {:<22} {:<24} {:<16} {:.3}  {}",
                        a.id,
                        a.status.as_str(),
                        a.external_id,
                        a.entity_id,
                        a.score,
                        a.created_at
                    );
                }
                eprintln!("{} alerts", alerts.len());
            }
            Ok(ExitCode::SUCCESS)
        }
        AlertsCommand::Decide(args) => {
            let d = Decision::parse(&args.decision).ok_or_else(|| {
                anyhow!(
                    "--decision {:?}: expected true-match, false-positive or escalated",
                    args.decision
                )
            })?;
            let out = open_store()?.decide(
                args.id,
                d,
                &args.user,
                &args.reason,
                DecisionPolicy {
                    four_eyes: args.four_eyes,
                },
            )?;
            if args.json {
                print_json(&out)?;
            } else {
                println!(
                    "alert {}: {} → {} (decision {})",
                    args.id,
                    out.status_before.as_str(),
                    out.alert.status.as_str(),
                    out.decision_id
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// audit

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check the hash chain; names each record that was edited, deleted or reordered and
    /// exits 1 if any was.
    Verify(AuditVerifyArgs),
    /// Write the audit log as JSON lines.
    Export(AuditExportArgs),
}

#[derive(Args)]
pub struct AuditVerifyArgs {
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct AuditExportArgs {
    /// Output file (default: standard output).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn audit(cmd: AuditCommand) -> Result<ExitCode> {
    let mut store = open_store()?;
    match cmd {
        AuditCommand::Verify(args) => {
            let r = store.audit_verify()?;
            if args.json {
                print_json(&json!({"ok": r.ok(), "records": r.records,
                    "last_seq": r.last_seq, "problems": r.problems}))?;
            } else if r.ok() {
                println!("audit log intact: {} records", r.records);
            } else {
                for p in &r.problems {
                    println!("seq {}: {}", p.seq, p.problem);
                }
                println!("audit log TAMPERED: {} problems", r.problems.len());
            }
            Ok(if r.ok() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        AuditCommand::Export(args) => {
            let n = match &args.out {
                Some(p) => {
                    let f = File::create(p).with_context(|| format!("creating {}", p.display()))?;
                    let mut w = BufWriter::new(f);
                    let n = store.audit_export(&mut w)?;
                    w.flush()?;
                    n
                }
                None => {
                    let mut w = BufWriter::new(io::stdout().lock());
                    let n = store.audit_export(&mut w)?;
                    w.flush()?;
                    n
                }
            };
            eprintln!("{n} audit records exported");
            Ok(ExitCode::SUCCESS)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// history

#[derive(Subcommand)]
pub enum HistoryCommand {
    /// List the stored list versions.
    Versions {
        #[arg(long)]
        json: bool,
    },
    /// Screen a name against the lists as they were on a date ("was this name listed on
    /// 2024-03-23?"). The request is recorded in the audit log.
    Screen(HistoryScreenArgs),
}

#[derive(Args)]
pub struct HistoryScreenArgs {
    pub name: String,
    /// The date (YYYY-MM-DD): each list's latest version issued on or before it.
    #[arg(long)]
    pub as_of: String,
    /// Person, Organization, Company, LegalEntity, Vessel or Airplane.
    #[arg(long)]
    pub schema: Option<String>,
    #[arg(long, default_value_t = DEFAULT_THRESHOLD)]
    pub threshold: f64,
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    #[arg(long)]
    pub json: bool,
}

pub fn history(cmd: HistoryCommand) -> Result<ExitCode> {
    let mut store = open_store()?;
    match cmd {
        HistoryCommand::Versions { json } => {
            let vs = store.list_versions()?;
            if json {
                print_json(&vs)?;
            } else {
                for v in &vs {
                    println!(
                        "{:>4}  {:<16} issued {:<10}  {:>6} entities  imported {}  {}",
                        v.id,
                        v.dataset,
                        v.issued.as_deref().unwrap_or("-"),
                        v.entities,
                        v.imported_at,
                        v.source
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        HistoryCommand::Screen(args) => {
            let mut q = Query::name(args.name.clone());
            if let Some(s) = &args.schema {
                q.schema = Some(
                    s.parse()
                        .map_err(|_| anyhow!("--schema {s:?} is unknown"))?,
                );
            }
            let (index, versions) = store.index_as_of(&args.as_of)?;
            let opts = ScreenOptions {
                threshold: args.threshold,
                cutoff: args.threshold,
                limit: args.limit,
                ..ScreenOptions::default()
            };
            let matches = index.screen(&q, &opts);
            let ids: Vec<i64> = versions.iter().map(|v| v.id).collect();
            let results: Vec<_> = matches
                .iter()
                .map(|m| json!({"entity_id": m.entity_id, "name": m.name, "score": m.score}))
                .collect();
            store.audit_screening(
                &actor(),
                &json!({"name": args.name, "schema": args.schema, "as_of": args.as_of}),
                &json!({"versions": ids}),
                &json!(results),
            )?;
            if args.json {
                let full: Vec<_> = matches
                    .iter()
                    .map(|m| {
                        json!({"entity_id": m.entity_id, "schema": m.schema, "name": m.name,
                            "score": m.score, "explanation": m.explanation})
                    })
                    .collect();
                print_json(&json!({"as_of": args.as_of, "versions": versions,
                    "listed": !matches.is_empty(), "matches": full}))?;
            } else {
                let vs: Vec<String> = versions
                    .iter()
                    .map(|v| format!("{} v{} ({})", v.dataset, v.id, v.effective_date()))
                    .collect();
                eprintln!("as of {}: {}", args.as_of, vs.join(", "));
                if matches.is_empty() {
                    println!("no match: not listed on {}", args.as_of);
                }
                for m in &matches {
                    println!("{:.3}  {}  {}", m.score, m.name, m.entity_id);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
