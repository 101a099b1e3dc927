//! The store's behaviour, run against SQLite and PostgreSQL alike.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use common::Place;
use interdict_model::{Entity, NameKind, Schema};
use interdict_store::versions::ImportMeta;
use interdict_store::{
    AlertFilter, AlertStatus, Decision, DecisionPolicy, MonitorOptions, Store, SubjectInput,
    WebhookConfig,
};

fn person(id: &str, name: &str) -> Entity {
    let mut e = Entity::new(format!("t-{id}"), Schema::Person, "test_list", id);
    e.add_name(name, NameKind::Primary);
    e
}

fn meta(issued: &str) -> ImportMeta {
    ImportMeta {
        dataset: "test_list".into(),
        format: "test".into(),
        source: "memory".into(),
        issued: Some(issued.into()),
        records: 0,
    }
}

fn subject(id: &str, name: &str) -> SubjectInput {
    SubjectInput {
        external_id: id.into(),
        schema: Some(Schema::Person),
        names: vec![name.into()],
        ..SubjectInput::default()
    }
}

fn v1() -> Vec<Entity> {
    vec![
        person("1", "Vladimir Petrovich Orlov"),
        person("2", "Hassan Abdullah Karimi"),
        person("3", "Zhao Guangzong"),
    ]
}

fn v2() -> Vec<Entity> {
    let mut l = v1();
    l.remove(0); // t-1 removed
    l[0].programs.push("SDGT".into()); // t-2 changed
    l.push(person("4", "Igor Veniaminovich Kaigorodov")); // t-4 added
    l
}

fn no_four_eyes() -> DecisionPolicy {
    DecisionPolicy { four_eyes: false }
}

fn migrations_are_idempotent(place: &Place) {
    let mut s = place.open();
    let v = s.schema_version().unwrap();
    assert_eq!(v, interdict_store::migrations::latest());
    drop(s);
    let mut s = place.open();
    assert_eq!(s.schema_version().unwrap(), v);
}
both_backends!(migrations, migrations_are_idempotent);

fn versions_diff_and_as_of(place: &Place) {
    let mut s = place.open();
    let a = s
        .import_entities(&meta("2024-03-22"), v1(), "tester")
        .unwrap();
    assert!(a.created);
    assert_eq!((a.added, a.removed, a.changed), (3, 0, 0));
    // The same content again stores nothing.
    let again = s
        .import_entities(&meta("2024-03-22"), v1(), "tester")
        .unwrap();
    assert!(!again.created);
    assert_eq!(again.version.id, a.version.id);
    let b = s
        .import_entities(&meta("2024-03-25"), v2(), "tester")
        .unwrap();
    assert_eq!((b.added, b.removed, b.changed), (1, 1, 1));
    assert_eq!(b.previous, Some(a.version.id));

    let d = s.diff_versions(a.version.id, b.version.id).unwrap();
    assert_eq!(d.added, ["t-4"]);
    assert_eq!(d.removed, ["t-1"]);
    assert_eq!(d.changed, ["t-2"]);
    assert_eq!(d.details[0].fields, ["programs"]);
    // Diffing parsed entities gives the same answer.
    let d2 = interdict_store::diff_entities(&v1(), &v2()).unwrap();
    assert_eq!(d, d2);

    // As of a date: the version in force then.
    let (idx, vs) = s.index_as_of("2024-03-23").unwrap();
    assert_eq!(vs[0].id, a.version.id);
    assert!(idx.entity("t-4").is_none());
    assert!(idx.entity("t-1").is_some());
    let (idx, _) = s.index_as_of("2024-03-25").unwrap();
    assert!(idx.entity("t-4").is_some());
    assert!(s.index_as_of("2024-01-01").unwrap().0.is_empty());
    assert_eq!(s.version_entities(b.version.id).unwrap().len(), 3);
    assert_eq!(s.list_versions().unwrap().len(), 2);
}
both_backends!(versions, versions_diff_and_as_of);

fn subjects_get_revisions(place: &Place) {
    let mut s = place.open();
    let r = s
        .upsert_subjects(
            vec![subject("c1", "Anna Schmidt"), subject("c2", "Bob Jones")],
            "file",
            "tester",
        )
        .unwrap();
    assert_eq!((r.inserted, r.updated, r.unchanged), (2, 0, 0));
    let r = s
        .upsert_subjects(
            vec![subject("c1", "Anna Schmidt"), subject("c2", "Robert Jones")],
            "file",
            "tester",
        )
        .unwrap();
    assert_eq!((r.inserted, r.updated, r.unchanged), (0, 1, 1));
    let w = s
        .upsert_subject(subject("c2", "Robert Jones"), "api")
        .unwrap();
    assert!(!w.changed);
    assert_eq!(w.revision, 2);
    let hist = s.subject_history("c2").unwrap();
    assert_eq!(hist.len(), 2);
    assert_eq!(hist[0].1.names, ["Bob Jones"]);
    assert_eq!(
        s.subject("c2").unwrap().unwrap().data.names,
        ["Robert Jones"]
    );
    assert_eq!(s.subject_count().unwrap(), 2);
    assert!(s.subject("nobody").unwrap().is_none());
}
both_backends!(subjects, subjects_get_revisions);

fn monitoring_alerts_once_and_allowlists(place: &Place) {
    let mut s = place.open();
    s.import_entities(&meta("2024-03-22"), v1(), "tester")
        .unwrap();
    s.upsert_subjects(
        vec![
            subject("c1", "Hassan Karimi"),
            subject("c2", "Mary Smith"),
            subject("c3", "Igor Kaygorodov"),
        ],
        "file",
        "tester",
    )
    .unwrap();
    let opts = MonitorOptions::default();
    let r = s.monitor_run(&opts).unwrap();
    assert_eq!(r.full_subjects, 3);
    let ids: Vec<(&str, &str)> = r
        .alerts
        .iter()
        .map(|a| (a.external_id.as_str(), a.entity_id.as_str()))
        .collect();
    assert_eq!(ids, [("c1", "t-2")]);
    // Nothing changed: nothing screened, nothing raised.
    let r = s.monitor_run(&opts).unwrap();
    assert_eq!(
        (r.delta_subjects, r.full_subjects, r.alerts.len()),
        (0, 0, 0)
    );

    // A new version: only the delta is screened, against every subject.
    s.import_entities(&meta("2024-03-25"), v2(), "tester")
        .unwrap();
    let r = s.monitor_run(&opts).unwrap();
    assert_eq!(r.delta_entities, 2, "t-2 changed, t-4 added");
    assert_eq!(r.delta_subjects, 3);
    let ids: Vec<(&str, &str)> = r
        .alerts
        .iter()
        .map(|a| (a.external_id.as_str(), a.entity_id.as_str()))
        .collect();
    // c1–t-2 is still open: no duplicate.
    assert_eq!(ids, [("c3", "t-4")]);
    assert_eq!(r.already_open, 1);

    // Close c1–t-2 as a false positive: allowlisted while nothing changes.
    let a = s
        .list_alerts(&AlertFilter {
            subject_external_id: Some("c1".into()),
            ..AlertFilter::default()
        })
        .unwrap()
        .remove(0);
    let out = s
        .decide(
            a.id,
            Decision::FalsePositive,
            "ann",
            "different person",
            no_four_eyes(),
        )
        .unwrap();
    assert_eq!(out.alert.status, AlertStatus::FalsePositive);
    s.upsert_subject(subject("c1", "Hassan Karimi"), "api")
        .unwrap();
    assert!(s.monitor_run(&opts).unwrap().alerts.is_empty());
    // The subject changes: the alert fires again.
    let mut changed = subject("c1", "Hassan Karimi");
    changed.countries.push("ir".into());
    s.upsert_subject(changed, "api").unwrap();
    let r = s.monitor_run(&opts).unwrap();
    assert_eq!(r.full_subjects, 1);
    assert_eq!(r.alerts.len(), 1);
    assert_eq!(r.alerts[0].entity_id, "t-2");
    assert_eq!(r.alerts[0].subject_revision, 2);

    // Allowlisted at revision 2; then the entity changes and it fires again.
    s.decide(
        r.alerts[0].id,
        Decision::FalsePositive,
        "ann",
        "still not him",
        no_four_eyes(),
    )
    .unwrap();
    let mut v3 = v2();
    v3[0].remarks.push("updated".into());
    s.import_entities(&meta("2024-04-01"), v3.clone(), "tester")
        .unwrap();
    let r = s.monitor_run(&opts).unwrap();
    assert_eq!(r.delta_entities, 1);
    assert_eq!(r.alerts.len(), 1);
    assert_eq!(r.alerts[0].entity_id, "t-2");
    let open = s
        .list_alerts(&AlertFilter {
            status: Some(AlertStatus::Open),
            ..AlertFilter::default()
        })
        .unwrap();
    assert_eq!(open.len(), 2);
    assert!(s.audit_verify().unwrap().ok());
}
both_backends!(monitoring, monitoring_alerts_once_and_allowlists);

fn four_eyes_needs_a_second_user(place: &Place) {
    let mut s = place.open();
    s.import_entities(&meta("2024-03-22"), v1(), "tester")
        .unwrap();
    s.upsert_subjects(vec![subject("c1", "Zhao Guangzong")], "file", "tester")
        .unwrap();
    let r = s.monitor_run(&MonitorOptions::default()).unwrap();
    let id = r.alerts[0].id;
    let p = DecisionPolicy { four_eyes: true };
    let first = s
        .decide(id, Decision::FalsePositive, "ann", "namesake", p)
        .unwrap();
    assert_eq!(first.alert.status, AlertStatus::PendingSecondReview);
    assert_eq!(first.alert.first_reviewer.as_deref(), Some("ann"));
    let err = s
        .decide(id, Decision::FalsePositive, "ann", "namesake", p)
        .unwrap_err();
    assert!(err.to_string().contains("four-eyes"), "{err}");
    let second = s
        .decide(id, Decision::FalsePositive, "bob", "agreed", p)
        .unwrap();
    assert_eq!(second.alert.status, AlertStatus::FalsePositive);
    // Closed alerts take no further decisions.
    assert!(s.decide(id, Decision::TrueMatch, "carol", "x", p).is_err());
    // Missing user or reason is refused.
    assert!(s.decide(id, Decision::TrueMatch, " ", "x", p).is_err());
    let decisions = s.alert_decisions(id).unwrap();
    assert_eq!(decisions.len(), 2);
    assert_eq!(decisions[1].user, "bob");
    // Escalation and true match.
    s.upsert_subjects(vec![subject("c2", "Hassan Karimi")], "file", "tester")
        .unwrap();
    let r = s.monitor_run(&MonitorOptions::default()).unwrap();
    let id = r.alerts[0].id;
    let e = s
        .decide(id, Decision::Escalated, "ann", "check with MLRO", p)
        .unwrap();
    assert_eq!(e.alert.status, AlertStatus::Escalated);
    let t = s
        .decide(id, Decision::TrueMatch, "mlro", "confirmed", p)
        .unwrap();
    assert_eq!(t.alert.status, AlertStatus::TrueMatch);
}
both_backends!(four_eyes, four_eyes_needs_a_second_user);

fn audit_chain_detects_tampering(place: &Place) {
    let mut s = place.open();
    for i in 0..5 {
        s.audit_append("test", "tester", &serde_json::json!({"i": i}))
            .unwrap();
    }
    s.audit_screening(
        "tester",
        &serde_json::json!({"name": "x"}),
        &serde_json::json!([1]),
        &serde_json::json!([]),
    )
    .unwrap();
    let r = s.audit_verify().unwrap();
    assert!(r.ok(), "{r:?}");
    assert_eq!(r.records, 6);
    let mut out = Vec::new();
    assert_eq!(s.audit_export(&mut out).unwrap(), 6);
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.lines().count(), 6);
    assert!(text.lines().next().unwrap().contains("\"seq\":1"));
    drop(s);

    // Edit one record.
    place.raw_sql("UPDATE audit_log SET payload = '{\"i\":99}' WHERE seq = 3");
    let r = place.open().audit_verify().unwrap();
    assert!(!r.ok());
    assert_eq!(r.problems[0].seq, 3);
    assert!(r.problems[0].problem.contains("edited"));
    place.raw_sql("UPDATE audit_log SET payload = '{\"i\":2}' WHERE seq = 3");
    assert!(place.open().audit_verify().unwrap().ok());

    // Delete one record in the middle.
    place.raw_sql(
        "CREATE TABLE audit_backup AS SELECT * FROM audit_log; DELETE FROM audit_log WHERE seq = 2",
    );
    let r = place.open().audit_verify().unwrap();
    assert!(!r.ok());
    assert!(r.problems.iter().any(|p| p.seq == 3), "{r:?}");
    place.raw_sql("DELETE FROM audit_log; INSERT INTO audit_log SELECT * FROM audit_backup");
    assert!(place.open().audit_verify().unwrap().ok());

    // Reorder: swap the content of two records.
    place.raw_sql(
        "UPDATE audit_log SET seq = -1 WHERE seq = 4;
         UPDATE audit_log SET seq = 4 WHERE seq = 5;
         UPDATE audit_log SET seq = 5 WHERE seq = -1;",
    );
    let r = place.open().audit_verify().unwrap();
    assert!(!r.ok());
    assert_eq!(r.problems[0].seq, 4, "{r:?}");
    place.raw_sql("DELETE FROM audit_log; INSERT INTO audit_log SELECT * FROM audit_backup");

    // Drop the last record.
    place.raw_sql("DELETE FROM audit_log WHERE seq = 6");
    let r = place.open().audit_verify().unwrap();
    assert!(!r.ok());
    assert!(r.problems[0].problem.contains("head"), "{r:?}");
}
both_backends!(audit_chain, audit_chain_detects_tampering);

/// A loopback HTTP server that answers 500 to the first `failures` requests, then 200;
/// returns the bodies it received.
fn webhook_server(failures: usize, total: usize) -> (String, std::thread::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let h = std::thread::spawn(move || {
        let mut bodies = Vec::new();
        for i in 0..total {
            let (stream, _) = listener.accept().unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            let mut r = BufReader::new(stream);
            let mut len = 0usize;
            loop {
                let mut line = String::new();
                r.read_line(&mut line).unwrap();
                let l = line.trim_end().to_ascii_lowercase();
                if l.is_empty() {
                    break;
                }
                if let Some(v) = l.strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap();
                }
            }
            let mut body = vec![0; len];
            r.read_exact(&mut body).unwrap();
            bodies.push(String::from_utf8(body).unwrap());
            let status = if i < failures {
                "500 Internal Server Error"
            } else {
                "200 OK"
            };
            let mut stream = r.into_inner();
            write!(
                stream,
                "HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            )
            .unwrap();
        }
        bodies
    });
    (url, h)
}

fn webhook_retries_until_delivered(place: &Place) {
    let mut s = place.open();
    s.import_entities(&meta("2024-03-22"), v1(), "tester")
        .unwrap();
    s.upsert_subjects(vec![subject("c1", "Zhao Guangzong")], "file", "tester")
        .unwrap();
    let (url, server) = webhook_server(2, 3);
    let mut cfg = WebhookConfig::new(url);
    cfg.initial_backoff = Duration::from_millis(20);
    let opts = MonitorOptions {
        webhook: Some(cfg),
        ..MonitorOptions::default()
    };
    let r = s.monitor_run(&opts).unwrap();
    let w = r.webhook.unwrap();
    assert!(w.delivered);
    assert_eq!(w.attempts, 3);
    let bodies = server.join().unwrap();
    let v: serde_json::Value = serde_json::from_str(&bodies[2]).unwrap();
    assert_eq!(v["alerts"][0]["entity_id"], "t-3");
    assert_eq!(v["alerts"][0]["external_id"], "c1");

    // Bounded: a dead endpoint gives up after max_attempts.
    let dead = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", dead.local_addr().unwrap());
    drop(dead);
    let mut cfg = WebhookConfig::new(url);
    cfg.initial_backoff = Duration::from_millis(5);
    cfg.max_attempts = 3;
    let out = interdict_store::webhook::post_json(&cfg, &serde_json::json!({}));
    assert!(!out.delivered);
    assert_eq!(out.attempts, 3);
}
both_backends!(webhook, webhook_retries_until_delivered);

#[test]
fn unreachable_postgres_is_an_error() {
    let r = Store::connect_postgres("postgres://postgres@127.0.0.1:1/test");
    assert!(r.is_err());
}
