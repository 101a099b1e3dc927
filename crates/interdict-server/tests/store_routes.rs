//! The store behind the server, over a real socket: subjects, alerts and decisions (four-eyes),
//! monitoring (on demand and after a list reload), scopes, the audit record of every screening
//! request, and 503 answers without a store. The whole flow runs on SQLite and on PostgreSQL
//! (`$INTERDICT_TEST_DATABASE_URL`, default `postgres://postgres@127.0.0.1:5432/test`, one
//! schema per test, dropped afterwards); the PostgreSQL test fails when the server is down.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use interdict_server::{
    load_paths, AppState, ConfiguredKey, LoadedList, Loader, Scope, ServerConfig, StoreHandle,
    StoreOpener,
};
use interdict_store::{DecisionPolicy, MonitorOptions, Store};
use serde_json::{json, Value};

const ZHAO: &str = "sample-zhao-guangzong";
const SCREEN: &str = "ApiKey screen-key";
const ADMIN: &str = "ApiKey admin-key";

fn sample_path() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../interdict-cli/data/sample.ftm.jsonl"
    ))
}

fn pg_url() -> String {
    std::env::var("INTERDICT_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

/// Where a test's store lives; cleaned up on drop.
enum Place {
    Sqlite(tempfile::TempDir),
    Postgres(String),
}

impl Place {
    fn sqlite() -> Place {
        Place::Sqlite(tempfile::tempdir().expect("temporary directory"))
    }

    fn postgres() -> Place {
        static N: AtomicU32 = AtomicU32::new(0);
        let schema = format!(
            "srvtest_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        );
        let mut c = postgres::Client::connect(&pg_url(), postgres::NoTls).unwrap_or_else(|e| {
            panic!("PostgreSQL at {} is required for this test: {e}", pg_url())
        });
        c.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
            .expect("drop schema");
        Place::Postgres(schema)
    }

    fn opener(&self) -> StoreOpener {
        match self {
            Place::Sqlite(dir) => {
                let path = dir.path().join("interdict.db");
                Arc::new(move || Ok(Store::open_sqlite(&path)?))
            }
            Place::Postgres(schema) => {
                let schema = schema.clone();
                Arc::new(move || Ok(Store::connect_postgres_in(&pg_url(), Some(&schema))?))
            }
        }
    }

    fn open(&self) -> Store {
        (self.opener())().expect("open store")
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

struct Server {
    base: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn config() -> ServerConfig {
    ServerConfig {
        api_keys: vec![
            ConfiguredKey {
                key: "screen-key".into(),
                scopes: vec![Scope::Screen],
            },
            ConfiguredKey {
                key: "admin-key".into(),
                scopes: vec![Scope::Admin],
            },
        ],
        ..ServerConfig::default()
    }
}

/// The sample list; without ZHAO Guangzong until `listed` is set (a list update).
fn switchable_loader(listed: Arc<AtomicBool>) -> Loader {
    Arc::new(move || {
        let mut lists: Vec<LoadedList> = load_paths(&[sample_path()])?;
        if !listed.load(Ordering::SeqCst) {
            for l in &mut lists {
                l.entities.retain(|e| !e.id.starts_with(ZHAO));
            }
        }
        Ok(lists)
    })
}

fn start(loader: Loader, store: Option<&Place>) -> Server {
    let state = match store {
        Some(p) => {
            let monitor = MonitorOptions {
                threads: 1,
                ..MonitorOptions::default()
            };
            let handle = StoreHandle::open(p.opener(), monitor, DecisionPolicy::default())
                .expect("store handle");
            AppState::with_store(config(), loader, handle)
        }
        None => AppState::new(config(), loader),
    };
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            addr_tx.send(listener.local_addr().unwrap()).unwrap();
            interdict_server::serve(listener, state, async {
                let _ = stop_rx.await;
            })
            .await
            .unwrap();
        });
    });
    let s = Server {
        base: format!("http://{}", addr_rx.recv().unwrap()),
        stop: Some(stop_tx),
        thread: Some(thread),
    };
    wait_for(|| get(&s, "/readyz", None).0 == 200, "server ready");
    s
}

fn wait_for(mut ok: impl FnMut() -> bool, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !ok() {
        assert!(Instant::now() < deadline, "timed out waiting for: {what}");
        std::thread::sleep(Duration::from_millis(25));
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

fn parse(status: u16, text: String) -> (u16, Value) {
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn get(s: &Server, path: &str, key: Option<&str>) -> (u16, Value) {
    let mut req = agent().get(format!("{}{path}", s.base));
    if let Some(k) = key {
        req = req.header("Authorization", k);
    }
    let mut resp = req.call().unwrap();
    let status = resp.status().as_u16();
    parse(status, resp.body_mut().read_to_string().unwrap_or_default())
}

fn post(s: &Server, path: &str, body: &Value, key: Option<&str>) -> (u16, Value) {
    let mut req = agent()
        .post(format!("{}{path}", s.base))
        .content_type("application/json");
    if let Some(k) = key {
        req = req.header("Authorization", k);
    }
    let mut resp = req.send(body.to_string().as_bytes()).unwrap();
    let status = resp.status().as_u16();
    parse(status, resp.body_mut().read_to_string().unwrap_or_default())
}

fn code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or("<no error code>")
}

fn zhao_alerts(s: &Server) -> Vec<Value> {
    let (st, v) = get(s, "/v1/alerts", Some(SCREEN));
    assert_eq!(st, 200, "{v}");
    v["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["entity_id"] == ZHAO)
        .cloned()
        .collect()
}

fn decide(s: &Server, id: &Value, decision: &str, user: &str, key: &str) -> (u16, Value) {
    post(
        s,
        &format!("/v1/alerts/{id}/decision"),
        &json!({"decision": decision, "user": user, "reason": "checked the passport"}),
        Some(key),
    )
}

/// The whole flow on one backend.
fn flow(place: &Place) {
    let listed = Arc::new(AtomicBool::new(false));
    let s = start(switchable_loader(listed.clone()), Some(place));

    // Subjects: admin scope only; one subject, then a batch; revisions.
    let zhao = json!({"external_id": "C-1", "names": ["Zhao Guangzong"],
        "birth_date": "1985-11-12", "country": "CN"});
    let (st, v) = post(&s, "/v1/subjects", &zhao, Some(SCREEN));
    assert_eq!((st, code(&v)), (403, "forbidden"));
    let (st, v) = post(&s, "/v1/subjects", &zhao, Some(ADMIN));
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["subjects"][0]["external_id"], "C-1");
    assert_eq!(v["subjects"][0]["revision"], 1);
    assert_eq!(v["subjects"][0]["changed"], true);
    let batch = json!({"subjects": [
        zhao,
        {"external_id": "C-2", "name": "Maria Example", "identifiers": ["passport:X1234567"]},
    ]});
    let (st, v) = post(&s, "/v1/subjects", &batch, Some(ADMIN));
    assert_eq!(st, 200, "{v}");
    assert_eq!(
        (&v["subjects"][0]["revision"], &v["subjects"][0]["changed"]),
        (&json!(1), &json!(false))
    );
    assert_eq!(v["subjects"][1]["revision"], 1);
    let moved = json!([{"external_id": "C-2", "name": "Maria Example", "country": "DE"}]);
    let (st, v) = post(&s, "/v1/subjects", &moved, Some(ADMIN));
    assert_eq!(st, 200, "{v}");
    assert_eq!(
        (&v["subjects"][0]["revision"], &v["subjects"][0]["changed"]),
        (&json!(2), &json!(true))
    );
    let (st, v) = post(
        &s,
        "/v1/subjects",
        &json!({"external_id": "C-3", "names": []}),
        Some(ADMIN),
    );
    assert_eq!((st, code(&v)), (400, "invalid_subject"), "{v}");

    // Monitoring on demand: ZHAO is not listed yet, so no alert for him.
    let (st, v) = post(&s, "/v1/monitor/run", &json!({}), Some(SCREEN));
    assert_eq!((st, code(&v)), (403, "forbidden"));
    let (st, v) = post(&s, "/v1/monitor/run", &json!({}), Some(ADMIN));
    assert_eq!(st, 200, "{v}");
    assert!(v["versions"].is_array() && v["alerts"].is_array(), "{v}");
    assert!(zhao_alerts(&s).is_empty());

    // A list update: the reload stores the new version and monitoring raises the alert.
    listed.store(true, Ordering::SeqCst);
    let (st, v) = post(&s, "/v1/admin/reload", &json!({}), Some(ADMIN));
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["monitoring"], "started");
    wait_for(|| !zhao_alerts(&s).is_empty(), "alert after list update");
    let alerts = zhao_alerts(&s);
    assert_eq!(alerts.len(), 1);
    let alert = &alerts[0];
    for field in ["id", "subject_id", "entity_id", "score", "status"] {
        assert!(!alert[field].is_null(), "alert lacks {field}: {alert}");
    }
    assert_eq!(alert["status"], "open");
    assert_eq!(alert["external_id"], "C-1");
    let id = &alert["id"];
    let (st, v) = get(&s, "/v1/alerts?status=open", Some(SCREEN));
    assert_eq!(st, 200);
    assert!(v["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| &a["id"] == id));
    let (st, v) = get(&s, "/v1/alerts?status=nonsense", Some(SCREEN));
    assert_eq!((st, code(&v)), (400, "bad_parameter"));

    // Decisions: admin scope; errors; four-eyes.
    let (st, v) = decide(&s, id, "false_positive", "alice", SCREEN);
    assert_eq!((st, code(&v)), (403, "forbidden"));
    let (st, v) = decide(&s, id, "maybe", "alice", ADMIN);
    assert_eq!((st, code(&v)), (400, "bad_decision"));
    let (st, v) = decide(&s, &json!(999_999), "true_match", "alice", ADMIN);
    assert_eq!((st, code(&v)), (404, "unknown_alert"));
    let (st, v) = decide(&s, id, "false_positive", "alice", ADMIN);
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["alert"]["status"], "pending_second_review");
    let (st, v) = decide(&s, id, "false_positive", "alice", ADMIN);
    assert_eq!((st, code(&v)), (409, "four_eyes"), "{v}");
    let (st, v) = decide(&s, id, "false_positive", "bob", ADMIN);
    assert_eq!(st, 200, "{v}");
    assert_eq!(
        (&v["status_before"], &v["alert"]["status"]),
        (&json!("pending_second_review"), &json!("false_positive"))
    );
    let (st, v) = decide(&s, id, "true_match", "carol", ADMIN);
    assert_eq!((st, code(&v)), (409, "alert_closed"));
    let (_, v) = get(&s, "/v1/alerts?status=false_positive", Some(SCREEN));
    assert!(v["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| &a["id"] == id));

    // Every screening request is recorded: native and yente routes.
    let before = place.open().audit_verify().expect("verify");
    assert!(before.ok(), "{:?}", before.problems);
    let (st, v) = post(
        &s,
        "/v1/screen",
        &json!({"schema": "Person", "properties": {"name": ["Zhao Guangzong"]}}),
        Some(SCREEN),
    );
    assert_eq!(st, 200, "{v}");
    let (st, v) = post(
        &s,
        "/match/default",
        &json!({"queries": {"q1": {"schema": "Person", "properties": {"name": ["Zhao Guangzong"]}}}}),
        Some(SCREEN),
    );
    assert_eq!(st, 200, "{v}");
    let mut store = place.open();
    let after = store.audit_verify().expect("verify");
    assert!(after.ok(), "{:?}", after.problems);
    assert!(
        after.records >= before.records + 2,
        "{} → {}",
        before.records,
        after.records
    );
    let tail = store.audit_tail(50).expect("tail");
    let screenings: Vec<_> = tail.iter().filter(|r| r.kind == "screening").collect();
    let routes: Vec<&str> = screenings
        .iter()
        .filter_map(|r| r.payload["query"]["route"].as_str())
        .collect();
    assert!(routes.contains(&"/v1/screen"), "{routes:?}");
    assert!(routes.contains(&"/match/default"), "{routes:?}");
    let native = screenings
        .iter()
        .find(|r| r.payload["query"]["route"] == "/v1/screen")
        .unwrap();
    assert_eq!(native.actor, "api:key#0");
    assert_eq!(native.payload["query"]["queries"], 1);
    assert_eq!(
        native.payload["results"][0]["matches"][0]["entity_id"],
        ZHAO
    );
    assert!(
        !native.payload.to_string().contains("Guangzong"),
        "names stay out of the audit log"
    );
}

#[test]
fn store_routes_on_sqlite() {
    flow(&Place::sqlite());
}

#[test]
fn store_routes_on_postgres() {
    flow(&Place::postgres());
}

#[test]
fn without_a_store_the_store_routes_answer_503() {
    let s = start(switchable_loader(Arc::new(AtomicBool::new(true))), None);
    let subject = json!({"external_id": "C-1", "name": "Zhao Guangzong"});
    for (st, v) in [
        post(&s, "/v1/subjects", &subject, Some(ADMIN)),
        get(&s, "/v1/alerts", Some(SCREEN)),
        post(
            &s,
            "/v1/alerts/1/decision",
            &json!({"decision": "true_match", "user": "a", "reason": "r"}),
            Some(ADMIN),
        ),
        post(&s, "/v1/monitor/run", &json!({}), Some(ADMIN)),
    ] {
        assert_eq!((st, code(&v)), (503, "no_store"), "{v}");
        assert!(v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("without a store"));
    }
    // Scopes still come first, and screening works (nothing to record it in).
    assert_eq!(post(&s, "/v1/monitor/run", &json!({}), Some(SCREEN)).0, 403);
    let (st, v) = post(
        &s,
        "/v1/screen",
        &json!({"schema": "Person", "properties": {"name": ["Zhao Guangzong"]}}),
        Some(SCREEN),
    );
    assert_eq!(st, 200, "{v}");
    let (st, v) = post(&s, "/v1/admin/reload", &json!({}), Some(ADMIN));
    assert_eq!(st, 200);
    assert!(v.get("monitoring").is_none(), "{v}");
}
