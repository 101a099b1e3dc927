//! What the server holds: the current index (hot-swappable) and the means to rebuild it.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use arc_swap::ArcSwapOption;
use interdict_engine::Index;
use interdict_model::Entity;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::RateLimiter;
use crate::config::ServerConfig;
use crate::error::ServerError;
use crate::metrics::Metrics;
use crate::store_api::{import_batch, StoreHandle};

/// One list as read by a [`Loader`].
pub struct LoadedList {
    /// Where it came from (a path, or a description such as "bundled sample").
    pub source: String,
    /// Dataset name, e.g. `us_ofac_sdn`.
    pub dataset: String,
    /// Detected format, e.g. `ofac_xml`.
    pub format: String,
    /// Publication date the file states, if any.
    pub issued: Option<String>,
    pub entities: Vec<Entity>,
}

/// Reads the configured lists; called at start-up and on every reload, off the request path.
pub type Loader = Arc<dyn Fn() -> Result<Vec<LoadedList>, ServerError> + Send + Sync>;

/// A loader for list files and folders in any format `interdict-lists` reads.
pub fn path_loader(paths: Vec<PathBuf>) -> Loader {
    Arc::new(move || load_paths(&paths))
}

/// Reads each path (format detected from content).
pub fn load_paths(paths: &[PathBuf]) -> Result<Vec<LoadedList>, ServerError> {
    paths
        .iter()
        .map(|p| {
            let (format, info, entities) = interdict_lists::load(p, None)
                .map_err(|e| ServerError::Load(format!("{}: {e}", p.display())))?;
            Ok(LoadedList {
                source: p.display().to_string(),
                dataset: info.dataset,
                format: format.to_string(),
                issued: info.issued,
                entities,
            })
        })
        .collect()
}

/// Facts about one loaded list, for `/v1/lists` and `/catalog`.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ListMeta {
    pub source: String,
    pub dataset: String,
    pub format: String,
    pub issued: Option<String>,
    pub entities: usize,
    /// When this server loaded it (UTC, ISO 8601).
    pub loaded_at: String,
}

/// One immutable generation of loaded lists: replaced as a whole on reload.
pub struct Loaded {
    pub index: Index,
    pub lists: Vec<ListMeta>,
    /// Every dataset name an entity carries, sorted.
    pub datasets: BTreeSet<String>,
    pub loaded_at: String,
    pub generation: u64,
}

impl Loaded {
    /// Builds the index over all lists (CPU-heavy: call from a blocking thread).
    pub fn build(lists: Vec<LoadedList>, generation: u64) -> Loaded {
        let loaded_at = now_iso();
        let mut metas = Vec::with_capacity(lists.len());
        let mut all = Vec::new();
        let mut datasets = BTreeSet::new();
        for l in lists {
            metas.push(ListMeta {
                source: l.source,
                dataset: l.dataset.clone(),
                format: l.format,
                issued: l.issued,
                entities: l.entities.len(),
                loaded_at: loaded_at.clone(),
            });
            if !l.dataset.is_empty() {
                datasets.insert(l.dataset);
            }
            for e in &l.entities {
                datasets.insert(e.source.clone());
            }
            all.extend(l.entities);
        }
        Loaded {
            index: Index::build(all),
            lists: metas,
            datasets,
            loaded_at,
            generation,
        }
    }
}

/// Shared server state; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub current: ArcSwapOption<Loaded>,
    pub loader: Loader,
    pub config: ServerConfig,
    pub metrics: Metrics,
    pub limiter: RateLimiter,
    pub reload_lock: tokio::sync::Mutex<()>,
    pub started: Instant,
    pub store: Option<StoreHandle>,
}

/// What a reload did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReloadReport {
    pub generation: u64,
    pub lists: usize,
    pub entities: usize,
    pub took_ms: u64,
    /// With a store: `"started"` — the lists are being stored as new versions and
    /// monitoring runs in the background.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monitoring: Option<String>,
}

impl AppState {
    pub fn new(config: ServerConfig, loader: Loader) -> AppState {
        Self::build(config, loader, None)
    }

    /// A server with a store: subjects, alerts and monitoring routes, an audit record per
    /// screening request, and monitoring after every list (re)load.
    pub fn with_store(config: ServerConfig, loader: Loader, store: StoreHandle) -> AppState {
        Self::build(config, loader, Some(store))
    }

    fn build(config: ServerConfig, loader: Loader, store: Option<StoreHandle>) -> AppState {
        let limiter = RateLimiter::new(config.limits.rate_per_second, config.limits.rate_burst);
        AppState {
            inner: Arc::new(Inner {
                current: ArcSwapOption::empty(),
                loader,
                config,
                metrics: Metrics::default(),
                limiter,
                reload_lock: tokio::sync::Mutex::new(()),
                started: Instant::now(),
                store,
            }),
        }
    }

    /// The store, when the server has one.
    pub fn store(&self) -> Option<&StoreHandle> {
        self.inner.store.as_ref()
    }

    pub fn config(&self) -> &ServerConfig {
        &self.inner.config
    }

    /// The lists in force, or `None` until the first load finishes.
    pub fn current(&self) -> Option<Arc<Loaded>> {
        self.inner.current.load_full()
    }

    pub fn is_ready(&self) -> bool {
        self.inner.current.load().is_some()
    }

    /// Reads the lists and builds a new index on a blocking thread, then swaps it in.
    /// Requests in flight keep the generation they started with.
    pub async fn reload(&self) -> Result<ReloadReport, ServerError> {
        let _guard = self.inner.reload_lock.lock().await;
        self.reload_locked().await
    }

    /// Like [`AppState::reload`], but fails at once when another reload is running.
    pub(crate) async fn try_reload(&self) -> Option<Result<ReloadReport, ServerError>> {
        let _guard = self.inner.reload_lock.try_lock().ok()?;
        Some(self.reload_locked().await)
    }

    async fn reload_locked(&self) -> Result<ReloadReport, ServerError> {
        let start = Instant::now();
        let loader = self.inner.loader.clone();
        let generation = self.current().map(|c| c.generation + 1).unwrap_or(1);
        let keep_copy = self.inner.store.is_some();
        let (loaded, to_store) = tokio::task::spawn_blocking(move || {
            let lists = loader()?;
            // The index takes the entities; the store needs them too (only with a store).
            let to_store = keep_copy.then(|| import_batch(&lists));
            Ok::<_, ServerError>((Loaded::build(lists, generation), to_store))
        })
        .await
        .map_err(|e| ServerError::Load(format!("index build task failed: {e}")))??;
        let mut report = ReloadReport {
            generation,
            lists: loaded.lists.len(),
            entities: loaded.index.len(),
            took_ms: start.elapsed().as_millis() as u64,
            monitoring: None,
        };
        self.inner
            .metrics
            .set_index(report.entities as u64, generation);
        self.inner.current.store(Some(Arc::new(loaded)));
        if let (Some(store), Some(lists)) = (self.inner.store.clone(), to_store) {
            tokio::spawn(async move { store.sync_lists(lists).await });
            report.monitoring = Some("started".into());
        }
        Ok(report)
    }
}

/// Current time as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn now_iso() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    iso_from_unix(secs)
}

fn iso_from_unix(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn iso_dates() {
        assert_eq!(super::iso_from_unix(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::iso_from_unix(1_709_337_600), "2024-03-02T00:00:00Z");
        assert_eq!(
            super::iso_from_unix(951_782_400 + 3661),
            "2000-02-29T01:01:01Z"
        );
    }
}
