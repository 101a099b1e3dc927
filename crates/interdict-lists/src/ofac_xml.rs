//! OFAC classic XML: SDN.XML and CONSOLIDATED.XML (root `sdnList`, namespace
//! `.../exports/XML`).
//!
//! The file is streamed with quick-xml; each `sdnEntry` becomes one entity as soon as its end
//! tag is read. This module also holds [`XmlStream`], the small event layer both OFAC XML
//! readers share: it joins text and entity references, checks UTF-8, and turns every problem
//! (malformed markup, truncation, bad encoding) into a [`ListError`] naming file and line.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use interdict_model::entity::CountryField;
use interdict_model::name::is_non_latin;
use interdict_model::{
    country, Address, Entity, IdKind, Identifier, NameKind, PartialDate, Schema,
};
use quick_xml::events::{BytesStart, Event};

use crate::error::ListError;
use crate::ofac_csv::{DATASET_CONS, DATASET_SDN};
use crate::{input, ofac_remarks, ListInfo, Sink};

/// Reads an OFAC classic XML file (plain or compressed).
pub fn read(path: &Path, sink: &mut Sink<'_>) -> Result<ListInfo, ListError> {
    read_reader(input::open(path)?, path, sink)
}

/// Reads classic XML from a stream; `path` labels errors and tells SDN.XML from
/// CONSOLIDATED.XML (the two share one schema and header).
pub fn read_reader<R: BufRead>(
    reader: R,
    path: &Path,
    sink: &mut Sink<'_>,
) -> Result<ListInfo, ListError> {
    let consolidated = path
        .file_name()
        .is_some_and(|n| n.to_string_lossy().to_ascii_lowercase().contains("cons"));
    let mut info = ListInfo {
        dataset: if consolidated {
            DATASET_CONS
        } else {
            DATASET_SDN
        }
        .to_string(),
        ..ListInfo::default()
    };
    let mut xml = XmlStream::new(reader, path);
    let mut ctx = Ctx::Top;
    let mut entry: Option<Entry> = None;
    let mut root_checked = false;
    loop {
        match xml.next()? {
            XmlEvent::Start(start) => {
                let name = local_name(&start);
                if !root_checked {
                    root_checked = true;
                    if name != b"sdnList" {
                        return Err(ListError::UnknownFormat {
                            path: path.to_path_buf(),
                            detail: format!(
                                "expected the root element <sdnList>, found <{}>",
                                String::from_utf8_lossy(name)
                            ),
                        });
                    }
                }
                match name {
                    b"publshInformation" => ctx = Ctx::Publish,
                    b"sdnEntry" => {
                        entry = Some(Entry::default());
                        ctx = Ctx::Entry;
                    }
                    b"aka" if entry.is_some() => {
                        ctx = Ctx::Aka;
                        if let Some(e) = entry.as_mut() {
                            e.akas.push(Aka::default());
                        }
                    }
                    b"id" if entry.is_some() => {
                        ctx = Ctx::Id;
                        if let Some(e) = entry.as_mut() {
                            e.ids.push(IdItem::default());
                        }
                    }
                    b"address" if entry.is_some() => {
                        ctx = Ctx::Address;
                        if let Some(e) = entry.as_mut() {
                            e.addresses.push(AddressParts::default());
                        }
                    }
                    b"nationality" if entry.is_some() => ctx = Ctx::Nationality,
                    b"citizenship" if entry.is_some() => ctx = Ctx::Citizenship,
                    b"vesselInfo" if entry.is_some() => ctx = Ctx::Vessel,
                    _ => {}
                }
            }
            XmlEvent::End { name, text } => {
                let text = text.trim();
                match (ctx, name) {
                    (Ctx::Publish, b"Publish_Date") => info.issued = us_date_to_iso(text),
                    (Ctx::Publish, b"publshInformation") => ctx = Ctx::Top,
                    (_, b"sdnEntry") => {
                        ctx = Ctx::Top;
                        if let Some(e) = entry.take() {
                            let entity = e.into_entity(&info.dataset).map_err(|msg| {
                                ListError::field(xml.path(), xml.position(), "uid", msg)
                            })?;
                            info.records += 1;
                            info.entities += 1;
                            sink(entity)?;
                        }
                    }
                    (
                        Ctx::Aka
                        | Ctx::Id
                        | Ctx::Address
                        | Ctx::Nationality
                        | Ctx::Citizenship
                        | Ctx::Vessel,
                        b"aka" | b"id" | b"address" | b"nationality" | b"citizenship"
                        | b"vesselInfo",
                    ) => ctx = Ctx::Entry,
                    _ => {
                        if let Some(e) = entry.as_mut() {
                            e.leaf(ctx, name, text);
                        }
                    }
                }
            }
            XmlEvent::Eof => break,
        }
    }
    Ok(info)
}

/// `05/07/2024` → `2024-05-07`.
fn us_date_to_iso(text: &str) -> Option<String> {
    let mut it = text.split('/');
    let (m, d, y) = (it.next()?, it.next()?, it.next()?);
    let date = PartialDate::new(
        y.parse().ok()?,
        Some(m.parse().ok()?),
        Some(d.parse().ok()?),
    )?;
    Some(date.to_iso())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ctx {
    Top,
    Publish,
    Entry,
    Aka,
    Id,
    Address,
    Nationality,
    Citizenship,
    Vessel,
}

#[derive(Default)]
struct Aka {
    kind: String,
    category: String,
    first: String,
    last: String,
}

#[derive(Default)]
struct IdItem {
    kind: String,
    number: String,
    country: String,
}

#[derive(Default)]
struct AddressParts {
    parts: Vec<String>,
    country: String,
}

#[derive(Default)]
struct Entry {
    uid: String,
    first: String,
    last: String,
    sdn_type: String,
    title: Option<String>,
    remarks: Option<String>,
    programs: Vec<String>,
    akas: Vec<Aka>,
    ids: Vec<IdItem>,
    addresses: Vec<AddressParts>,
    birth_dates: Vec<String>,
    birth_places: Vec<String>,
    nationalities: Vec<String>,
    citizenships: Vec<String>,
    vessel: Vec<(&'static str, String)>,
}

/// OFAC writes a person's name as `LAST, First`.
fn full_name(first: &str, last: &str) -> String {
    match (first.trim(), last.trim()) {
        ("", last) => last.to_string(),
        (first, "") => first.to_string(),
        (first, last) => format!("{last}, {first}"),
    }
}

impl Entry {
    /// A leaf element's text, by the container it is in.
    fn leaf(&mut self, ctx: Ctx, name: &[u8], text: &str) {
        if text.is_empty() {
            return;
        }
        let text = text.to_string();
        match ctx {
            Ctx::Entry => match name {
                // Later `uid`s belong to date/place-of-birth items.
                b"uid" if self.uid.is_empty() => self.uid = text,
                b"firstName" => self.first = text,
                b"lastName" => self.last = text,
                b"sdnType" => self.sdn_type = text,
                b"title" => self.title = Some(text),
                b"remarks" => self.remarks = Some(text),
                b"program" => self.programs.push(text),
                b"dateOfBirth" => self.birth_dates.push(text),
                b"placeOfBirth" => self.birth_places.push(text),
                _ => {}
            },
            Ctx::Aka => {
                if let Some(a) = self.akas.last_mut() {
                    match name {
                        b"type" => a.kind = text,
                        b"category" => a.category = text,
                        b"firstName" => a.first = text,
                        b"lastName" => a.last = text,
                        _ => {}
                    }
                }
            }
            Ctx::Id => {
                if let Some(i) = self.ids.last_mut() {
                    match name {
                        b"idType" => i.kind = text,
                        b"idNumber" => i.number = text,
                        b"idCountry" => i.country = text,
                        _ => {}
                    }
                }
            }
            Ctx::Address => {
                if let Some(a) = self.addresses.last_mut() {
                    match name {
                        b"country" => a.country = text,
                        b"uid" => {}
                        _ => a.parts.push(text),
                    }
                }
            }
            Ctx::Nationality if name == b"country" => self.nationalities.push(text),
            Ctx::Citizenship if name == b"country" => self.citizenships.push(text),
            Ctx::Vessel => {
                let label = match name {
                    b"callSign" => "Call sign",
                    b"vesselType" => "Vessel type",
                    b"vesselFlag" => "Vessel flag",
                    b"vesselOwner" => "Vessel owner",
                    b"tonnage" => "Tonnage",
                    b"grossRegisteredTonnage" => "GRT",
                    _ => return,
                };
                self.vessel.push((label, text));
            }
            _ => {}
        }
    }

    fn into_entity(self, dataset: &str) -> Result<Entity, String> {
        let uid: u64 = self
            .uid
            .parse()
            .map_err(|_| format!("expected a number, found {:?}", self.uid))?;
        let schema = match self.sdn_type.to_ascii_lowercase().as_str() {
            "individual" => Schema::Person,
            "vessel" => Schema::Vessel,
            "aircraft" => Schema::Airplane,
            _ => Schema::Organization,
        };
        let mut e = Entity::new(format!("ofac-{uid}"), schema, dataset, uid.to_string());
        e.add_name(&full_name(&self.first, &self.last), NameKind::Primary);
        for aka in &self.akas {
            let name = full_name(&aka.first, &aka.last);
            let kind = if is_non_latin(&name) {
                NameKind::OriginalScript
            } else {
                match aka.kind.to_ascii_lowercase().as_str() {
                    "f.k.a." => NameKind::Previous,
                    _ if aka.category.eq_ignore_ascii_case("weak") => NameKind::WeakAlias,
                    _ => NameKind::Alias,
                }
            };
            e.add_name(&name, kind);
        }
        for p in self.programs {
            if !e.programs.contains(&p) {
                e.programs.push(p);
            }
        }
        for d in &self.birth_dates {
            let dates = PartialDate::parse_loose(d);
            if dates.is_empty() {
                e.remarks.push(format!("DOB {d}"));
            }
            for date in dates {
                e.add_birth_date(date);
            }
        }
        for p in self.birth_places {
            if !e.birth_places.contains(&p) {
                e.birth_places.push(p);
            }
        }
        for n in &self.nationalities {
            e.add_country_to(CountryField::Nationality, n);
        }
        for c in &self.citizenships {
            e.add_country_to(CountryField::Citizenship, c);
        }
        for id in &self.ids {
            let country = (!id.country.is_empty()).then_some(id.country.as_str());
            ofac_remarks::apply_labelled(&mut e, &id.kind, &id.number, country);
        }
        for a in self.addresses {
            add_address(&mut e, a.parts, &a.country);
        }
        for (label, value) in self.vessel {
            match label {
                "Call sign" => e.add_identifier(Identifier::new(IdKind::CallSign, value)),
                "Vessel flag" => {
                    e.add_country_to(CountryField::Country, &value);
                }
                _ => e.remarks.push(format!("{label}: {value}")),
            }
        }
        if let Some(t) = self.title {
            e.remarks.push(format!("Title: {t}"));
        }
        if let Some(r) = self.remarks {
            e.remarks.push(r);
        }
        Ok(e)
    }
}

/// Adds an address from its parts (street lines, city, state, postal code) and country name;
/// the country also goes to the entity's countries.
pub(crate) fn add_address(e: &mut Entity, mut parts: Vec<String>, country_name: &str) {
    let code = country::to_iso2(country_name);
    if !country_name.is_empty() {
        e.add_country_to(CountryField::Country, country_name);
        parts.push(country_name.to_string());
    }
    let full = parts.join(", ");
    if full.is_empty() {
        return;
    }
    let address = Address {
        full,
        country: code.map(str::to_string),
    };
    if !e.addresses.contains(&address) {
        e.addresses.push(address);
    }
}

/// The local part of an element name (namespace prefix removed).
pub(crate) fn local_name<'a>(start: &'a BytesStart<'_>) -> &'a [u8] {
    let name = start.name().into_inner();
    match name.iter().rposition(|b| *b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

/// The events the OFAC readers need: element starts (with attributes) and element ends with
/// the text directly inside them.
pub(crate) enum XmlEvent<'a> {
    Start(BytesStart<'a>),
    End { name: &'a [u8], text: &'a str },
    Eof,
}

/// quick-xml with text joining, UTF-8 checks and error positions.
pub(crate) struct XmlStream<R: BufRead> {
    reader: quick_xml::Reader<R>,
    path: PathBuf,
    buf: Vec<u8>,
    text: String,
    /// Names of the open elements, concatenated; `starts` indexes into it.
    open: Vec<u8>,
    starts: Vec<usize>,
    ended: Vec<u8>,
    seen_element: bool,
    seen_content: bool,
}

impl<R: BufRead> XmlStream<R> {
    pub(crate) fn new(reader: R, path: &Path) -> Self {
        let mut reader = quick_xml::Reader::from_reader(reader);
        let config = reader.config_mut();
        config.expand_empty_elements = true;
        config.check_end_names = true;
        XmlStream {
            reader,
            path: path.to_path_buf(),
            buf: Vec::with_capacity(4096),
            text: String::new(),
            open: Vec::with_capacity(256),
            starts: Vec::with_capacity(16),
            ended: Vec::with_capacity(64),
            seen_element: false,
            seen_content: false,
        }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The position of the reader (after the last event), with its line looked up.
    pub(crate) fn position(&self) -> crate::error::Position {
        input::position(&self.path, self.reader.buffer_position())
    }

    pub(crate) fn next(&mut self) -> Result<XmlEvent<'_>, ListError> {
        loop {
            match self.step()? {
                Step::Continue => {}
                Step::Start(name_len) => {
                    // `buf` holds the tag between `<` and `>` (with a final `/` when the
                    // element is empty).
                    let raw = self.buf.strip_suffix(b"/").unwrap_or(&self.buf);
                    let content = std::str::from_utf8(raw).map_err(|e| {
                        let byte = self.reader.buffer_position();
                        syntax(&self.path, byte, format!("invalid UTF-8 in a tag: {e}"))
                    })?;
                    return Ok(XmlEvent::Start(BytesStart::from_content(content, name_len)));
                }
                Step::End => {
                    return Ok(XmlEvent::End {
                        name: &self.ended,
                        text: &self.text,
                    })
                }
                Step::Eof => return Ok(XmlEvent::Eof),
            }
        }
    }

    /// Reads one quick-xml event, folding text into `text`.
    fn step(&mut self) -> Result<Step, ListError> {
        self.buf.clear();
        let path = &self.path;
        let event = match self.reader.read_event_into(&mut self.buf) {
            Ok(ev) => ev,
            Err(quick_xml::Error::Io(e)) => {
                return Err(ListError::io(
                    path,
                    std::io::Error::new(e.kind(), e.to_string()),
                ))
            }
            Err(e) => {
                let byte = self.reader.error_position();
                return Err(syntax(path, byte, format!("malformed XML: {e}")));
            }
        };
        let here = self.reader.buffer_position();
        match event {
            Event::Start(start) => {
                self.seen_element = true;
                self.seen_content = true;
                self.text.clear();
                self.starts.push(self.open.len());
                let name = start.name().into_inner();
                let local = match name.iter().rposition(|b| *b == b':') {
                    Some(i) => &name[i + 1..],
                    None => name,
                };
                self.open.extend_from_slice(local);
                return Ok(Step::Start(name.len()));
            }
            Event::End(_) => {
                let start = self.starts.pop().unwrap_or(0);
                self.ended.clear();
                self.ended.extend_from_slice(&self.open[start..]);
                self.open.truncate(start);
                return Ok(Step::End);
            }
            Event::Text(t) => {
                let bytes = t.into_inner();
                match std::str::from_utf8(&bytes) {
                    Ok(s) => {
                        if !s.trim().is_empty() {
                            self.seen_content = true;
                        }
                        self.text.push_str(s);
                    }
                    Err(e) => {
                        let bad = (bytes.len() - e.valid_up_to()) as u64;
                        let byte = here.saturating_sub(bad);
                        return Err(syntax(path, byte, format!("invalid UTF-8 in text: {e}")));
                    }
                }
            }
            Event::CData(t) => {
                let bytes = t.into_inner();
                match std::str::from_utf8(&bytes) {
                    Ok(s) => self.text.push_str(s),
                    Err(e) => {
                        return Err(syntax(path, here, format!("invalid UTF-8 in CDATA: {e}")))
                    }
                }
            }
            Event::GeneralRef(r) => match r.resolve_char_ref() {
                Ok(Some(c)) => self.text.push(c),
                Ok(None) => {
                    let resolved = std::str::from_utf8(&r)
                        .ok()
                        .and_then(quick_xml::escape::resolve_predefined_entity);
                    match resolved {
                        Some(s) => self.text.push_str(s),
                        None => {
                            let name = String::from_utf8_lossy(&r).into_owned();
                            return Err(syntax(path, here, format!("unknown entity &{name};")));
                        }
                    }
                }
                Err(e) => return Err(syntax(path, here, format!("bad character reference: {e}"))),
            },
            // Not produced: empty elements are expanded into Start + End.
            Event::Empty(_) => {}
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {
                self.seen_content = true;
            }
            Event::Eof => {
                if let Some(&start) = self.starts.last() {
                    let name = String::from_utf8_lossy(&self.open[start..]).into_owned();
                    return Err(syntax(
                        path,
                        here,
                        format!("unexpected end of file inside <{name}> (truncated file?)"),
                    ));
                }
                if !self.seen_element {
                    if self.seen_content {
                        return Err(syntax(path, here, "no XML element found"));
                    }
                    return Err(ListError::Empty { path: path.clone() });
                }
                return Ok(Step::Eof);
            }
        }
        Ok(Step::Continue)
    }
}

enum Step {
    Continue,
    /// A start tag; the length of its (qualified) name.
    Start(usize),
    End,
    Eof,
}

fn syntax(path: &Path, byte: u64, msg: impl Into<String>) -> ListError {
    ListError::syntax(path, input::position(path, byte), msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"<?xml version="1.0" standalone="yes"?>
<sdnList xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML">
  <publshInformation>
    <Publish_Date>05/07/2024</Publish_Date>
    <Record_Count>2</Record_Count>
  </publshInformation>
  <sdnEntry>
    <uid>306</uid>
    <lastName>BANCO NACIONAL DE CUBA</lastName>
    <sdnType>Entity</sdnType>
    <programList><program>CUBA</program></programList>
    <akaList>
      <aka><uid>219</uid><type>a.k.a.</type><category>weak</category><lastName>BNC</lastName></aka>
      <aka><uid>220</uid><type>a.k.a.</type><category>strong</category><lastName>NATIONAL BANK OF CUBA</lastName></aka>
    </akaList>
    <addressList>
      <address><uid>202</uid><address1>Federico Boyd Avenue &amp; 51 Street</address1><city>Panama City</city><country>Panama</country></address>
    </addressList>
  </sdnEntry>
  <sdnEntry>
    <uid>47814</uid>
    <firstName>Guangzong</firstName>
    <lastName>ZHAO</lastName>
    <sdnType>Individual</sdnType>
    <programList><program>CYBER2</program></programList>
    <idList>
      <id><uid>38518</uid><idType>National ID No.</idType><idNumber>421003198511121539</idNumber><idCountry>China</idCountry></id>
      <id><uid>169299</uid><idType>Gender</idType><idNumber>Male</idNumber></id>
    </idList>
    <nationalityList><nationality><uid>70258</uid><country>China</country><mainEntry>true</mainEntry></nationality></nationalityList>
    <dateOfBirthList><dateOfBirthItem><uid>69298</uid><dateOfBirth>12 Nov 1985</dateOfBirth><mainEntry>true</mainEntry></dateOfBirthItem></dateOfBirthList>
    <placeOfBirthList><placeOfBirthItem><uid>70260</uid><placeOfBirth>Jingzhou Municipality, China</placeOfBirth><mainEntry>true</mainEntry></placeOfBirthItem></placeOfBirthList>
  </sdnEntry>
</sdnList>
"#;

    fn read_str(text: &[u8]) -> Result<(ListInfo, Vec<Entity>), ListError> {
        let mut out = Vec::new();
        let info = read_reader(text, Path::new("sdn.xml"), &mut |e| {
            out.push(e);
            Ok(())
        })?;
        Ok((info, out))
    }

    #[test]
    fn entries() {
        let (info, es) = read_str(SAMPLE.as_bytes()).unwrap();
        assert_eq!(info.issued.as_deref(), Some("2024-05-07"));
        assert_eq!(info.dataset, "us_ofac_sdn");
        assert_eq!(es.len(), 2);
        let bank = &es[0];
        assert_eq!(bank.schema, Schema::Organization);
        assert_eq!(bank.names[1].kind, NameKind::WeakAlias);
        assert_eq!(bank.names[2].kind, NameKind::Alias);
        assert_eq!(
            bank.addresses[0].full,
            "Federico Boyd Avenue & 51 Street, Panama City, Panama"
        );
        assert_eq!(bank.addresses[0].country.as_deref(), Some("pa"));
        let zhao = &es[1];
        assert_eq!(zhao.id, "ofac-47814");
        assert_eq!(zhao.caption(), "ZHAO, Guangzong");
        assert_eq!(zhao.programs, ["CYBER2"]);
        assert_eq!(zhao.gender, Some(interdict_model::Gender::Male));
        assert_eq!(zhao.nationalities, ["cn"]);
        assert_eq!(zhao.identifiers[0].kind, IdKind::NationalId);
        assert_eq!(zhao.birth_dates[0].to_iso(), "1985-11-12");
    }

    #[test]
    fn broken_inputs() {
        let cut = &SAMPLE.as_bytes()[..SAMPLE.len() / 2];
        let err = read_str(cut).unwrap_err();
        assert!(matches!(err, ListError::Syntax { .. }), "{err}");
        assert!(err.to_string().contains("end of file"), "{err}");

        let mut bad = SAMPLE.as_bytes().to_vec();
        let at = SAMPLE.find("ZHAO").unwrap() + 1;
        bad[at] = 0xff;
        let err = read_str(&bad).unwrap_err();
        assert!(matches!(err, ListError::Syntax { .. }), "{err}");

        let err = read_str(b"<sdnList><sdnEntry></sdnList>").unwrap_err();
        assert!(matches!(err, ListError::Syntax { .. }), "{err}");

        assert!(matches!(read_str(b""), Err(ListError::Empty { .. })));
        assert!(matches!(
            read_str(b"<other/>"),
            Err(ListError::UnknownFormat { .. })
        ));
    }
}
