//! The store commands end to end, and crash safety: the `interdict` process is killed with
//! SIGKILL inside a list import and inside a decision, then the store is reopened. Each test
//! runs on SQLite and on the real PostgreSQL server (which must be reachable:
//! `$INTERDICT_TEST_DATABASE_URL`, default `postgres://postgres@127.0.0.1:5432/test`).

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

fn pg_url() -> String {
    std::env::var("INTERDICT_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

fn ofac(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/lists/ofac")
        .join(name)
        .display()
        .to_string()
}

enum Place {
    Sqlite(tempfile::TempDir),
    Postgres(String),
}

impl Place {
    fn sqlite() -> Place {
        Place::Sqlite(tempfile::tempdir().unwrap())
    }

    fn postgres(name: &str) -> Place {
        static N: AtomicU32 = AtomicU32::new(0);
        let schema = format!(
            "clitest_{name}_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        );
        let mut c = postgres::Client::connect(&pg_url(), postgres::NoTls)
            .unwrap_or_else(|e| panic!("PostgreSQL at {} is required: {e}", pg_url()));
        c.batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
        ))
        .unwrap();
        Place::Postgres(schema)
    }

    fn args(&self) -> Vec<String> {
        match self {
            Place::Sqlite(d) => vec!["--data-dir".into(), d.path().display().to_string()],
            Place::Postgres(schema) => {
                let sep = if pg_url().contains('?') { '&' } else { '?' };
                vec![
                    "--database-url".into(),
                    format!("{}{sep}options=-csearch_path%3D{schema}", pg_url()),
                ]
            }
        }
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_interdict"));
        c.args(self.args())
            .args(args)
            .env_remove("INTERDICT_DATABASE_URL")
            .env_remove("INTERDICT_DATA_DIR")
            .env("INTERDICT_ACTOR", "tester")
            .stdin(Stdio::null());
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert!(
            o.status.success(),
            "interdict {args:?} failed: {}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    fn sql(&self, sql: &str) {
        match self {
            Place::Sqlite(d) => rusqlite::Connection::open(d.path().join("interdict.db"))
                .unwrap()
                .execute_batch(sql)
                .unwrap(),
            Place::Postgres(schema) => postgres::Client::connect(&pg_url(), postgres::NoTls)
                .unwrap()
                .batch_execute(&format!("SET search_path TO {schema}; {sql}"))
                .unwrap(),
        }
    }

    fn count(&self, sql: &str) -> i64 {
        match self {
            Place::Sqlite(d) => rusqlite::Connection::open(d.path().join("interdict.db"))
                .unwrap()
                .query_row(sql, [], |r| r.get(0))
                .unwrap(),
            Place::Postgres(schema) => {
                let mut c = postgres::Client::connect(&pg_url(), postgres::NoTls).unwrap();
                c.batch_execute(&format!("SET search_path TO {schema}"))
                    .unwrap();
                c.query_one(sql, &[]).unwrap().get(0)
            }
        }
    }

    /// Starts a command with a test pause hook, waits until it reports being paused inside
    /// its transaction, and kills it with SIGKILL.
    fn kill_when_paused(&self, args: &[&str], hook: (&str, &str)) {
        let mut child = self
            .cmd(args)
            .env(hook.0, hook.1)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if line.contains("interdict-test-hook: paused") {
                    let _ = tx.send(());
                }
            }
        });
        let paused = rx.recv_timeout(Duration::from_secs(240));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        assert!(paused.is_ok(), "{args:?} never reached its pause point");
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        if let Place::Postgres(schema) = self {
            if let Ok(mut c) = postgres::Client::connect(&pg_url(), postgres::NoTls) {
                let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
            }
        }
    }
}

const SUBJECTS_CSV: &str = "external_id,name,birth_date,country,identifiers,schema\n\
c-zhao,Guangzong Zhao,,China,,person\n\
c-ni,倪高彬,,,,person\n\
c-anna,Anna Schmidt,1980-02-03,Germany,passport:C01X00T47,person\n\
c-bad,Someone,31/31/1990,,,person\n\
c-wuhan,Wuhan Xiaoruizhi Sci & Tech Co Ltd,,,,company\n";

fn end_to_end(place: &Place) {
    let dir = tempfile::tempdir().unwrap();
    place.ok(&[
        "lists",
        "import",
        &ofac("csv-2024-03-22"),
        "--issued",
        "2024-03-22",
    ]);
    // Same content again: nothing stored.
    let again = place.ok(&[
        "lists",
        "import",
        &ofac("csv-2024-03-22"),
        "--issued",
        "2024-03-22",
    ]);
    assert!(again.contains("unchanged"), "{again}");

    let csv = dir.path().join("subjects.csv");
    std::fs::write(&csv, SUBJECTS_CSV).unwrap();
    let o = place.run(&["subjects", "import", csv.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "a rejected row gives exit status 1"
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("subjects.csv:5:"),
        "bad row named by line: {err}"
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("4 new"));

    let base = place.json(&["monitor", "run", "--json"]);
    assert_eq!(base["full_subjects"], 4);
    assert_eq!(base["alerts"].as_array().unwrap().len(), 0);

    let imp = place.json(&[
        "lists",
        "import",
        &ofac("csv-2024-03-25"),
        "--issued",
        "2024-03-25",
        "--json",
    ]);
    assert_eq!(imp["added"], 23);
    let files = place.json(&[
        "lists",
        "diff",
        &ofac("csv-2024-03-22"),
        &ofac("csv-2024-03-25"),
        "--json",
    ]);
    let stored = place.json(&["lists", "diff", "1", "2", "--json"]);
    for d in [&files, &stored] {
        assert_eq!(d["added"].as_array().unwrap().len(), 23);
        assert_eq!(d["removed"].as_array().unwrap().len(), 0);
        assert_eq!(d["changed"].as_array().unwrap().len(), 0);
    }
    assert_eq!(files["added"], stored["added"]);

    let run = place.json(&["monitor", "run", "--json"]);
    assert_eq!(run["delta_entities"], 23);
    let alerts = place.json(&["alerts", "list", "--json", "--status", "open"]);
    let mut pairs: Vec<(String, String)> = alerts
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            for k in ["id", "subject_id", "entity_id", "score", "status"] {
                assert!(a.get(k).is_some(), "alert lacks {k}: {a}");
            }
            (
                a["external_id"].as_str().unwrap().to_string(),
                a["entity_id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    pairs.sort();
    assert_eq!(
        pairs,
        [
            ("c-ni", "ofac-47818"),
            ("c-wuhan", "ofac-47800"),
            ("c-zhao", "ofac-47814")
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert!(place.json(&["monitor", "run", "--json"])["alerts"]
        .as_array()
        .unwrap()
        .is_empty());

    // Four-eyes false positive.
    let id = alerts[0]["id"].to_string();
    let d = place.json(&[
        "alerts",
        "decide",
        &id,
        "--decision",
        "false-positive",
        "--user",
        "ann",
        "--reason",
        "namesake",
        "--json",
    ]);
    assert_eq!(d["alert"]["status"], "pending_second_review");
    let o = place.run(&[
        "alerts",
        "decide",
        &id,
        "--decision",
        "false-positive",
        "--user",
        "ann",
        "--reason",
        "again",
    ]);
    assert!(!o.status.success());
    let d = place.json(&[
        "alerts",
        "decide",
        &id,
        "--decision",
        "false-positive",
        "--user",
        "bob",
        "--reason",
        "agreed",
        "--json",
    ]);
    assert_eq!(d["alert"]["status"], "false_positive");
    let pending = place.json(&["alerts", "list", "--json", "--status", "false_positive"]);
    assert_eq!(pending.as_array().unwrap().len(), 1);

    // As of a date.
    let h = place.json(&[
        "history",
        "screen",
        "Guangzong Zhao",
        "--as-of",
        "2024-03-23",
        "--json",
    ]);
    assert_eq!(h["listed"], false);
    let h = place.json(&[
        "history",
        "screen",
        "Guangzong Zhao",
        "--as-of",
        "2024-03-25",
        "--json",
    ]);
    assert_eq!(h["listed"], true);
    assert_eq!(h["matches"][0]["entity_id"], "ofac-47814");

    // Audit: intact, exported, then tampered.
    assert!(place.ok(&["audit", "verify"]).contains("intact"));
    let out = dir.path().join("audit.jsonl");
    place.ok(&["audit", "export", "--out", out.to_str().unwrap()]);
    let text = std::fs::read_to_string(&out).unwrap();
    let kinds: Vec<String> = text
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    for k in [
        "list_import",
        "subjects_import",
        "monitor_run",
        "alert",
        "decision",
        "screening",
    ] {
        assert!(kinds.iter().any(|x| x == k), "no {k} record in {kinds:?}");
    }
    place.sql("UPDATE audit_log SET actor = 'mallory' WHERE seq = 4");
    let o = place.run(&["audit", "verify"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("seq 4:"));
}

#[test]
fn end_to_end_sqlite() {
    end_to_end(&Place::sqlite());
}

#[test]
fn end_to_end_postgres() {
    end_to_end(&Place::postgres("e2e"));
}

fn killed_import_leaves_previous_version_intact(place: &Place) {
    place.ok(&[
        "lists",
        "import",
        &ofac("csv-2024-03-22"),
        "--issued",
        "2024-03-22",
    ]);
    place.kill_when_paused(
        &[
            "lists",
            "import",
            &ofac("csv-2024-03-25"),
            "--issued",
            "2024-03-25",
        ],
        ("INTERDICT_TEST_PAUSE_IMPORT", "6000"),
    );
    // After the restart: one version, complete, no half-written rows.
    let versions = place.json(&["history", "versions", "--json"]);
    assert_eq!(versions.as_array().unwrap().len(), 1);
    assert_eq!(versions[0]["entities"], 14_507);
    assert_eq!(place.count("SELECT COUNT(*) FROM list_versions"), 1);
    assert_eq!(place.count("SELECT COUNT(*) FROM version_entities"), 14_507);
    assert!(place.ok(&["audit", "verify"]).contains("intact"));
    // The import can simply be run again.
    let imp = place.json(&[
        "lists",
        "import",
        &ofac("csv-2024-03-25"),
        "--issued",
        "2024-03-25",
        "--json",
    ]);
    assert_eq!(imp["added"], 23);
    assert!(place.ok(&["audit", "verify"]).contains("intact"));
}

#[test]
fn killed_import_sqlite() {
    killed_import_leaves_previous_version_intact(&Place::sqlite());
}

#[test]
fn killed_import_postgres() {
    killed_import_leaves_previous_version_intact(&Place::postgres("kimport"));
}

fn killed_decision_keeps_acknowledged_ones(place: &Place) {
    let dir = tempfile::tempdir().unwrap();
    place.ok(&[
        "lists",
        "import",
        &ofac("csv-2024-03-25"),
        "--issued",
        "2024-03-25",
    ]);
    let csv = dir.path().join("s.csv");
    std::fs::write(&csv, "external_id,name\nc1,Guangzong Zhao\nc2,Gaobin Ni\n").unwrap();
    place.ok(&["subjects", "import", csv.to_str().unwrap()]);
    let run = place.json(&["monitor", "run", "--json"]);
    let ids: Vec<String> = run["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].to_string())
        .collect();
    assert_eq!(ids.len(), 2);
    // Acknowledged decisions.
    place.ok(&[
        "alerts",
        "decide",
        &ids[0],
        "--decision",
        "escalated",
        "--user",
        "ann",
        "--reason",
        "check",
    ]);
    place.ok(&[
        "alerts",
        "decide",
        &ids[1],
        "--decision",
        "true-match",
        "--user",
        "ann",
        "--reason",
        "same DOB",
    ]);
    // Killed inside the transaction of a third decision.
    place.kill_when_paused(
        &[
            "alerts",
            "decide",
            &ids[0],
            "--decision",
            "true-match",
            "--user",
            "bob",
            "--reason",
            "confirmed",
        ],
        ("INTERDICT_TEST_PAUSE_DECISION", "1"),
    );
    let all = place.json(&["alerts", "list", "--json"]);
    let status: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status"].as_str().unwrap())
        .collect();
    assert_eq!(status, ["escalated", "true_match"]);
    assert_eq!(place.count("SELECT COUNT(*) FROM decisions"), 2);
    assert!(place.ok(&["audit", "verify"]).contains("intact"));
    // The decision can be taken again after the restart.
    place.ok(&[
        "alerts",
        "decide",
        &ids[0],
        "--decision",
        "true-match",
        "--user",
        "bob",
        "--reason",
        "confirmed",
    ]);
    assert!(place.ok(&["audit", "verify"]).contains("intact"));
    // A deliberate edit of one record is caught and named.
    place.sql("UPDATE audit_log SET payload = '{}' WHERE seq = 3");
    let o = place.run(&["audit", "verify", "--json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["ok"], false);
    assert_eq!(v["problems"][0]["seq"], 3);
}

#[test]
fn killed_decision_sqlite() {
    killed_decision_keeps_acknowledged_ones(&Place::sqlite());
}

#[test]
fn killed_decision_postgres() {
    killed_decision_keeps_acknowledged_ones(&Place::postgres("kdecision"));
}
