//! UN Security Council Consolidated List (XML).
//!
//! The file has a root `CONSOLIDATED_LIST` (attribute `dateGenerated`) holding
//! `INDIVIDUALS/INDIVIDUAL` and `ENTITIES/ENTITY` records. Each record is read into a small
//! element tree on its own and converted as soon as it closes, so memory stays bounded by the
//! size of one record. The same streaming helper ([`xml`]) serves the EU and FCDO readers.

use std::io::BufRead;
use std::path::Path;

use interdict_model::entity::CountryField;
use interdict_model::name::is_non_latin;
use interdict_model::{Address, Entity, Gender, IdKind, Identifier, NameKind, PartialDate, Schema};

use crate::error::ListError;
use crate::input;
use crate::{ListInfo, Sink};

use self::xml::{Element, Event, XmlStream};

pub const DATASET: &str = "un_sc_sanctions";

/// Longest `BETWEEN` birth-year span expanded into single years; wider spans go to remarks.
const MAX_YEAR_SPAN: u16 = 15;

/// Reads a UN consolidated list file (plain or compressed).
pub fn read(path: &Path, sink: &mut Sink<'_>) -> Result<ListInfo, ListError> {
    read_reader(input::open(path)?, path, sink)
}

/// Reads UN XML from any buffered reader; `path` only labels errors.
pub fn read_reader<R: BufRead>(
    reader: R,
    path: &Path,
    sink: &mut Sink<'_>,
) -> Result<ListInfo, ListError> {
    let mut xml = XmlStream::new(reader, path);
    let mut info = ListInfo {
        dataset: DATASET.to_string(),
        ..ListInfo::default()
    };
    while let Some(event) = xml.next_event()? {
        let Event::Open(start) = event else {
            continue;
        };
        match (xml.depth(), start.name.as_str()) {
            (1, "CONSOLIDATED_LIST") => {
                info.issued = start.attr("dateGenerated").and_then(iso_date);
            }
            (1, other) => {
                return Err(ListError::UnknownFormat {
                    path: path.to_path_buf(),
                    detail: format!("expected root element CONSOLIDATED_LIST, found <{other}>"),
                })
            }
            (3, "INDIVIDUAL" | "ENTITY") => {
                let el = xml.read_element(start)?;
                info.records += 1;
                let entity = convert(&el, path)?;
                sink(entity)?;
                info.entities += 1;
            }
            _ => {}
        }
    }
    Ok(info)
}

/// The date part of an ISO timestamp, when it is one.
pub(crate) fn iso_date(stamp: &str) -> Option<String> {
    let day = stamp.trim().get(..10)?;
    day.parse::<PartialDate>().ok().map(|d| d.to_iso())
}

fn convert(el: &Element, path: &Path) -> Result<Entity, ListError> {
    let person = el.name == "INDIVIDUAL";
    let reference = el
        .child_text("REFERENCE_NUMBER")
        .or_else(|| el.child_text("DATAID"))
        .ok_or_else(|| {
            ListError::field(
                path,
                input::position(path, el.offset),
                "REFERENCE_NUMBER",
                format!("<{}> has neither REFERENCE_NUMBER nor DATAID", el.name),
            )
        })?;
    let schema = if person {
        Schema::Person
    } else {
        Schema::Organization
    };
    let mut e = Entity::new(format!("un-{reference}"), schema, DATASET, reference);

    let name: Vec<&str> = ["FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"]
        .iter()
        .filter_map(|n| el.child_text(n))
        .collect();
    if name.is_empty() {
        return Err(ListError::field(
            path,
            input::position(path, el.offset),
            "FIRST_NAME",
            format!("record {reference} has no name"),
        ));
    }
    e.add_name(&name.join(" "), NameKind::Primary);
    if let Some(original) = el.child_text("NAME_ORIGINAL_SCRIPT") {
        e.add_name(original, NameKind::OriginalScript);
    }
    let alias_tag = if person {
        "INDIVIDUAL_ALIAS"
    } else {
        "ENTITY_ALIAS"
    };
    for alias in el.children(alias_tag) {
        read_alias(&mut e, alias);
    }

    if let Some(list) = el.child_text("UN_LIST_TYPE") {
        e.programs.push(list.to_string());
    }
    if let Some(listed) = el.child_text("LISTED_ON") {
        e.listed_on = listed.parse().ok();
    }
    e.gender = el.child_text("GENDER").and_then(Gender::parse);
    for nationality in el.values("NATIONALITY") {
        e.add_country_to(CountryField::Nationality, nationality);
    }
    for dob in el.children("INDIVIDUAL_DATE_OF_BIRTH") {
        read_birth_date(&mut e, dob);
    }
    for pob in el.children("INDIVIDUAL_PLACE_OF_BIRTH") {
        let place = join_parts(pob, &["CITY", "STATE_PROVINCE", "COUNTRY"]);
        if !place.is_empty() && !e.birth_places.contains(&place) {
            e.birth_places.push(place);
        }
    }
    for doc in el.children("INDIVIDUAL_DOCUMENT") {
        read_document(&mut e, doc);
    }
    let address_tag = if person {
        "INDIVIDUAL_ADDRESS"
    } else {
        "ENTITY_ADDRESS"
    };
    for addr in el.children(address_tag) {
        read_address(&mut e, addr);
    }

    if let Some(comments) = el.child_text("COMMENTS1") {
        e.remarks.push(comments.to_string());
    }
    for title in el.values("TITLE") {
        e.remarks.push(format!("title: {title}"));
    }
    for designation in el.values("DESIGNATION") {
        e.remarks.push(format!("designation: {designation}"));
    }
    Ok(e)
}

fn read_alias(e: &mut Entity, alias: &Element) {
    let Some(name) = alias.child_text("ALIAS_NAME") else {
        return;
    };
    let quality = alias.child_text("QUALITY").unwrap_or_default();
    let kind = if is_non_latin(name) {
        NameKind::OriginalScript
    } else if quality.eq_ignore_ascii_case("low") {
        NameKind::WeakAlias
    } else if quality.eq_ignore_ascii_case("f.k.a.") {
        NameKind::Previous
    } else {
        NameKind::Alias
    };
    e.add_name(name, kind);
    // Some aliases carry the birth date used under that name.
    if let Some(dob) = alias.child_text("DATE_OF_BIRTH") {
        add_loose_birth_date(e, dob);
    }
}

fn add_loose_birth_date(e: &mut Entity, text: &str) {
    let dates = PartialDate::parse_loose(text);
    if dates.is_empty() {
        e.remarks.push(format!("date of birth: {text}"));
    }
    dates.into_iter().for_each(|d| e.add_birth_date(d));
}

fn read_birth_date(e: &mut Entity, dob: &Element) {
    let circa = dob
        .child_text("TYPE_OF_DATE")
        .is_some_and(|t| t.eq_ignore_ascii_case("APPROXIMATELY"));
    let year = |tag: &str| dob.child_text(tag).and_then(|y| y.parse::<u16>().ok());
    if let Some(date) = dob.child_text("DATE") {
        match date.parse::<PartialDate>() {
            Ok(d) => e.add_birth_date(d.with_circa(circa)),
            Err(_) => add_loose_birth_date(e, date),
        }
    } else if let Some(y) = year("YEAR") {
        match PartialDate::new(y, None, None) {
            Some(d) => e.add_birth_date(d.with_circa(circa)),
            None => e.remarks.push(format!("date of birth: {y}")),
        }
    } else if let (Some(from), Some(to)) = (year("FROM_YEAR"), year("TO_YEAR")) {
        let valid = PartialDate::new(from, None, None).is_some()
            && PartialDate::new(to, None, None).is_some();
        if valid && from <= to && to - from <= MAX_YEAR_SPAN {
            for y in from..=to {
                e.add_birth_date(PartialDate::year(y));
            }
        } else {
            e.remarks
                .push(format!("date of birth: between {from} and {to}"));
        }
    }
    if let Some(note) = dob.child_text("NOTE") {
        e.remarks.push(format!("date of birth: {note}"));
    }
}

fn read_document(e: &mut Entity, doc: &Element) {
    let Some(number) = doc.child_text("NUMBER") else {
        return;
    };
    let doc_type = doc.child_text("TYPE_OF_DOCUMENT").unwrap_or_default();
    let lower = doc_type.to_lowercase();
    let kind =
        if lower.contains("passport") || lower.contains("pasaporte") || lower.contains("passeport")
        {
            IdKind::Passport
        } else if lower.contains("national identification") || lower.contains("identity") {
            IdKind::NationalId
        } else {
            IdKind::Other
        };
    let mut id = Identifier::new(kind, number);
    id.country = doc
        .child_text("ISSUING_COUNTRY")
        .or_else(|| doc.child_text("COUNTRY_OF_ISSUE"))
        .and_then(interdict_model::country::to_iso2)
        .map(String::from);
    id.label = doc
        .child_text("TYPE_OF_DOCUMENT2")
        .map(String::from)
        .or_else(|| (kind == IdKind::Other && !doc_type.is_empty()).then(|| doc_type.to_string()));
    e.add_identifier(id);
}

fn read_address(e: &mut Entity, addr: &Element) {
    let full = join_parts(
        addr,
        &["STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY"],
    );
    if full.is_empty() {
        return;
    }
    let country_name = addr.child_text("COUNTRY");
    let country = country_name
        .and_then(interdict_model::country::to_iso2)
        .map(String::from);
    if let Some(c) = country_name {
        e.add_country_to(CountryField::Country, c);
    }
    let address = Address { full, country };
    if !e.addresses.contains(&address) {
        e.addresses.push(address);
    }
}

/// The non-empty texts of the named children, joined with ", ".
fn join_parts(el: &Element, tags: &[&str]) -> String {
    tags.iter()
        .filter_map(|t| el.child_text(t))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A streaming XML reader that hands out one record at a time as a small element tree.
///
/// It wraps quick-xml, resolves character and predefined entity references, checks that tags
/// nest, and turns every failure — malformed markup, invalid UTF-8, a file that stops inside
/// an element — into a [`ListError`] naming the file, line and byte.
pub(crate) mod xml {
    use std::io::BufRead;
    use std::path::{Path, PathBuf};

    use quick_xml::escape::resolve_predefined_entity;
    use quick_xml::events::{BytesStart, Event as QEvent};
    use quick_xml::Reader;

    use crate::error::ListError;
    use crate::input;

    /// An element with its attributes, its own text and its child elements.
    #[derive(Debug, Default)]
    pub(crate) struct Element {
        /// Local name (namespace prefix removed).
        pub name: String,
        pub attrs: Vec<(String, String)>,
        pub text: String,
        pub children: Vec<Element>,
        /// Byte offset of the start tag in the (decompressed) input.
        pub offset: u64,
    }

    impl Element {
        /// An attribute's value, trimmed; `None` when absent or blank.
        pub fn attr(&self, name: &str) -> Option<&str> {
            self.attrs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.trim())
                .filter(|v| !v.is_empty())
        }

        pub fn child(&self, name: &str) -> Option<&Element> {
            self.children.iter().find(|c| c.name == name)
        }

        pub fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
            self.children.iter().filter(move |c| c.name == name)
        }

        /// The element's own text, trimmed; `None` when blank.
        pub fn text(&self) -> Option<&str> {
            Some(self.text.trim()).filter(|t| !t.is_empty())
        }

        /// The trimmed text of the first child of that name; `None` when absent or blank.
        pub fn child_text(&self, name: &str) -> Option<&str> {
            self.children
                .iter()
                .filter(|c| c.name == name)
                .find_map(Element::text)
        }

        /// The non-blank texts of all children of that name.
        pub fn child_texts<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
            self.children(name).filter_map(Element::text)
        }

        /// The texts of `<name><VALUE>…</VALUE>…</name>` (the UN list's repeated values).
        pub fn values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
            self.children(name).flat_map(|c| c.child_texts("VALUE"))
        }

        /// All descendants of that name, depth first.
        pub fn descendants<'a>(&'a self, name: &'a str) -> Vec<&'a Element> {
            let mut out = Vec::new();
            let mut stack: Vec<&Element> = self.children.iter().rev().collect();
            while let Some(el) = stack.pop() {
                if el.name == name {
                    out.push(el);
                }
                stack.extend(el.children.iter().rev());
            }
            out
        }
    }

    /// What [`XmlStream::next_event`] reports.
    pub(crate) enum Event {
        /// A start tag (or an empty element, which is closed right after). The element is
        /// returned without text or children; pass it to [`XmlStream::read_element`] to read
        /// its content.
        Open(Element),
        /// An end tag or the end of an empty element.
        Close,
        /// Text content (already unescaped).
        Text(String),
    }

    pub(crate) struct XmlStream<R: BufRead> {
        reader: Reader<R>,
        buf: Vec<u8>,
        path: PathBuf,
        /// Currently open elements.
        depth: usize,
        /// An empty element was reported as open and still needs its close.
        pending_close: bool,
        seen_root: bool,
    }

    impl<R: BufRead> XmlStream<R> {
        pub fn new(reader: R, path: &Path) -> Self {
            let mut reader = Reader::from_reader(reader);
            reader.config_mut().check_end_names = true;
            XmlStream {
                reader,
                buf: Vec::new(),
                path: path.to_path_buf(),
                depth: 0,
                pending_close: false,
                seen_root: false,
            }
        }

        /// Nesting depth after the last event: 1 while inside the root element.
        pub fn depth(&self) -> usize {
            self.depth
        }

        fn error_at(&self, byte: u64, msg: impl Into<String>) -> ListError {
            ListError::syntax(&self.path, input::position(&self.path, byte), msg)
        }

        /// The next event, or `None` at the end of a complete document.
        pub fn next_event(&mut self) -> Result<Option<Event>, ListError> {
            if self.pending_close {
                self.pending_close = false;
                self.depth -= 1;
                return Ok(Some(Event::Close));
            }
            loop {
                self.buf.clear();
                let before = self.reader.buffer_position();
                let event = match self.reader.read_event_into(&mut self.buf) {
                    Ok(ev) => ev,
                    Err(err) => {
                        let at = self.reader.error_position().max(before);
                        // quick-xml reports syntax errors only on reaching the end of input
                        // inside markup.
                        let msg = match err {
                            quick_xml::Error::Syntax(e) => {
                                format!("unexpected end of file, the XML is truncated: {e}")
                            }
                            other => format!("malformed XML: {other}"),
                        };
                        return Err(self.error_at(at, msg));
                    }
                };
                let at = self.reader.buffer_position();
                let utf8 = |s: Result<std::borrow::Cow<'_, str>, _>| {
                    s.map(|c| c.into_owned())
                        .map_err(|e| (before, format!("invalid text encoding: {e}")))
                };
                let result: Result<Option<Event>, (u64, String)> = match event {
                    QEvent::Start(start) => {
                        let el = open_element(&start, before);
                        el.map(|el| {
                            self.depth += 1;
                            Some(Event::Open(el))
                        })
                    }
                    QEvent::Empty(start) => open_element(&start, before).map(|el| {
                        self.depth += 1;
                        self.pending_close = true;
                        Some(Event::Open(el))
                    }),
                    QEvent::End(_) => {
                        self.depth = self.depth.saturating_sub(1);
                        Ok(Some(Event::Close))
                    }
                    QEvent::Text(t) => utf8(t.xml10_content()).map(|s| Some(Event::Text(s))),
                    QEvent::CData(t) => utf8(t.xml10_content()).map(|s| Some(Event::Text(s))),
                    QEvent::GeneralRef(r) => match r.resolve_char_ref() {
                        Ok(Some(c)) => Ok(Some(Event::Text(c.to_string()))),
                        Ok(None) => utf8(r.decode()).map(|name| {
                            let text = resolve_predefined_entity(&name)
                                .map(String::from)
                                .unwrap_or_else(|| format!("&{name};"));
                            Some(Event::Text(text))
                        }),
                        Err(e) => Err((before, format!("bad character reference: {e}"))),
                    },
                    QEvent::Eof => {
                        if self.depth > 0 {
                            Err((at, "unexpected end of file: the XML is truncated".into()))
                        } else if !self.seen_root {
                            if at == 0 {
                                return Err(ListError::Empty {
                                    path: self.path.clone(),
                                });
                            }
                            Err((at, "no root element".into()))
                        } else {
                            Ok(None)
                        }
                    }
                    // Declarations, comments, processing instructions, DOCTYPE.
                    _ => continue,
                };
                let event = result.map_err(|(byte, msg)| self.error_at(byte, msg))?;
                if let Some(Event::Open(_)) = &event {
                    if self.depth == 1 {
                        if self.seen_root {
                            return Err(self.error_at(before, "a second root element"));
                        }
                        self.seen_root = true;
                    }
                }
                if let Some(Event::Text(t)) = &event {
                    if self.depth == 0 && !t.trim().is_empty() {
                        return Err(self.error_at(before, "text outside the root element"));
                    }
                }
                return Ok(event);
            }
        }

        /// Reads the content of an element just returned by [`Self::next_event`] up to its
        /// end tag.
        pub fn read_element(&mut self, mut el: Element) -> Result<Element, ListError> {
            // Elements opened inside `el`, innermost last.
            let mut stack: Vec<Element> = Vec::new();
            while let Some(event) = self.next_event()? {
                match event {
                    Event::Open(child) => stack.push(child),
                    Event::Text(t) => match stack.last_mut() {
                        Some(top) => top.text.push_str(&t),
                        None => el.text.push_str(&t),
                    },
                    Event::Close => match stack.pop() {
                        Some(done) => match stack.last_mut() {
                            Some(parent) => parent.children.push(done),
                            None => el.children.push(done),
                        },
                        None => return Ok(el),
                    },
                }
            }
            // next_event reports a truncated document as an error, so this is unreachable in
            // practice; keep a clear message rather than a panic.
            Err(self.error_at(el.offset, format!("<{}> is not closed", el.name)))
        }
    }

    fn open_element(start: &BytesStart<'_>, offset: u64) -> Result<Element, (u64, String)> {
        let bad = |what: &str| (offset, format!("invalid UTF-8 in {what}"));
        let name = std::str::from_utf8(start.local_name().as_ref())
            .map_err(|_| bad("an element name"))?
            .to_string();
        let mut attrs = Vec::new();
        for attr in start.attributes() {
            let attr =
                attr.map_err(|e| (offset, format!("malformed attribute in <{name}>: {e}")))?;
            let key = std::str::from_utf8(attr.key.local_name().as_ref())
                .map_err(|_| bad("an attribute name"))?
                .to_string();
            let value = attr
                .unescape_value()
                .map_err(|e| (offset, format!("bad attribute {key} in <{name}>: {e}")))?
                .into_owned();
            attrs.push((key, value));
        }
        Ok(Element {
            name,
            attrs,
            offset,
            ..Element::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(xml: &str) -> Result<(ListInfo, Vec<Entity>), ListError> {
        let mut out = Vec::new();
        let info = read_reader(xml.as_bytes(), Path::new("un.xml"), &mut |e| {
            out.push(e);
            Ok(())
        })?;
        Ok((info, out))
    }

    const SAMPLE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:09.554Z">
  <INDIVIDUALS>
    <INDIVIDUAL>
      <DATAID>1</DATAID>
      <FIRST_NAME>ABDUL</FIRST_NAME><SECOND_NAME>BASIR</SECOND_NAME>
      <UN_LIST_TYPE>Taliban</UN_LIST_TYPE>
      <REFERENCE_NUMBER>TAi.001</REFERENCE_NUMBER>
      <LISTED_ON>2001-02-23</LISTED_ON>
      <NAME_ORIGINAL_SCRIPT>عبد البصیر</NAME_ORIGINAL_SCRIPT>
      <COMMENTS1>Notes &amp; more &#x41;.</COMMENTS1>
      <NATIONALITY><VALUE>Afghanistan</VALUE></NATIONALITY>
      <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Abdul Baseer</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Haji</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ADDRESS><CITY>Kabul</CITY><COUNTRY>Afghanistan</COUNTRY></INDIVIDUAL_ADDRESS>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE><YEAR>1960</YEAR></INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1962</FROM_YEAR><TO_YEAR>1963</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1961-05-04</DATE></INDIVIDUAL_DATE_OF_BIRTH>
      <INDIVIDUAL_PLACE_OF_BIRTH><CITY>Kandahar</CITY><COUNTRY>Afghanistan</COUNTRY></INDIVIDUAL_PLACE_OF_BIRTH>
      <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>OA 123</NUMBER><ISSUING_COUNTRY>Afghanistan</ISSUING_COUNTRY></INDIVIDUAL_DOCUMENT>
    </INDIVIDUAL>
  </INDIVIDUALS>
  <ENTITIES>
    <ENTITY>
      <FIRST_NAME>SOME FRONT</FIRST_NAME><REFERENCE_NUMBER>QDe.001</REFERENCE_NUMBER>
      <ENTITY_ALIAS><QUALITY>f.k.a.</QUALITY><ALIAS_NAME>OLD FRONT</ALIAS_NAME></ENTITY_ALIAS>
    </ENTITY>
  </ENTITIES>
</CONSOLIDATED_LIST>
"#;

    #[test]
    fn reads_individuals_and_entities() {
        let (info, es) = load(SAMPLE).unwrap();
        assert_eq!(info.issued.as_deref(), Some("2026-02-27"));
        assert_eq!((info.records, info.entities), (2, 2));
        let p = &es[0];
        assert_eq!(p.id, "un-TAi.001");
        assert_eq!(p.caption(), "ABDUL BASIR");
        let kinds: Vec<_> = p.names.iter().map(|n| (n.value.as_str(), n.kind)).collect();
        assert_eq!(
            kinds,
            [
                ("ABDUL BASIR", NameKind::Primary),
                ("عبد البصیر", NameKind::OriginalScript),
                ("Abdul Baseer", NameKind::Alias),
                ("Haji", NameKind::WeakAlias),
            ]
        );
        let dobs: Vec<_> = p.birth_dates.iter().map(|d| d.to_string()).collect();
        assert_eq!(dobs, ["circa 1960", "1962", "1963", "1961-05-04"]);
        assert_eq!(p.nationalities, ["af"]);
        assert_eq!(p.identifiers[0].kind, IdKind::Passport);
        assert_eq!(p.identifiers[0].country.as_deref(), Some("af"));
        assert_eq!(p.addresses[0].full, "Kabul, Afghanistan");
        assert_eq!(p.birth_places, ["Kandahar, Afghanistan"]);
        assert_eq!(p.remarks[0], "Notes & more A.");
        assert_eq!(p.programs, ["Taliban"]);
        assert_eq!(
            p.listed_on.map(|d| d.to_iso()).as_deref(),
            Some("2001-02-23")
        );
        assert_eq!(es[1].schema, Schema::Organization);
        assert_eq!(es[1].names[1].kind, NameKind::Previous);
    }

    #[test]
    fn truncated_and_malformed_input() {
        let cut = &SAMPLE[..SAMPLE.len() / 2];
        let err = load(cut).unwrap_err().to_string();
        assert!(err.contains("un.xml") && err.contains("truncated"), "{err}");

        let err = load("<CONSOLIDATED_LIST><INDIVIDUALS></ENTITIES></CONSOLIDATED_LIST>")
            .unwrap_err()
            .to_string();
        assert!(err.contains("malformed XML"), "{err}");

        assert!(matches!(load(""), Err(ListError::Empty { .. })));

        let mut bytes = SAMPLE.as_bytes().to_vec();
        let at = SAMPLE.find("ABDUL").unwrap();
        bytes[at] = 0xff;
        let err = read_reader(&bytes[..], Path::new("un.xml"), &mut |_| Ok(())).unwrap_err();
        match err {
            ListError::Syntax { pos, msg, .. } => {
                assert!(msg.contains("encoding") || msg.contains("UTF-8"), "{msg}");
                assert!(pos.byte.is_some());
            }
            other => panic!("unexpected {other}"),
        }
    }

    proptest::proptest! {
        /// Cutting or corrupting a valid file anywhere gives an error, never a panic; the same
        /// bytes through the other XML readers too.
        #[test]
        fn corrupted_input_never_panics(cut in 0usize..3000, at in 0usize..3000, byte: u8) {
            let mut bytes = SAMPLE.as_bytes().to_vec();
            if let Some(b) = bytes.get_mut(at) {
                *b = byte;
            }
            bytes.truncate(cut);
            let label = Path::new("fuzz");
            let _ = read_reader(&bytes[..], label, &mut |_| Ok(()));
            let _ = crate::eu::read_reader(&bytes[..], label, &mut |_| Ok(()));
            let _ = crate::uk::read_sanctions_list_xml_reader(&bytes[..], label, &mut |_| Ok(()));
        }
    }

    #[test]
    fn wrong_root_is_unknown_format() {
        assert!(matches!(
            load("<sdnList/>"),
            Err(ListError::UnknownFormat { .. })
        ));
    }
}
