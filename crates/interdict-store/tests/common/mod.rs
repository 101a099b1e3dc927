//! Runs each store test against both backends: SQLite in a temporary directory, and the real
//! PostgreSQL server (`$INTERDICT_TEST_DATABASE_URL`, default
//! `postgres://postgres@127.0.0.1:5432/test`) in a schema of its own that is dropped afterwards.
//! A PostgreSQL test fails, never skips, when the server cannot be reached.

#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};

use interdict_store::Store;

pub fn pg_url() -> String {
    std::env::var("INTERDICT_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

/// Where a test's data lives; cleans up on drop.
pub enum Place {
    Sqlite(tempfile::TempDir),
    Postgres { schema: String },
}

impl Place {
    pub fn sqlite() -> Place {
        Place::Sqlite(tempfile::tempdir().expect("temporary directory"))
    }

    pub fn postgres(name: &str) -> Place {
        static N: AtomicU32 = AtomicU32::new(0);
        let schema = format!(
            "itest_{}_{}_{}_{}",
            name.chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .take(20)
                .collect::<String>(),
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or(0)
        )
        .to_lowercase();
        let mut c = postgres::Client::connect(&pg_url(), postgres::NoTls).unwrap_or_else(|e| {
            panic!("PostgreSQL at {} is required for this test: {e}", pg_url())
        });
        c.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
            .expect("drop schema");
        Place::Postgres { schema }
    }

    /// Opens (or reopens) the store.
    pub fn open(&self) -> Store {
        match self {
            Place::Sqlite(dir) => Store::open_sqlite(&dir.path().join("interdict.db")),
            Place::Postgres { schema } => Store::connect_postgres_in(&pg_url(), Some(schema)),
        }
        .expect("open store")
    }

    /// `--data-dir` and `--database-url` arguments for the command line.
    pub fn cli_args(&self) -> Vec<String> {
        match self {
            Place::Sqlite(dir) => vec!["--data-dir".into(), dir.path().display().to_string()],
            Place::Postgres { schema } => {
                let sep = if pg_url().contains('?') { '&' } else { '?' };
                vec![
                    "--database-url".into(),
                    format!("{}{sep}options=-csearch_path%3D{schema}", pg_url()),
                ]
            }
        }
    }

    /// Runs SQL directly, behind the store's back (to tamper with data in tests).
    pub fn raw_sql(&self, sql: &str) {
        match self {
            Place::Sqlite(dir) => {
                let c = rusqlite::Connection::open(dir.path().join("interdict.db")).expect("open");
                c.execute_batch(sql).expect("raw SQL");
            }
            Place::Postgres { schema } => {
                let mut c = postgres::Client::connect(&pg_url(), postgres::NoTls).expect("connect");
                c.batch_execute(&format!("SET search_path TO {schema}; {sql}"))
                    .expect("raw SQL");
            }
        }
    }

    /// One integer from a query run directly.
    pub fn raw_count(&self, sql: &str) -> i64 {
        match self {
            Place::Sqlite(dir) => {
                let c = rusqlite::Connection::open(dir.path().join("interdict.db")).expect("open");
                c.query_row(sql, [], |r| r.get(0)).expect("raw query")
            }
            Place::Postgres { schema } => {
                let mut c = postgres::Client::connect(&pg_url(), postgres::NoTls).expect("connect");
                c.batch_execute(&format!("SET search_path TO {schema}"))
                    .expect("schema");
                c.query_one(sql, &[]).expect("raw query").get(0)
            }
        }
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        if let Place::Postgres { schema } = self {
            if let Ok(mut c) = postgres::Client::connect(&pg_url(), postgres::NoTls) {
                let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
            }
        }
    }
}

/// Defines `mod NAME { fn sqlite(); fn postgres(); }`, each calling `$body(&Place)`.
#[macro_export]
macro_rules! both_backends {
    ($name:ident, $body:ident) => {
        mod $name {
            #[test]
            fn sqlite() {
                let place = $crate::common::Place::sqlite();
                super::$body(&place);
            }
            #[test]
            fn postgres() {
                let place = $crate::common::Place::postgres(stringify!($name));
                super::$body(&place);
            }
        }
    };
}
