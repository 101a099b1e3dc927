//! End-to-end tests of `interdict lists …` on the real list files in `../shared/data/lists`
//! and of the updater against a small HTTP server on 127.0.0.1.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

/// The shared folder of real list files, beside the checkout.
fn lists_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/lists");
    assert!(
        dir.is_dir(),
        "{} is missing: the tests need the shared list files beside the checkout",
        dir.display()
    );
    dir
}

fn list(rel: &str) -> PathBuf {
    lists_dir().join(rel)
}

/// The binary under test, killed if a run takes longer than any list should (a reader stuck in
/// a loop fails the test instead of hanging CI).
fn interdict() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_interdict"));
    cmd.timeout(Duration::from_secs(300));
    cmd
}

/// Runs `lists inspect --json` and returns the parsed counts.
fn inspect_json(path: &Path) -> Value {
    let out = interdict()
        .args(["lists", "inspect", "--json"])
        .arg(path)
        .output()
        .expect("run interdict");
    assert!(
        out.status.success(),
        "inspect {} failed: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("inspect --json prints JSON")
}

fn entities(v: &Value) -> u64 {
    v["entities"].as_u64().expect("entities count")
}

fn assert_count_keys(v: &Value) {
    for key in ["entities", "by_schema", "names", "identifiers", "format"] {
        assert!(v.get(key).is_some(), "missing key {key} in {v}");
    }
    let by_schema: u64 = v["by_schema"]
        .as_object()
        .expect("by_schema object")
        .values()
        .filter_map(Value::as_u64)
        .sum();
    assert_eq!(by_schema, entities(v), "by_schema adds up to entities");
    assert!(v["names"]["total"].as_u64().unwrap_or(0) >= entities(v));
}

// ---------------------------------------------------------------------------------------------
// inspect on the real files

#[test]
fn inspect_ofac_sdn_xml() {
    let v = inspect_json(&list("ofac/sdn-2024-05-07.xml"));
    assert_count_keys(&v);
    assert_eq!(v["format"], "ofac-xml");
    assert_eq!(entities(&v), 14_966);
}

#[test]
fn inspect_un_xml() {
    let v = inspect_json(&list("un/consolidated-2024-05-15.xml"));
    assert_count_keys(&v);
    assert_eq!(v["format"], "un-xml");
    assert_eq!(entities(&v), 875);
    assert_eq!(v["by_schema"]["Person"], 682);
}

#[test]
fn inspect_eu_xml() {
    let v = inspect_json(&list("eu/fsf-2024-05-13.xml"));
    assert_count_keys(&v);
    assert_eq!(v["format"], "eu-xml");
    assert_eq!(entities(&v), 4_811);
}

#[test]
fn inspect_uk_conlist_csv() {
    let v = inspect_json(&list("uk/ofsi-conlist-2025-04-10.csv"));
    assert_count_keys(&v);
    assert_eq!(v["format"], "uk-conlist-csv");
    assert_eq!(entities(&v), 4_686);
}

#[test]
fn inspect_ofac_advanced_bz2() {
    let v = inspect_json(&list("ofac/sdn_advanced-2025-11-19.xml.bz2"));
    assert_count_keys(&v);
    assert_eq!(v["format"], "ofac-advanced");
    assert_eq!(entities(&v), 18_367);
}

#[test]
fn inspect_ofac_csv_folder() {
    let v = inspect_json(&list("ofac/csv-2021"));
    assert_count_keys(&v);
    assert_eq!(v["format"], "ofac-csv");
    assert_eq!(entities(&v), 8_976);
}

#[test]
fn inspect_text_output() {
    interdict()
        .args(["lists", "inspect"])
        .arg(list("un/consolidated-2024-05-15.xml"))
        .assert()
        .success()
        .stdout(predicate::str::contains("entities:    875"))
        .stdout(predicate::str::contains("names:"))
        .stdout(predicate::str::contains("identifiers:"));
}

#[test]
fn inspect_with_explicit_format() {
    let out = interdict()
        .args(["lists", "inspect", "--json", "--format", "un-xml"])
        .arg(list("un/consolidated-2024-05-15.xml"))
        .output()
        .expect("run interdict");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    interdict()
        .args(["lists", "inspect", "--format", "pdf"])
        .arg(list("un/consolidated-2024-05-15.xml"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("expected one of"));
}

// ---------------------------------------------------------------------------------------------
// export

#[test]
fn export_ftm_round_trip() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let src = list("un/consolidated-2024-05-15.xml");
    let out = tmp.path().join("un.ftm.json");
    interdict()
        .args(["lists", "export", "--ftm", "--out"])
        .arg(&out)
        .arg(&src)
        .assert()
        .success()
        .stderr(predicate::str::contains("exported 875 entities"));
    let original = inspect_json(&src);
    let exported = inspect_json(&out);
    assert_eq!(exported["format"], "ftm");
    assert_eq!(entities(&exported), entities(&original));
    assert_eq!(exported["by_schema"], original["by_schema"]);
}

#[test]
fn export_to_stdout_is_json_lines() {
    let out = interdict()
        .args(["lists", "export", "--ftm"])
        .arg(list("un/consolidated-2024-05-15.xml"))
        .output()
        .expect("run interdict");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("UTF-8 output");
    let mut parties = 0;
    for line in text.lines() {
        let v: Value = serde_json::from_str(line).expect("each line is one JSON object");
        assert!(v["id"].is_string() && v["schema"].is_string());
        if matches!(
            v["schema"].as_str(),
            Some("Person" | "Organization" | "Company" | "LegalEntity" | "Vessel" | "Airplane")
        ) {
            parties += 1;
        }
    }
    assert_eq!(parties, 875);
}

#[test]
fn export_failure_leaves_no_output_file() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let bad = tmp.path().join("bad.txt");
    std::fs::write(&bad, "hello\n").expect("write");
    let out = tmp.path().join("out.json");
    interdict()
        .args(["lists", "export", "--ftm", "--out"])
        .arg(&out)
        .arg(&bad)
        .assert()
        .code(2);
    assert!(!out.exists());
    let leftovers = std::fs::read_dir(tmp.path()).expect("read_dir").count();
    assert_eq!(leftovers, 1, "no temporary file is left behind");
}

// ---------------------------------------------------------------------------------------------
// bad input

/// Runs `lists inspect` on a file that must be rejected; returns stderr.
fn inspect_fails(path: &Path) -> String {
    let out = interdict()
        .args(["lists", "inspect"])
        .arg(path)
        .output()
        .expect("run interdict");
    assert_eq!(
        out.status.code(),
        Some(2),
        "exit code for {}",
        path.display()
    );
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        stderr.contains(&path.display().to_string()),
        "stderr names the file: {stderr}"
    );
    stderr
}

fn names_position(stderr: &str) -> bool {
    stderr.contains("line ") || stderr.contains("byte ")
}

#[test]
fn truncated_xml_is_an_error_with_position() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let full = std::fs::read(list("un/consolidated-2024-05-15.xml")).expect("read UN list");
    let p = tmp.path().join("truncated.xml");
    std::fs::write(&p, &full[..full.len() / 3]).expect("write");
    let stderr = inspect_fails(&p);
    assert!(names_position(&stderr), "{stderr}");
}

#[test]
fn broken_csv_quote_is_an_error_with_position() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let p = tmp.path().join("sdn.csv");
    std::fs::write(
        &p,
        "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\
         173,\"ANGLO-CARIBBEAN CO., LTD.,-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\
         306,\"BANCO NACIONAL DE CUBA\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n",
    )
    .expect("write");
    let stderr = inspect_fails(&p);
    assert!(names_position(&stderr), "{stderr}");
}

#[test]
fn invalid_utf8_is_an_error_with_position() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut bytes = std::fs::read(list("un/consolidated-2024-05-15.xml")).expect("read UN list");
    let at = bytes
        .windows(8)
        .position(|w| w == b"MUHAMMAD")
        .expect("a name to corrupt");
    bytes[at + 2] = 0xff;
    bytes[at + 3] = 0xfe;
    let p = tmp.path().join("bad-utf8.xml");
    std::fs::write(&p, &bytes).expect("write");
    let stderr = inspect_fails(&p);
    assert!(names_position(&stderr), "{stderr}");
}

#[test]
fn unknown_format_is_an_error() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let p = tmp.path().join("notes.txt");
    std::fs::write(&p, "Dear customer,\nplease find attached…\n").expect("write");
    let stderr = inspect_fails(&p);
    assert!(stderr.contains("unknown list format"), "{stderr}");
    assert!(
        stderr.contains("Dear customer"),
        "says what it saw: {stderr}"
    );
}

#[test]
fn empty_file_is_an_error() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let p = tmp.path().join("empty.xml");
    std::fs::write(&p, "").expect("write");
    let stderr = inspect_fails(&p);
    assert!(stderr.contains("empty"), "{stderr}");
}

#[test]
fn missing_file_is_an_error() {
    let p = Path::new("/nonexistent/interdict/list.xml");
    inspect_fails(p);
}

// ---------------------------------------------------------------------------------------------
// update, against a local server

/// What the test server answers for one path.
#[derive(Clone)]
struct Reply {
    status: &'static str,
    body: Vec<u8>,
    /// The Content-Length to announce; more than the body's length simulates a transfer that
    /// breaks off.
    announced: usize,
}

impl Reply {
    fn ok(body: Vec<u8>) -> Self {
        let announced = body.len();
        Reply {
            status: "200 OK",
            body,
            announced,
        }
    }
}

/// A tiny HTTP/1.1 server on 127.0.0.1 answering fixed replies by path. It serves a bounded
/// number of connections on a background thread and stops with the test process.
struct Server {
    port: u16,
}

impl Server {
    fn start(routes: Vec<(&'static str, Reply)>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().expect("local addr").port();
        let routes = Arc::new(routes);
        std::thread::spawn(move || {
            for stream in listener.incoming().take(64).flatten() {
                let routes = Arc::clone(&routes);
                std::thread::spawn(move || serve(stream, &routes));
            }
        });
        Server { port }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

fn serve(stream: TcpStream, routes: &[(&'static str, Reply)]) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(&stream);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    // Skip the headers.
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) if line == "\r\n" || line == "\n" => break,
            Ok(_) => {}
        }
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    let reply = routes
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, r)| r.clone())
        .unwrap_or_else(|| Reply {
            status: "404 Not Found",
            body: b"not found".to_vec(),
            announced: 9,
        });
    let mut w = &stream;
    let head = format!(
        "HTTP/1.1 {}\r\nContent-Length: {}\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n",
        reply.status, reply.announced
    );
    let _ = w.write_all(head.as_bytes());
    let _ = w.write_all(&reply.body);
    let _ = w.flush();
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

/// A data folder holding a previous good copy of the UN list (2024-05-15, 875 entities).
fn seeded_dir() -> (tempfile::TempDir, Vec<u8>, Vec<u8>) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let old = std::fs::read(list("un/consolidated-2024-05-15.xml")).expect("read UN list");
    std::fs::write(tmp.path().join("un_sc_sanctions.xml"), &old).expect("write");
    let manifest = serde_json::json!({
        "source": "un_sc_sanctions",
        "url": "https://scsanctions.un.org/resources/xml/en/consolidated.xml",
        "file": "un_sc_sanctions.xml",
        "format": "un-xml",
        "sha256": "(seeded by the test)",
        "size": old.len(),
        "entities": 875,
        "issued": "2024-05-15",
        "dataset": "un_sc_sanctions",
        "fetched_at": 1_715_731_200u64,
    });
    let manifest = serde_json::to_vec_pretty(&manifest).expect("manifest JSON");
    std::fs::write(tmp.path().join("un_sc_sanctions.manifest.json"), &manifest).expect("write");
    (tmp, old, manifest)
}

fn run_update(dir: &Path, url: &str) -> std::process::Output {
    interdict()
        .args(["lists", "update", "--timeout", "60", "--dir"])
        .arg(dir)
        .arg("--url")
        .arg(format!("un_sc_sanctions={url}"))
        .output()
        .expect("run interdict")
}

/// After a failed update: exit 2, the reason on stderr, the old copy and its manifest
/// byte-identical, and no temporary file left behind.
fn assert_kept(dir: &Path, out: &std::process::Output, old: &[u8], manifest: &[u8]) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(stderr.contains("un_sc_sanctions"), "{stderr}");
    assert!(stderr.contains("kept the previous copy"), "{stderr}");
    assert_eq!(
        std::fs::read(dir.join("un_sc_sanctions.xml")).expect("old copy"),
        old,
        "the previous good copy is intact"
    );
    assert_eq!(
        std::fs::read(dir.join("un_sc_sanctions.manifest.json")).expect("old manifest"),
        manifest
    );
    let names: Vec<String> = std::fs::read_dir(dir)
        .expect("read_dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "no leftovers: {names:?}");
    stderr
}

#[test]
fn update_good_download_replaces_the_copy() {
    let (dir, _old, _) = seeded_dir();
    let new = std::fs::read(list("un/consolidated-2026-02-27.xml")).expect("read UN list");
    let server = Server::start(vec![("/un.xml", Reply::ok(new.clone()))]);
    let out = run_update(dir.path(), &server.url("/un.xml"));
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("1003 entities"), "{stdout}");
    assert_eq!(
        std::fs::read(dir.path().join("un_sc_sanctions.xml")).expect("new copy"),
        new
    );
    let manifest: Value = serde_json::from_slice(
        &std::fs::read(dir.path().join("un_sc_sanctions.manifest.json")).expect("manifest"),
    )
    .expect("manifest JSON");
    assert_eq!(manifest["entities"], 1003);
    assert_eq!(manifest["size"], new.len());
    assert_eq!(manifest["format"], "un-xml");
    assert_eq!(manifest["sha256"].as_str().map(str::len), Some(64));
    assert!(manifest["fetched_at"].as_u64().unwrap_or(0) > 1_700_000_000);
    // The result is readable as a list again.
    assert_eq!(
        entities(&inspect_json(&dir.path().join("un_sc_sanctions.xml"))),
        1003
    );
}

#[test]
fn update_first_download_into_an_empty_dir() {
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("nested").join("lists");
    let new = std::fs::read(list("un/consolidated-2024-05-15.xml")).expect("read UN list");
    let server = Server::start(vec![("/un.xml", Reply::ok(new.clone()))]);
    let out = run_update(&target, &server.url("/un.xml"));
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read(target.join("un_sc_sanctions.xml")).expect("copy"),
        new
    );
}

#[test]
fn update_truncated_download_keeps_the_old_copy() {
    let (dir, old, manifest) = seeded_dir();
    let new = std::fs::read(list("un/consolidated-2026-02-27.xml")).expect("read UN list");
    let reply = Reply {
        status: "200 OK",
        body: new[..new.len() / 2].to_vec(),
        announced: new.len(),
    };
    let server = Server::start(vec![("/un.xml", reply)]);
    let out = run_update(dir.path(), &server.url("/un.xml"));
    assert_kept(dir.path(), &out, &old, &manifest);
}

#[test]
fn update_truncated_without_length_keeps_the_old_copy() {
    // The server announces the short length, so only parsing can tell the file is cut.
    let (dir, old, manifest) = seeded_dir();
    let new = std::fs::read(list("un/consolidated-2026-02-27.xml")).expect("read UN list");
    let server = Server::start(vec![("/un.xml", Reply::ok(new[..new.len() / 2].to_vec()))]);
    let out = run_update(dir.path(), &server.url("/un.xml"));
    let stderr = assert_kept(dir.path(), &out, &old, &manifest);
    assert!(stderr.contains("does not parse"), "{stderr}");
}

#[test]
fn update_http_error_keeps_the_old_copy() {
    let (dir, old, manifest) = seeded_dir();
    let reply = Reply {
        status: "500 Internal Server Error",
        body: b"oops".to_vec(),
        announced: 4,
    };
    let server = Server::start(vec![("/un.xml", reply)]);
    let out = run_update(dir.path(), &server.url("/un.xml"));
    let stderr = assert_kept(dir.path(), &out, &old, &manifest);
    assert!(stderr.contains("500"), "{stderr}");
}

#[test]
fn update_unparsable_download_keeps_the_old_copy() {
    let (dir, old, manifest) = seeded_dir();
    let page = b"<!DOCTYPE html>\n<html><body>Service temporarily unavailable</body></html>\n";
    let server = Server::start(vec![("/un.xml", Reply::ok(page.to_vec()))]);
    let out = run_update(dir.path(), &server.url("/un.xml"));
    let stderr = assert_kept(dir.path(), &out, &old, &manifest);
    assert!(stderr.contains("<html>"), "{stderr}");
}

#[test]
fn update_implausibly_small_list_keeps_the_old_copy() {
    let (dir, old, _) = seeded_dir();
    // Pretend the previous copy held far more entities than the new download.
    let manifest = serde_json::to_vec_pretty(&serde_json::json!({
        "source": "un_sc_sanctions", "url": "https://example.invalid/", "file": "un_sc_sanctions.xml",
        "format": "un-xml", "sha256": "-", "size": old.len(), "entities": 5000,
        "issued": null, "dataset": "un_sc_sanctions", "fetched_at": 0,
    }))
    .expect("manifest JSON");
    std::fs::write(dir.path().join("un_sc_sanctions.manifest.json"), &manifest).expect("write");
    let new = std::fs::read(list("un/consolidated-2026-02-27.xml")).expect("read UN list");
    let server = Server::start(vec![("/un.xml", Reply::ok(new))]);
    let out = run_update(dir.path(), &server.url("/un.xml"));
    let stderr = assert_kept(dir.path(), &out, &old, &manifest);
    assert!(stderr.contains("fewer than half"), "{stderr}");
}

#[test]
fn update_refuses_the_wrong_format() {
    let (dir, old, manifest) = seeded_dir();
    let eu_like =
        b"<?xml version=\"1.0\"?>\n<export xmlns=\"http://eu.europa.ec/fpi/fsd/export\"></export>\n";
    let server = Server::start(vec![("/un.xml", Reply::ok(eu_like.to_vec()))]);
    let out = run_update(dir.path(), &server.url("/un.xml"));
    assert_kept(dir.path(), &out, &old, &manifest);
}

#[test]
fn update_unknown_source_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    interdict()
        .args(["lists", "update", "--source", "nope", "--dir"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown source"));
}
