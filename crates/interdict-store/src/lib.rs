//! Interdict's persistence: stored list versions and their deltas, the monitored customer base
//! ("subjects"), monitoring alerts and their dispositions, and a tamper-evident audit log.
//!
//! One [`Store`] type runs on either backend: embedded SQLite (a file in the data directory,
//! nothing to install) or PostgreSQL. The logic is written once over [`db::Tx`], which takes
//! `$1`-style SQL on both; the schema is created by versioned [`migrations`].
//!
//! Every write that matters happens in one transaction together with its audit record, so
//! after a crash either both are there or neither is:
//! - a list import is one transaction and its version is marked `complete` at its end;
//! - a decision, its alert status change and its audit record commit together;
//! - the audit log is a hash chain ([`audit`]); [`Store::audit_verify`] names the first record
//!   that was edited, deleted or moved.
//!
//! The store is synchronous; an async server calls it from a blocking thread.

pub mod audit;
pub mod db;
pub mod migrations;
pub mod monitor;
pub mod prefilter;
pub mod subjects;
pub mod synth;
pub mod util;
pub mod versions;
pub mod webhook;

use std::path::{Path, PathBuf};

pub use audit::{AuditRecord, VerifyReport};
pub use db::Backend;
pub use monitor::{
    Alert, AlertFilter, AlertStatus, Decision, DecisionOutcome, DecisionPolicy, DecisionRecord,
    MonitorOptions, MonitorReport,
};
pub use subjects::{RowError, Subject, SubjectImportReport, SubjectInput, SubjectWrite};
pub use versions::{
    diff_entities, diff_json, entity_hash, ChangedEntity, ImportMeta, ImportOutcome, ListDiff,
    ListVersion,
};
pub use webhook::{WebhookConfig, WebhookOutcome};

/// Errors from the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] postgres::Error),
    #[error("reading list: {0}")]
    List(#[from] interdict_lists::ListError),
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("I/O on {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "unsupported database URL {0:?} (expected postgres://…, postgresql://… or sqlite:PATH)"
    )]
    BadUrl(String),
    #[error("the database schema is at version {found}, newer than this program knows ({known})")]
    SchemaTooNew { found: i64, known: i64 },
    #[error("{0} not found")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The persistent store.
pub struct Store {
    conn: db::Conn,
    location: String,
}

impl Store {
    /// Opens (creating if needed) the SQLite database at `path` and brings its schema up to date.
    pub fn open_sqlite(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let conn = rusqlite::Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        // WAL: readers do not block the writer; synchronous=FULL: a committed transaction
        // (an acknowledged decision) survives a power cut, not only a process crash.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut store = Store {
            conn: db::Conn::Sqlite(conn),
            location: path.display().to_string(),
        };
        migrations::migrate(&mut store.conn)?;
        Ok(store)
    }

    /// Connects to PostgreSQL (`postgres://user@host:port/db`) and brings the schema up to date.
    pub fn connect_postgres(url: &str) -> Result<Store> {
        Self::connect_postgres_in(url, None)
    }

    /// Like [`Store::connect_postgres`], but keeps every table in the given schema (created if
    /// missing) — used to give each test, or each tenant, its own namespace.
    pub fn connect_postgres_in(url: &str, schema: Option<&str>) -> Result<Store> {
        let mut client = postgres::Client::connect(url, postgres::NoTls)?;
        if let Some(s) = schema {
            if s.is_empty() || !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(StoreError::Invalid(format!(
                    "schema name {s:?}: use letters, digits and underscores"
                )));
            }
            client.batch_execute(&format!(
                "CREATE SCHEMA IF NOT EXISTS {s}; SET search_path TO {s}"
            ))?;
        }
        let mut store = Store {
            conn: db::Conn::Postgres(Box::new(client)),
            location: redact_url(url),
        };
        migrations::migrate(&mut store.conn)?;
        Ok(store)
    }

    /// Opens the store a command line asks for: `database_url` when given (PostgreSQL, or
    /// `sqlite:PATH`), else `interdict.db` in `data_dir`.
    pub fn open(data_dir: &Path, database_url: Option<&str>) -> Result<Store> {
        match database_url.map(str::trim).filter(|u| !u.is_empty()) {
            None => Self::open_sqlite(&data_dir.join("interdict.db")),
            Some(u) if u.starts_with("postgres://") || u.starts_with("postgresql://") => {
                Self::connect_postgres(u)
            }
            Some(u) => match u
                .strip_prefix("sqlite://")
                .or_else(|| u.strip_prefix("sqlite:"))
            {
                Some(p) => Self::open_sqlite(Path::new(p)),
                None => Err(StoreError::BadUrl(u.to_string())),
            },
        }
    }

    pub fn backend(&self) -> Backend {
        self.conn.backend()
    }

    /// Where the data lives (a file path, or the database URL without its password).
    pub fn location(&self) -> &str {
        &self.location
    }

    /// The schema version the database is at.
    pub fn schema_version(&mut self) -> Result<i64> {
        let mut tx = self.conn.begin()?;
        let v = tx
            .query_one(
                "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                &[],
            )?
            .int(0)?;
        tx.commit()?;
        Ok(v)
    }

    pub(crate) fn begin(&mut self) -> Result<db::Tx<'_>> {
        self.conn.begin()
    }
}

fn redact_url(url: &str) -> String {
    // postgres://user:password@host → postgres://user:***@host
    if let Some((scheme, rest)) = url.split_once("://") {
        if let Some((cred, host)) = rest.split_once('@') {
            if let Some((user, _)) = cred.split_once(':') {
                return format!("{scheme}://{user}:***@{host}");
            }
        }
    }
    url.to_string()
}

/// Test hook: when the environment variable `name` is set, print a marker to stderr and sleep
/// (inside whatever transaction is open), so a crash test can kill the process there.
pub(crate) fn test_pause(name: &str, what: &str) {
    if std::env::var_os(name).is_some() {
        eprintln!("interdict-test-hook: paused in {what}");
        std::thread::sleep(std::time::Duration::from_secs(120));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            super::redact_url("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(super::redact_url("postgres://u@h/db"), "postgres://u@h/db");
    }
}
