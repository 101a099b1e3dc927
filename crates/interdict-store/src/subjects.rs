//! The monitored customer base ("subjects").
//!
//! A subject is identified by the customer's own `external_id`. Writing a subject whose
//! content (names, birth dates, countries, identifiers, schema) changed gives it a new
//! revision; the old content stays in `subject_revisions`. Monitoring screens a subject
//! against the whole list whenever its revision is newer than the one last screened.
//!
//! Files: CSV with a header row, or JSON lines (one object per line). See [`parse_file`].

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use interdict_engine::Query;
use interdict_model::{country, IdKind, Identifier, PartialDate, Schema};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::db::{Tx, Val};
use crate::util::{canonical_json, now_rfc3339, sha256_hex};
use crate::versions::insert_many;
use crate::{audit, Result, Store, StoreError};

/// A subject as given (by a file row or an API call), normalised by [`SubjectInput::normalize`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SubjectInput {
    pub external_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<Schema>,
    pub names: Vec<String>,
    #[serde(default)]
    pub birth_dates: Vec<PartialDate>,
    /// ISO 3166-1 alpha-2, lowercase.
    #[serde(default)]
    pub countries: Vec<String>,
    #[serde(default)]
    pub identifiers: Vec<Identifier>,
}

/// A stored subject at its current revision.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Subject {
    pub id: i64,
    pub revision: i64,
    #[serde(flatten)]
    pub data: SubjectInput,
    pub updated_at: String,
}

/// A rejected input row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// 1-based line number in the file.
    pub line: u64,
    pub message: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SubjectImportReport {
    pub rows: usize,
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub rejected: Vec<RowError>,
}

/// The result of writing one subject.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SubjectWrite {
    pub id: i64,
    pub external_id: String,
    pub revision: i64,
    /// False when the content equals the stored revision (nothing written).
    pub changed: bool,
}

fn parse_schema(s: &str) -> Option<Schema> {
    let t = s.trim();
    match t.to_ascii_lowercase().as_str() {
        "" => None,
        "individual" | "person" => Some(Schema::Person),
        "entity" | "org" => Some(Schema::Organization),
        _ => Schema::ALL
            .iter()
            .copied()
            .find(|x| x.as_str().eq_ignore_ascii_case(t)),
    }
}

fn parse_date(s: &str) -> std::result::Result<Vec<PartialDate>, String> {
    let s = s.trim();
    if let Ok(d) = s.parse::<PartialDate>() {
        return Ok(vec![d]);
    }
    let d = PartialDate::parse_loose(s);
    if d.is_empty() {
        Err(format!(
            "birth date {s:?}: expected YYYY, YYYY-MM or YYYY-MM-DD"
        ))
    } else {
        Ok(d)
    }
}

fn parse_identifier(s: &str) -> std::result::Result<Identifier, String> {
    let (kind, value) = s
        .split_once(':')
        .ok_or_else(|| format!("identifier {s:?}: expected TYPE:VALUE"))?;
    let k = IdKind::parse(kind).ok_or_else(|| format!("identifier type {kind:?} is unknown"))?;
    if value.trim().is_empty() {
        return Err(format!("identifier {s:?} has no value"));
    }
    Ok(Identifier::new(k, value.trim()))
}

fn split_multi(s: &str) -> impl Iterator<Item = &str> {
    s.split([';', '|']).map(str::trim).filter(|x| !x.is_empty())
}

impl SubjectInput {
    /// Trims and deduplicates values and checks the subject can be screened.
    pub fn normalize(mut self) -> std::result::Result<SubjectInput, String> {
        self.external_id = self.external_id.trim().to_string();
        if self.external_id.is_empty() {
            return Err("missing external id".into());
        }
        if self.external_id.chars().count() > 200 {
            return Err("external id longer than 200 characters".into());
        }
        let mut names: Vec<String> = Vec::new();
        for n in &self.names {
            let n = n.split_whitespace().collect::<Vec<_>>().join(" ");
            if n.chars().count() > 1000 {
                return Err("a name is longer than 1000 characters".into());
            }
            if !n.is_empty() && !names.contains(&n) {
                names.push(n);
            }
        }
        self.names = names;
        if self.names.is_empty() && self.identifiers.is_empty() {
            return Err("a subject needs a name or an identifier".into());
        }
        let mut countries: Vec<String> = Vec::new();
        for c in &self.countries {
            let iso = country::to_iso2(c).ok_or_else(|| format!("unknown country {c:?}"))?;
            if !countries.iter().any(|x| x == iso) {
                countries.push(iso.to_string());
            }
        }
        self.countries = countries;
        self.birth_dates.dedup();
        self.identifiers.dedup();
        Ok(self)
    }

    /// The screening query for this subject.
    pub fn to_query(&self) -> Query {
        Query {
            schema: self.schema,
            names: self.names.clone(),
            birth_dates: self.birth_dates.clone(),
            countries: self.countries.clone(),
            gender: None,
            identifiers: self.identifiers.clone(),
        }
    }

    /// SHA-256 over the canonical JSON of the content (not the external id).
    pub fn content_hash(&self) -> Result<String> {
        let mut v = serde_json::to_value(self)?;
        if let Some(o) = v.as_object_mut() {
            o.remove("external_id");
        }
        Ok(sha256_hex(canonical_json(&v).as_bytes()))
    }

    /// Builds a subject from a JSON object (API bodies and JSON-lines files). Accepts
    /// `external_id`/`id`, `name`/`names`, `birth_date`/`birth_dates`/`dob`,
    /// `country`/`countries`, `identifiers` (`"TYPE:VALUE"` strings or `{"type", "value"}`)
    /// and `schema`; each value a string or a list.
    pub fn from_json(v: &Value) -> std::result::Result<SubjectInput, String> {
        let o = v.as_object().ok_or("expected a JSON object")?;
        let strings = |keys: &[&str]| -> std::result::Result<Vec<String>, String> {
            let mut out = Vec::new();
            for k in keys {
                match o.get(*k) {
                    None | Some(Value::Null) => {}
                    Some(Value::String(s)) => out.push(s.clone()),
                    Some(Value::Number(n)) => out.push(n.to_string()),
                    Some(Value::Array(a)) => {
                        for x in a {
                            match x {
                                Value::String(s) => out.push(s.clone()),
                                other => return Err(format!("{k}: unexpected value {other}")),
                            }
                        }
                    }
                    Some(other) => return Err(format!("{k}: unexpected value {other}")),
                }
            }
            Ok(out)
        };
        let external_id = strings(&["external_id", "id"])?
            .into_iter()
            .next()
            .unwrap_or_default();
        let mut s = SubjectInput {
            external_id,
            names: strings(&["name", "names"])?,
            ..SubjectInput::default()
        };
        if let Some(t) = strings(&["schema", "type"])?.first() {
            s.schema = Some(parse_schema(t).ok_or_else(|| format!("unknown schema {t:?}"))?);
        }
        for d in strings(&["birth_date", "birth_dates", "dob"])? {
            s.birth_dates.extend(parse_date(&d)?);
        }
        s.countries = strings(&["country", "countries"])?;
        match o.get("identifiers") {
            None | Some(Value::Null) => {}
            Some(Value::Array(a)) => {
                for x in a {
                    s.identifiers.push(match x {
                        Value::String(t) => parse_identifier(t)?,
                        Value::Object(m) => {
                            let t = m.get("type").and_then(Value::as_str).unwrap_or("");
                            let val = m.get("value").and_then(Value::as_str).unwrap_or("");
                            parse_identifier(&format!("{t}:{val}"))?
                        }
                        other => return Err(format!("identifiers: unexpected value {other}")),
                    });
                }
            }
            Some(Value::String(t)) => {
                for part in split_multi(t) {
                    s.identifiers.push(parse_identifier(part)?);
                }
            }
            Some(other) => return Err(format!("identifiers: unexpected value {other}")),
        }
        s.normalize()
    }
}

/// Reads subjects from a CSV file (header row; columns `external_id` (or `id`), `name` (or
/// `names`; several separated by `;`), `first_name`/`last_name`, `birth_date` (or `dob`),
/// `country`, `identifiers` (`TYPE:VALUE;…`), `schema`; other columns are ignored) or a JSON
/// lines file (`.jsonl`/`.ndjson`, or content starting with `{`). Bad rows are returned with
/// their line numbers; the good ones are kept.
pub fn parse_file(path: &Path) -> Result<(Vec<SubjectInput>, Vec<RowError>)> {
    let io = |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut f = File::open(path).map_err(io)?;
    let mut head = [0u8; 64];
    let n = f.read(&mut head).map_err(io)?;
    let f = File::open(path).map_err(io)?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let starts_with_brace = head[..n]
        .iter()
        .find(|b| !b.is_ascii_whitespace() && **b != 0xEF && **b != 0xBB && **b != 0xBF)
        == Some(&b'{');
    if ext == "jsonl" || ext == "ndjson" || starts_with_brace {
        parse_jsonl(BufReader::new(f))
    } else {
        parse_csv(f)
    }
}

pub fn parse_jsonl(r: impl BufRead) -> Result<(Vec<SubjectInput>, Vec<RowError>)> {
    let (mut ok, mut bad) = (Vec::new(), Vec::new());
    for (i, line) in r.lines().enumerate() {
        let line_no = i as u64 + 1;
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                bad.push(RowError {
                    line: line_no,
                    message: format!("unreadable line: {e}"),
                });
                continue;
            }
        };
        let t = line.trim().trim_start_matches('\u{feff}');
        if t.is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(t)
            .map_err(|e| format!("invalid JSON: {e}"))
            .and_then(|v| SubjectInput::from_json(&v))
        {
            Ok(s) => ok.push(s),
            Err(message) => bad.push(RowError {
                line: line_no,
                message,
            }),
        }
    }
    Ok((ok, bad))
}

pub fn parse_csv(r: impl Read) -> Result<(Vec<SubjectInput>, Vec<RowError>)> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(r);
    let headers: Vec<String> = match rdr.headers() {
        Ok(h) => h
            .iter()
            .map(|x| x.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
            .collect(),
        Err(e) => {
            return Ok((
                Vec::new(),
                vec![RowError {
                    line: 1,
                    message: format!("unreadable header: {e}"),
                }],
            ))
        }
    };
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let c_id = col(&["external_id", "id", "customer_id"]);
    let c_name = col(&["name", "names", "full_name"]);
    let c_first = col(&["first_name", "given_name"]);
    let c_last = col(&["last_name", "family_name", "surname"]);
    let c_dob = col(&["birth_date", "dob", "date_of_birth", "birth_dates"]);
    let c_country = col(&["country", "countries", "nationality"]);
    let c_ids = col(&["identifiers", "ids"]);
    let c_schema = col(&["schema", "type"]);
    if c_id.is_none() {
        return Ok((
            Vec::new(),
            vec![RowError {
                line: 1,
                message: "the header has no external_id (or id) column".into(),
            }],
        ));
    }
    let (mut ok, mut bad) = (Vec::new(), Vec::new());
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                bad.push(RowError {
                    line,
                    message: format!("unreadable row: {e}"),
                });
                continue;
            }
        };
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let get = |c: Option<usize>| c.and_then(|i| rec.get(i)).unwrap_or("").trim();
        let row = || -> std::result::Result<SubjectInput, String> {
            let mut s = SubjectInput {
                external_id: get(c_id).to_string(),
                names: split_multi(get(c_name)).map(str::to_string).collect(),
                ..SubjectInput::default()
            };
            let full = [get(c_first), get(c_last)]
                .iter()
                .filter(|x| !x.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
            if !full.is_empty() {
                s.names.push(full);
            }
            let t = get(c_schema);
            if !t.is_empty() {
                s.schema = Some(parse_schema(t).ok_or_else(|| format!("unknown schema {t:?}"))?);
            }
            for d in split_multi(get(c_dob)) {
                s.birth_dates.extend(parse_date(d)?);
            }
            s.countries = split_multi(get(c_country)).map(str::to_string).collect();
            for i in split_multi(get(c_ids)) {
                s.identifiers.push(parse_identifier(i)?);
            }
            s.normalize()
        };
        match row() {
            Ok(s) => ok.push(s),
            Err(message) => bad.push(RowError { line, message }),
        }
    }
    Ok((ok, bad))
}

/// Columns as stored: names, dates and countries one per line; identifiers as JSON.
fn columns(s: &SubjectInput) -> Result<[Val; 5]> {
    let dates: Vec<String> = s.birth_dates.iter().map(|d| d.to_string()).collect();
    Ok([
        s.schema.map(|x| x.as_str().to_string()).into(),
        s.names.join("\n").into(),
        dates.join("\n").into(),
        s.countries.join("\n").into(),
        if s.identifiers.is_empty() {
            String::new().into()
        } else {
            serde_json::to_string(&s.identifiers)?.into()
        },
    ])
}

fn lines(s: &str) -> impl Iterator<Item = &str> {
    s.split('\n').filter(|x| !x.is_empty())
}

/// Rebuilds a subject from its stored columns (schema, names, dates, countries, identifiers).
pub(crate) fn from_columns(
    external_id: String,
    schema: Option<String>,
    names: &str,
    dates: &str,
    countries: &str,
    ids: &str,
) -> Result<SubjectInput> {
    let mut birth_dates = Vec::new();
    for d in lines(dates) {
        let (circa, rest) = match d.strip_prefix("circa ") {
            Some(r) => (true, r),
            None => (false, d),
        };
        let p = rest
            .parse::<PartialDate>()
            .map_err(|e| StoreError::Corrupt(format!("subject {external_id}: {e}")))?;
        birth_dates.push(p.with_circa(circa));
    }
    Ok(SubjectInput {
        schema: schema.as_deref().and_then(parse_schema),
        names: lines(names).map(str::to_string).collect(),
        birth_dates,
        countries: lines(countries).map(str::to_string).collect(),
        identifiers: if ids.is_empty() {
            Vec::new()
        } else {
            serde_json::from_str(ids)?
        },
        external_id,
    })
}

struct Existing {
    id: i64,
    revision: i64,
    hash: String,
}

fn existing_for(
    tx: &mut Tx<'_>,
    inputs: &[(SubjectInput, String)],
) -> Result<HashMap<String, Existing>> {
    let mut out = HashMap::new();
    let mut put = |r: crate::db::Row| -> Result<()> {
        out.insert(
            r.text(0)?,
            Existing {
                id: r.int(1)?,
                revision: r.int(2)?,
                hash: r.text(3)?,
            },
        );
        Ok(())
    };
    if inputs.len() > 500 {
        tx.query_each(
            "SELECT external_id, id, revision, content_hash FROM subjects",
            &[],
            &mut put,
        )?;
    } else {
        for (s, _) in inputs {
            if let Some(r) = tx.query_opt(
                "SELECT external_id, id, revision, content_hash FROM subjects
                 WHERE external_id = $1",
                &[s.external_id.as_str().into()],
            )? {
                put(r)?;
            }
        }
    }
    Ok(out)
}

impl Store {
    /// Writes many subjects in one transaction (one audit record for the batch). A subject
    /// listed twice keeps its last row.
    pub fn upsert_subjects(
        &mut self,
        inputs: Vec<SubjectInput>,
        source: &str,
        actor: &str,
    ) -> Result<SubjectImportReport> {
        let mut report = SubjectImportReport {
            rows: inputs.len(),
            ..SubjectImportReport::default()
        };
        let mut last: HashMap<String, usize> = HashMap::with_capacity(inputs.len());
        for (i, s) in inputs.iter().enumerate() {
            last.insert(s.external_id.clone(), i);
        }
        let mut hashed = Vec::with_capacity(last.len());
        for (i, s) in inputs.into_iter().enumerate() {
            let s = s.normalize().map_err(StoreError::Invalid)?;
            if last.get(&s.external_id) == Some(&i) {
                let h = s.content_hash()?;
                hashed.push((s, h));
            } else {
                report.unchanged += 1;
            }
        }
        let now = now_rfc3339();
        let mut tx = self.begin()?;
        let existing = existing_for(&mut tx, &hashed)?;
        let mut new_rows = Vec::new();
        let mut rev_rows = Vec::new();
        for (s, h) in &hashed {
            let data = serde_json::to_string(s)?;
            match existing.get(&s.external_id) {
                Some(e) if &e.hash == h => report.unchanged += 1,
                Some(e) => {
                    let rev = e.revision + 1;
                    let [schema, names, dates, countries, ids] = columns(s)?;
                    tx.exec(
                        "UPDATE subjects SET revision = $2, content_hash = $3, schema_name = $4,
                         names = $5, birth_dates = $6, countries = $7, identifiers = $8,
                         updated_at = $9, match_keys = $10 WHERE id = $1",
                        &[
                            e.id.into(),
                            rev.into(),
                            h.into(),
                            schema,
                            names,
                            dates,
                            countries,
                            ids,
                            now.as_str().into(),
                            crate::prefilter::subject_keys(s).into(),
                        ],
                    )?;
                    rev_rows.push(vec![
                        s.external_id.as_str().into(),
                        rev.into(),
                        h.into(),
                        data.into(),
                        now.as_str().into(),
                    ]);
                    report.updated += 1;
                }
                None => {
                    let mut row = vec![s.external_id.as_str().into(), 1i64.into(), h.into()];
                    row.extend(columns(s)?);
                    row.push(now.as_str().into());
                    row.push(crate::prefilter::subject_keys(s).into());
                    new_rows.push(row);
                    rev_rows.push(vec![
                        s.external_id.as_str().into(),
                        1i64.into(),
                        h.into(),
                        data.into(),
                        now.as_str().into(),
                    ]);
                    report.inserted += 1;
                }
            }
        }
        insert_many(
            &mut tx,
            "INSERT INTO subjects (external_id, revision, content_hash, schema_name, names,
             birth_dates, countries, identifiers, updated_at, match_keys)",
            "",
            10,
            &new_rows,
            500,
        )?;
        insert_many(
            &mut tx,
            "INSERT INTO subject_revisions (external_id, revision, content_hash, data, created_at)",
            "",
            5,
            &rev_rows,
            500,
        )?;
        // Keys written now are of the current analysis; an older fingerprint stays (and makes
        // the next monitoring run recompute all keys).
        tx.exec(
            "INSERT INTO settings (key, value) VALUES ('analysis_fingerprint', $1)
             ON CONFLICT (key) DO NOTHING",
            &[crate::prefilter::analysis_fingerprint().into()],
        )?;
        audit::append(
            &mut tx,
            "subjects_import",
            actor,
            &json!({
                "source": source, "rows": report.rows, "inserted": report.inserted,
                "updated": report.updated, "unchanged": report.unchanged,
            }),
        )?;
        tx.commit()?;
        Ok(report)
    }

    /// Writes one subject (the API's create/update); a changed subject gets a new revision.
    pub fn upsert_subject(&mut self, input: SubjectInput, actor: &str) -> Result<SubjectWrite> {
        let external_id = input.external_id.trim().to_string();
        let r = self.upsert_subjects(vec![input], "api", actor)?;
        let s = self
            .subject(&external_id)?
            .ok_or_else(|| StoreError::NotFound(format!("subject {external_id}")))?;
        Ok(SubjectWrite {
            id: s.id,
            external_id,
            revision: s.revision,
            changed: r.inserted + r.updated > 0,
        })
    }

    /// A subject at its current revision.
    pub fn subject(&mut self, external_id: &str) -> Result<Option<Subject>> {
        let mut tx = self.begin()?;
        let r = tx.query_opt(
            "SELECT id, revision, external_id, schema_name, names, birth_dates, countries,
             identifiers, updated_at FROM subjects WHERE external_id = $1",
            &[external_id.into()],
        )?;
        tx.commit()?;
        r.map(|r| -> Result<Subject> {
            Ok(Subject {
                id: r.int(0)?,
                revision: r.int(1)?,
                data: from_columns(
                    r.text(2)?,
                    r.opt_text(3)?,
                    &r.text(4)?,
                    &r.text(5)?,
                    &r.text(6)?,
                    &r.text(7)?,
                )?,
                updated_at: r.text(8)?,
            })
        })
        .transpose()
    }

    /// Every stored revision of a subject, oldest first: (revision, content, created_at).
    pub fn subject_history(
        &mut self,
        external_id: &str,
    ) -> Result<Vec<(i64, SubjectInput, String)>> {
        let mut tx = self.begin()?;
        let rows = tx.query(
            "SELECT revision, data, created_at FROM subject_revisions WHERE external_id = $1
             ORDER BY revision",
            &[external_id.into()],
        )?;
        tx.commit()?;
        rows.iter()
            .map(|r| Ok((r.int(0)?, serde_json::from_str(&r.text(1)?)?, r.text(2)?)))
            .collect()
    }

    pub fn subject_count(&mut self) -> Result<i64> {
        let mut tx = self.begin()?;
        let n = tx.query_one("SELECT COUNT(*) FROM subjects", &[])?.int(0)?;
        tx.commit()?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_and_errors() {
        let data = "external_id,name,birth_date,country,identifiers\n\
                    c1,Guangzong Zhao,1985-06,China,passport:E123\n\
                    ,No Id,,,\n\
                    c3,Someone,not a date,,\n\
                    c4,Ann Lee;Anne Lee,,Atlantis,\n\
                    c5,Bob,,,shoe:12\n\
                    c6,,,,\n\
                    c7,Maria Garcia,1970,es,\n";
        let (ok, bad) = parse_csv(data.as_bytes()).unwrap();
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[0].countries, ["cn"]);
        assert_eq!(ok[0].identifiers[0].kind, IdKind::Passport);
        let lines: Vec<u64> = bad.iter().map(|e| e.line).collect();
        assert_eq!(lines, [3, 4, 5, 6, 7]);
        assert!(bad[2].message.contains("Atlantis"), "{bad:?}");
    }

    #[test]
    fn jsonl_rows_and_errors() {
        let data = "{\"id\": 1, \"names\": [\"倪高彬\"], \"identifiers\": [{\"type\": \"passport\", \"value\": \"X1\"}]}\n\
                    \n\
                    {broken\n\
                    {\"external_id\": \"c2\", \"name\": \"Igor Kaygorodov\", \"dob\": \"1974-11-29\", \"schema\": \"person\"}\n";
        let (ok, bad) = parse_jsonl(data.as_bytes()).unwrap();
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[0].external_id, "1");
        assert_eq!(ok[1].schema, Some(Schema::Person));
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].line, 3);
    }

    #[test]
    fn hash_ignores_order_of_nothing_but_content() {
        let a = SubjectInput {
            external_id: "a".into(),
            names: vec!["X Y".into()],
            ..SubjectInput::default()
        };
        let mut b = a.clone();
        b.external_id = "b".into();
        assert_eq!(a.content_hash().unwrap(), b.content_hash().unwrap());
        b.names.push("Z".into());
        assert_ne!(a.content_hash().unwrap(), b.content_hash().unwrap());
    }
}
