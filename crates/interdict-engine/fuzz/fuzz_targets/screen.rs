//! Arbitrary bytes as a query name (and as a list name) through analysis, indexing and
//! scoring: must never panic, and scores must stay in [0, 1].
#![no_main]

use std::sync::OnceLock;

use interdict_engine::{text, Index, Query, ScreenOptions};
use interdict_model::{Entity, NameKind, Schema};
use libfuzzer_sys::fuzz_target;

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let names = [
            ("p1", Schema::Person, "ZHAO, Guangzong"),
            ("p2", Schema::Person, "赵光宗"),
            ("p3", Schema::Person, "Mohammad Reza NAQDI"),
            ("o1", Schema::Company, "WUHAN XIAORUIZHI SCIENCE AND TECHNOLOGY COMPANY, LIMITED"),
            ("o2", Schema::Organization, "ООО «Ромашка»"),
            ("o3", Schema::Organization, "حزب الله"),
        ];
        let entities = names
            .iter()
            .map(|(id, schema, name)| {
                let mut e = Entity::new(*id, *schema, "fuzz", *id);
                e.add_name(name, NameKind::Primary);
                e
            })
            .collect();
        Index::build(entities)
    })
}

fuzz_target!(|data: &[u8]| {
    let name = String::from_utf8_lossy(data).into_owned();
    let _ = text::analyze(&name, false);
    let _ = text::analyze(&name, true);
    let opts = ScreenOptions { cutoff: 0.0, ..ScreenOptions::default() };
    for m in index().screen(&Query::name(name.clone()), &opts) {
        assert!((0.0..=1.0).contains(&m.score), "score {} out of range", m.score);
    }
    // The same text as a list name.
    let mut e = Entity::new("x", Schema::Person, "fuzz", "x");
    e.add_name(&name, NameKind::Primary);
    let small = Index::build(vec![e]);
    let _ = small.screen(&Query::name("Guangzong Zhao"), &opts);
});
