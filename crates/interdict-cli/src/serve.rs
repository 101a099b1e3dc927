//! `interdict serve`: the HTTP screening API (native `/v1` routes and a yente-compatible
//! surface). The server itself lives in the `interdict-server` crate; this is its front door.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use interdict_server::{
    path_loader, AppState, LoadedList, Loader, ServerConfig, StoreHandle, StoreOpener,
};
use interdict_store::{DecisionPolicy, MonitorOptions, WebhookConfig};

#[derive(clap::Args)]
pub struct ServeArgs {
    /// List file or folder to load (repeatable; any supported format). Overrides the lists of
    /// the config file; with neither, the bundled sample list.
    #[arg(long = "lists", alias = "list", num_args = 1..)]
    pub lists: Vec<PathBuf>,
    /// Address to listen on. Without API keys only loopback addresses are allowed.
    #[arg(long)]
    pub bind: Option<SocketAddr>,
    /// JSON configuration file: bind, lists, api_keys, limits.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// With a store (--data-dir or --database-url): POST new alerts found by monitoring as
    /// JSON to this URL.
    #[arg(long, env = "INTERDICT_WEBHOOK_URL")]
    pub webhook: Option<String>,
    /// With a store: score at or above which monitoring raises an alert.
    #[arg(long, default_value_t = interdict_engine::DEFAULT_THRESHOLD)]
    pub monitor_threshold: f64,
    /// Print the OpenAPI document and exit.
    #[arg(long)]
    pub openapi: bool,
}

/// Default listening address.
const DEFAULT_BIND: &str = "127.0.0.1:8000";

fn sample_loader() -> Loader {
    Arc::new(|| {
        Ok(vec![LoadedList {
            source: "bundled sample".into(),
            dataset: crate::sample::SAMPLE_DATASET.into(),
            format: "ftm".into(),
            issued: None,
            entities: crate::sample::sample_entities(),
        }])
    })
}

pub fn run(args: ServeArgs) -> Result<ExitCode> {
    if args.openapi {
        println!("{}", interdict_server::openapi_json());
        return Ok(ExitCode::SUCCESS);
    }
    // Logs go to stderr; RUST_LOG filters (default info), INTERDICT_LOG_FORMAT=json gives one
    // JSON object per line. At info level they carry counts, ids, routes and latencies only.
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if std::env::var("INTERDICT_LOG_FORMAT").is_ok_and(|f| f == "json") {
        builder.json().init();
    } else {
        builder.init();
    }

    let mut config = match &args.config {
        Some(p) => ServerConfig::from_file(p)?,
        None => ServerConfig::default(),
    };
    if let Ok(keys) = std::env::var("INTERDICT_API_KEYS") {
        config.add_keys_from_env_value(&keys)?;
    }
    if !args.lists.is_empty() {
        config.lists = args.lists.clone();
    }
    for p in &config.lists {
        if !p.exists() {
            bail!("list {} does not exist", p.display());
        }
    }
    let bind = match args.bind.or(config.bind) {
        Some(b) => b,
        None => DEFAULT_BIND.parse().context("default bind address")?,
    };
    config.check_bind(bind)?;
    let loader = if config.lists.is_empty() {
        sample_loader()
    } else {
        path_loader(config.lists.clone())
    };
    let keys = config.api_keys.len();
    let state = if crate::store_cmd::store_configured() {
        if !(0.0..=1.0).contains(&args.monitor_threshold) {
            bail!(
                "--monitor-threshold {} is outside [0, 1]",
                args.monitor_threshold
            );
        }
        let open: StoreOpener =
            Arc::new(|| crate::store_cmd::open_store().map_err(|e| format!("{e:#}").into()));
        let monitor = MonitorOptions {
            threshold: args.monitor_threshold,
            actor: "interdict-serve".into(),
            webhook: args.webhook.clone().map(WebhookConfig::new),
            threads: 0,
        };
        let store = StoreHandle::open(open, monitor, DecisionPolicy::default())
            .context("opening the store")?;
        tracing::info!(
            store = store.location(),
            "store configured: subjects, alerts, monitoring and audit enabled"
        );
        AppState::with_store(config, loader, store)
    } else {
        AppState::new(config, loader)
    };

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(bind)
            .await
            .with_context(|| format!("cannot listen on {bind}"))?;
        let local = listener.local_addr()?;
        tracing::info!(addr = %local, api_keys = keys, "listening");
        if keys == 0 {
            tracing::warn!("no API keys configured: every route is open (loopback only)");
        }
        interdict_server::serve(listener, state, interdict_server::shutdown_signal()).await?;
        tracing::info!("stopped");
        Ok::<_, anyhow::Error>(())
    })?;
    Ok(ExitCode::SUCCESS)
}
