//! United Kingdom lists.
//!
//! * **OFSI Consolidated List** ("ConList", retired 28 January 2026): one row per *name*, the
//!   rows of one designation sharing a `Group ID`. Read from `ConList.csv` (line 1
//!   `Last Updated,DD/MM/YYYY`, line 2 the header) or from the same sheet as `.xlsx`. Both row
//!   sources feed one [`Grouper`], so they give identical entities.
//! * **FCDO UK Sanctions List** (the only UK list since January 2026): CSV with the same
//!   row-per-name idea keyed by `Unique ID` (line 1 `Report Date: DD-Mon-YYYY`, then the
//!   header), and XML with one `Designation` element per listed party. The column and element
//!   names follow the published layout as documented by several independent users of the list;
//!   no sample file was available when this reader was written, so it matches headers
//!   case-insensitively and tolerates missing optional columns.
//!
//! Enumerated cells such as `(1) Germany. (2) Morocco` are split into their values. Dates are
//! `DD/MM/YYYY`, with `00` or `dd`/`mm` for unknown parts.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

use calamine::{Data, Reader as _};
use interdict_model::entity::CountryField;
use interdict_model::name::is_non_latin;
use interdict_model::{Address, Entity, Gender, IdKind, Identifier, NameKind, PartialDate, Schema};

use crate::error::{ListError, Position};
use crate::input;
use crate::un::xml::{Element, Event, XmlStream};
use crate::{ListInfo, Sink};

pub const CONLIST_DATASET: &str = "gb_hmt_sanctions";
pub const FCDO_DATASET: &str = "gb_fcdo_sanctions";

/// Where a row-per-name layout keeps each field. Every field lists the header spellings it
/// may appear under (matched ignoring case and surrounding space).
struct Layout {
    dataset: &'static str,
    key: &'static [&'static str],
    names: [&'static [&'static str]; 6],
    name_type: &'static [&'static str],
    alias_quality: &'static [&'static str],
    non_latin: &'static [&'static str],
    title: &'static [&'static str],
    dob: &'static [&'static str],
    town_of_birth: &'static [&'static str],
    country_of_birth: &'static [&'static str],
    nationality: &'static [&'static str],
    passport: &'static [&'static str],
    passport_details: &'static [&'static str],
    national_id: &'static [&'static str],
    national_id_details: &'static [&'static str],
    position: &'static [&'static str],
    address: [&'static [&'static str]; 6],
    postcode: &'static [&'static str],
    country: &'static [&'static str],
    remarks: &'static [&'static [&'static str]],
    group_type: &'static [&'static str],
    regime: &'static [&'static str],
    listed_on: &'static [&'static str],
    gender: &'static [&'static str],
    phone: &'static [&'static str],
    website: &'static [&'static str],
    email: &'static [&'static str],
    registration: &'static [&'static str],
    imo: &'static [&'static str],
    flag: &'static [&'static str],
    un_reference: &'static [&'static str],
}

const NAME_COLUMNS: [&[&str]; 6] = [
    &["Name 1"],
    &["Name 2"],
    &["Name 3"],
    &["Name 4"],
    &["Name 5"],
    &["Name 6"],
];

const CONLIST: Layout = Layout {
    dataset: CONLIST_DATASET,
    key: &["Group ID"],
    names: NAME_COLUMNS,
    name_type: &["Alias Type"],
    alias_quality: &["Alias Quality"],
    non_latin: &["Name Non-Latin Script"],
    title: &["Title"],
    dob: &["DOB"],
    town_of_birth: &["Town of Birth"],
    country_of_birth: &["Country of Birth"],
    nationality: &["Nationality"],
    passport: &["Passport Number"],
    passport_details: &["Passport Details"],
    national_id: &["National Identification Number", "NI Number"],
    national_id_details: &["National Identification Details"],
    position: &["Position"],
    address: [
        &["Address 1"],
        &["Address 2"],
        &["Address 3"],
        &["Address 4"],
        &["Address 5"],
        &["Address 6"],
    ],
    postcode: &["Post/Zip Code"],
    country: &["Country"],
    remarks: &[&["Other Information"]],
    group_type: &["Group Type"],
    regime: &["Regime"],
    listed_on: &["Listed On"],
    gender: &[],
    phone: &[],
    website: &[],
    email: &[],
    registration: &[],
    imo: &[],
    flag: &[],
    un_reference: &[],
};

const FCDO: Layout = Layout {
    dataset: FCDO_DATASET,
    key: &["Unique ID"],
    names: NAME_COLUMNS,
    name_type: &["Name type"],
    alias_quality: &["Alias strength"],
    non_latin: &["Name non-latin script"],
    title: &["Title"],
    dob: &["D.O.B", "DOB"],
    town_of_birth: &["Town of birth"],
    country_of_birth: &["Country of birth"],
    nationality: &["Nationality(/ies)", "Nationality"],
    passport: &["Passport number"],
    passport_details: &["Passport additional information"],
    national_id: &["National Identifier number"],
    national_id_details: &["National Identifier additional information"],
    position: &["Position"],
    address: [
        &["Address Line 1"],
        &["Address Line 2"],
        &["Address Line 3"],
        &["Address Line 4"],
        &["Address Line 5"],
        &["Address Line 6"],
    ],
    postcode: &["Address Postal Code"],
    country: &["Address Country"],
    remarks: &[&["Other Information"], &["UK Statement of Reasons"]],
    group_type: &["Designation Type"],
    regime: &["Regime Name"],
    listed_on: &["Date Designated"],
    gender: &["Gender"],
    phone: &["Phone number"],
    website: &["Website"],
    email: &["Email address"],
    registration: &[
        "Business registration number (s)",
        "Business registration number(s)",
    ],
    imo: &["IMO number"],
    flag: &["Current believed flag of ship"],
    un_reference: &["UN Reference Number"],
};

/// Column indexes of a [`Layout`] in one file's header.
struct Columns {
    key: usize,
    names: [Option<usize>; 6],
    name_type: Option<usize>,
    alias_quality: Option<usize>,
    non_latin: Option<usize>,
    title: Option<usize>,
    dob: Option<usize>,
    town_of_birth: Option<usize>,
    country_of_birth: Option<usize>,
    nationality: Option<usize>,
    passport: Option<usize>,
    passport_details: Option<usize>,
    national_id: Option<usize>,
    national_id_details: Option<usize>,
    position: Option<usize>,
    address: [Option<usize>; 6],
    postcode: Option<usize>,
    country: Option<usize>,
    remarks: Vec<usize>,
    group_type: Option<usize>,
    regime: Option<usize>,
    listed_on: Option<usize>,
    gender: Option<usize>,
    phone: Option<usize>,
    website: Option<usize>,
    email: Option<usize>,
    registration: Option<usize>,
    imo: Option<usize>,
    flag: Option<usize>,
    un_reference: Option<usize>,
}

impl Columns {
    /// Locates the layout's columns; `None` unless the key and at least one name column exist.
    fn find(layout: &Layout, header: &[String]) -> Option<Columns> {
        let norm: Vec<String> = header
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_lowercase())
            .collect();
        let col = |alts: &[&str]| {
            alts.iter()
                .find_map(|a| norm.iter().position(|h| *h == a.to_lowercase()))
        };
        let names = layout.names.map(col);
        if names.iter().all(Option::is_none) {
            return None;
        }
        Some(Columns {
            key: col(layout.key)?,
            names,
            name_type: col(layout.name_type),
            alias_quality: col(layout.alias_quality),
            non_latin: col(layout.non_latin),
            title: col(layout.title),
            dob: col(layout.dob),
            town_of_birth: col(layout.town_of_birth),
            country_of_birth: col(layout.country_of_birth),
            nationality: col(layout.nationality),
            passport: col(layout.passport),
            passport_details: col(layout.passport_details),
            national_id: col(layout.national_id),
            national_id_details: col(layout.national_id_details),
            position: col(layout.position),
            address: layout.address.map(col),
            postcode: col(layout.postcode),
            country: col(layout.country),
            remarks: layout.remarks.iter().filter_map(|alts| col(alts)).collect(),
            group_type: col(layout.group_type),
            regime: col(layout.regime),
            listed_on: col(layout.listed_on),
            gender: col(layout.gender),
            phone: col(layout.phone),
            website: col(layout.website),
            email: col(layout.email),
            registration: col(layout.registration),
            imo: col(layout.imo),
            flag: col(layout.flag),
            un_reference: col(layout.un_reference),
        })
    }
}

/// Folds name rows into one entity per designation, in order of first appearance.
struct Grouper {
    layout: &'static Layout,
    cols: Columns,
    header_len: usize,
    entities: Vec<Entity>,
    index: HashMap<String, usize>,
    rows: usize,
}

impl Grouper {
    fn new(layout: &'static Layout, cols: Columns, header_len: usize) -> Self {
        Grouper {
            layout,
            cols,
            header_len,
            entities: Vec::new(),
            index: HashMap::new(),
            rows: 0,
        }
    }

    /// Adds one row; `pos` labels errors.
    fn push(&mut self, row: &[String], path: &Path, pos: Position) -> Result<(), ListError> {
        if row.iter().all(|c| c.trim().is_empty()) {
            return Ok(());
        }
        if row.len() != self.header_len {
            return Err(ListError::syntax(
                path,
                pos,
                format!(
                    "row has {} fields but the header has {} (an unclosed quote?)",
                    row.len(),
                    self.header_len
                ),
            ));
        }
        self.rows += 1;
        let c = &self.cols;
        let get = |i: Option<usize>| -> &str {
            i.and_then(|i| row.get(i))
                .map(|s| s.trim())
                .unwrap_or_default()
        };
        let key = get(Some(c.key));
        if key.is_empty() {
            let field = self.layout.key[0];
            return Err(ListError::field(path, pos, field, "empty designation id"));
        }
        let i = match self.index.get(key) {
            Some(&i) => i,
            None => {
                let schema = schema_of(get(c.group_type));
                let e = Entity::new(format!("uk-{key}"), schema, self.layout.dataset, key);
                self.index.insert(key.to_string(), self.entities.len());
                self.entities.push(e);
                self.entities.len() - 1
            }
        };
        let e = &mut self.entities[i];

        let name = join_name(c.names.map(get));
        if !name.is_empty() {
            let kind = name_kind(get(c.name_type), get(c.alias_quality), &name);
            e.add_name(&name, kind);
        }
        let non_latin = get(c.non_latin);
        if !non_latin.is_empty() {
            let kind = if is_non_latin(non_latin) {
                NameKind::OriginalScript
            } else {
                NameKind::Alias
            };
            e.add_name(non_latin, kind);
        }
        push_unique(&mut e.remarks, get(c.title), "title: ");
        for d in split_enumerated(get(c.dob)) {
            add_dob(e, &d);
        }
        add_birth_places(e, get(c.town_of_birth), get(c.country_of_birth));
        for n in split_enumerated(get(c.nationality)) {
            e.add_country_to(CountryField::Nationality, &n);
        }
        add_documents(
            e,
            IdKind::Passport,
            get(c.passport),
            get(c.passport_details),
        );
        add_documents(
            e,
            IdKind::NationalId,
            get(c.national_id),
            get(c.national_id_details),
        );
        for (kind, col) in [
            (IdKind::Phone, c.phone),
            (IdKind::Website, c.website),
            (IdKind::Email, c.email),
            (IdKind::Registration, c.registration),
            (IdKind::Imo, c.imo),
        ] {
            for v in split_enumerated(get(col)) {
                e.add_identifier(Identifier::new(kind, v));
            }
        }
        push_unique(&mut e.remarks, get(c.position), "position: ");
        add_address(e, c.address.map(get), get(c.postcode), get(c.country));
        for n in split_enumerated(get(c.flag)) {
            e.add_country_to(CountryField::Country, &n);
        }
        for &r in &c.remarks {
            let text = get(Some(r));
            push_unique(&mut e.remarks, text, "");
            if e.gender.is_none() {
                e.gender = gender_in_remarks(text);
            }
        }
        if e.gender.is_none() {
            e.gender = Gender::parse(get(c.gender));
        }
        let regime = get(c.regime);
        if !regime.is_empty() && !e.programs.iter().any(|p| p == regime) {
            e.programs.push(regime.to_string());
        }
        if let Some(d) = parse_uk_date(get(c.listed_on)) {
            if e.listed_on.is_none_or(|cur| d < cur) {
                e.listed_on = Some(d);
            }
        }
        push_unique(&mut e.remarks, get(c.un_reference), "UN reference number: ");
        Ok(())
    }

    fn finish(self, sink: &mut Sink<'_>, info: &mut ListInfo) -> Result<(), ListError> {
        info.records = self.rows;
        for mut e in self.entities {
            // Unknown country names land in the remarks once per row; keep each once.
            let mut seen = std::collections::HashSet::new();
            e.remarks.retain(|r| seen.insert(r.clone()));
            if !e.names.iter().any(|n| n.kind == NameKind::Primary) {
                if let Some(n) = e
                    .names
                    .iter_mut()
                    .find(|n| n.kind != NameKind::OriginalScript)
                {
                    n.kind = NameKind::Primary;
                }
            }
            sink(e)?;
            info.entities += 1;
        }
        Ok(())
    }
}

fn schema_of(group_type: &str) -> Schema {
    match group_type.trim().to_ascii_lowercase().as_str() {
        "individual" => Schema::Person,
        "entity" => Schema::Organization,
        "ship" => Schema::Vessel,
        _ => Schema::LegalEntity,
    }
}

/// Name 1..5 are given names, Name 6 the family name (or a whole organisation name).
fn join_name(parts: [&str; 6]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

fn name_kind(name_type: &str, quality: &str, name: &str) -> NameKind {
    if is_non_latin(name) {
        return NameKind::OriginalScript;
    }
    let t = name_type.trim().to_ascii_lowercase();
    match t.as_str() {
        "primary name" => NameKind::Primary,
        "fka" | "f.k.a." | "formerly known as" => NameKind::Previous,
        _ if quality.to_ascii_lowercase().contains("low") => NameKind::WeakAlias,
        _ => NameKind::Alias,
    }
}

fn push_unique(list: &mut Vec<String>, text: &str, prefix: &str) {
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    let item = format!("{prefix}{text}");
    if !list.contains(&item) {
        list.push(item);
    }
}

/// Splits `(1) A. (2) B` into `["A", "B"]`; other text is one value. Placeholder values
/// (`-`) are dropped.
fn split_enumerated(text: &str) -> Vec<String> {
    let text = text.trim();
    if text.is_empty() {
        return Vec::new();
    }
    if !text.starts_with("(1)") {
        return vec![text.to_string()];
    }
    let mut out = Vec::new();
    let mut rest = text;
    let mut n = 1;
    while let Some(start) = rest.find(&format!("({n})")) {
        let after = &rest[start + format!("({n})").len()..];
        let next = format!("({})", n + 1);
        let (value, tail) = match after.find(&next) {
            Some(end) => (&after[..end], &after[end..]),
            None => (after, ""),
        };
        let value = value.trim().trim_end_matches([';', ',']).trim();
        let value = value.strip_suffix('.').unwrap_or(value).trim();
        if !value.is_empty() && value != "-" {
            out.push(value.to_string());
        }
        rest = tail;
        n += 1;
    }
    out
}

/// `DD/MM/YYYY`, `MM/YYYY` or `YYYY`, with `00`, `dd` or `mm` for unknown parts.
fn parse_uk_date(text: &str) -> Option<PartialDate> {
    let parts: Vec<&str> = text.trim().split('/').map(str::trim).collect();
    let year = |p: &str| p.parse::<u16>().ok();
    // Day and month: `00`, `dd`, `mm` or anything not a number mean unknown.
    let small = |p: &str| p.parse::<u8>().ok();
    match parts.as_slice() {
        [d, m, y] => {
            let month = small(m).filter(|m| *m != 0);
            PartialDate::new(year(y)?, month, small(d).filter(|_| month.is_some()))
        }
        [m, y] => PartialDate::new(year(y)?, small(m), None),
        [y] if y.len() == 4 => PartialDate::new(year(y)?, None, None),
        _ => None,
    }
}

fn add_dob(e: &mut Entity, text: &str) {
    if let Some(d) = parse_uk_date(text) {
        e.add_birth_date(d);
        return;
    }
    let loose = PartialDate::parse_loose(text);
    if loose.is_empty() {
        push_unique(&mut e.remarks, text, "date of birth: ");
    }
    loose.into_iter().for_each(|d| e.add_birth_date(d));
}

fn add_birth_places(e: &mut Entity, towns: &str, countries: &str) {
    let towns = split_enumerated(towns);
    let countries = split_enumerated(countries);
    let places: Vec<String> = if towns.len() == countries.len() {
        towns
            .iter()
            .zip(&countries)
            .map(|(t, c)| format!("{t}, {c}"))
            .collect()
    } else {
        towns.iter().chain(&countries).cloned().collect()
    };
    for p in places {
        if !e.birth_places.contains(&p) {
            e.birth_places.push(p);
        }
    }
}

fn add_documents(e: &mut Entity, kind: IdKind, numbers: &str, details: &str) {
    let numbers = split_enumerated(numbers);
    let details = split_enumerated(details);
    let paired = numbers.len() == details.len();
    for (i, number) in numbers.iter().enumerate() {
        let mut id = Identifier::new(kind, number);
        id.label = if paired {
            details.get(i).cloned()
        } else if !details.is_empty() {
            Some(details.join("; "))
        } else {
            None
        };
        e.add_identifier(id);
    }
}

fn add_address(e: &mut Entity, lines: [&str; 6], postcode: &str, country: &str) {
    let parts: Vec<&str> = lines
        .iter()
        .chain([&postcode, &country])
        .filter(|p| !p.is_empty())
        .copied()
        .collect();
    if !country.is_empty() {
        e.add_country_to(CountryField::Country, country);
    }
    if parts.is_empty() {
        return;
    }
    let address = Address {
        full: parts.join(", "),
        country: interdict_model::country::to_iso2(country).map(String::from),
    };
    if !e.addresses.contains(&address) {
        e.addresses.push(address);
    }
}

/// ConList keeps the gender in "Other Information" as `(Gender):Male`.
fn gender_in_remarks(text: &str) -> Option<Gender> {
    let (_, rest) = text.split_once("(Gender):")?;
    Gender::parse(rest.split(|c: char| !c.is_alphabetic()).next()?)
}

// ---------------------------------------------------------------------------------------------
// Row sources

/// Reads row-per-name CSV: optional preamble lines, the header, then name rows.
fn read_rows_csv<R: BufRead>(
    reader: R,
    path: &Path,
    layout: &'static Layout,
    sink: &mut Sink<'_>,
) -> Result<ListInfo, ListError> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(reader);
    let mut info = ListInfo {
        dataset: layout.dataset.to_string(),
        ..ListInfo::default()
    };
    let mut grouper: Option<Grouper> = None;
    let mut record = csv::StringRecord::new();
    let mut any = false;
    loop {
        let more = csv
            .read_record(&mut record)
            .map_err(|e| ListError::csv(path, e))?;
        if !more {
            break;
        }
        any = true;
        let pos = Position {
            line: record.position().map(|p| p.line()),
            byte: record.position().map(|p| p.byte()),
        };
        let row: Vec<String> = record.iter().map(String::from).collect();
        match grouper.as_mut() {
            Some(g) => g.push(&row, path, pos)?,
            None => {
                if let Some(cols) = Columns::find(layout, &row) {
                    grouper = Some(Grouper::new(layout, cols, row.len()));
                } else if let Some(date) = preamble_date(&row) {
                    info.issued = Some(date);
                } else {
                    return Err(ListError::UnknownFormat {
                        path: path.to_path_buf(),
                        detail: format!(
                            "line {}: expected the header row with columns {} and Name 1..6",
                            pos.line.unwrap_or(0),
                            layout.key[0]
                        ),
                    });
                }
            }
        }
    }
    if !any {
        return Err(ListError::Empty {
            path: path.to_path_buf(),
        });
    }
    let grouper = grouper.ok_or_else(|| ListError::UnknownFormat {
        path: path.to_path_buf(),
        detail: "no header row found".into(),
    })?;
    grouper.finish(sink, &mut info)?;
    Ok(info)
}

/// The issue date in a preamble line: `Last Updated,10/04/2025` (ConList) or
/// `Report Date: 13-Feb-2026` (FCDO).
fn preamble_date(row: &[String]) -> Option<String> {
    let first = row.first()?.trim().trim_start_matches('\u{feff}');
    let lower = first.to_ascii_lowercase();
    let value = if lower.starts_with("last updated") {
        row.get(1)
            .map(String::as_str)
            .or_else(|| first.split_once(':').map(|(_, v)| v))?
    } else if lower.starts_with("report date") {
        first
            .split_once(':')
            .map(|(_, v)| v)
            .or_else(|| row.get(1).map(String::as_str))?
    } else {
        return None;
    };
    parse_uk_date(value)
        .or_else(|| PartialDate::parse_loose(value).into_iter().next())
        .map(|d| d.to_iso())
}

/// Reads an OFSI ConList CSV file (`ConList.csv` layout).
pub fn read_conlist_csv(path: &Path, sink: &mut Sink<'_>) -> Result<ListInfo, ListError> {
    read_conlist_csv_reader(input::open(path)?, path, sink)
}

/// Reads ConList CSV from any buffered reader; `path` only labels errors.
pub fn read_conlist_csv_reader<R: BufRead>(
    reader: R,
    path: &Path,
    sink: &mut Sink<'_>,
) -> Result<ListInfo, ListError> {
    read_rows_csv(reader, path, &CONLIST, sink)
}

/// Reads the OFSI ConList spreadsheet (`.xlsx`; `.xls` and `.ods` work too): the first sheet,
/// from its header row on. Row numbers in errors are spreadsheet row numbers.
pub fn read_conlist_xlsx(path: &Path, sink: &mut Sink<'_>) -> Result<ListInfo, ListError> {
    let sheet_error = |msg: String| ListError::syntax(path, Position::default(), msg);
    let mut book = calamine::open_workbook_auto(path).map_err(|e| match e {
        calamine::Error::Io(io) => ListError::io(path, io),
        other => sheet_error(format!("cannot open spreadsheet: {other}")),
    })?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| ListError::Empty {
            path: path.to_path_buf(),
        })?
        .map_err(|e| sheet_error(format!("cannot read the first sheet: {e}")))?;
    let first_row = range.start().map_or(0, |(r, _)| r as u64);
    let mut info = ListInfo {
        dataset: CONLIST.dataset.to_string(),
        ..ListInfo::default()
    };
    let mut grouper: Option<Grouper> = None;
    let mut any = false;
    for (i, cells) in range.rows().enumerate() {
        let row: Vec<String> = cells.iter().map(cell_text).collect();
        let line = first_row + i as u64 + 1;
        let pos = Position {
            line: Some(line),
            byte: None,
        };
        any |= row.iter().any(|c| !c.is_empty());
        match grouper.as_mut() {
            Some(g) => {
                // Trailing empty cells may be cut off by the sheet's used range.
                let mut row = row;
                row.resize(g.header_len.max(row.len()), String::new());
                row.truncate(g.header_len.max(trimmed_len(&row)));
                g.push(&row, path, pos)?;
            }
            None => {
                let header: Vec<String> = row[..trimmed_len(&row)].to_vec();
                if let Some(cols) = Columns::find(&CONLIST, &header) {
                    grouper = Some(Grouper::new(&CONLIST, cols, header.len()));
                } else if let Some(date) = preamble_date(&row) {
                    info.issued = Some(date);
                }
            }
        }
    }
    if !any {
        return Err(ListError::Empty {
            path: path.to_path_buf(),
        });
    }
    let grouper = grouper.ok_or_else(|| ListError::UnknownFormat {
        path: path.to_path_buf(),
        detail: "no header row with Group ID and Name 1..6 in the first sheet".into(),
    })?;
    grouper.finish(sink, &mut info)?;
    Ok(info)
}

/// Length of a row without its trailing empty cells.
fn trimmed_len(row: &[String]) -> usize {
    row.iter().rposition(|c| !c.is_empty()).map_or(0, |i| i + 1)
}

/// A cell as the CSV export would write it (dates as `DD/MM/YYYY`).
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::DateTime(dt) => excel_date(dt.as_f64()).unwrap_or_else(|| dt.as_f64().to_string()),
        other => other.to_string(),
    }
}

/// An Excel serial day number (1900 date system) as `DD/MM/YYYY`.
fn excel_date(serial: f64) -> Option<String> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    // Serial 25569 is 1970-01-01 (Excel counts the non-existent 1900-02-29).
    let days = serial.floor() as i64 - 25_569;
    // Days since 1970-01-01 to a civil date (proleptic Gregorian).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Some(format!("{day:02}/{month:02}/{year:04}"))
}

// ---------------------------------------------------------------------------------------------
// FCDO UK Sanctions List

/// Reads the FCDO UK Sanctions List CSV (`UK-Sanctions-List.csv`).
pub fn read_sanctions_list_csv(path: &Path, sink: &mut Sink<'_>) -> Result<ListInfo, ListError> {
    read_sanctions_list_csv_reader(input::open(path)?, path, sink)
}

/// Reads FCDO CSV from any buffered reader; `path` only labels errors.
pub fn read_sanctions_list_csv_reader<R: BufRead>(
    reader: R,
    path: &Path,
    sink: &mut Sink<'_>,
) -> Result<ListInfo, ListError> {
    read_rows_csv(reader, path, &FCDO, sink)
}

/// Reads the FCDO UK Sanctions List XML (`UK-Sanctions-List.xml`).
pub fn read_sanctions_list_xml(path: &Path, sink: &mut Sink<'_>) -> Result<ListInfo, ListError> {
    read_sanctions_list_xml_reader(input::open(path)?, path, sink)
}

/// Reads FCDO XML from any buffered reader; `path` only labels errors.
pub fn read_sanctions_list_xml_reader<R: BufRead>(
    reader: R,
    path: &Path,
    sink: &mut Sink<'_>,
) -> Result<ListInfo, ListError> {
    let mut xml = XmlStream::new(reader, path);
    let mut info = ListInfo {
        dataset: FCDO_DATASET.to_string(),
        ..ListInfo::default()
    };
    while let Some(event) = xml.next_event()? {
        let Event::Open(start) = event else {
            continue;
        };
        match (xml.depth(), start.name.as_str()) {
            (1, "Designations") => {}
            (1, other) => {
                return Err(ListError::UnknownFormat {
                    path: path.to_path_buf(),
                    detail: format!("expected root element Designations, found <{other}>"),
                })
            }
            (2, "DateGenerated") => {
                let el = xml.read_element(start)?;
                info.issued = el.text().and_then(|t| {
                    parse_uk_date(t)
                        .or_else(|| crate::un::iso_date(t)?.parse().ok())
                        .map(|d| d.to_iso())
                });
            }
            (2, "Designation") => {
                let el = xml.read_element(start)?;
                info.records += 1;
                sink(designation(&el, path)?)?;
                info.entities += 1;
            }
            _ => {}
        }
    }
    Ok(info)
}

/// Texts of all descendants of that name.
fn texts<'a>(el: &'a Element, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    el.descendants(name).into_iter().filter_map(Element::text)
}

fn designation(el: &Element, path: &Path) -> Result<Entity, ListError> {
    let key = el.child_text("UniqueID").ok_or_else(|| {
        ListError::field(
            path,
            input::position(path, el.offset),
            "UniqueID",
            "Designation without UniqueID",
        )
    })?;
    let schema = schema_of(el.child_text("IndividualEntityShip").unwrap_or_default());
    let mut e = Entity::new(format!("uk-{key}"), schema, FCDO_DATASET, key);
    for n in el.descendants("Name") {
        let parts = ["Name1", "Name2", "Name3", "Name4", "Name5", "Name6"]
            .map(|t| n.child_text(t).unwrap_or_default());
        let name = join_name(parts);
        if !name.is_empty() {
            let kind = name_kind(
                n.child_text("NameType").unwrap_or_default(),
                n.child_text("AliasStrength").unwrap_or_default(),
                &name,
            );
            e.add_name(&name, kind);
        }
    }
    for n in texts(el, "NameNonLatinScript") {
        let kind = if is_non_latin(n) {
            NameKind::OriginalScript
        } else {
            NameKind::Alias
        };
        e.add_name(n, kind);
    }
    if !e.names.iter().any(|n| n.kind == NameKind::Primary) {
        if let Some(n) = e
            .names
            .iter_mut()
            .find(|n| n.kind != NameKind::OriginalScript)
        {
            n.kind = NameKind::Primary;
        }
    }
    if e.names.is_empty() {
        return Err(ListError::field(
            path,
            input::position(path, el.offset),
            "Names",
            format!("designation {key} has no name"),
        ));
    }
    for t in texts(el, "Title") {
        push_unique(&mut e.remarks, t, "title: ");
    }
    for d in texts(el, "DOB") {
        add_dob(&mut e, d);
    }
    for loc in el.descendants("Location") {
        add_birth_places(
            &mut e,
            loc.child_text("TownOfBirth").unwrap_or_default(),
            loc.child_text("CountryOfBirth").unwrap_or_default(),
        );
    }
    for n in texts(el, "Nationality") {
        e.add_country_to(CountryField::Nationality, n);
    }
    for p in el.descendants("Passport") {
        add_documents(
            &mut e,
            IdKind::Passport,
            p.child_text("PassportNumber").unwrap_or_default(),
            p.child_text("PassportAdditionalInformation")
                .unwrap_or_default(),
        );
    }
    for p in el.descendants("NationalIdentifier") {
        add_documents(
            &mut e,
            IdKind::NationalId,
            p.child_text("NationalIdentifierNumber").unwrap_or_default(),
            p.child_text("NationalIdentifierAdditionalInformation")
                .unwrap_or_default(),
        );
    }
    for (tag, kind) in [
        ("PhoneNumber", IdKind::Phone),
        ("EmailAddress", IdKind::Email),
        ("Website", IdKind::Website),
        ("BusinessRegistrationNumber", IdKind::Registration),
        ("IMONumber", IdKind::Imo),
    ] {
        for v in texts(el, tag) {
            e.add_identifier(Identifier::new(kind, v));
        }
    }
    for p in texts(el, "Position") {
        push_unique(&mut e.remarks, p, "position: ");
    }
    for a in el.descendants("Address") {
        let lines = [
            "AddressLine1",
            "AddressLine2",
            "AddressLine3",
            "AddressLine4",
            "AddressLine5",
            "AddressLine6",
        ]
        .map(|t| a.child_text(t).unwrap_or_default());
        add_address(
            &mut e,
            lines,
            a.child_text("AddressPostalCode").unwrap_or_default(),
            a.child_text("AddressCountry").unwrap_or_default(),
        );
    }
    for f in texts(el, "CurrentBelievedFlagOfShip") {
        e.add_country_to(CountryField::Country, f);
    }
    e.gender = texts(el, "Gender").find_map(Gender::parse);
    if let Some(regime) = el.child_text("RegimeName") {
        e.programs.push(regime.to_string());
    }
    e.listed_on = el
        .child_text("DateDesignated")
        .and_then(|d| parse_uk_date(d).or_else(|| crate::un::iso_date(d)?.parse().ok()));
    for tag in ["OtherInformation", "UKStatementofReasons"] {
        if let Some(t) = el.child_text(tag) {
            push_unique(&mut e.remarks, t, "");
        }
    }
    if let Some(un) = el.child_text("UNReferenceNumber") {
        push_unique(&mut e.remarks, un, "UN reference number: ");
    }
    let mut seen = std::collections::HashSet::new();
    e.remarks.retain(|r| seen.insert(r.clone()));
    Ok(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(
        f: impl FnOnce(&mut Sink<'_>) -> Result<ListInfo, ListError>,
    ) -> Result<(ListInfo, Vec<Entity>), ListError> {
        let mut out = Vec::new();
        let info = f(&mut |e| {
            out.push(e);
            Ok(())
        })?;
        Ok((info, out))
    }

    const CONLIST_SAMPLE: &str = "\u{feff}Last Updated,10/04/2025
Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,Name Non-Latin Script,Non-Latin Script Type,Non-Latin Script Language,DOB,Town of Birth,Country of Birth,Nationality,Passport Number,Passport Details,National Identification Number,National Identification Details,Position,Address 1,Address 2,Address 3,Address 4,Address 5,Address 6,Post/Zip Code,Country,Other Information,Group Type,Alias Type,Alias Quality,Regime,Listed On,UK Sanctions List Date Designated,Last Updated,Group ID
ZHAO,Guangzong,,,,,,赵光宗,Chinese,Chinese,12/11/1985,Jingzhou,China,China,,,421003198511121539,,,Hubei Province,,,,,,,China,\"(UK Sanctions List Ref):CYB0045. (Gender):Male\",Individual,Primary name,,Cyber,25/03/2024,25/03/2024,25/03/2024,16461
ZHAO,Guang Zong,,,,,,赵光宗,Chinese,Chinese,00/00/1985,Jingzhou,China,China,,,421003198511121539,,,Hubei Province,,,,,,,China,\"(UK Sanctions List Ref):CYB0045. (Gender):Male\",Individual,Alias,Low quality,Cyber,25/03/2024,25/03/2024,25/03/2024,16461
SHIP ONE,,,,,,,,,,,,,,,,,,,,,,,,,,,,Ship,Primary name,,Russia,01/02/2023,01/02/2023,01/02/2023,900
MITHOO,Mian,,,,,,,,,,,\"(1) Pakistan (2) India\",\"(1) Pakistan. (2) India\",\"(1) A123 (2) B456\",\"(1) Pakistan number (2) Indian\",,,,,,,,,,,Atlantis,Other info,Individual,Primary name variation,,Global Human Rights,09/12/2022,09/12/2022,09/12/2022,15672
";

    #[test]
    fn conlist_groups_rows() {
        let (info, es) = collect(|s| {
            read_conlist_csv_reader(CONLIST_SAMPLE.as_bytes(), Path::new("ConList.csv"), s)
        })
        .unwrap();
        assert_eq!(info.issued.as_deref(), Some("2025-04-10"));
        assert_eq!((info.records, info.entities), (4, 3));
        let z = &es[0];
        assert_eq!(z.id, "uk-16461");
        assert_eq!(z.schema, Schema::Person);
        let names: Vec<_> = z.names.iter().map(|n| (n.value.as_str(), n.kind)).collect();
        assert_eq!(
            names,
            [
                ("Guangzong ZHAO", NameKind::Primary),
                ("赵光宗", NameKind::OriginalScript),
                ("Guang Zong ZHAO", NameKind::WeakAlias),
            ]
        );
        let dobs: Vec<_> = z.birth_dates.iter().map(|d| d.to_iso()).collect();
        assert_eq!(dobs, ["1985-11-12", "1985"]);
        assert_eq!(z.gender, Some(Gender::Male));
        assert_eq!(z.identifiers[0].kind, IdKind::NationalId);
        assert_eq!(z.programs, ["Cyber"]);
        assert_eq!(z.countries, ["cn"]);
        assert_eq!(es[1].schema, Schema::Vessel);
        let m = &es[2];
        // No "Primary name" row: the first name is promoted.
        assert_eq!(m.names[0].kind, NameKind::Primary);
        assert_eq!(m.nationalities, ["pk", "in"]);
        assert_eq!(m.birth_places, ["Pakistan", "India"]);
        assert_eq!(m.identifiers.len(), 2);
        assert_eq!(m.identifiers[1].label.as_deref(), Some("Indian"));
        assert!(m.remarks.contains(&"country: Atlantis".to_string()));
    }

    #[test]
    fn conlist_bad_input() {
        let read =
            |bytes: &[u8]| collect(|s| read_conlist_csv_reader(bytes, Path::new("ConList.csv"), s));
        assert!(matches!(read(b""), Err(ListError::Empty { .. })));
        // A quote that never closes swallows the following rows.
        let broken = CONLIST_SAMPLE.replacen(",Individual,Alias", ",\"Individual,Alias", 1);
        let err = read(broken.as_bytes()).unwrap_err().to_string();
        assert!(err.contains("ConList.csv") && err.contains("line"), "{err}");
        let mut bytes = CONLIST_SAMPLE.as_bytes().to_vec();
        let at = CONLIST_SAMPLE.find("Guangzong").unwrap();
        bytes[at] = 0xff;
        let err = read(&bytes).unwrap_err().to_string();
        assert!(err.contains("line 3") && err.contains("UTF-8"), "{err}");
        let missing = CONLIST_SAMPLE.replace(",16461\n", ",\n");
        let err = read(missing.as_bytes()).unwrap_err().to_string();
        assert!(err.contains("line 3") && err.contains("Group ID"), "{err}");
    }

    #[test]
    fn enumerations_and_dates() {
        assert_eq!(split_enumerated("(1) Tunis (2) - (3) -"), ["Tunis"]);
        assert_eq!(
            split_enumerated("(1) Germany. (2) Morocco"),
            ["Germany", "Morocco"]
        );
        assert_eq!(split_enumerated("Plain (text)"), ["Plain (text)"]);
        assert_eq!(
            parse_uk_date("00/00/1960").map(|d| d.to_iso()).as_deref(),
            Some("1960")
        );
        assert_eq!(
            parse_uk_date("dd/mm/1950").map(|d| d.to_iso()).as_deref(),
            Some("1950")
        );
        assert_eq!(
            parse_uk_date("00/05/1960").map(|d| d.to_iso()).as_deref(),
            Some("1960-05")
        );
        assert_eq!(excel_date(45757.0).as_deref(), Some("10/04/2025"));
    }

    /// Written from the FCDO UK Sanctions List CSV column layout (see the module docs); not a
    /// copy of a published file.
    const FCDO_CSV: &str = "Report Date: 13-Feb-2026
Last Updated,Unique ID,OFSI Group ID,UN Reference Number,Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,Name type,Alias strength,Title,Name non-latin script,Non-latin script type,Non-latin script language,Regime Name,Designation Type,Designation source,Sanctions Imposed,Other Information,UK Statement of Reasons,Address Line 1,Address Line 2,Address Line 3,Address Line 4,Address Line 5,Address Line 6,Address Postal Code,Address Country,Phone number,Website,Email address,Date Designated,D.O.B,Nationality(/ies),National Identifier number,National Identifier additional information,Passport number,Passport additional information,Position,Gender,Town of birth,Country of birth,Type of entity,Subsidiaries,Parent company,Business registration number (s),IMO number,Current owner/operator (s),Previous owner/operator (s),Current believed flag of ship,Previous flags,Type of ship,Tonnage of ship,Length of ship,Year Built,Hull identification number (HIN)
01/03/2024,CYB0045,16461,,ZHAO,Guangzong,,,,,Primary Name,,,赵光宗,Chinese,Chinese,The Cyber (Sanctions) (EU Exit) Regulations 2020,Individual,UK,Asset freeze|Travel Ban,,Member of APT31.,,,,,,Hubei Province,,China,,,,25/03/2024,12/11/1985,China,421003198511121539,,,,,Male,Jingzhou,China,,,,,,,,,,,,,,
01/03/2024,CYB0045,16461,,ZHAO,Guang Zong,,,,,Alias,Low quality a.k.a,,,,,The Cyber (Sanctions) (EU Exit) Regulations 2020,Individual,UK,Asset freeze|Travel Ban,,Member of APT31.,,,,,,Hubei Province,,China,,,,25/03/2024,dd/mm/1985,China,,,,,,Male,,,,,,,,,,,,,,,,
01/03/2024,RUS9999,,,EXAMPLE TANKER,,,,,,Primary Name,,,,,,The Russia (Sanctions) (EU Exit) Regulations 2019,Ship,UK,Trade sanctions,,Shadow fleet.,,,,,,,,,,,,01/02/2025,,,,,,,,,,,,,,,IMO9999999,,,Panama,,Crude Oil Tanker,,,,
";

    #[test]
    fn fcdo_csv() {
        let (info, es) = collect(|s| {
            read_sanctions_list_csv_reader(
                FCDO_CSV.as_bytes(),
                Path::new("UK-Sanctions-List.csv"),
                s,
            )
        })
        .unwrap();
        assert_eq!(info.issued.as_deref(), Some("2026-02-13"));
        assert_eq!((info.records, info.entities), (3, 2));
        let z = &es[0];
        assert_eq!(z.id, "uk-CYB0045");
        assert_eq!(z.source, FCDO_DATASET);
        assert_eq!(z.caption(), "Guangzong ZHAO");
        assert!(z
            .names
            .iter()
            .any(|n| n.value == "赵光宗" && n.kind == NameKind::OriginalScript));
        assert!(z
            .names
            .iter()
            .any(|n| n.value == "Guang Zong ZHAO" && n.kind == NameKind::WeakAlias));
        assert_eq!(z.gender, Some(Gender::Male));
        assert_eq!(z.birth_places, ["Jingzhou, China"]);
        assert_eq!(
            z.listed_on.map(|d| d.to_iso()).as_deref(),
            Some("2024-03-25")
        );
        let ship = &es[1];
        assert_eq!(ship.schema, Schema::Vessel);
        assert_eq!(ship.identifiers[0].kind, IdKind::Imo);
        assert_eq!(ship.countries, ["pa"]);
    }

    /// Written from the FCDO UK Sanctions List XML element names (see the module docs).
    const FCDO_XML: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<Designations xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <DateGenerated>13/02/2026</DateGenerated>
  <Designation>
    <LastUpdated>01/03/2024</LastUpdated>
    <DateDesignated>25/03/2024</DateDesignated>
    <UniqueID>CYB0046</UniqueID>
    <OFSIGroupID>16462</OFSIGroupID>
    <Names>
      <Name><Name1>Gaobin</Name1><Name6>NI</Name6><NameType>Primary Name</NameType></Name>
      <Name><Name1>Gao Bin</Name1><Name6>NI</Name6><NameType>Alias</NameType><AliasStrength>Good quality a.k.a</AliasStrength></Name>
    </Names>
    <NonLatinNames><NonLatinName><NameNonLatinScript>倪高彬</NameNonLatinScript></NonLatinName></NonLatinNames>
    <RegimeName>The Cyber (Sanctions) (EU Exit) Regulations 2020</RegimeName>
    <IndividualEntityShip>Individual</IndividualEntityShip>
    <DesignationSource>UK</DesignationSource>
    <SanctionsImposed>Asset freeze|Travel Ban</SanctionsImposed>
    <UKStatementofReasons>Member of APT31.</UKStatementofReasons>
    <Addresses><Address><AddressLine1>Hubei Province</AddressLine1><AddressCountry>China</AddressCountry></Address></Addresses>
    <IndividualDetails><Individual>
      <DOBs><DOB>27/10/1985</DOB></DOBs>
      <Nationalities><Nationality>China</Nationality></Nationalities>
      <NationalIdentifierDetails><NationalIdentifier><NationalIdentifierNumber>421003198510272917</NationalIdentifierNumber></NationalIdentifier></NationalIdentifierDetails>
      <Genders><Gender>Male</Gender></Genders>
      <BirthDetails><Location><TownOfBirth>Jingzhou</TownOfBirth><CountryOfBirth>China</CountryOfBirth></Location></BirthDetails>
    </Individual></IndividualDetails>
  </Designation>
</Designations>
"#;

    #[test]
    fn fcdo_xml() {
        let (info, es) = collect(|s| {
            read_sanctions_list_xml_reader(
                FCDO_XML.as_bytes(),
                Path::new("UK-Sanctions-List.xml"),
                s,
            )
        })
        .unwrap();
        assert_eq!(info.issued.as_deref(), Some("2026-02-13"));
        assert_eq!(es.len(), 1);
        let n = &es[0];
        assert_eq!(n.id, "uk-CYB0046");
        assert_eq!(n.caption(), "Gaobin NI");
        assert!(n
            .names
            .iter()
            .any(|x| x.value == "倪高彬" && x.kind == NameKind::OriginalScript));
        assert_eq!(n.birth_dates[0].to_iso(), "1985-10-27");
        assert_eq!(n.nationalities, ["cn"]);
        assert_eq!(n.identifiers[0].kind, IdKind::NationalId);
        assert_eq!(n.gender, Some(Gender::Male));
        assert_eq!(n.birth_places, ["Jingzhou, China"]);
        assert_eq!(n.addresses[0].country.as_deref(), Some("cn"));

        let cut = &FCDO_XML[..FCDO_XML.len() / 2];
        let err =
            read_sanctions_list_xml_reader(cut.as_bytes(), Path::new("x.xml"), &mut |_| Ok(()))
                .unwrap_err()
                .to_string();
        assert!(err.contains("truncated"), "{err}");
    }
}
