//! OFAC's CSV set: SDN.CSV with ALT.CSV (alternate names), ADD.CSV (addresses) and
//! SDN_COMMENTS.CSV (the overflow of the remarks column), or the consolidated set's
//! CONS_PRIM.CSV, CONS_ALT.CSV, CONS_ADD.CSV and CONS_COMMENTS.CSV.
//!
//! The files are headerless; `-0-` marks an empty field, and the files end with a DOS
//! end-of-file byte (0x1A). SDN.CSV has 12 columns: ent_num, name, type, programs, title,
//! call sign, vessel type, tonnage, GRT, vessel flag, vessel owner, remarks. The side files are
//! read into memory first (they are small), then the main file is streamed and each entity is
//! emitted with its names, addresses and remarks joined on ent_num.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use interdict_model::entity::CountryField;
use interdict_model::{country, Address, Entity, IdKind, Identifier, NameKind, Schema};

use crate::error::{ListError, Position};
use crate::{input, ofac_remarks, ListInfo, Sink};

/// Dataset of the SDN list.
pub const DATASET_SDN: &str = "us_ofac_sdn";
/// Dataset of the non-SDN consolidated list.
pub const DATASET_CONS: &str = "us_ofac_cons";

/// How many side-file rows were joined to an entity of the main file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CsvStats {
    /// Rows of the main file (SDN.CSV / CONS_PRIM.CSV).
    pub entries: usize,
    /// ALT.CSV rows joined.
    pub alt_names: usize,
    /// ADD.CSV rows joined (including rows whose address fields are all empty).
    pub addresses: usize,
    /// SDN_COMMENTS.CSV rows joined.
    pub comments: usize,
    /// Side-file rows whose ent_num is not in the main file.
    pub orphans: usize,
}

/// Reads a folder holding an OFAC CSV set, or a single SDN.CSV / CONS_PRIM.CSV file.
pub fn read(path: &Path, sink: &mut Sink<'_>) -> Result<ListInfo, ListError> {
    read_with_stats(path, sink).map(|(info, _)| info)
}

/// Like [`read`], also reporting how the side files were joined.
pub fn read_with_stats(
    path: &Path,
    sink: &mut Sink<'_>,
) -> Result<(ListInfo, CsvStats), ListError> {
    let files = CsvSet::locate(path)?;
    let mut side = SideFiles::default();
    if let Some(p) = &files.alt {
        read_rows(input::open(p)?, p, 5, |row| side.add_alt(row))?;
    }
    if let Some(p) = &files.add {
        read_rows(input::open(p)?, p, 6, |row| side.add_address(row))?;
    }
    if let Some(p) = &files.comments {
        read_rows(input::open(p)?, p, 2, |row| side.add_comment(row))?;
    }
    let dataset = if files.consolidated {
        DATASET_CONS
    } else {
        DATASET_SDN
    };
    let mut stats = CsvStats::default();
    let info = read_main(
        input::open(&files.main)?,
        &files.main,
        dataset,
        &mut side,
        &mut stats,
        sink,
    )?;
    stats.orphans = side.alt.values().map(Vec::len).sum::<usize>()
        + side.add.values().map(Vec::len).sum::<usize>()
        + side.comments.len();
    Ok((info, stats))
}

/// Reads one SDN.CSV stream (no side files). `path` only labels errors.
pub fn read_reader<R: BufRead>(
    reader: R,
    path: &Path,
    sink: &mut Sink<'_>,
) -> Result<ListInfo, ListError> {
    let dataset = if file_key(path).starts_with("cons_") {
        DATASET_CONS
    } else {
        DATASET_SDN
    };
    read_main(
        reader,
        path,
        dataset,
        &mut SideFiles::default(),
        &mut CsvStats::default(),
        sink,
    )
}

/// The files of one CSV set.
struct CsvSet {
    main: PathBuf,
    alt: Option<PathBuf>,
    add: Option<PathBuf>,
    comments: Option<PathBuf>,
    consolidated: bool,
}

/// A file name, lowercased, without a compression suffix.
fn file_key(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    [".gz", ".bz2", ".zip"]
        .iter()
        .find_map(|ext| name.strip_suffix(ext))
        .map(str::to_string)
        .unwrap_or(name)
}

impl CsvSet {
    fn locate(path: &Path) -> Result<CsvSet, ListError> {
        if !path.is_dir() {
            return Ok(CsvSet {
                main: path.to_path_buf(),
                alt: None,
                add: None,
                comments: None,
                consolidated: file_key(path).starts_with("cons_"),
            });
        }
        let mut by_name: HashMap<String, PathBuf> = HashMap::new();
        let dir = std::fs::read_dir(path).map_err(|e| ListError::io(path, e))?;
        for entry in dir {
            let entry = entry.map_err(|e| ListError::io(path, e))?;
            by_name.insert(file_key(&entry.path()), entry.path());
        }
        let (prefix, consolidated) = if by_name.contains_key("sdn.csv") {
            ("", false)
        } else if by_name.contains_key("cons_prim.csv") {
            ("cons_", true)
        } else {
            return Err(ListError::UnknownFormat {
                path: path.to_path_buf(),
                detail: "the folder holds neither sdn.csv nor cons_prim.csv".into(),
            });
        };
        let mut take = |name: &str| by_name.remove(name);
        let main = take(if consolidated {
            "cons_prim.csv"
        } else {
            "sdn.csv"
        });
        let comments = if consolidated {
            take("cons_comments.csv")
        } else {
            take("sdn_comments.csv")
        };
        Ok(CsvSet {
            main: main.unwrap_or_default(),
            alt: take(&format!("{prefix}alt.csv")),
            add: take(&format!("{prefix}add.csv")),
            comments,
            consolidated,
        })
    }
}

/// One CSV row as text fields, with where it starts.
struct Row<'a> {
    fields: Vec<&'a str>,
    pos: Position,
    path: &'a Path,
}

impl Row<'_> {
    /// A field with `-0-` and surrounding space removed; `None` when empty.
    fn get(&self, i: usize) -> Option<&str> {
        let v = self.fields.get(i)?.trim();
        (!v.is_empty() && v != "-0-").then_some(v)
    }

    fn ent_num(&self) -> Result<u64, ListError> {
        let raw = self.get(0).unwrap_or("");
        raw.parse().map_err(|_| {
            ListError::field(
                self.path,
                self.pos,
                "ent_num",
                format!("expected a number, found {raw:?}"),
            )
        })
    }
}

/// Streams the rows of a headerless OFAC CSV file, checking the column count and UTF-8.
fn read_rows<R: BufRead>(
    reader: R,
    path: &Path,
    columns: usize,
    mut on_row: impl FnMut(&Row<'_>) -> Result<(), ListError>,
) -> Result<usize, ListError> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        // Lines end in CRLF; splitting on LF alone makes record positions point at the first
        // byte of a line (the CR stays in the last field, which is trimmed).
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(reader);
    let mut record = csv::ByteRecord::new();
    let mut rows = 0usize;
    loop {
        let more = csv.read_byte_record(&mut record).map_err(|e| {
            let pos = e.position().map(csv_pos).unwrap_or_default();
            match e.into_kind() {
                csv::ErrorKind::Io(io) => ListError::io(path, io),
                other => ListError::syntax(path, pos, format!("{other:?}")),
            }
        })?;
        if !more {
            break;
        }
        let pos = record.position().map(csv_pos).unwrap_or_default();
        // The DOS end-of-file byte OFAC appends forms a last one-field "record".
        if record.len() == 1
            && record[0]
                .iter()
                .all(|b| *b == 0x1a || b.is_ascii_whitespace())
        {
            continue;
        }
        if record.len() != columns {
            return Err(ListError::syntax(
                path,
                pos,
                format!(
                    "expected {columns} fields, found {} (a broken quote or a damaged line)",
                    record.len()
                ),
            ));
        }
        let mut fields = Vec::with_capacity(columns);
        for (i, raw) in record.iter().enumerate() {
            let text = std::str::from_utf8(raw).map_err(|e| {
                ListError::field(
                    path,
                    pos,
                    format!("column {}", i + 1),
                    format!("invalid UTF-8: {e}"),
                )
            })?;
            fields.push(text);
        }
        rows += 1;
        on_row(&Row { fields, pos, path })?;
    }
    Ok(rows)
}

fn csv_pos(p: &csv::Position) -> Position {
    Position {
        line: Some(p.line()),
        byte: Some(p.byte()),
    }
}

struct AltName {
    kind: NameKind,
    name: String,
    remarks: Option<String>,
}

/// ALT.CSV, ADD.CSV and SDN_COMMENTS.CSV rows by ent_num.
#[derive(Default)]
struct SideFiles {
    alt: HashMap<u64, Vec<AltName>>,
    add: HashMap<u64, Vec<Address>>,
    comments: HashMap<u64, String>,
}

impl SideFiles {
    /// ent_num, alt_num, alt_type (aka/fka/nka), alt_name, alt_remarks.
    fn add_alt(&mut self, row: &Row<'_>) -> Result<(), ListError> {
        let kind = match row.get(2).map(str::to_ascii_lowercase).as_deref() {
            Some("fka") => NameKind::Previous,
            _ => NameKind::Alias,
        };
        self.alt.entry(row.ent_num()?).or_default().push(AltName {
            kind,
            name: row.get(3).unwrap_or("").to_string(),
            remarks: row.get(4).map(str::to_string),
        });
        Ok(())
    }

    /// ent_num, add_num, address, city/state/postal code, country, add_remarks.
    fn add_address(&mut self, row: &Row<'_>) -> Result<(), ListError> {
        let country = row.get(4);
        let full = [row.get(2), row.get(3), country, row.get(5)]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        self.add.entry(row.ent_num()?).or_default().push(Address {
            full,
            country: country.and_then(country::to_iso2).map(str::to_string),
        });
        Ok(())
    }

    /// ent_num, remarks continued (appended to the SDN.CSV remarks without a separator: OFAC
    /// cuts the column in the middle of a word).
    fn add_comment(&mut self, row: &Row<'_>) -> Result<(), ListError> {
        let text = row.fields.get(1).copied().unwrap_or("");
        self.comments
            .entry(row.ent_num()?)
            .or_default()
            .push_str(text.trim_end());
        Ok(())
    }
}

fn read_main<R: BufRead>(
    reader: R,
    path: &Path,
    dataset: &str,
    side: &mut SideFiles,
    stats: &mut CsvStats,
    sink: &mut Sink<'_>,
) -> Result<ListInfo, ListError> {
    let mut info = ListInfo {
        dataset: dataset.to_string(),
        ..ListInfo::default()
    };
    let rows = read_rows(reader, path, 12, |row| {
        let entity = entity_from_row(row, dataset, side, stats)?;
        info.entities += 1;
        sink(entity)
    })?;
    if rows == 0 {
        return Err(ListError::Empty {
            path: path.to_path_buf(),
        });
    }
    info.records = rows;
    stats.entries = rows;
    Ok(info)
}

fn schema_of(sdn_type: Option<&str>) -> Schema {
    match sdn_type.map(str::to_ascii_lowercase).as_deref() {
        Some("individual") => Schema::Person,
        Some("vessel") => Schema::Vessel,
        Some("aircraft") => Schema::Airplane,
        _ => Schema::Organization,
    }
}

/// Splits OFAC's program column: `DPRK3] [CYBER2` → `DPRK3`, `CYBER2`.
pub(crate) fn split_programs(text: &str) -> impl Iterator<Item = &str> {
    text.split("] [")
        .map(|p| p.trim_matches(|c: char| c == '[' || c == ']' || c.is_whitespace()))
        .filter(|p| !p.is_empty())
}

fn entity_from_row(
    row: &Row<'_>,
    dataset: &str,
    side: &mut SideFiles,
    stats: &mut CsvStats,
) -> Result<Entity, ListError> {
    let ent_num = row.ent_num()?;
    let name = row
        .get(1)
        .ok_or_else(|| ListError::field(row.path, row.pos, "SDN_Name", "the name is empty"))?;
    let schema = schema_of(row.get(2));
    let mut e = Entity::new(
        format!("ofac-{ent_num}"),
        schema,
        dataset,
        ent_num.to_string(),
    );
    e.add_name(name, NameKind::Primary);
    if let Some(programs) = row.get(3) {
        for p in split_programs(programs) {
            if !e.programs.iter().any(|x| x == p) {
                e.programs.push(p.to_string());
            }
        }
    }
    if let Some(title) = row.get(4) {
        e.remarks.push(format!("Title: {title}"));
    }
    if let Some(call_sign) = row.get(5) {
        e.add_identifier(Identifier::new(IdKind::CallSign, call_sign));
    }
    for (i, label) in [(6, "Vessel type"), (7, "Tonnage"), (8, "GRT")] {
        if let Some(v) = row.get(i) {
            e.remarks.push(format!("{label}: {v}"));
        }
    }
    if let Some(flag) = row.get(9) {
        e.add_country_to(CountryField::Country, flag);
    }
    if let Some(owner) = row.get(10) {
        e.remarks.push(format!("Vessel owner: {owner}"));
    }

    for alt in side.alt.remove(&ent_num).unwrap_or_default() {
        stats.alt_names += 1;
        e.add_name(&alt.name, alt.kind);
        if let Some(r) = alt.remarks {
            e.remarks.push(format!("{}: {r}", alt.name));
        }
    }
    for address in side.add.remove(&ent_num).unwrap_or_default() {
        stats.addresses += 1;
        if let Some(c) = &address.country {
            if !e.countries.contains(c) {
                e.countries.push(c.clone());
            }
        }
        if !address.full.is_empty() && !e.addresses.contains(&address) {
            e.addresses.push(address);
        }
    }
    let mut remarks = row.get(11).unwrap_or("").to_string();
    if let Some(more) = side.comments.remove(&ent_num) {
        stats.comments += 1;
        remarks.push_str(&more);
    }
    ofac_remarks::apply_remarks(&mut e, &remarks);
    Ok(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(text: &str) -> Result<Vec<Entity>, ListError> {
        let mut out = Vec::new();
        read_reader(text.as_bytes(), Path::new("sdn.csv"), &mut |e| {
            out.push(e);
            Ok(())
        })?;
        Ok(out)
    }

    #[test]
    fn rows_become_entities() {
        let text = "28264,\"LI, Jiadong\",\"individual\",\"DPRK3] [CYBER2\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 10 Jan 1987; nationality China; Gender Male; Digital Currency Address - XBT 1EfMVkxQQuZfBdocpJu6RUsCJvenQWbQyE.\"\r\n\
4238,\"MAR AZUL\",\"vessel\",\"CUBA\",-0- ,\"CL2192\",\"Tug\",-0- ,\"212\",\"Cuba\",\"Samir de Navegacion S.A.\",-0- \r\n\x1a";
        let es = read_str(text).unwrap();
        assert_eq!(es.len(), 2);
        let li = &es[0];
        assert_eq!(li.id, "ofac-28264");
        assert_eq!(li.schema, Schema::Person);
        assert_eq!(li.caption(), "LI, Jiadong");
        assert_eq!(li.programs, ["DPRK3", "CYBER2"]);
        assert_eq!(li.nationalities, ["cn"]);
        assert_eq!(li.identifiers[0].currency.as_deref(), Some("XBT"));
        let vessel = &es[1];
        assert_eq!(vessel.schema, Schema::Vessel);
        assert_eq!(vessel.countries, ["cu"]);
        assert_eq!(vessel.identifiers[0].kind, IdKind::CallSign);
        assert!(vessel.remarks.contains(&"Vessel type: Tug".to_string()));
    }

    #[test]
    fn broken_quote_names_the_line() {
        let text = "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\
173,\"ANGLO-CARIBBEAN CO., LTD.,-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n";
        let err = read_str(text).unwrap_err();
        assert!(matches!(err, ListError::Syntax { .. }), "{err}");
        assert!(err.to_string().contains("line 2"), "{err}");
    }

    #[test]
    fn empty_input() {
        assert!(matches!(read_str(""), Err(ListError::Empty { .. })));
    }

    #[test]
    fn programs_split() {
        let got: Vec<&str> = split_programs("SDGT] [IFSR").collect();
        assert_eq!(got, ["SDGT", "IFSR"]);
    }
}
