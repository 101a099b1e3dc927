//! The seed scenario on real OFAC files: the SDN list of 2024-03-22, a customer base of
//! 10 000 synthetic subjects plus four that are parties designated on 2024-03-25 (APT31 and
//! others) under other spellings and scripts, then the list of 2024-03-25. The delta must be
//! exactly the 23 new designations, monitoring must alert on exactly the four planted subjects
//! with the right entities, and a second run must raise nothing. On SQLite and PostgreSQL.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use common::Place;
use interdict_model::Schema;
use interdict_store::{synth, MonitorOptions, SubjectInput};

fn list(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/lists/ofac")
        .join(name)
}

fn planted() -> Vec<SubjectInput> {
    let p = |id: &str, schema: Schema, name: &str| SubjectInput {
        external_id: id.into(),
        schema: Some(schema),
        names: vec![name.into()],
        ..SubjectInput::default()
    };
    vec![
        p("planted-zhao", Schema::Person, "Guangzong Zhao"),
        p("planted-ni", Schema::Person, "倪高彬"),
        p(
            "planted-wuhan",
            Schema::Company,
            "Wuhan Xiaoruizhi Sci & Tech Co Ltd",
        ),
        p("planted-kaygorodov", Schema::Person, "Igor Kaygorodov"),
    ]
}

fn expected() -> BTreeSet<(String, String)> {
    [
        ("planted-zhao", "ofac-47814"),
        ("planted-ni", "ofac-47818"),
        ("planted-wuhan", "ofac-47800"),
        ("planted-kaygorodov", "ofac-48122"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect()
}

fn seed_scenario(place: &Place) {
    let mut s = place.open();
    let old = s
        .import_list(&list("csv-2024-03-22"), Some("2024-03-22"), "tester")
        .unwrap();
    assert!(old.created);
    assert_eq!(old.version.entities, 14_507);

    let mut subjects = synth::subjects(10_000, 20240322, "cust-");
    subjects.extend(planted());
    let r = s.upsert_subjects(subjects, "synthetic", "tester").unwrap();
    assert_eq!(r.inserted, 10_004);

    // Baseline: every subject screened against the whole list once.
    let base = s.monitor_run(&MonitorOptions::default()).unwrap();
    assert_eq!(base.full_subjects, 10_004);
    assert!(
        base.alerts
            .iter()
            .all(|a| !a.external_id.starts_with("planted-")),
        "planted subjects must not match the list before their designation"
    );

    let new = s
        .import_list(&list("csv-2024-03-25"), Some("2024-03-25"), "tester")
        .unwrap();
    assert_eq!((new.added, new.removed, new.changed), (23, 0, 0));
    let d = s.diff_versions(old.version.id, new.version.id).unwrap();
    assert_eq!(
        (d.added.len(), d.removed.len(), d.changed.len()),
        (23, 0, 0)
    );
    assert!(d.added.contains(&"ofac-47814".to_string()));

    let run = s.monitor_run(&MonitorOptions::default()).unwrap();
    assert_eq!(run.delta_entities, 23);
    assert_eq!(run.delta_subjects, 10_004);
    assert_eq!(run.full_subjects, 0);
    let got: BTreeSet<(String, String)> = run
        .alerts
        .iter()
        .map(|a| (a.external_id.clone(), a.entity_id.clone()))
        .collect();
    assert_eq!(got, expected(), "alerts: {got:?}");
    for a in &run.alerts {
        assert_eq!(a.list_version_id, new.version.id);
        assert!(a.score >= interdict_engine::DEFAULT_THRESHOLD);
        assert!(a.explanation.get("name").is_some());
    }

    // Running again raises nothing new.
    let again = s.monitor_run(&MonitorOptions::default()).unwrap();
    assert!(again.alerts.is_empty());
    assert_eq!(again.delta_entities, 0);

    // Was ZHAO Guangzong listed on 2024-03-23? No; on 2024-03-25, yes.
    let (idx, _) = s.index_as_of("2024-03-23").unwrap();
    assert!(idx.entity("ofac-47814").is_none());
    let (idx, _) = s.index_as_of("2024-03-25").unwrap();
    assert!(idx.entity("ofac-47814").is_some());

    let v = s.audit_verify().unwrap();
    assert!(v.ok(), "{v:?}");
}

#[test]
fn seed_scenario_sqlite() {
    seed_scenario(&Place::sqlite());
}

#[test]
fn seed_scenario_postgres() {
    seed_scenario(&Place::postgres("seed"));
}

#[test]
fn file_diff_is_23_added() {
    let (_, _, a) = interdict_lists::load(&list("csv-2024-03-22"), None).unwrap();
    let (_, _, b) = interdict_lists::load(&list("csv-2024-03-25"), None).unwrap();
    let d = interdict_store::diff_entities(&a, &b).unwrap();
    assert_eq!(
        (d.added.len(), d.removed.len(), d.changed.len()),
        (23, 0, 0)
    );
}

/// The pre-filter must let through every subject the engine would retrieve anything for,
/// even far below the alert threshold.
#[test]
fn prefilter_keeps_every_engine_candidate() {
    use interdict_engine::{Index, ScreenOptions};
    use interdict_store::prefilter::{subject_keys, DeltaFilter};
    let (_, _, a) = interdict_lists::load(&list("csv-2024-03-22"), None).unwrap();
    let (_, _, b) = interdict_lists::load(&list("csv-2024-03-25"), None).unwrap();
    let old: std::collections::HashSet<String> = a.into_iter().map(|e| e.id).collect();
    let delta: Vec<_> = b.into_iter().filter(|e| !old.contains(&e.id)).collect();
    assert_eq!(delta.len(), 23);
    let filter = DeltaFilter::new(&delta);
    let index = Index::build(delta.clone());
    let opts = ScreenOptions {
        threshold: 0.3,
        cutoff: 0.3,
        ..ScreenOptions::default()
    };
    // Synthetic subjects, the planted ones, and the delta's own names as subjects.
    let mut subjects = synth::subjects(20_000, 99, "s-");
    subjects.extend(synth::subjects(20_000, 7, "t-"));
    subjects.extend(planted());
    for (i, e) in delta.iter().enumerate() {
        for (j, n) in e.names.iter().enumerate() {
            subjects.push(SubjectInput {
                external_id: format!("d-{i}-{j}"),
                schema: Some(e.schema),
                names: vec![n.value.clone()],
                ..SubjectInput::default()
            });
        }
    }
    for (i, v) in [
        "Zhao Guang Zong",
        "Guangzong Chao",
        "赵光宗",
        "Ni Gao Bin",
        "Nie Gaobin",
        "Gaobin Ni",
        "Игорь Кайгородов",
        "Kaigorodov Igor",
        "Igor Kajgorodow",
        "Wuhan Xiao Rui Zhi Technology",
        "武汉晓睿智科技有限责任公司",
    ]
    .iter()
    .enumerate()
    {
        subjects.push(SubjectInput {
            external_id: format!("v-{i}"),
            names: vec![v.to_string()],
            ..SubjectInput::default()
        });
    }
    let (mut hits, mut passed) = (0, 0);
    for s in &subjects {
        let may = filter.may_match(&subject_keys(s), &s.identifiers);
        passed += usize::from(may);
        if !index.screen(&s.to_query(), &opts).is_empty() {
            hits += 1;
            assert!(may, "pre-filter dropped {:?}", s.names);
        }
    }
    assert!(hits >= 35, "{hits}");
    eprintln!(
        "{hits} engine hits, {passed} of {} let through",
        subjects.len()
    );
    // And it is selective: most synthetic subjects are not screened at all.
    assert!(
        passed < subjects.len() / 5,
        "{passed} of {}",
        subjects.len()
    );
}
