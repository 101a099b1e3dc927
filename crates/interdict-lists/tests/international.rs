//! Readers against the real official list files in `shared/data/lists` (see its README.md).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use interdict_lists::{eu, ftm, simple_csv, uk, un, ListError, ListInfo};
use interdict_model::{Entity, IdKind, NameKind, Schema};

fn list(rel: &str) -> PathBuf {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/lists"
    ))
    .join(rel)
}

type Reader = fn(&Path, &mut interdict_lists::Sink<'_>) -> Result<ListInfo, ListError>;

fn load_with(read: Reader, rel: &str) -> (ListInfo, Vec<Entity>) {
    let mut out = Vec::new();
    let info = read(&list(rel), &mut |e| {
        out.push(e);
        Ok(())
    })
    .unwrap_or_else(|e| panic!("{rel}: {e}"));
    assert_eq!(info.entities, out.len());
    (info, out)
}

fn by_schema(es: &[Entity]) -> BTreeMap<Schema, usize> {
    let mut m = BTreeMap::new();
    for e in es {
        *m.entry(e.schema).or_insert(0) += 1;
    }
    m
}

#[test]
fn un_2024() {
    let (info, es) = load_with(un::read, "un/consolidated-2024-05-15.xml");
    assert_eq!(info.issued.as_deref(), Some("2024-05-15"));
    assert_eq!(es.len(), 875);
    let schemas = by_schema(&es);
    assert_eq!(schemas[&Schema::Person], 682);
    assert_eq!(schemas[&Schema::Organization], 193);
    let e = es.iter().find(|e| e.id == "un-TAi.005").expect("TAi.005");
    assert!(e
        .names
        .iter()
        .any(|n| n.kind == NameKind::OriginalScript && n.value == "محمد طاهر أنوري"));
    let arabic = es
        .iter()
        .flat_map(|e| &e.names)
        .filter(|n| n.kind == NameKind::OriginalScript)
        .count();
    // 383 NAME_ORIGINAL_SCRIPT values (Arabic, Cyrillic) plus aliases written in those scripts.
    assert_eq!(arabic, 392);
}

#[test]
fn un_2026() {
    let (info, es) = load_with(un::read, "un/consolidated-2026-02-27.xml");
    assert_eq!(info.issued.as_deref(), Some("2026-02-27"));
    assert_eq!(es.len(), 1003);
}

#[test]
fn eu_fsf() {
    let mut out = Vec::new();
    let path = list("eu/fsf-2024-05-13.xml");
    let (info, stats) = eu::read_with_stats(
        interdict_lists::input::open(&path).unwrap(),
        &path,
        &mut |e| {
            out.push(e);
            Ok(())
        },
    )
    .unwrap();
    assert_eq!(info.issued.as_deref(), Some("2024-05-13"));
    assert_eq!(out.len(), 4_811);
    let schemas = by_schema(&out);
    assert_eq!(schemas[&Schema::Person], 3_755);
    assert_eq!(schemas[&Schema::Organization], 1_056);
    // The README's 25 257 nameAlias entries hold; its "6 487 non-Latin" does not: 4 300 names
    // are written wholly in a non-Latin script (450 more mix scripts, e.g. Greek with a Latin
    // acronym, and stay aliases).
    assert_eq!(stats.name_aliases, 25_257);
    assert_eq!(stats.non_latin, 4_300);
    // Saddam Hussein: citizenship as an ISO code.
    let saddam = out.iter().find(|e| e.id == "eu-13").expect("eu-13");
    assert_eq!(saddam.citizenships, ["iq"]);
    assert_eq!(saddam.caption(), "Saddam Hussein Al-Tikriti");
    assert!(out
        .iter()
        .all(|e| e.citizenships.iter().all(|c| c.len() == 2)));
}

#[test]
fn uk_conlist_csv_and_xlsx_agree() {
    let (info, csv) = load_with(uk::read_conlist_csv, "uk/ofsi-conlist-2025-04-10.csv");
    assert_eq!(info.issued.as_deref(), Some("2025-04-10"));
    assert_eq!(info.records, 18_796);
    assert_eq!(csv.len(), 4_686);
    let (xinfo, xlsx) = load_with(uk::read_conlist_xlsx, "uk/ofsi-conlist-2025-04-10.xlsx");
    assert_eq!(xinfo, info);
    assert_eq!(xlsx.len(), csv.len());
    for (a, b) in csv.iter().zip(&xlsx) {
        assert_eq!(a, b);
    }
    let schemas = by_schema(&csv);
    assert_eq!(schemas[&Schema::Person], 3_662);
    assert_eq!(schemas[&Schema::Organization], 1_009);
    assert_eq!(schemas[&Schema::Vessel], 15);
    for (id, script) in [("uk-16462", "倪高彬"), ("uk-16461", "赵光宗")] {
        let e = csv.iter().find(|e| e.id == id).expect(id);
        assert!(
            e.names
                .iter()
                .any(|n| n.kind == NameKind::OriginalScript && n.value == script),
            "{e:?}"
        );
    }
}

fn fixture(rel: &str) -> String {
    format!("ftm/yente-fixtures/{rel}")
}

#[test]
fn ftm_fixtures() {
    // (file, non-blank lines, parties, dataset)
    for (rel, lines, parties, dataset) in [
        ("t1/entities.ftm.json", 7, 6, "eu_fsf"),
        ("zala/entities.ftm.json", 91, 17, "ftm"),
        ("parteispenden/entities.ftm.json", 475, 96, "ftm"),
    ] {
        let (info, es) = load_with(ftm::read, &fixture(rel));
        assert_eq!((info.records, es.len()), (lines, parties), "{rel}");
        assert_eq!(info.dataset, dataset, "{rel}");
    }
    let (_, zala) = load_with(ftm::read, &fixture("zala/entities.ftm.json"));
    let mut datasets: Vec<_> = zala.iter().map(|e| e.source.as_str()).collect();
    datasets.sort();
    datasets.dedup();
    assert!(datasets.len() > 1, "{datasets:?}");
    let schemas = by_schema(&zala);
    assert_eq!(schemas[&Schema::Person], 6);
    assert_eq!(schemas[&Schema::Company], 11);
    // Sanction side entities were folded into their parties.
    assert!(zala.iter().any(|e| !e.programs.is_empty()));
}

#[test]
fn ftm_deltas() {
    let delta = |rel: &str| ftm::read_delta(&list(&fixture(rel))).unwrap();
    let d = delta("t2/20240527194702-wnk/entities.delta.json");
    assert_eq!(
        (d.added.len(), d.modified.len(), d.deleted.len()),
        (2, 0, 0)
    );
    let d = delta("t2/20240528014702-pfh/entities.delta.json");
    assert_eq!(
        (d.added.len(), d.modified.len(), d.deleted.len()),
        (1, 1, 0)
    );
    assert_eq!(d.modified[0].caption(), "Foobar Foobargroup");
    let d = delta("t2/20240528074703-npf/entities.delta.json");
    assert_eq!(d.deleted, ["NK-500Poltergeist"]);
    assert!(d.added.is_empty() && d.modified.is_empty());
    let d = delta("t2/20240528134729-3iv/entities.delta.json");
    assert_eq!((d.added.len(), d.modified.len()), (1, 0));
    // Published empty deltas mean "no change".
    assert_eq!(
        delta("t2/20240527134702-zbn/entities.delta.json"),
        ftm::Delta::default()
    );

    // `read` emits ADD/MOD entities and counts DEL lines as records.
    let (info, es) = load_with(
        ftm::read,
        &fixture("t2/20240528074703-npf/entities.delta.json"),
    );
    assert_eq!((info.records, es.len()), (1, 0));
    let (info, es) = load_with(
        ftm::read,
        &fixture("t2/20240528014702-pfh/entities.delta.json"),
    );
    assert_eq!((info.records, es.len()), (2, 2));
}

// ---------------------------------------------------------------------------------------------
// Bad input: every reader names the file and the line (or byte), and never panics.

fn scratch(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("interdict-intl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn read_err(read: Reader, path: &Path) -> ListError {
    read(path, &mut |_| Ok(())).expect_err("should fail")
}

fn head(rel: &str, n: usize) -> Vec<u8> {
    let mut bytes = std::fs::read(list(rel)).unwrap();
    bytes.truncate(n);
    bytes
}

#[test]
fn truncated_xml() {
    for (read, rel, name) in [
        (
            un::read as Reader,
            "un/consolidated-2024-05-15.xml",
            "un-cut.xml",
        ),
        (eu::read, "eu/fsf-2024-05-13.xml", "eu-cut.xml"),
    ] {
        // Cut mid-file, once inside a tag and once between tags.
        for n in [100_000, 100_003] {
            let p = scratch(name, &head(rel, n));
            let err = read_err(read, &p);
            let msg = err.to_string();
            assert!(msg.contains(name) && msg.contains("truncated"), "{msg}");
            match err {
                ListError::Syntax { pos, .. } => assert!(pos.line.is_some() && pos.byte.is_some()),
                other => panic!("{other}"),
            }
        }
    }
}

#[test]
fn malformed_xml_and_invalid_utf8() {
    let mut bytes = head("un/consolidated-2024-05-15.xml", 200_000);
    let at = bytes
        .windows(12)
        .position(|w| w == b"<FIRST_NAME>")
        .unwrap()
        + 12;
    bytes[at] = 0xC3; // a lone UTF-8 lead byte
    bytes[at + 1] = b'(';
    let p = scratch("un-utf8.xml", &bytes);
    let msg = read_err(un::read, &p).to_string();
    assert!(
        msg.contains("un-utf8.xml") && msg.contains("line 7"),
        "{msg}"
    );

    let p = scratch(
        "eu-bad.xml",
        b"<export>\n<sanctionEntity logicalId=\"1\">\n</export>\n",
    );
    let msg = read_err(eu::read, &p).to_string();
    assert!(
        msg.contains("eu-bad.xml") && msg.contains("line 3"),
        "{msg}"
    );
}

#[test]
fn broken_csv_quote() {
    let text = std::fs::read_to_string(list("uk/ofsi-conlist-2025-04-10.csv")).unwrap();
    let lines: Vec<&str> = text.lines().take(40).collect();
    let mut broken = lines.clone();
    // Line 10: a stray quote opens a field that runs into the following lines.
    let line10 = lines[9].replacen(',', ",\"", 1);
    broken[9] = &line10;
    let p = scratch("conlist-quote.csv", broken.join("\n").as_bytes());
    let msg = read_err(uk::read_conlist_csv, &p).to_string();
    assert!(
        msg.contains("conlist-quote.csv") && msg.contains("line 10"),
        "{msg}"
    );

    let p = scratch(
        "internal.csv",
        b"id,name,remarks\na,Bob,ok\nb,\"Alice,x\nc,Carol,y\n",
    );
    let msg = read_err(simple_csv::read, &p).to_string();
    assert!(
        msg.contains("internal.csv") && msg.contains("line 3"),
        "{msg}"
    );
}

#[test]
fn empty_files() {
    for (read, name) in [
        (un::read as Reader, "empty-un.xml"),
        (eu::read, "empty-eu.xml"),
        (uk::read_conlist_csv, "empty-conlist.csv"),
        (uk::read_sanctions_list_csv, "empty-fcdo.csv"),
        (uk::read_sanctions_list_xml, "empty-fcdo.xml"),
        (ftm::read, "empty.ftm.json"),
        (simple_csv::read, "empty-internal.csv"),
    ] {
        let p = scratch(name, b"");
        match read_err(read, &p) {
            ListError::Empty { path } => assert_eq!(path, p),
            other => panic!("{name}: {other}"),
        }
    }
}

#[test]
fn ftm_line_that_is_not_json() {
    let text = std::fs::read_to_string(list(&fixture("t1/entities.ftm.json"))).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(3, "{\"id\": \"broken\", \"schema\": ");
    let p = scratch("broken.ftm.json", lines.join("\n").as_bytes());
    let err = read_err(ftm::read, &p);
    assert!(err.to_string().contains("broken.ftm.json"), "{err}");
    match err {
        ListError::Syntax { pos, .. } => assert_eq!(pos.line, Some(4)),
        other => panic!("{other}"),
    }
}

#[test]
fn uk_identifiers_are_typed() {
    let (_, es) = load_with(uk::read_conlist_csv, "uk/ofsi-conlist-2025-04-10.csv");
    let passports = es
        .iter()
        .flat_map(|e| &e.identifiers)
        .filter(|i| i.kind == IdKind::Passport)
        .count();
    assert!(passports > 500, "{passports}");
}
