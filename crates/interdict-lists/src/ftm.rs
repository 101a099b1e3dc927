//! FollowTheMoney (FtM) JSON lines, as exported by OpenSanctions.
//!
//! Two shapes are accepted, line by line (blank lines are skipped):
//!
//! * an entity object: `{"id": …, "schema": "Person", "properties": {…}, "datasets": […]}`;
//! * a delta line (`entities.delta.json`): `{"op": "ADD"|"MOD"|"DEL", "entity": {…}}`.
//!
//! Parties (Person, Organization, Company, …) and their side entities (Sanction, Passport,
//! Identification, CryptoWallet, Address) may come in any order; [`FtmAssembler`] folds the
//! side entities into their parties, so entities are emitted after the last line is read.
//! Each entity's dataset is its `datasets[0]`. Errors always carry the line number.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

use interdict_model::ftm::FtmAssembler;
use interdict_model::Entity;
use serde_json::Value;

use crate::error::{ListError, Position};
use crate::input;
use crate::{ListInfo, Sink};

/// Dataset name reported when the file's parties do not share a single dataset.
pub const DATASET: &str = "ftm";

/// The changes in an OpenSanctions delta file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Delta {
    pub added: Vec<Entity>,
    pub modified: Vec<Entity>,
    /// Ids of deleted entities.
    pub deleted: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Add,
    Mod,
}

/// What one pass over the lines collected.
struct Parsed {
    parties: Vec<Entity>,
    /// Operation of each party id that came from a delta line.
    ops: HashMap<String, Op>,
    deleted: Vec<String>,
    /// Non-blank lines read.
    lines: usize,
    /// Lines without an `op` (plain entity lines).
    plain: usize,
}

/// Reads an FtM entities file or delta file: ADD and MOD entities are emitted like plain
/// ones, DEL lines are counted in `records` only.
pub fn read(path: &Path, sink: &mut Sink<'_>) -> Result<ListInfo, ListError> {
    read_reader(input::open(path)?, path, sink)
}

/// Reads FtM JSON lines from any buffered reader; `path` only labels errors.
pub fn read_reader<R: BufRead>(
    reader: R,
    path: &Path,
    sink: &mut Sink<'_>,
) -> Result<ListInfo, ListError> {
    let parsed = parse(reader, path)?;
    if parsed.lines == 0 {
        return Err(ListError::Empty {
            path: path.to_path_buf(),
        });
    }
    let mut datasets = parsed.parties.iter().map(|e| e.source.as_str());
    let dataset = match datasets.next() {
        Some(first) if datasets.all(|d| d == first) => first.to_string(),
        _ => DATASET.to_string(),
    };
    let mut info = ListInfo {
        dataset,
        issued: None,
        records: parsed.lines,
        entities: 0,
    };
    for e in parsed.parties {
        sink(e)?;
        info.entities += 1;
    }
    Ok(info)
}

/// Reads an OpenSanctions delta file (`entities.delta.json`). An empty file is a delta with
/// no changes (OpenSanctions publishes such files); a line without `op` is an error.
pub fn read_delta(path: &Path) -> Result<Delta, ListError> {
    read_delta_reader(input::open(path)?, path)
}

/// Reads a delta from any buffered reader; `path` only labels errors.
pub fn read_delta_reader<R: BufRead>(reader: R, path: &Path) -> Result<Delta, ListError> {
    let parsed = parse(reader, path)?;
    if parsed.plain > 0 {
        return Err(ListError::field(
            path,
            Position::default(),
            "op",
            format!("{} line(s) without \"op\": not a delta file", parsed.plain),
        ));
    }
    let mut delta = Delta {
        deleted: parsed.deleted,
        ..Delta::default()
    };
    for e in parsed.parties {
        match parsed.ops.get(&e.id) {
            Some(Op::Mod) => delta.modified.push(e),
            _ => delta.added.push(e),
        }
    }
    Ok(delta)
}

fn parse<R: BufRead>(mut reader: R, path: &Path) -> Result<Parsed, ListError> {
    let mut asm = FtmAssembler::new();
    let mut parsed = Parsed {
        parties: Vec::new(),
        ops: HashMap::new(),
        deleted: Vec::new(),
        lines: 0,
        plain: 0,
    };
    let mut buf = Vec::new();
    let mut line_no = 0u64;
    let mut offset = 0u64;
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .map_err(|e| ListError::io(path, e))?;
        if n == 0 {
            break;
        }
        line_no += 1;
        let pos = Position {
            line: Some(line_no),
            byte: Some(offset),
        };
        offset += n as u64;
        let text = std::str::from_utf8(&buf).map_err(|e| {
            ListError::syntax(
                path,
                pos,
                format!("invalid UTF-8 at column {}", e.valid_up_to() + 1),
            )
        })?;
        let text = text.trim().trim_start_matches('\u{feff}');
        if text.is_empty() {
            continue;
        }
        parsed.lines += 1;
        let value: Value = serde_json::from_str(text)
            .map_err(|e| ListError::syntax(path, pos, format!("not a JSON object: {e}")))?;
        let model_err = |field: &str, e: interdict_model::ModelError| {
            ListError::field(path, pos, field, e.to_string())
        };
        match value.get("op") {
            None => {
                parsed.plain += 1;
                asm.push(value).map_err(|e| model_err("entity", e))?;
            }
            Some(op) => {
                let op = op.as_str().unwrap_or_default();
                let entity = value.get("entity").ok_or_else(|| {
                    ListError::field(path, pos, "entity", "delta line without \"entity\"")
                })?;
                let id = entity.get("id").and_then(Value::as_str);
                match op {
                    "ADD" | "MOD" => {
                        if let Some(id) = id {
                            let op = if op == "ADD" { Op::Add } else { Op::Mod };
                            parsed.ops.insert(id.to_string(), op);
                        }
                        asm.push(entity.clone())
                            .map_err(|e| model_err("entity", e))?;
                    }
                    "DEL" => {
                        let id = id.ok_or_else(|| {
                            ListError::field(path, pos, "entity.id", "DEL without an entity id")
                        })?;
                        parsed.deleted.push(id.to_string());
                    }
                    other => {
                        return Err(ListError::field(
                            path,
                            pos,
                            "op",
                            format!("unknown delta operation {other:?}"),
                        ))
                    }
                }
            }
        }
    }
    parsed.parties = asm.finish();
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use interdict_model::{IdKind, NameKind, Schema};

    fn load(text: &str) -> Result<(ListInfo, Vec<Entity>), ListError> {
        let mut out = Vec::new();
        let info = read_reader(text.as_bytes(), Path::new("entities.ftm.json"), &mut |e| {
            out.push(e);
            Ok(())
        })?;
        Ok((info, out))
    }

    #[test]
    fn folds_side_entities() {
        let text = r#"{"id": "s1", "schema": "Sanction", "properties": {"entity": ["p1"], "program": ["CYBER2"]}, "datasets": ["us_ofac_sdn"]}
{"id": "p1", "schema": "Person", "properties": {"name": ["ZHAO Guangzong"], "alias": ["赵光宗"]}, "datasets": ["us_ofac_sdn"]}

{"id": "w1", "schema": "CryptoWallet", "properties": {"holder": ["p1"], "publicKey": ["bc1qxyz"], "currency": ["XBT"]}}
"#;
        let (info, es) = load(text).unwrap();
        assert_eq!(info.dataset, "us_ofac_sdn");
        assert_eq!((info.records, info.entities), (3, 1));
        assert_eq!(es[0].schema, Schema::Person);
        assert_eq!(es[0].programs, ["CYBER2"]);
        assert_eq!(es[0].names[1].kind, NameKind::OriginalScript);
        assert_eq!(es[0].identifiers[0].kind, IdKind::Crypto);
    }

    #[test]
    fn deltas() {
        let text = r#"{"op": "ADD", "entity": {"id": "a", "schema": "Company", "properties": {"name": ["A"]}, "datasets": ["x"]}}
{"op": "MOD", "entity": {"id": "b", "schema": "Person", "properties": {"name": ["B"]}, "datasets": ["x"]}}
{"op": "DEL", "entity": {"id": "c"}}
"#;
        let (info, es) = load(text).unwrap();
        assert_eq!((info.records, info.entities), (3, 2));
        assert_eq!(es.len(), 2);
        let d = read_delta_reader(text.as_bytes(), Path::new("d.json")).unwrap();
        assert_eq!(d.added[0].id, "a");
        assert_eq!(d.modified[0].id, "b");
        assert_eq!(d.deleted, ["c"]);
        assert_eq!(
            read_delta_reader(&b""[..], Path::new("d.json")).unwrap(),
            Delta::default()
        );
        let bad = r#"{"op": "MOVE", "entity": {"id": "a"}}"#;
        let err = read_delta_reader(bad.as_bytes(), Path::new("d.json")).unwrap_err();
        assert!(err.to_string().contains("line 1"), "{err}");
    }

    #[test]
    fn errors_name_the_line() {
        let text = "{\"id\": \"p1\", \"schema\": \"Person\"}\n\nnot json\n";
        let err = load(text).unwrap_err().to_string();
        assert!(
            err.contains("entities.ftm.json") && err.contains("line 3"),
            "{err}"
        );
        let err = load("{\"schema\": \"Person\"}\n").unwrap_err().to_string();
        assert!(err.contains("line 1") && err.contains("id"), "{err}");
        let err = read_reader(
            &b"{\"id\": \"\xff\"}\n"[..],
            Path::new("x.json"),
            &mut |_| Ok(()),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("line 1") && err.contains("UTF-8"), "{err}");
        assert!(matches!(load("\n\n"), Err(ListError::Empty { .. })));
    }
}
