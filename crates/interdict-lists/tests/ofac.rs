//! OFAC readers against the real published files in `shared/data/lists/ofac` (beside the
//! repository), plus broken inputs written to temporary files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use interdict_lists::{ofac_advanced, ofac_csv, ofac_xml, ListError, ListInfo};
use interdict_model::{Entity, IdKind, NameKind, Schema};

const LISTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/lists");

fn list(rel: &str) -> PathBuf {
    Path::new(LISTS).join(rel)
}

type Reader = fn(&Path, &mut interdict_lists::Sink<'_>) -> Result<ListInfo, ListError>;

fn load(read: Reader, path: &Path) -> (ListInfo, Vec<Entity>) {
    let mut out = Vec::new();
    let info = read(path, &mut |e| {
        out.push(e);
        Ok(())
    })
    .unwrap_or_else(|e| panic!("{e}"));
    (info, out)
}

fn find<'a>(entities: &'a [Entity], id: &str) -> &'a Entity {
    entities
        .iter()
        .find(|e| e.id == id)
        .unwrap_or_else(|| panic!("{id} not found"))
}

fn assert_zhao(entities: &[Entity]) {
    let zhao = find(entities, "ofac-47814");
    assert_eq!(zhao.schema, Schema::Person);
    assert!(zhao.programs.iter().any(|p| p == "CYBER2"), "{zhao:?}");
    assert!(zhao.caption().to_uppercase().starts_with("ZHAO, GUANGZONG"));
}

fn assert_wuhan_uscc(entities: &[Entity]) {
    let wuhan = find(entities, "ofac-47800");
    assert!(
        wuhan
            .identifiers
            .iter()
            .any(|i| i.kind == IdKind::Registration && i.value == "91420100551956105K"),
        "{:?}",
        wuhan.identifiers
    );
}

fn unique_ids(entities: &[Entity]) {
    let ids: BTreeSet<&str> = entities.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.len(), entities.len(), "entity ids must be unique");
}

#[test]
fn classic_sdn_xml() {
    let (info, es) = load(ofac_xml::read, &list("ofac/sdn-2024-05-07.xml"));
    assert_eq!(es.len(), 14_966);
    assert_eq!(info.entities, 14_966);
    assert_eq!(info.dataset, "us_ofac_sdn");
    assert_eq!(info.issued.as_deref(), Some("2024-05-07"));
    unique_ids(&es);
    assert_zhao(&es);
    assert_wuhan_uscc(&es);
    let akas: usize = es
        .iter()
        .map(|e| {
            e.names
                .iter()
                .filter(|n| n.kind != NameKind::Primary)
                .count()
        })
        .sum();
    println!("sdn.xml: {} entities, {akas} non-primary names", es.len());
}

#[test]
fn classic_consolidated_xml() {
    let (info, es) = load(ofac_xml::read, &list("ofac/consolidated-2024-05-06.xml"));
    assert_eq!(es.len(), 443);
    assert_eq!(info.dataset, "us_ofac_cons");
    assert_eq!(info.issued.as_deref(), Some("2024-05-06"));
    unique_ids(&es);
}

#[test]
fn csv_2021_full_set() {
    let mut es = Vec::new();
    let (info, stats) = ofac_csv::read_with_stats(&list("ofac/csv-2021"), &mut |e| {
        es.push(e);
        Ok(())
    })
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(es.len(), 8_976);
    assert_eq!(info.entities, 8_976);
    assert_eq!(stats.entries, 8_976);
    assert_eq!(stats.alt_names, 11_910);
    assert_eq!(stats.addresses, 13_837);
    assert_eq!(stats.comments, 5);
    assert_eq!(stats.orphans, 0);
    unique_ids(&es);
    // What the joined rows became on the entities: ALT.CSV names (a few repeat the primary
    // name or each other) and non-empty addresses (2 397 ADD.CSV rows hold no address at all).
    let alt: usize = es
        .iter()
        .map(|e| {
            e.names
                .iter()
                .filter(|n| matches!(n.kind, NameKind::Alias | NameKind::Previous))
                .count()
        })
        .sum();
    let addresses: usize = es.iter().map(|e| e.addresses.len()).sum();
    println!("csv-2021: {alt} alias/previous names, {addresses} addresses on entities");
    assert!(alt >= 11_900, "{alt}");
    assert!(addresses >= 13_837 - 2_397 - 50, "{addresses}");
    // SDN_COMMENTS.CSV continues the remarks: TIAN Yinyin's a.k.a. 'snowsjohn' is cut in two.
    let tian = find(&es, "ofac-28263");
    assert!(
        tian.names.iter().any(|n| n.value == "snowsjohn"),
        "{:?}",
        tian.names
    );
    assert!(tian.remarks.iter().any(|r| r == "Linked To: LAZARUS GROUP"));
}

#[test]
fn csv_2024_before_and_after_apt31() {
    let (before, _) = load(ofac_csv::read, &list("ofac/csv-2024-03-22"));
    assert_eq!(before.entities, 14_507);
    let (after, es) = load(ofac_csv::read, &list("ofac/csv-2024-03-25/sdn.csv"));
    assert_eq!(after.entities, 14_530);
    assert_eq!(after.dataset, "us_ofac_sdn");
    unique_ids(&es);
    assert_zhao(&es);
    assert_wuhan_uscc(&es);
}

fn crypto_reference() -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    let dir = list("crypto");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let Some(code) = name.strip_prefix("sanctioned_addresses_") else {
            continue;
        };
        let text = std::fs::read_to_string(&path).unwrap();
        let addrs: Vec<String> = serde_json::from_str(&text).unwrap();
        out.insert(code.to_string(), addrs.into_iter().collect());
    }
    out
}

#[test]
fn advanced_xml() {
    let (info, es) = load(
        ofac_advanced::read,
        &list("ofac/sdn_advanced-2025-11-19.xml.bz2"),
    );
    assert_eq!(es.len(), 18_367);
    assert_eq!(info.dataset, "us_ofac_sdn");
    assert_eq!(info.issued.as_deref(), Some("2025-11-19"));
    unique_ids(&es);
    assert_zhao(&es);
    assert_wuhan_uscc(&es);
    let zhao = find(&es, "ofac-47814");
    assert_eq!(
        zhao.listed_on.map(|d| d.to_iso()).as_deref(),
        Some("2024-03-25")
    );
    let wuhan = find(&es, "ofac-47800");
    assert!(wuhan
        .names
        .iter()
        .any(|n| n.kind == NameKind::OriginalScript && n.value == "武汉晓睿智科技有限责任公司"));
    let non_latin: usize = es
        .iter()
        .map(|e| {
            e.names
                .iter()
                .filter(|n| n.kind == NameKind::OriginalScript)
                .count()
        })
        .sum();
    println!("advanced: {non_latin} original-script names");

    // Crypto addresses per currency against the published per-asset files.
    let mut ours: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for e in &es {
        for id in e.identifiers.iter().filter(|i| i.kind == IdKind::Crypto) {
            let cur = id.currency.clone().unwrap_or_default();
            ours.entry(cur).or_default().insert(id.value.clone());
        }
    }
    let reference = crypto_reference();
    let currencies: BTreeSet<&String> = ours.keys().chain(reference.keys()).collect();
    let (mut total, mut common) = (0usize, 0usize);
    for cur in currencies {
        let empty = BTreeSet::new();
        let a = ours.get(cur).unwrap_or(&empty);
        let b = reference.get(cur).unwrap_or(&empty);
        let only_ours: Vec<_> = a.difference(b).collect();
        let only_ref: Vec<_> = b.difference(a).collect();
        if !only_ours.is_empty() || !only_ref.is_empty() {
            println!(
                "{cur}: only in the Advanced XML {only_ours:?}; only in the JSON {only_ref:?}"
            );
        }
        total += a.union(b).count();
        common += a.intersection(b).count();
    }
    println!("crypto: {common} of {total} addresses agree");
    // The per-asset files (2025-12-04) and the Advanced XML (2025-11-19) agree exactly: no
    // crypto designation changed in between. An address listed under several assets (an EVM
    // address as ETH, USDT, USDC, ARB, BSC) counts once per asset on both sides.
    assert_eq!(common, total, "crypto address sets differ");
}

// ---- broken inputs ----

fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("interdict-ofac-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn expect_err(read: Reader, path: &Path) -> ListError {
    match read(path, &mut |_| Ok(())) {
        Ok(info) => panic!("expected an error for {}, got {info:?}", path.display()),
        Err(e) => e,
    }
}

fn assert_located(err: &ListError, path: &Path, line: u64) {
    let msg = err.to_string();
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    assert!(msg.contains(&format!("line {line}")), "{msg}");
}

const CLASSIC: &str = "<?xml version=\"1.0\" standalone=\"yes\"?>
<sdnList xmlns=\"https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML\">
  <publshInformation>
    <Publish_Date>05/07/2024</Publish_Date>
  </publshInformation>
  <sdnEntry>
    <uid>47814</uid>
    <firstName>Guangzong</firstName>
    <lastName>ZHAO</lastName>
    <sdnType>Individual</sdnType>
  </sdnEntry>
</sdnList>
";

const ADVANCED: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>
<Sanctions xmlns=\"https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ADVANCED_XML\">
  <DateOfIssue CalendarTypeID=\"1\">
    <Year>2025</Year>
    <Month>11</Month>
    <Day>19</Day>
  </DateOfIssue>
  <DistinctParties>
    <DistinctParty FixedRef=\"47814\">
      <Profile ID=\"47814\" PartySubTypeID=\"4\">
        <Identity ID=\"39438\" FixedRef=\"47814\" Primary=\"true\" False=\"false\">
          <Alias FixedRef=\"47814\" AliasTypeID=\"1403\" Primary=\"true\" LowQuality=\"false\">
            <DocumentedName ID=\"72568\" FixedRef=\"47814\" DocNameStatusID=\"1\">
              <DocumentedNamePart>
                <NamePartValue NamePartGroupID=\"126168\" ScriptID=\"215\">Zhao</NamePartValue>
              </DocumentedNamePart>
            </DocumentedName>
          </Alias>
        </Identity>
      </Profile>
    </DistinctParty>
  </DistinctParties>
</Sanctions>
";

#[test]
fn truncated_xml() {
    for (read, name, text) in [
        (ofac_xml::read as Reader, "sdn.xml", CLASSIC),
        (ofac_advanced::read as Reader, "sdn_advanced.xml", ADVANCED),
    ] {
        // Cut inside the <lastName>/<NamePartValue> line (line 9 / 14).
        let cut = text
            .find(if name == "sdn.xml" { "ZHAO" } else { "Zhao" })
            .unwrap();
        let path = temp_file(&format!("truncated-{name}"), &text.as_bytes()[..cut + 2]);
        let err = expect_err(read, &path);
        assert!(matches!(err, ListError::Syntax { .. }), "{err}");
        let line = text[..cut].lines().count() as u64;
        assert_located(&err, &path, line);
    }
}

#[test]
fn invalid_utf8_in_element() {
    for (read, name, text, word) in [
        (ofac_xml::read as Reader, "sdn.xml", CLASSIC, "Guangzong"),
        (
            ofac_advanced::read as Reader,
            "sdn_advanced.xml",
            ADVANCED,
            "Zhao",
        ),
    ] {
        let mut bytes = text.as_bytes().to_vec();
        let at = text.find(word).unwrap();
        bytes[at + 2] = 0xC3; // a UTF-8 lead byte followed by ASCII: invalid
        let path = temp_file(&format!("bad-utf8-{name}"), &bytes);
        let err = expect_err(read, &path);
        assert!(matches!(err, ListError::Syntax { .. }), "{err}");
        let line = text[..at].lines().count() as u64;
        assert_located(&err, &path, line);
    }
}

#[test]
fn malformed_xml() {
    let text = CLASSIC.replace("</firstName>", "</first>");
    let path = temp_file("malformed-sdn.xml", text.as_bytes());
    let err = expect_err(ofac_xml::read, &path);
    assert!(matches!(err, ListError::Syntax { .. }), "{err}");
    assert_located(&err, &path, 8);
}

#[test]
fn broken_csv_quote() {
    let text = "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\
173,\"ANGLO-CARIBBEAN CO., LTD.,-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\
306,\"BANCO NACIONAL DE CUBA\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"a.k.a. 'BNC'.\"\r\n";
    let path = temp_file("sdn.csv", text.as_bytes());
    let err = expect_err(ofac_csv::read, &path);
    assert!(
        matches!(err, ListError::Syntax { .. } | ListError::Field { .. }),
        "{err}"
    );
    assert_located(&err, &path, 2);
}

#[test]
fn empty_files() {
    for (read, name) in [
        (ofac_xml::read as Reader, "empty-sdn.xml"),
        (ofac_advanced::read as Reader, "empty-sdn_advanced.xml"),
        (ofac_csv::read as Reader, "empty-sdn.csv"),
    ] {
        let path = temp_file(name, b"");
        let err = expect_err(read, &path);
        assert!(matches!(err, ListError::Empty { .. }), "{name}: {err}");
        assert!(err.to_string().contains(name), "{err}");
    }
}
