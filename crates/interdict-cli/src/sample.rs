//! The bundled sample list.
//!
//! A small list written by the project itself, so that `interdict screen` works on a fresh
//! machine without downloading anything: the APT31 designations of 25 March 2024 (ZHAO
//! Guangzong, NI Gaobin and Wuhan Xiaoruizhi Science and Technology Co., Ltd., program CYBER2)
//! and about twenty other well-known, publicly designated parties — people, organisations, a
//! vessel with its IMO number and holders of listed crypto addresses. The facts follow the
//! public OFAC SDN entries; it is a demonstration list, not a substitute for the official ones.

use interdict_model::ftm::FtmAssembler;
use interdict_model::{Entity, ModelError};

/// The sample list as FollowTheMoney JSON lines (parties and their side entities).
const SAMPLE_FTM: &str = include_str!("../data/sample.ftm.jsonl");

/// The dataset name every sample entity carries.
#[allow(dead_code)] // part of the module's interface for `screen`
pub const SAMPLE_DATASET: &str = "interdict_sample";

/// Parses FtM JSON lines into parties.
fn parse_ftm_lines(text: &str) -> Result<Vec<Entity>, ModelError> {
    let mut asm = FtmAssembler::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value = serde_json::from_str(line)
            .map_err(|e| ModelError::Ftm(format!("sample list line {}: {e}", i + 1)))?;
        asm.push(value)?;
    }
    Ok(asm.finish())
}

/// The parties of the bundled sample list.
#[allow(dead_code)] // used by `screen` when no --list is given
pub fn sample_entities() -> Vec<Entity> {
    // The text is compiled into the binary and checked by the tests below, so a failure here
    // is a bug in the build, not bad input.
    parse_ftm_lines(SAMPLE_FTM)
        .unwrap_or_else(|e| panic!("the bundled sample list does not parse: {e}"))
}

/// A short description of the bundled list, for messages that say what was screened against.
#[allow(dead_code)] // used by `screen` when no --list is given
pub fn sample_path_hint() -> &'static str {
    "the bundled sample list (interdict_sample: 20 publicly designated parties, including the \
     APT31 designations of 25 March 2024; use --list FILE for an official list)"
}

#[cfg(test)]
mod tests {
    use super::*;
    use interdict_model::{IdKind, NameKind, Schema};

    fn find<'a>(all: &'a [Entity], id: &str) -> &'a Entity {
        all.iter()
            .find(|e| e.id == id)
            .unwrap_or_else(|| panic!("{id} missing from the sample list"))
    }

    #[test]
    fn parses_and_holds_the_apt31_parties() {
        let all = sample_entities();
        assert!((18..=26).contains(&all.len()), "{} parties", all.len());
        assert!(all.iter().all(|e| e.id.starts_with("sample-")));
        assert!(all.iter().all(|e| e.source == SAMPLE_DATASET));

        let zhao = find(&all, "sample-zhao-guangzong");
        assert_eq!(zhao.schema, Schema::Person);
        assert_eq!(zhao.programs, ["CYBER2"]);
        assert_eq!(zhao.nationalities, ["cn"]);
        assert!(zhao
            .names
            .iter()
            .any(|n| n.value == "赵光宗" && n.kind == NameKind::OriginalScript));
        assert_eq!(
            zhao.listed_on.map(|d| d.to_iso()).as_deref(),
            Some("2024-03-25")
        );

        let ni = find(&all, "sample-ni-gaobin");
        assert_eq!(ni.schema, Schema::Person);
        assert_eq!(ni.programs, ["CYBER2"]);
        assert_eq!(ni.nationalities, ["cn"]);
        assert!(ni.names.iter().any(|n| n.value == "倪高彬"));

        let wuhan = find(&all, "sample-wuhan-xiaoruizhi");
        assert_eq!(wuhan.schema, Schema::Company);
        assert_eq!(wuhan.programs, ["CYBER2"]);
        assert!(wuhan
            .names
            .iter()
            .any(|n| n.value == "武汉晓睿智科技有限责任公司"));
        let uscc = wuhan
            .identifiers
            .iter()
            .find(|i| i.value == "91420100551956105K")
            .expect("USCC on Wuhan Xiaoruizhi");
        assert_eq!(uscc.kind, IdKind::Registration);
        assert_eq!(uscc.country.as_deref(), Some("cn"));
    }

    #[test]
    fn holds_a_vessel_and_crypto_addresses() {
        let all = sample_entities();
        let vessel = find(&all, "sample-adrian-darya-1");
        assert_eq!(vessel.schema, Schema::Vessel);
        assert!(vessel
            .identifiers
            .iter()
            .any(|i| i.kind == IdKind::Imo && i.value == "9116412"));
        let lazarus = find(&all, "sample-lazarus-group");
        let wallet = lazarus
            .identifiers
            .iter()
            .find(|i| i.kind == IdKind::Crypto)
            .expect("Lazarus Group wallet");
        assert_eq!(wallet.value, "0x098B716B8Aaf21512996dC57EB0615e2383E2f96");
        assert_eq!(wallet.currency.as_deref(), Some("ETH"));
    }

    #[test]
    fn bad_lines_are_reported() {
        let err = parse_ftm_lines("{\"id\":\"a\",\"schema\":\"Person\"}\n{oops\n").unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
    }

    #[test]
    fn hint_names_the_sample() {
        assert!(sample_path_hint().contains("sample"));
    }
}
