//! `interdict screen-file` end to end: bad rows, output formats, determinism, resume.

use std::fmt::Write as _;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn interdict() -> Command {
    Command::cargo_bin("interdict").expect("the interdict binary is built")
}

/// `n` customer rows, every 50th a listed name; deterministic.
fn customers(n: usize) -> String {
    let listed = [
        "ZHAO Guangzong",
        "Ni Gaobin",
        "Wuhan Xiaoruizhi Science and Technology",
    ];
    let first = [
        "Anna", "Boris", "Chen", "Dmitri", "Elena", "Farid", "Giulia", "Hiro",
    ];
    let last = [
        "Keller",
        "Novak",
        "Rossi",
        "Tanaka",
        "Okafor",
        "Lindqvist",
        "Moreau",
    ];
    let mut s = String::from("customer_id,full_name,date_of_birth,nationality\n");
    for i in 0..n {
        let name = if i % 50 == 7 {
            listed[i % listed.len()].to_string()
        } else {
            format!("{} {}", first[i % first.len()], last[(i / 3) % last.len()])
        };
        let dob = if i % 3 == 0 {
            format!("19{:02}", 40 + i % 60)
        } else {
            String::new()
        };
        let _ = writeln!(s, "K{i},{name},{dob},");
    }
    s
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_default()
}

#[test]
fn bad_rows_are_reported_with_line_numbers_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    let mut bytes = b"id,name,dob,country\n1,ZHAO Guangzong,1985-11-12,cn\n2,,1980,\n3,Ni Gaobin,31/31/85,\n4,a,b,c,d\n5,Ni Gaobin,,Atlantis\n".to_vec();
    bytes.extend_from_slice(b"6,\xff\xfeName,,\n7,Ni Gaobin,,\n");
    std::fs::write(&input, bytes).unwrap();
    let out = dir.path().join("out.csv");
    interdict()
        .args([
            "screen-file",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .assert()
        .success()
        .stderr(
            predicate::str::contains("line 3: bad row skipped: missing name")
                .and(predicate::str::contains(
                    "line 4: bad row skipped: bad date",
                ))
                .and(predicate::str::contains(
                    "line 5: bad row skipped: wrong column count",
                ))
                .and(predicate::str::contains(
                    "line 6: bad row skipped: unknown country",
                ))
                .and(predicate::str::contains(
                    "line 7: bad row skipped: invalid UTF-8",
                ))
                .and(predicate::str::contains(
                    "screened 2 rows (5 bad rows skipped)",
                )),
        );
    let text = read(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "row,line,entity_id,dataset,schema,caption,score,match,explanation"
    );
    assert!(lines[1].starts_with("1,2,sample-zhao-guangzong,interdict_sample,Person,"));
    assert!(lines[2].starts_with("7,8,sample-ni-gaobin,"));
    assert_eq!(lines.len(), 3);
    assert!(!dir.path().join("out.csv.checkpoint").exists());
}

#[test]
fn jsonl_in_and_out_with_mapping() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(
        &input,
        "{\"ref\": \"A-1\", \"who\": \"Zhao Guangzong\", \"born\": \"1985\"}\n\n{\"ref\": 2, \"who\": 5}\nnot json\n{\"ref\": \"A-4\", \"who\": \"倪高彬\"}\n",
    )
    .unwrap();
    let out = dir.path().join("out.jsonl");
    interdict()
        .args([
            "screen-file",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .args([
            "--map",
            "name=who,dob=born",
            "--map",
            "rowid=ref",
            "--threads",
            "2",
        ])
        .assert()
        .success()
        .stderr(
            predicate::str::contains("line 3: bad row skipped")
                .and(predicate::str::contains(
                    "line 4: bad row skipped: invalid JSON",
                ))
                .and(predicate::str::contains("2 bad rows")),
        );
    let rows: Vec<serde_json::Value> = read(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["row"], "A-1");
    assert_eq!(rows[0]["entity_id"], "sample-zhao-guangzong");
    assert!(rows[0]["score"].as_f64().unwrap() >= 0.8);
    assert_eq!(rows[0]["dataset"], "interdict_sample");
    assert!(rows[0]["explanation"].as_str().unwrap().contains("zhao"));
    assert_eq!(rows[1]["row"], "A-4");
    assert_eq!(rows[1]["entity_id"], "sample-ni-gaobin");
}

#[test]
fn output_is_the_same_for_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    std::fs::write(&input, customers(3000)).unwrap();
    let mut outputs = Vec::new();
    for threads in ["1", "2", "4"] {
        let out = dir.path().join(format!("out{threads}.csv"));
        interdict()
            .args([
                "screen-file",
                input.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ])
            .args(["--threads", threads])
            .assert()
            .success()
            .stderr(predicate::str::contains(
                "screened 3000 rows (0 bad rows skipped)",
            ));
        outputs.push(read(&out));
    }
    assert!(outputs[0].lines().count() > 30, "{}", outputs[0]);
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[0], outputs[2]);
}

#[test]
fn resume_continues_without_rescreening() {
    for ext in ["csv", "jsonl"] {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.csv");
        std::fs::write(&input, customers(5000)).unwrap();
        let full = dir.path().join(format!("full.{ext}"));
        interdict()
            .args([
                "screen-file",
                input.to_str().unwrap(),
                "--out",
                full.to_str().unwrap(),
            ])
            .assert()
            .success();

        let out = dir.path().join(format!("out.{ext}"));
        let cp = dir.path().join(format!("out.{ext}.checkpoint"));
        interdict()
            .args([
                "screen-file",
                input.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ])
            .args(["--stop-after-rows", "1200"])
            .assert()
            .code(3);
        assert!(cp.exists());
        // Simulate a crash after the checkpoint: a half-written row at the end.
        let mut partial = std::fs::read(&out).unwrap();
        partial.extend_from_slice(b"K99,garbage,half a ro");
        std::fs::write(&out, partial).unwrap();

        interdict()
            .args([
                "screen-file",
                input.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ])
            .arg("--resume")
            .assert()
            .success()
            .stderr(
                predicate::str::contains("resuming after row")
                    .and(predicate::str::contains("screened 5000 rows")),
            );
        assert_eq!(read(&out), read(&full), "{ext}");
        assert!(!cp.exists());
        // Nothing left to resume.
        interdict()
            .args([
                "screen-file",
                input.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ])
            .arg("--resume")
            .assert()
            .failure()
            .stderr(predicate::str::contains("no checkpoint"));
    }
}

#[test]
fn clear_errors_for_bad_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    std::fs::write(&input, "a,b\n1,2\n").unwrap();
    let out = dir.path().join("o.csv");
    interdict()
        .args([
            "screen-file",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no name column"));
    interdict()
        .args([
            "screen-file",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .args(["--map", "name=zzz"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no column \"zzz\""));
    interdict()
        .args([
            "screen-file",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .args(["--map", "name=a", "--threshold", "2"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("outside [0, 1]"));
}
