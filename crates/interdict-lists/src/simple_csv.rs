//! Interdict's simple CSV, for a user's own internal list (documented in `docs/formats.md`).
//!
//! A header row is required. Column names are matched ignoring case and surrounding space:
//! `id` and `name` are required; `schema`, `aliases`, `birth_date`, `nationality`, `country`,
//! `gender`, `passport`, `national_id`, `tax_id`, `registration`, `imo`, `email`, `website`,
//! `phone`, `crypto`, `program` and `remarks` are optional. Multi-valued cells separate values
//! with `;`. Any other column is kept in the remarks as `column: value`, so nothing is lost.
//!
//! Entity ids are the `id` values as written; the dataset is the file stem (`internal` when the
//! stem is empty).

use std::io::BufRead;
use std::path::Path;

use interdict_model::entity::CountryField;
use interdict_model::name::is_non_latin;
use interdict_model::{Entity, Gender, IdKind, Identifier, NameKind, PartialDate, Schema};

use crate::error::{ListError, Position};
use crate::input;
use crate::{ListInfo, Sink};

pub const DEFAULT_DATASET: &str = "internal";

/// The known columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Id,
    Schema,
    Name,
    Aliases,
    BirthDate,
    Nationality,
    Country,
    Gender,
    Ident(IdKind),
    Crypto,
    Program,
    Remarks,
    /// Any other column: kept in the remarks under its header.
    Other,
}

impl Column {
    fn parse(header: &str) -> Column {
        match header.trim().to_ascii_lowercase().as_str() {
            "id" => Column::Id,
            "schema" => Column::Schema,
            "name" => Column::Name,
            "aliases" => Column::Aliases,
            "birth_date" => Column::BirthDate,
            "nationality" => Column::Nationality,
            "country" => Column::Country,
            "gender" => Column::Gender,
            "passport" => Column::Ident(IdKind::Passport),
            "national_id" => Column::Ident(IdKind::NationalId),
            "tax_id" => Column::Ident(IdKind::TaxId),
            "registration" => Column::Ident(IdKind::Registration),
            "imo" => Column::Ident(IdKind::Imo),
            "email" => Column::Ident(IdKind::Email),
            "website" => Column::Ident(IdKind::Website),
            "phone" => Column::Ident(IdKind::Phone),
            "crypto" => Column::Crypto,
            "program" => Column::Program,
            "remarks" => Column::Remarks,
            _ => Column::Other,
        }
    }
}

pub fn read(path: &Path, sink: &mut Sink<'_>) -> Result<ListInfo, ListError> {
    read_reader(input::open(path)?, path, sink)
}

/// The dataset name for a file: its stem as a lowercase slug, or [`DEFAULT_DATASET`].
pub fn dataset_for(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let slug: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let slug = slug.trim_matches('_');
    if slug.is_empty() {
        DEFAULT_DATASET.to_string()
    } else {
        slug.to_string()
    }
}

/// Reads simple CSV from any buffered reader; `path` labels errors and names the dataset.
pub fn read_reader<R: BufRead>(
    reader: R,
    path: &Path,
    sink: &mut Sink<'_>,
) -> Result<ListInfo, ListError> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(reader);
    let mut info = ListInfo {
        dataset: dataset_for(path),
        ..ListInfo::default()
    };
    let mut record = csv::StringRecord::new();
    let header_pos = |r: &csv::StringRecord| Position {
        line: r.position().map(|p| p.line()),
        byte: r.position().map(|p| p.byte()),
    };
    if !csv
        .read_record(&mut record)
        .map_err(|e| ListError::csv(path, e))?
    {
        return Err(ListError::Empty {
            path: path.to_path_buf(),
        });
    }
    let headers: Vec<String> = record
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    let columns: Vec<Column> = headers.iter().map(|h| Column::parse(h)).collect();
    for required in [(Column::Id, "id"), (Column::Name, "name")] {
        if !columns.contains(&required.0) {
            return Err(ListError::field(
                path,
                header_pos(&record),
                required.1,
                format!(
                    "the header has no {:?} column (found: {})",
                    required.1,
                    headers.join(", ")
                ),
            ));
        }
    }
    while csv
        .read_record(&mut record)
        .map_err(|e| ListError::csv(path, e))?
    {
        let pos = header_pos(&record);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if record.len() != headers.len() {
            return Err(ListError::syntax(
                path,
                pos,
                format!(
                    "row has {} fields but the header has {} (an unclosed quote?)",
                    record.len(),
                    headers.len()
                ),
            ));
        }
        info.records += 1;
        let entity = convert(&record, &headers, &columns, &info.dataset, path, pos)?;
        sink(entity)?;
        info.entities += 1;
    }
    Ok(info)
}

/// The `;`-separated values of a cell.
fn values(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(';').map(str::trim).filter(|v| !v.is_empty())
}

fn convert(
    record: &csv::StringRecord,
    headers: &[String],
    columns: &[Column],
    dataset: &str,
    path: &Path,
    pos: Position,
) -> Result<Entity, ListError> {
    let cell = |col: Column| {
        columns
            .iter()
            .position(|c| *c == col)
            .and_then(|i| record.get(i))
            .map(str::trim)
            .unwrap_or_default()
    };
    let field_err = |field: &str, msg: String| ListError::field(path, pos, field, msg);
    let id = cell(Column::Id);
    if id.is_empty() {
        return Err(field_err("id", "missing id".into()));
    }
    let name = cell(Column::Name);
    if name.is_empty() {
        return Err(field_err("name", format!("row {id} has no name")));
    }
    let schema = match cell(Column::Schema) {
        "" => Schema::LegalEntity,
        s => s
            .parse::<Schema>()
            .map_err(|_| field_err("schema", format!("unknown schema {s:?}")))?,
    };
    let mut e = Entity::new(id, schema, dataset, id);
    e.add_name(name, NameKind::Primary);

    for (i, (col, value)) in columns.iter().zip(record.iter()).enumerate() {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        match *col {
            Column::Id | Column::Name | Column::Schema => {}
            Column::Aliases => {
                for alias in values(value) {
                    let kind = if is_non_latin(alias) {
                        NameKind::OriginalScript
                    } else {
                        NameKind::Alias
                    };
                    e.add_name(alias, kind);
                }
            }
            Column::BirthDate => {
                for d in values(value) {
                    let dates = match d.parse::<PartialDate>() {
                        Ok(p) => vec![p],
                        Err(_) => PartialDate::parse_loose(d),
                    };
                    if dates.is_empty() {
                        return Err(field_err("birth_date", format!("not a date: {d:?}")));
                    }
                    dates.into_iter().for_each(|p| e.add_birth_date(p));
                }
            }
            Column::Nationality => {
                for c in values(value) {
                    e.add_country_to(CountryField::Nationality, c);
                }
            }
            Column::Country => {
                for c in values(value) {
                    e.add_country_to(CountryField::Country, c);
                }
            }
            Column::Gender => {
                e.gender = Some(Gender::parse(value).ok_or_else(|| {
                    field_err("gender", format!("{value:?} is not male, female or other"))
                })?);
            }
            Column::Ident(kind) => {
                for v in values(value) {
                    e.add_identifier(Identifier::new(kind, v));
                }
            }
            Column::Crypto => {
                for v in values(value) {
                    e.add_identifier(crypto(v));
                }
            }
            Column::Program => {
                for p in values(value) {
                    if !e.programs.iter().any(|x| x == p) {
                        e.programs.push(p.to_string());
                    }
                }
            }
            Column::Remarks => e.remarks.push(value.to_string()),
            Column::Other => e.remarks.push(format!("{}: {value}", headers[i])),
        }
    }
    Ok(e)
}

/// `XBT:bc1q…` → a crypto address with its currency; a value without a currency prefix is
/// kept as an address of unknown currency.
fn crypto(value: &str) -> Identifier {
    let (currency, address) = match value.split_once(':') {
        Some((cur, addr))
            if (2..=10).contains(&cur.len())
                && cur.chars().all(|c| c.is_ascii_alphanumeric())
                && !addr.trim().is_empty() =>
        {
            (Some(cur.to_ascii_uppercase()), addr.trim())
        }
        _ => (None, value),
    };
    let mut id = Identifier::new(IdKind::Crypto, address);
    id.currency = currency;
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<(ListInfo, Vec<Entity>), ListError> {
        let mut out = Vec::new();
        let info = read_reader(
            text.as_bytes(),
            Path::new("/lists/Our List.csv"),
            &mut |e| {
                out.push(e);
                Ok(())
            },
        )?;
        Ok((info, out))
    }

    const SAMPLE: &str = "ID,Schema,Name,Aliases,Birth_Date,Nationality,Gender,Passport,Crypto,Program,Risk Owner
c-1,Person,ZHAO Guangzong,赵光宗;Guang Zong Zhao,1985-11-12,China,male,E123;E456,XBT:bc1qexample;0xabc,APT31,Compliance team
c-2,Company,\"Wuhan Xiaoruizhi Science & Technology Co., Ltd.\",,,,,,,,
c-3,,Someone,,circa 1960,Atlantis,,,,,
";

    #[test]
    fn reads_rows() {
        let (info, es) = load(SAMPLE).unwrap();
        assert_eq!(info.dataset, "our_list");
        assert_eq!((info.records, info.entities), (3, 3));
        let z = &es[0];
        assert_eq!(z.id, "c-1");
        assert_eq!(z.schema, Schema::Person);
        assert_eq!(z.names[1].kind, NameKind::OriginalScript);
        assert_eq!(z.names[2].kind, NameKind::Alias);
        assert_eq!(z.birth_dates[0].to_iso(), "1985-11-12");
        assert_eq!(z.nationalities, ["cn"]);
        assert_eq!(z.gender, Some(Gender::Male));
        assert_eq!(z.identifiers.len(), 4);
        assert_eq!(z.identifiers[2].currency.as_deref(), Some("XBT"));
        assert_eq!(z.identifiers[3].currency, None);
        assert_eq!(z.programs, ["APT31"]);
        assert_eq!(z.remarks, ["Risk Owner: Compliance team"]);
        assert_eq!(
            es[1].caption(),
            "Wuhan Xiaoruizhi Science & Technology Co., Ltd."
        );
        assert_eq!(es[2].schema, Schema::LegalEntity);
        assert!(es[2].birth_dates[0].circa);
        assert_eq!(es[2].remarks, ["nationality: Atlantis"]);
    }

    #[test]
    fn documented_example_reads() {
        let doc = include_str!("../../../docs/formats.md");
        let example = doc
            .split("```csv\n")
            .nth(1)
            .and_then(|rest| rest.split("```").next())
            .expect("docs/formats.md has a ```csv example");
        let (_, es) = load(example).unwrap();
        assert_eq!(es.len(), 4);
        assert_eq!(es[0].identifiers[1].currency.as_deref(), Some("XBT"));
        assert_eq!(es[2].schema, Schema::Vessel);
        assert!(es[2]
            .remarks
            .contains(&"risk owner: Operations".to_string()));
        assert_eq!(es[3].schema, Schema::LegalEntity);
        assert_eq!(es[3].remarks, ["nationality: Atlantis"]);
    }

    #[test]
    fn errors_name_file_line_and_field() {
        let err = load("id,name\nx-1,\n").unwrap_err();
        match &err {
            ListError::Field { pos, field, .. } => {
                assert_eq!(pos.line, Some(2));
                assert_eq!(field, "name");
            }
            other => panic!("unexpected {other}"),
        }
        assert!(err.to_string().contains("Our List.csv"));
        let err = load("id,name\n,Bob\n").unwrap_err().to_string();
        assert!(err.contains("line 2") && err.contains("field id"), "{err}");
        let err = load("name,country\nBob,uk\n").unwrap_err().to_string();
        assert!(err.contains("line 1") && err.contains("\"id\""), "{err}");
        let err = load("id,name,schema\na,Bob,Planet\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("schema"), "{err}");
        // A quote that never closes swallows the rest of the file.
        let err = load("id,name,remarks\na,\"Bob,x\nb,Alice,y\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("line 2") && err.contains("unclosed quote"),
            "{err}"
        );
        assert!(matches!(load(""), Err(ListError::Empty { .. })));
        let err = read_reader(&b"id,name\na,\xff\n"[..], Path::new("l.csv"), &mut |_| {
            Ok(())
        })
        .unwrap_err()
        .to_string();
        assert!(err.contains("line 2") && err.contains("UTF-8"), "{err}");
    }
}
