//! The server over a real socket: every route and every error path, with a real HTTP client.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use interdict_server::{
    load_paths, path_loader, AppState, ConfiguredKey, Limits, LoadedList, Loader, Scope,
    ServerConfig,
};
use serde_json::{json, Value};

fn sample_path() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../interdict-cli/data/sample.ftm.jsonl"
    ))
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

fn start_with(config: ServerConfig, loader: Loader, wait_ready: bool) -> Server {
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
            let state = AppState::new(config, loader);
            interdict_server::serve(listener, state, async {
                let _ = stop_rx.await;
            })
            .await
            .unwrap();
        });
    });
    let addr = addr_rx.recv().unwrap();
    let s = Server {
        base: format!("http://{addr}"),
        stop: Some(stop_tx),
        thread: Some(thread),
    };
    if wait_ready {
        let deadline = Instant::now() + Duration::from_secs(20);
        while get(&s, "/readyz", None).0 != 200 {
            assert!(Instant::now() < deadline, "server not ready");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    s
}

fn start(config: ServerConfig) -> Server {
    start_with(config, path_loader(vec![sample_path()]), true)
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

fn parse(status: u16, text: String) -> (u16, Value) {
    let v = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, v)
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

fn post_bytes(s: &Server, path: &str, body: &[u8], key: Option<&str>) -> (u16, Value) {
    let mut req = agent()
        .post(format!("{}{path}", s.base))
        .content_type("application/json");
    if let Some(k) = key {
        req = req.header("Authorization", k);
    }
    let mut resp = req.send(body).unwrap();
    let status = resp.status().as_u16();
    parse(status, resp.body_mut().read_to_string().unwrap_or_default())
}

fn post(s: &Server, path: &str, body: &Value, key: Option<&str>) -> (u16, Value) {
    post_bytes(s, path, body.to_string().as_bytes(), key)
}

fn error_code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or("<no error code>")
}

fn zhao() -> Value {
    json!({"schema": "Person", "properties": {"name": ["Zhao Guangzong"], "birthDate": "1985-11-12"}})
}

#[test]
fn system_routes() {
    let s = start(ServerConfig::default());
    assert_eq!(get(&s, "/healthz", None), (200, json!({"status": "ok"})));
    assert_eq!(get(&s, "/readyz", None), (200, json!({"status": "ok"})));
    let (st, doc) = get(&s, "/openapi.json", None);
    assert_eq!(st, 200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for p in [
        "/v1/screen",
        "/match/{dataset}",
        "/search/{dataset}",
        "/catalog",
        "/v1/admin/reload",
    ] {
        assert!(
            doc["paths"].get(p).is_some(),
            "{p} missing from the OpenAPI document"
        );
    }
    post(&s, "/v1/screen", &zhao(), None);
    let mut resp = agent().get(format!("{}/metrics", s.base)).call().unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert!(resp.headers().get("x-request-id").is_some());
    let text = resp.body_mut().read_to_string().unwrap();
    assert!(
        text.contains(
            "interdict_http_requests_total{route=\"/v1/screen\",method=\"POST\",status=\"200\"} 1"
        ),
        "{text}"
    );
    assert!(text.contains(
        "interdict_http_request_duration_seconds_bucket{route=\"/v1/screen\",le=\"+Inf\"} 1"
    ));
    assert!(text.contains("interdict_screen_queries_total 1"));
    assert!(text.contains("interdict_index_generation 1"));
    let (st, body) = get(&s, "/no/such/route", None);
    assert_eq!((st, error_code(&body)), (404, "not_found"));
}

#[test]
fn native_screen_single_and_batch() {
    let s = start(ServerConfig::default());
    let (st, body) = post(&s, "/v1/screen", &zhao(), None);
    assert_eq!(st, 200, "{body}");
    let top = &body["results"][0]["matches"][0];
    assert_eq!(top["entity_id"], "sample-zhao-guangzong");
    assert_eq!(top["match"], true);
    assert_eq!(top["datasets"], json!(["interdict_sample"]));
    assert!(top["summary"].as_str().unwrap().contains("zhao"));
    assert!(top["explanation"]["name"].is_object());
    assert_eq!(body["results"][0]["alerts"], 1);

    let batch = json!({"queries": [
        {"id": "a", "schema": "Person", "properties": {"name": "NI Gaobin"}},
        {"id": "b", "properties": {"name": ["Jane Nobody-Unlisted"]}},
        {"schema": "Company", "properties": {"name": "Wuhan Xiaoruizhi Science and Technology"}}
    ], "limit": 3, "threshold": 0.7});
    let (st, body) = post(&s, "/v1/screen", &batch, None);
    assert_eq!(st, 200, "{body}");
    let r = body["results"].as_array().unwrap();
    assert_eq!(r.len(), 3);
    assert_eq!(r[0]["id"], "a");
    assert_eq!(r[0]["matches"][0]["entity_id"], "sample-ni-gaobin");
    assert_eq!(r[1]["alerts"], 0);
    assert_eq!(r[2]["id"], "2");
    assert_eq!(r[2]["matches"][0]["entity_id"], "sample-wuhan-xiaoruizhi");

    // Dataset filter: a known dataset keeps the match, an unknown one is an error.
    let mut q = zhao();
    q["datasets"] = json!(["interdict_sample"]);
    assert_eq!(
        post(&s, "/v1/screen", &q, None).1["results"][0]["alerts"],
        1
    );
    q["datasets"] = json!(["nope"]);
    let (st, body) = post(&s, "/v1/screen", &q, None);
    assert_eq!((st, error_code(&body)), (400, "unknown_dataset"));
}

#[test]
fn native_screen_errors() {
    let config = ServerConfig {
        limits: Limits {
            max_batch: 3,
            max_body_bytes: 64 * 1024,
            max_name_chars: 100,
            ..Limits::default()
        },
        ..ServerConfig::default()
    };
    let s = start(config);
    let cases: Vec<(&[u8], u16, &str)> = vec![
        (
            b"{\"schema\": \"Person\", \"properties\": ",
            400,
            "malformed_json",
        ),
        (b"", 400, "empty_body"),
        (
            b"{\"schema\": \"Person\", \"properties\": {\"name\": \"\xff\xfe\"}}",
            400,
            "invalid_utf8",
        ),
        (b"{\"schema\": 5, \"properties\": {}}", 422, "invalid_type"),
        (
            b"{\"schema\": \"Person\", \"properties\": {\"name\": 7}}",
            422,
            "invalid_type",
        ),
        (
            b"{\"schema\": \"Person\", \"properties\": {\"name\": \"x\"}, \"bogus\": 1}",
            422,
            "invalid_type",
        ),
        (
            b"{\"schema\": \"Spaceship\", \"properties\": {\"name\": \"x\"}}",
            400,
            "invalid_query",
        ),
        (
            b"{\"schema\": \"Person\", \"properties\": {\"birthDate\": \"1980\"}}",
            400,
            "invalid_query",
        ),
        (
            b"{\"schema\": \"Person\", \"properties\": {\"name\": \"x\", \"birthDate\": \"soon\"}}",
            400,
            "invalid_query",
        ),
        (b"{\"threshold\": 0.5}", 400, "invalid_query"),
        (
            b"{\"properties\": {\"name\": \"x\"}, \"threshold\": 1.5}",
            400,
            "bad_parameter",
        ),
        (
            b"{\"properties\": {\"name\": \"x\"}, \"limit\": 0}",
            400,
            "bad_parameter",
        ),
        (b"[1, 2]", 422, "invalid_type"),
    ];
    for (body, status, code) in cases {
        let (st, v) = post_bytes(&s, "/v1/screen", body, None);
        assert_eq!(
            (st, error_code(&v)),
            (status, code),
            "body {:?}: {v}",
            String::from_utf8_lossy(body)
        );
        assert_eq!(v["detail"], v["error"]["message"]);
    }
    let long = json!({"properties": {"name": "x".repeat(101)}});
    let (st, v) = post(&s, "/v1/screen", &long, None);
    assert_eq!((st, error_code(&v)), (400, "name_too_long"));
    let batch = json!({"queries": (0..4).map(|_| zhao()).collect::<Vec<_>>()});
    let (st, v) = post(&s, "/v1/screen", &batch, None);
    assert_eq!((st, error_code(&v)), (400, "batch_too_large"));
    let big = json!({"properties": {"name": "y"}, "pad": "z".repeat(100 * 1024)});
    let (st, v) = post(&s, "/v1/screen", &big, None);
    assert_eq!((st, error_code(&v)), (413, "body_too_large"));
    // Still healthy afterwards.
    assert_eq!(post(&s, "/v1/screen", &zhao(), None).0, 200);
}

#[test]
fn native_entities_and_lists() {
    let s = start(ServerConfig::default());
    let (st, e) = get(&s, "/v1/entities/sample-ni-gaobin", None);
    assert_eq!(st, 200);
    assert_eq!(e["caption"], "NI, Gaobin");
    assert_eq!(e["schema"], "Person");
    assert!(e["properties"]["alias"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a == "倪高彬"));
    assert_eq!(e["record"]["id"], "sample-ni-gaobin");
    let (st, v) = get(&s, "/v1/entities/nobody", None);
    assert_eq!((st, error_code(&v)), (404, "unknown_entity"));
    let (st, l) = get(&s, "/v1/lists", None);
    assert_eq!(st, 200);
    assert_eq!(l["lists"][0]["dataset"], "interdict_sample");
    assert_eq!(l["lists"][0]["format"], "ftm");
    assert!(l["lists"][0]["entities"].as_u64().unwrap() >= 20);
    assert!(l["lists"][0]["loaded_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(l["generation"], 1);
    assert_eq!(l["datasets"], json!(["interdict_sample"]));
}

#[test]
fn yente_match_search_entities_catalog_algorithms() {
    let s = start(ServerConfig::default());
    let body = json!({"queries": {"q1": zhao(), "q2": {"schema": "Company", "properties": {"name": ["Wuhan Xiaoruizhi"]}}},
                      "weights": {}, "config": {}});
    let (st, v) = post(
        &s,
        "/match/default?threshold=0.7&limit=3&algorithm=best",
        &body,
        None,
    );
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["limit"], 3);
    let r1 = &v["responses"]["q1"];
    assert_eq!(r1["status"], 200);
    assert_eq!(r1["query"]["schema"], "Person");
    assert_eq!(r1["total"]["relation"], "eq");
    assert!(r1["total"]["value"].as_u64().unwrap() >= 1);
    let top = &r1["results"][0];
    assert_eq!(top["id"], "sample-zhao-guangzong");
    assert_eq!(top["caption"], "ZHAO, Guangzong");
    assert_eq!(top["match"], true);
    assert_eq!(top["datasets"], json!(["interdict_sample"]));
    assert!(top["properties"]["name"].is_array());
    assert!(top["features"]["name"].as_f64().unwrap() > 0.9);
    assert!(top["explanations"]["name"]["score"].is_number());
    assert!(top["explanations"]["birth_date"]["detail"].is_string());
    assert!(v["responses"]["q2"]["results"][0]["id"] == "sample-wuhan-xiaoruizhi");

    // Dataset scoping and filters.
    let (st, v) = post(&s, "/match/interdict_sample", &body, None);
    assert_eq!(st, 200);
    assert_eq!(v["limit"], 5);
    let (st, v) = post(
        &s,
        "/match/default?exclude_dataset=interdict_sample",
        &body,
        None,
    );
    assert_eq!(st, 200);
    assert_eq!(v["responses"]["q1"]["results"], json!([]));
    let (_, v) = post(&s, "/match/default?exclude_schema=Person", &body, None);
    assert_eq!(v["responses"]["q1"]["results"], json!([]));
    let (_, v) = post(
        &s,
        "/match/default?exclude_entity_ids=sample-zhao-guangzong&threshold=0.9",
        &body,
        None,
    );
    assert!(v["responses"]["q1"]["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["id"] != "sample-zhao-guangzong"));

    for (path, status, code) in [
        ("/match/us_ofac_sdn", 404, "unknown_dataset"),
        (
            "/match/default?include_dataset=nope",
            400,
            "unknown_dataset",
        ),
        (
            "/match/default?algorithm=logic-v9",
            400,
            "unknown_algorithm",
        ),
        ("/match/default?threshold=high", 400, "bad_parameter"),
        ("/match/default?limit=-1", 400, "bad_parameter"),
        ("/match/default?limit=100000", 400, "bad_parameter"),
    ] {
        let (st, v) = post(&s, path, &body, None);
        assert_eq!((st, error_code(&v)), (status, code), "{path}: {v}");
        assert!(v["detail"].is_string());
    }
    let (st, v) = post(
        &s,
        "/match/default",
        &json!({"queries": {"a": {"schema": "Person", "properties": {"name": 3}}}}),
        None,
    );
    assert_eq!((st, error_code(&v)), (422, "invalid_type"));
    let (st, v) = post(&s, "/match/default", &json!({"queries": []}), None);
    assert_eq!((st, error_code(&v)), (422, "invalid_type"));

    let (st, v) = get(&s, "/search/default?q=Gaobin&limit=2", None);
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["results"][0]["id"], "sample-ni-gaobin");
    assert_eq!(v["limit"], 2);
    assert_eq!(v["offset"], 0);
    assert!(v["total"]["value"].as_u64().unwrap() >= 1);
    let (_, all) = get(&s, "/search/default?limit=100", None);
    assert!(all["total"]["value"].as_u64().unwrap() >= 20);
    let (_, people) = get(
        &s,
        "/search/default?schema=Person&countries=cn&limit=100",
        None,
    );
    assert!(people["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["schema"] == "Person"));
    assert!(people["total"]["value"].as_u64().unwrap() >= 2);
    let (st, v) = get(&s, "/search/nope?q=x", None);
    assert_eq!((st, error_code(&v)), (404, "unknown_dataset"));
    let (st, v) = get(&s, "/search/default?q=x&schema=Spaceship", None);
    assert_eq!((st, error_code(&v)), (400, "bad_parameter"));

    let (st, e) = get(&s, "/entities/sample-zhao-guangzong", None);
    assert_eq!(st, 200);
    assert_eq!(e["schema"], "Person");
    assert_eq!(e["target"], true);
    let (st, v) = get(&s, "/entities/nope", None);
    assert_eq!((st, error_code(&v)), (404, "unknown_entity"));

    let (st, c) = get(&s, "/catalog", None);
    assert_eq!(st, 200);
    let names: Vec<&str> = c["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["interdict_sample", "default"]);
    assert_eq!(c["datasets"][1]["children"], json!(["interdict_sample"]));
    assert_eq!(c["index_stale"], false);

    let (st, a) = get(&s, "/algorithms", None);
    assert_eq!(st, 200);
    assert_eq!(a["best"], a["algorithms"][0]["name"]);
    assert!(a["algorithms"][0]["docs"]["name"].is_object());
}

fn keyed() -> ServerConfig {
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

#[test]
fn api_keys_and_scopes() {
    let s = start(keyed());
    // Public routes stay open.
    assert_eq!(get(&s, "/healthz", None).0, 200);
    assert_eq!(get(&s, "/readyz", None).0, 200);
    assert_eq!(get(&s, "/openapi.json", None).0, 200);
    for key in [
        None,
        Some("ApiKey wrong"),
        Some("Basic c2NyZWVuLWtleQ=="),
        Some("ApiKey"),
    ] {
        let (st, v) = post(&s, "/v1/screen", &zhao(), key);
        assert_eq!((st, error_code(&v)), (401, "unauthorized"), "{key:?}");
        assert_eq!(get(&s, "/catalog", key).0, 401);
    }
    assert_eq!(
        post(&s, "/v1/screen", &zhao(), Some("ApiKey screen-key")).0,
        200
    );
    assert_eq!(
        post(&s, "/v1/screen", &zhao(), Some("Bearer screen-key")).0,
        200
    );
    assert_eq!(get(&s, "/catalog", Some("ApiKey admin-key")).0, 200);
    let (st, v) = post(
        &s,
        "/v1/admin/reload",
        &json!({}),
        Some("ApiKey screen-key"),
    );
    assert_eq!((st, error_code(&v)), (403, "forbidden"));
    let (st, v) = post(&s, "/v1/admin/reload", &json!({}), None);
    assert_eq!((st, error_code(&v)), (401, "unauthorized"));
    let (st, v) = post(&s, "/v1/admin/reload", &json!({}), Some("Bearer admin-key"));
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["generation"], 2);
}

#[test]
fn rate_limit_answers_429_with_retry_after() {
    let mut config = keyed();
    config.limits.rate_per_second = 0.5;
    config.limits.rate_burst = 3.0;
    let s = start(config);
    for _ in 0..3 {
        assert_eq!(get(&s, "/algorithms", Some("ApiKey screen-key")).0, 200);
    }
    let mut resp = agent()
        .get(format!("{}/algorithms", s.base))
        .header("Authorization", "ApiKey screen-key")
        .call()
        .unwrap();
    assert_eq!(resp.status().as_u16(), 429);
    assert!(resp.headers().get("retry-after").is_some());
    let (_, v) = parse(429, resp.body_mut().read_to_string().unwrap());
    assert_eq!(error_code(&v), "rate_limited");
    // Another key has its own bucket.
    assert_eq!(get(&s, "/algorithms", Some("ApiKey admin-key")).0, 200);
}

#[test]
fn not_ready_until_loaded_then_hot_reload() {
    // A loader that waits for a signal, then serves a list that changes on every load.
    let gate = Arc::new(Mutex::new(false));
    let loads = Arc::new(AtomicU64::new(0));
    let (g, n) = (gate.clone(), loads.clone());
    let loader: Loader = Arc::new(move || {
        while !*g.lock().unwrap() {
            std::thread::sleep(Duration::from_millis(10));
        }
        let k = n.fetch_add(1, Ordering::SeqCst);
        let mut lists = load_paths(&[sample_path()])?;
        if k >= 1 {
            // Second generation: drop ZHAO Guangzong from the list.
            lists[0]
                .entities
                .retain(|e| e.id != "sample-zhao-guangzong");
        }
        Ok::<Vec<LoadedList>, _>(lists)
    });
    let s = start_with(ServerConfig::default(), loader, false);
    let (st, v) = get(&s, "/readyz", None);
    assert_eq!((st, error_code(&v)), (503, "not_ready"));
    let (st, v) = post(&s, "/v1/screen", &zhao(), None);
    assert_eq!((st, error_code(&v)), (503, "not_ready"));
    assert_eq!(get(&s, "/healthz", None).0, 200);
    *gate.lock().unwrap() = true;
    let deadline = Instant::now() + Duration::from_secs(20);
    while get(&s, "/readyz", None).0 != 200 {
        assert!(Instant::now() < deadline);
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(get(&s, "/entities/sample-zhao-guangzong", None).0, 200);

    // Screen continuously from another thread while reloading: no request may fail.
    let base = s.base.clone();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stop2 = stop.clone();
    let hammer = std::thread::spawn(move || {
        let a = agent();
        let mut n = 0;
        while !stop2.load(Ordering::SeqCst) {
            let mut r = a
                .post(format!("{base}/v1/screen"))
                .content_type("application/json")
                .send(zhao().to_string().as_bytes())
                .unwrap();
            assert_eq!(
                r.status().as_u16(),
                200,
                "{}",
                r.body_mut().read_to_string().unwrap_or_default()
            );
            n += 1;
        }
        n
    });
    let (st, v) = post(&s, "/v1/admin/reload", &json!({}), None);
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["generation"], 2);
    std::thread::sleep(Duration::from_millis(100));
    stop.store(true, Ordering::SeqCst);
    assert!(hammer.join().unwrap() > 0);
    assert_eq!(get(&s, "/entities/sample-zhao-guangzong", None).0, 404);
    assert_eq!(get(&s, "/v1/lists", None).1["generation"], 2);
}

#[test]
fn failed_reload_keeps_the_index_in_force() {
    let tries = Arc::new(AtomicU64::new(0));
    let t = tries.clone();
    let loader: Loader = Arc::new(move || {
        if t.fetch_add(1, Ordering::SeqCst) == 0 {
            load_paths(&[sample_path()])
        } else {
            load_paths(&[PathBuf::from("/nonexistent/list.xml")])
        }
    });
    let s = start_with(ServerConfig::default(), loader, true);
    let (st, v) = post(&s, "/v1/admin/reload", &json!({}), None);
    assert_eq!((st, error_code(&v)), (500, "reload_failed"));
    assert_eq!(post(&s, "/v1/screen", &zhao(), None).0, 200);
    assert_eq!(get(&s, "/v1/lists", None).1["generation"], 1);
}
