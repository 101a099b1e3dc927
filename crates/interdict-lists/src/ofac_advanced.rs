//! OFAC Advanced XML (SDN_ADVANCED.XML, CONS_ADVANCED.XML; root `Sanctions`, namespace
//! `.../exports/ADVANCED_XML`).
//!
//! The file is normalised: reference-value sets (alias types, feature types, countries,
//! scripts, …) come first, then `Locations` and `IDRegDocuments` (keyed by location and
//! identity), then `DistinctParties` (names and features), then `SanctionsEntries` (programmes
//! and listing date per profile). One streaming pass keeps the small lookup tables, builds each
//! party as its element completes, attaches programmes and listing dates from the sanctions
//! entries, and emits the entities at the end of the file. Peak memory is the finished
//! entities plus the tables (well under 100 MB for the 121 MB SDN file).

use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

use interdict_model::entity::CountryField;
use interdict_model::name::is_non_latin;
use interdict_model::{Address, Entity, Gender, NameKind, PartialDate, Schema};
use quick_xml::events::BytesStart;

use crate::error::ListError;
use crate::ofac_csv::{DATASET_CONS, DATASET_SDN};
use crate::ofac_remarks;
use crate::ofac_xml::{local_name, XmlEvent, XmlStream};
use crate::{input, ListInfo, Sink};

/// Reads an OFAC Advanced XML file (plain or compressed).
pub fn read(path: &Path, sink: &mut Sink<'_>) -> Result<ListInfo, ListError> {
    read_reader(input::open(path)?, path, sink)
}

/// Reads Advanced XML from a stream; `path` only labels errors.
pub fn read_reader<R: BufRead>(
    reader: R,
    path: &Path,
    sink: &mut Sink<'_>,
) -> Result<ListInfo, ListError> {
    let mut parser = Parser::default();
    let mut xml = XmlStream::new(reader, path);
    loop {
        match xml.next()? {
            XmlEvent::Start(start) => {
                if parser.stack.is_empty() && local_name(&start) != b"Sanctions" {
                    return Err(ListError::UnknownFormat {
                        path: path.to_path_buf(),
                        detail: format!(
                            "expected the root element <Sanctions>, found <{}>",
                            String::from_utf8_lossy(local_name(&start))
                        ),
                    });
                }
                parser.start(&start);
            }
            XmlEvent::End { text, .. } => parser.end(text),
            XmlEvent::Eof => break,
        }
    }
    parser.finish(sink)
}

/// The elements the reader acts on; everything else is `Other`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tag {
    DateOfIssue,
    RefValue(RefKind),
    Location,
    LocationCountry,
    LocationAreaCode,
    LocationPart,
    LocationPartValue,
    Value,
    IdRegDocument,
    IdRegistrationNo,
    DistinctParty,
    Profile,
    Identity,
    Alias,
    DocumentedName,
    NamePartValue,
    NamePartGroup,
    Feature,
    FeatureVersion,
    VersionDetail,
    VersionLocation,
    DatePeriod,
    PeriodStart,
    PeriodEnd,
    From,
    To,
    Year,
    Month,
    Day,
    ProfileRelationship,
    SanctionsEntry,
    EntryEvent,
    Date,
    SanctionsMeasure,
    Comment,
    Other,
}

/// Reference-value sets the reader uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RefKind {
    AliasType,
    AreaCode,
    Country,
    DetailReference,
    FeatureType,
    IdRegDocType,
    NamePartType,
    PartySubType,
    PartyType,
    RelationType,
    Script,
    SanctionsType,
    List,
}

fn tag_of(name: &[u8]) -> Tag {
    use RefKind as R;
    match name {
        b"DateOfIssue" => Tag::DateOfIssue,
        b"AliasType" => Tag::RefValue(R::AliasType),
        b"AreaCode" => Tag::RefValue(R::AreaCode),
        b"Country" => Tag::RefValue(R::Country),
        b"DetailReference" => Tag::RefValue(R::DetailReference),
        b"FeatureType" => Tag::RefValue(R::FeatureType),
        b"IDRegDocType" => Tag::RefValue(R::IdRegDocType),
        b"NamePartType" => Tag::RefValue(R::NamePartType),
        b"PartySubType" => Tag::RefValue(R::PartySubType),
        b"PartyType" => Tag::RefValue(R::PartyType),
        b"RelationType" => Tag::RefValue(R::RelationType),
        b"ProfileRelationship" => Tag::ProfileRelationship,
        b"Script" => Tag::RefValue(R::Script),
        b"SanctionsType" => Tag::RefValue(R::SanctionsType),
        b"List" => Tag::RefValue(R::List),
        b"Location" => Tag::Location,
        b"LocationCountry" => Tag::LocationCountry,
        b"LocationAreaCode" => Tag::LocationAreaCode,
        b"LocationPart" => Tag::LocationPart,
        b"LocationPartValue" => Tag::LocationPartValue,
        b"Value" => Tag::Value,
        b"IDRegDocument" => Tag::IdRegDocument,
        b"IDRegistrationNo" => Tag::IdRegistrationNo,
        b"DistinctParty" => Tag::DistinctParty,
        b"Profile" => Tag::Profile,
        b"Identity" => Tag::Identity,
        b"Alias" => Tag::Alias,
        b"DocumentedName" => Tag::DocumentedName,
        b"NamePartValue" => Tag::NamePartValue,
        b"NamePartGroup" => Tag::NamePartGroup,
        b"Feature" => Tag::Feature,
        b"FeatureVersion" => Tag::FeatureVersion,
        b"VersionDetail" => Tag::VersionDetail,
        b"VersionLocation" => Tag::VersionLocation,
        b"DatePeriod" => Tag::DatePeriod,
        b"Start" => Tag::PeriodStart,
        b"End" => Tag::PeriodEnd,
        b"From" => Tag::From,
        b"To" => Tag::To,
        b"Year" => Tag::Year,
        b"Month" => Tag::Month,
        b"Day" => Tag::Day,
        b"SanctionsEntry" => Tag::SanctionsEntry,
        b"EntryEvent" => Tag::EntryEvent,
        b"Date" => Tag::Date,
        b"SanctionsMeasure" => Tag::SanctionsMeasure,
        b"Comment" => Tag::Comment,
        _ => Tag::Other,
    }
}

/// A numeric attribute (all OFAC ids are numbers); `None` when absent or not a number.
fn attr_u32(start: &BytesStart<'_>, key: &[u8]) -> Option<u32> {
    attr_raw(start, key, |v| {
        std::str::from_utf8(v).ok()?.trim().parse().ok()
    })
}

fn attr_bool(start: &BytesStart<'_>, key: &[u8]) -> bool {
    attr_raw(start, key, |v| Some(v == b"true")).unwrap_or(false)
}

fn attr_string(start: &BytesStart<'_>, key: &[u8]) -> Option<String> {
    attr_raw(start, key, |v| {
        std::str::from_utf8(v).ok().map(str::to_string)
    })
}

fn attr_raw<T>(start: &BytesStart<'_>, key: &[u8], f: impl Fn(&[u8]) -> Option<T>) -> Option<T> {
    start
        .attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == key)
        .and_then(|a| f(&a.value))
}

#[derive(Default)]
struct Refs {
    alias_type: HashMap<u32, String>,
    /// Area code → country id.
    area_country: HashMap<u32, u32>,
    /// Country id → (ISO alpha-2, lowercase; name).
    country: HashMap<u32, (Option<String>, String)>,
    detail: HashMap<u32, String>,
    feature_type: HashMap<u32, String>,
    doc_type: HashMap<u32, String>,
    name_part_type: HashMap<u32, String>,
    /// Party sub-type → (name, party type id).
    party_subtype: HashMap<u32, (String, Option<u32>)>,
    party_type: HashMap<u32, String>,
    relation_type: HashMap<u32, String>,
    /// Script id → ISO 15924-like code (`Latn` is written `Latin`).
    script: HashMap<u32, String>,
    sanctions_type: HashMap<u32, String>,
    list: HashMap<u32, String>,
}

/// A reference value being read: its kind, id and the attributes that matter.
struct PendingRef {
    kind: RefKind,
    id: u32,
    attr_id: Option<u32>,
    attr_text: Option<String>,
}

/// A location: address text and country.
#[derive(Default)]
struct Loc {
    parts: Vec<String>,
    country_id: Option<u32>,
    area_id: Option<u32>,
}

struct Doc {
    type_id: Option<u32>,
    number: String,
    country_id: Option<u32>,
}

struct NamePart {
    group: Option<u32>,
    script: Option<u32>,
    value: String,
}

struct DocName {
    primary_latin: bool,
    parts: Vec<NamePart>,
}

struct AliasBuf {
    type_id: Option<u32>,
    primary: bool,
    low_quality: bool,
    names: Vec<DocName>,
}

/// Start/end of a date period, each a from–to range of (year, month, day).
#[derive(Default)]
struct Period {
    approximate: bool,
    slots: [[Option<u16>; 3]; 4],
}

#[derive(Default)]
struct FeatureBuf {
    type_id: Option<u32>,
    values: Vec<String>,
    locations: Vec<u32>,
    period: Option<Period>,
    comment: Option<String>,
}

struct Party {
    entity: Entity,
    identity_id: Option<u32>,
    individual: bool,
}

#[derive(Default)]
struct EntryBuf {
    profile: Option<u64>,
    list_id: Option<u32>,
    date: [Option<u16>; 3],
    measure_type: Option<u32>,
    programs: Vec<String>,
}

#[derive(Default)]
struct Parser {
    stack: Vec<Tag>,
    refs: Refs,
    pending_ref: Option<PendingRef>,
    issued: [Option<u16>; 3],
    locations: HashMap<u32, Loc>,
    loc: Option<(u32, Loc)>,
    loc_value_primary: bool,
    docs: HashMap<u32, Vec<Doc>>,
    doc: Option<(u32, Doc)>,
    party: Option<Party>,
    party_comment: Option<String>,
    aliases: Vec<AliasBuf>,
    part_attrs: (Option<u32>, Option<u32>),
    groups: HashMap<u32, u32>,
    feature: Option<FeatureBuf>,
    /// Which of the period's four dates the next Year/Month/Day belong to.
    slot: usize,
    entities: Vec<Entity>,
    index: HashMap<u64, usize>,
    entry: Option<EntryBuf>,
    /// (from profile, to profile, relation type), applied once all parties are read.
    relations: Vec<(u64, u64, Option<u32>)>,
    /// Sanctions entries per list name (to tell SDN from consolidated files).
    lists: HashMap<String, usize>,
    records: usize,
}

impl Parser {
    fn parent(&self) -> Tag {
        self.stack.last().copied().unwrap_or(Tag::Other)
    }

    fn start(&mut self, start: &BytesStart<'_>) {
        let tag = tag_of(local_name(start));
        match tag {
            Tag::RefValue(kind) => {
                self.pending_ref = attr_u32(start, b"ID").map(|id| PendingRef {
                    kind,
                    id,
                    attr_id: match kind {
                        RefKind::AreaCode => attr_u32(start, b"CountryID"),
                        RefKind::PartySubType => attr_u32(start, b"PartyTypeID"),
                        _ => None,
                    },
                    attr_text: match kind {
                        RefKind::Country => attr_string(start, b"ISO2"),
                        RefKind::Script => attr_string(start, b"ScriptCode"),
                        _ => None,
                    },
                });
            }
            Tag::Location => {
                if let Some(id) = attr_u32(start, b"ID") {
                    self.loc = Some((id, Loc::default()));
                }
            }
            Tag::LocationCountry => {
                if let Some((_, loc)) = self.loc.as_mut() {
                    loc.country_id = attr_u32(start, b"CountryID");
                }
            }
            Tag::LocationAreaCode => {
                if let Some((_, loc)) = self.loc.as_mut() {
                    loc.area_id = attr_u32(start, b"AreaCodeID");
                }
            }
            // Non-primary values repeat a part in another script; the address keeps the
            // primary (Latin) one.
            Tag::LocationPartValue => {
                self.loc_value_primary =
                    attr_raw(start, b"Primary", |v| Some(v != b"false")).unwrap_or(true);
            }
            Tag::IdRegDocument => {
                if let Some(identity) = attr_u32(start, b"IdentityID") {
                    let doc = Doc {
                        type_id: attr_u32(start, b"IDRegDocTypeID"),
                        number: String::new(),
                        country_id: attr_u32(start, b"IssuedBy-CountryID"),
                    };
                    self.doc = Some((identity, doc));
                }
            }
            Tag::Profile => {
                let id = attr_u32(start, b"ID");
                let subtype = attr_u32(start, b"PartySubTypeID")
                    .and_then(|s| self.refs.party_subtype.get(&s));
                let (schema, individual) = match subtype {
                    Some((name, _)) if name.eq_ignore_ascii_case("vessel") => {
                        (Schema::Vessel, false)
                    }
                    Some((name, _)) if name.eq_ignore_ascii_case("aircraft") => {
                        (Schema::Airplane, false)
                    }
                    Some((_, Some(party_type))) => match self.refs.party_type.get(party_type) {
                        Some(t) if t.eq_ignore_ascii_case("individual") => (Schema::Person, true),
                        _ => (Schema::Organization, false),
                    },
                    _ => (Schema::Organization, false),
                };
                if let Some(id) = id {
                    self.party = Some(Party {
                        entity: Entity::new(
                            format!("ofac-{id}"),
                            schema,
                            DATASET_SDN,
                            id.to_string(),
                        ),
                        identity_id: None,
                        individual,
                    });
                }
            }
            Tag::Identity => {
                if let Some(p) = self.party.as_mut() {
                    p.identity_id = p.identity_id.or(attr_u32(start, b"ID"));
                }
                self.aliases.clear();
                self.groups.clear();
            }
            Tag::Alias => self.aliases.push(AliasBuf {
                type_id: attr_u32(start, b"AliasTypeID"),
                primary: attr_bool(start, b"Primary"),
                low_quality: attr_bool(start, b"LowQuality"),
                names: Vec::new(),
            }),
            Tag::DocumentedName => {
                if let Some(a) = self.aliases.last_mut() {
                    a.names.push(DocName {
                        primary_latin: attr_u32(start, b"DocNameStatusID") == Some(1),
                        parts: Vec::new(),
                    });
                }
            }
            Tag::NamePartValue => {
                self.part_attrs = (
                    attr_u32(start, b"NamePartGroupID"),
                    attr_u32(start, b"ScriptID"),
                );
            }
            Tag::NamePartGroup => {
                if let (Some(id), Some(t)) =
                    (attr_u32(start, b"ID"), attr_u32(start, b"NamePartTypeID"))
                {
                    self.groups.insert(id, t);
                }
            }
            Tag::Feature => {
                self.feature = Some(FeatureBuf {
                    type_id: attr_u32(start, b"FeatureTypeID"),
                    ..FeatureBuf::default()
                });
            }
            Tag::VersionDetail => {
                if let (Some(f), Some(r)) =
                    (self.feature.as_mut(), attr_u32(start, b"DetailReferenceID"))
                {
                    if let Some(text) = self.refs.detail.get(&r) {
                        f.values.push(text.clone());
                    }
                }
            }
            Tag::VersionLocation => {
                if let (Some(f), Some(id)) = (self.feature.as_mut(), attr_u32(start, b"LocationID"))
                {
                    f.locations.push(id);
                }
            }
            Tag::DatePeriod => {
                if let Some(f) = self.feature.as_mut() {
                    f.period = Some(Period::default());
                }
            }
            Tag::PeriodStart => {
                if let Some(p) = self.feature.as_mut().and_then(|f| f.period.as_mut()) {
                    p.approximate |= attr_bool(start, b"Approximate");
                }
            }
            Tag::From | Tag::To => {
                let end = self.parent() == Tag::PeriodEnd;
                self.slot = usize::from(end) * 2 + usize::from(tag == Tag::To);
            }
            Tag::ProfileRelationship => {
                if let (Some(from), Some(to)) = (
                    attr_u32(start, b"From-ProfileID"),
                    attr_u32(start, b"To-ProfileID"),
                ) {
                    let kind = attr_u32(start, b"RelationTypeID");
                    self.relations.push((u64::from(from), u64::from(to), kind));
                }
            }
            Tag::SanctionsEntry => {
                self.entry = Some(EntryBuf {
                    profile: attr_u32(start, b"ProfileID").map(u64::from),
                    list_id: attr_u32(start, b"ListID"),
                    ..EntryBuf::default()
                });
            }
            Tag::SanctionsMeasure => {
                if let Some(e) = self.entry.as_mut() {
                    e.measure_type = attr_u32(start, b"SanctionsTypeID");
                }
            }
            _ => {}
        }
        self.stack.push(tag);
    }

    fn end(&mut self, text: &str) {
        let tag = self.stack.pop().unwrap_or(Tag::Other);
        let parent = self.parent();
        let text = text.trim();
        match tag {
            Tag::RefValue(_) => {
                if let Some(r) = self.pending_ref.take() {
                    self.add_ref(r, text);
                }
            }
            Tag::Value if parent == Tag::LocationPartValue && self.loc_value_primary => {
                if let Some((_, loc)) = self.loc.as_mut() {
                    if !text.is_empty() && !loc.parts.iter().any(|p| p == text) {
                        loc.parts.push(text.to_string());
                    }
                }
            }
            Tag::Location => {
                if let Some((id, loc)) = self.loc.take() {
                    self.locations.insert(id, loc);
                }
            }
            Tag::IdRegistrationNo => {
                if let Some((_, doc)) = self.doc.as_mut() {
                    doc.number = text.to_string();
                }
            }
            Tag::IdRegDocument => {
                if let Some((identity, doc)) = self.doc.take() {
                    self.docs.entry(identity).or_default().push(doc);
                }
            }
            Tag::NamePartValue => {
                let (group, script) = self.part_attrs;
                if let Some(n) = self.aliases.last_mut().and_then(|a| a.names.last_mut()) {
                    n.parts.push(NamePart {
                        group,
                        script,
                        value: text.to_string(),
                    });
                }
            }
            Tag::Identity => self.finish_identity(),
            Tag::VersionDetail => {
                if let Some(f) = self.feature.as_mut() {
                    if !text.is_empty() {
                        f.values.push(text.to_string());
                    }
                }
            }
            Tag::Year | Tag::Month | Tag::Day => {
                let i = match tag {
                    Tag::Year => 0,
                    Tag::Month => 1,
                    _ => 2,
                };
                let v = text.parse::<u16>().ok();
                match parent {
                    Tag::From | Tag::To => {
                        if let Some(p) = self.feature.as_mut().and_then(|f| f.period.as_mut()) {
                            p.slots[self.slot][i] = v;
                        }
                    }
                    Tag::Date => {
                        if let Some(e) = self.entry.as_mut() {
                            e.date[i] = v;
                        }
                    }
                    Tag::DateOfIssue => self.issued[i] = v,
                    _ => {}
                }
            }
            Tag::Comment if !text.is_empty() => match parent {
                Tag::DistinctParty => self.party_comment = Some(text.to_string()),
                Tag::FeatureVersion => {
                    if let Some(f) = self.feature.as_mut() {
                        f.comment = Some(text.to_string());
                    }
                }
                Tag::SanctionsMeasure => {
                    if let Some(e) = self.entry.as_mut() {
                        let is_program = e
                            .measure_type
                            .and_then(|t| self.refs.sanctions_type.get(&t))
                            .is_some_and(|t| t == "Program");
                        if is_program && !e.programs.iter().any(|p| p == text) {
                            e.programs.push(text.to_string());
                        }
                    }
                }
                _ => {}
            },
            Tag::Feature => {
                if let Some(f) = self.feature.take() {
                    self.apply_feature(f);
                }
            }
            Tag::Profile => self.finish_profile(),
            Tag::DistinctParty => self.party_comment = None,
            Tag::SanctionsEntry => {
                if let Some(e) = self.entry.take() {
                    self.apply_entry(e);
                }
            }
            _ => {}
        }
    }

    fn add_ref(&mut self, r: PendingRef, text: &str) {
        let refs = &mut self.refs;
        let text = text.to_string();
        match r.kind {
            RefKind::AliasType => {
                refs.alias_type.insert(r.id, text);
            }
            RefKind::AreaCode => {
                if let Some(c) = r.attr_id {
                    refs.area_country.insert(r.id, c);
                }
            }
            RefKind::Country => {
                let iso = r.attr_text.map(|c| c.to_ascii_lowercase());
                // OFAC's "undetermined" country is no country.
                if iso.is_some() || !text.eq_ignore_ascii_case("undetermined") {
                    refs.country.insert(r.id, (iso, text));
                }
            }
            RefKind::DetailReference => {
                refs.detail.insert(r.id, text);
            }
            RefKind::FeatureType => {
                refs.feature_type.insert(r.id, text);
            }
            RefKind::IdRegDocType => {
                refs.doc_type.insert(r.id, text);
            }
            RefKind::NamePartType => {
                refs.name_part_type.insert(r.id, text);
            }
            RefKind::PartySubType => {
                refs.party_subtype.insert(r.id, (text, r.attr_id));
            }
            RefKind::PartyType => {
                refs.party_type.insert(r.id, text);
            }
            RefKind::RelationType => {
                refs.relation_type.insert(r.id, text);
            }
            RefKind::Script => {
                refs.script.insert(r.id, r.attr_text.unwrap_or(text));
            }
            RefKind::SanctionsType => {
                refs.sanctions_type.insert(r.id, text);
            }
            RefKind::List => {
                refs.list.insert(r.id, text);
            }
        }
    }

    /// Turns the aliases of the identity just read into names.
    fn finish_identity(&mut self) {
        let Some(party) = self.party.as_mut() else {
            return;
        };
        let aliases = std::mem::take(&mut self.aliases);
        for alias in &aliases {
            let alias_type = alias
                .type_id
                .and_then(|t| self.refs.alias_type.get(&t))
                .map(|t| t.to_ascii_uppercase());
            let base = if alias.primary {
                NameKind::Primary
            } else {
                match alias_type.as_deref() {
                    Some("F.K.A.") => NameKind::Previous,
                    Some("NAME") => NameKind::Primary,
                    _ if alias.low_quality => NameKind::WeakAlias,
                    _ => NameKind::Alias,
                }
            };
            for doc in &alias.names {
                let script = doc
                    .parts
                    .first()
                    .and_then(|p| p.script)
                    .and_then(|s| self.refs.script.get(&s))
                    .map(String::as_str)
                    .unwrap_or("Latin");
                let joiner = match script {
                    "Hans" | "Hant" | "Japanese" | "Jpan" | "Hani" => "",
                    _ => " ",
                };
                let full = doc
                    .parts
                    .iter()
                    .map(|p| p.value.as_str())
                    .filter(|v| !v.is_empty())
                    .collect::<Vec<_>>()
                    .join(joiner);
                let non_latin = script != "Latin" || is_non_latin(&full);
                let kind = if non_latin {
                    NameKind::OriginalScript
                } else if base == NameKind::Primary && !doc.primary_latin {
                    NameKind::Alias
                } else {
                    base
                };
                if !non_latin && party.individual {
                    if let Some(inverted) = last_first(&doc.parts, &self.groups, &self.refs) {
                        party.entity.add_name(&inverted, kind);
                    }
                }
                party.entity.add_name(&full, kind);
            }
        }
        self.aliases = aliases;
        self.aliases.clear();
        // Identity documents were read before the parties; join them now.
        if let Some(docs) = party.identity_id.and_then(|id| self.docs.remove(&id)) {
            for doc in docs {
                let label = doc
                    .type_id
                    .and_then(|t| self.refs.doc_type.get(&t))
                    .map(String::as_str)
                    .unwrap_or("Identification");
                let country = doc
                    .country_id
                    .and_then(|c| self.refs.country.get(&c))
                    .map(|(iso, name)| iso.as_deref().unwrap_or(name));
                ofac_remarks::apply_labelled(&mut party.entity, label, &doc.number, country);
            }
        }
    }

    fn apply_feature(&mut self, f: FeatureBuf) {
        let Some(party) = self.party.as_mut() else {
            return;
        };
        let e = &mut party.entity;
        let label = f
            .type_id
            .and_then(|t| self.refs.feature_type.get(&t))
            .map(String::as_str)
            .unwrap_or("Feature");
        let locations: Vec<&Loc> = f
            .locations
            .iter()
            .filter_map(|id| self.locations.get(id))
            .collect();
        match label {
            "Birthdate" => {
                let dates = f.period.as_ref().map(period_dates).unwrap_or_default();
                if dates.is_empty() {
                    e.remarks.push(format!("Birthdate: {}", f.values.join(" ")));
                }
                for d in dates {
                    e.add_birth_date(d);
                }
            }
            "Location" => {
                for loc in locations {
                    let country = location_country(&self.refs, loc);
                    let mut parts = loc.parts.clone();
                    if let Some((_, name)) = country {
                        parts.push(name.clone());
                    }
                    let code = country.and_then(|(iso, _)| iso.clone());
                    if let Some(c) = &code {
                        if !e.countries.contains(c) {
                            e.countries.push(c.clone());
                        }
                    }
                    let address = Address {
                        full: parts.join(", "),
                        country: code,
                    };
                    if !address.full.is_empty() && !e.addresses.contains(&address) {
                        e.addresses.push(address);
                    }
                }
            }
            "Nationality Country" | "Citizenship Country" => {
                let field = if label.starts_with("Nationality") {
                    CountryField::Nationality
                } else {
                    CountryField::Citizenship
                };
                for loc in locations {
                    match location_country(&self.refs, loc) {
                        Some((Some(iso), _)) => {
                            e.add_country_to(field, iso);
                        }
                        Some((None, name)) => {
                            e.add_country_to(field, name);
                        }
                        None => {
                            for part in &loc.parts {
                                e.add_country_to(field, part);
                            }
                        }
                    }
                }
                for v in &f.values {
                    e.add_country_to(field, v);
                }
            }
            "Gender" => {
                for v in &f.values {
                    match Gender::parse(v) {
                        Some(g) => e.gender = Some(g),
                        None => e.remarks.push(format!("Gender: {v}")),
                    }
                }
            }
            _ => {
                let mut values = f.values.clone();
                if let Some(p) = &f.period {
                    values.extend(period_dates(p).iter().map(|d| d.to_string()));
                }
                for loc in &locations {
                    let mut parts = loc.parts.clone();
                    if let Some((_, name)) = location_country(&self.refs, loc) {
                        parts.push(name.clone());
                    }
                    values.push(parts.join(", "));
                }
                for v in values.iter().filter(|v| !v.is_empty()) {
                    ofac_remarks::apply_labelled(e, label, v, None);
                }
            }
        }
        if let Some(c) = f.comment {
            e.remarks.push(format!("{label}: {c}"));
        }
    }

    fn finish_profile(&mut self) {
        let Some(mut party) = self.party.take() else {
            return;
        };
        if let Some(c) = self.party_comment.take() {
            party.entity.remarks.push(c);
        }
        self.records += 1;
        let id: u64 = party.entity.source_id.parse().unwrap_or_default();
        self.index.insert(id, self.entities.len());
        self.entities.push(party.entity);
    }

    fn apply_entry(&mut self, entry: EntryBuf) {
        if let Some(list) = entry.list_id.and_then(|l| self.refs.list.get(&l)) {
            *self.lists.entry(list.clone()).or_default() += 1;
        }
        let Some(&i) = entry.profile.and_then(|p| self.index.get(&p)) else {
            return;
        };
        let e = &mut self.entities[i];
        for p in entry.programs {
            if !e.programs.contains(&p) {
                e.programs.push(p);
            }
        }
        if let [Some(y), m, d] = entry.date {
            let date = date(y, m, d);
            if let Some(date) = date {
                if e.listed_on.is_none_or(|old| date < old) {
                    e.listed_on = Some(date);
                }
            }
        }
    }

    fn finish(mut self, sink: &mut Sink<'_>) -> Result<ListInfo, ListError> {
        // Relations become remarks naming the other party, as OFAC's `Linked To:` remarks do.
        for (from, to, kind) in std::mem::take(&mut self.relations) {
            let (Some(&f), Some(&t)) = (self.index.get(&from), self.index.get(&to)) else {
                continue;
            };
            let label = kind
                .and_then(|k| self.refs.relation_type.get(&k))
                .map(String::as_str)
                .unwrap_or("Linked To");
            let remark = format!("{label}: {}", self.entities[t].caption());
            if !self.entities[f].remarks.contains(&remark) {
                self.entities[f].remarks.push(remark);
            }
        }
        // A file is the SDN list unless most of its sanctions entries are on other lists
        // (CONS_ADVANCED.XML).
        let sdn = self
            .lists
            .iter()
            .filter(|(name, _)| name.as_str() == "SDN List")
            .map(|(_, n)| *n)
            .sum::<usize>();
        let total: usize = self.lists.values().sum();
        let dataset = if total > 0 && sdn * 2 < total {
            DATASET_CONS
        } else {
            DATASET_SDN
        };
        let issued = match self.issued {
            [Some(y), m, d] => date(y, m, d).map(|d| d.to_iso()),
            _ => None,
        };
        let mut info = ListInfo {
            dataset: dataset.to_string(),
            issued,
            records: self.records,
            entities: 0,
        };
        for mut e in self.entities {
            if e.source != dataset {
                e.source = dataset.to_string();
            }
            info.entities += 1;
            sink(e)?;
        }
        Ok(info)
    }
}

fn location_country<'a>(refs: &'a Refs, loc: &Loc) -> Option<&'a (Option<String>, String)> {
    let id = loc
        .country_id
        .or_else(|| loc.area_id.and_then(|a| refs.area_country.get(&a).copied()))?;
    refs.country.get(&id)
}

/// `LAST, First Middle` for a Latin person name whose parts are typed.
fn last_first(parts: &[NamePart], groups: &HashMap<u32, u32>, refs: &Refs) -> Option<String> {
    if parts.len() < 2 {
        return None;
    }
    let type_of = |p: &NamePart| {
        p.group
            .and_then(|g| groups.get(&g))
            .and_then(|t| refs.name_part_type.get(t))
            .map(String::as_str)
    };
    let last = parts.iter().find(|p| type_of(p) == Some("Last Name"))?;
    let rest: Vec<&str> = parts
        .iter()
        .filter(|p| !std::ptr::eq(*p, last))
        .map(|p| p.value.as_str())
        .filter(|v| !v.is_empty())
        .collect();
    (!rest.is_empty()).then(|| format!("{}, {}", last.value, rest.join(" ")))
}

/// A calendar date from the file's numbers; `None` when they are no date.
fn date(year: u16, month: Option<u16>, day: Option<u16>) -> Option<PartialDate> {
    let month = month.map(u8::try_from).transpose().ok()?;
    let day = day.map(u8::try_from).transpose().ok()?;
    PartialDate::new(year, month, day)
}

/// The dates a period stands for: one date at day, month or year precision when the period
/// is one day, month or year; each year of a range of years (at most 15); nothing otherwise.
fn period_dates(p: &Period) -> Vec<PartialDate> {
    let first = p.slots[0];
    let last = if p.slots[3][0].is_some() {
        p.slots[3]
    } else {
        p.slots[0]
    };
    let (Some(y1), Some(y2)) = (first[0], last[0]) else {
        return Vec::new();
    };
    let (m1, d1) = (first[1].unwrap_or(1), first[2].unwrap_or(1));
    let (m2, d2) = (last[1].unwrap_or(12), last[2].unwrap_or(31));
    let whole_years = m1 == 1 && d1 == 1 && m2 == 12 && d2 == 31;
    let out: Vec<PartialDate> = if (y1, m1, d1) == (y2, m2, d2) {
        date(y1, Some(m1), Some(d1)).into_iter().collect()
    } else if whole_years && y1 <= y2 && y2 - y1 <= 15 {
        (y1..=y2).map(PartialDate::year).collect()
    } else if y1 == y2 && m1 == m2 && d1 == 1 {
        date(y1, Some(m1), None).into_iter().collect()
    } else {
        // An unusual span: keep its start.
        date(y1, Some(m1), Some(d1)).into_iter().collect()
    };
    out.into_iter()
        .map(|d| d.with_circa(p.approximate))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use interdict_model::IdKind;

    /// A cut-down SDN_ADVANCED.XML with ZHAO Guangzong (47814) as OFAC publishes him, plus a
    /// relation to a second party.
    const SAMPLE: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<Sanctions xmlns="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ADVANCED_XML">
  <DateOfIssue CalendarTypeID="1"><Year>2025</Year><Month>11</Month><Day>19</Day></DateOfIssue>
  <ReferenceValueSets>
    <AliasTypeValues><AliasType ID="1400">A.K.A.</AliasType><AliasType ID="1403">Name</AliasType></AliasTypeValues>
    <CountryValues><Country ID="11082" ISO2="CN">China</Country></CountryValues>
    <DetailReferenceValues><DetailReference ID="91526">Male</DetailReference></DetailReferenceValues>
    <FeatureTypeValues>
      <FeatureType ID="8" FeatureTypeGroupID="1">Birthdate</FeatureType>
      <FeatureType ID="9" FeatureTypeGroupID="1">Place of Birth</FeatureType>
      <FeatureType ID="10" FeatureTypeGroupID="1">Nationality Country</FeatureType>
      <FeatureType ID="224" FeatureTypeGroupID="1">Gender</FeatureType>
      <FeatureType ID="25" FeatureTypeGroupID="1">Location</FeatureType>
      <FeatureType ID="344" FeatureTypeGroupID="1">Digital Currency Address - XBT</FeatureType>
    </FeatureTypeValues>
    <IDRegDocTypeValues><IDRegDocType ID="1584">National ID No.</IDRegDocType></IDRegDocTypeValues>
    <ListValues><List ID="1550">SDN List</List></ListValues>
    <NamePartTypeValues><NamePartType ID="1520">Last Name</NamePartType><NamePartType ID="1521">First Name</NamePartType><NamePartType ID="1525">Entity Name</NamePartType></NamePartTypeValues>
    <PartySubTypeValues><PartySubType ID="3" PartyTypeID="2">Unknown</PartySubType><PartySubType ID="4" PartyTypeID="1">Unknown</PartySubType></PartySubTypeValues>
    <PartyTypeValues><PartyType ID="1">Individual</PartyType><PartyType ID="2">Entity</PartyType></PartyTypeValues>
    <RelationTypeValues><RelationType ID="1555" Symmetrical="false">Associate Of</RelationType></RelationTypeValues>
    <SanctionsTypeValues><SanctionsType ID="1705">Block</SanctionsType><SanctionsType ID="1">Program</SanctionsType></SanctionsTypeValues>
    <ScriptValues><Script ID="501" ScriptCode="Hans">Chinese Simplified</Script><Script ID="215" ScriptCode="Latin">Latin</Script></ScriptValues>
  </ReferenceValueSets>
  <Locations>
    <Location ID="186065"><LocationCountry CountryID="11082" CountryRelevanceID="1413" /></Location>
    <Location ID="71547">
      <LocationCountry CountryID="11082" CountryRelevanceID="1413" />
      <LocationPart LocPartTypeID="1455">
        <LocationPartValue Primary="true"><Comment /><Value>Hubei Province</Value></LocationPartValue>
        <LocationPartValue Primary="false"><Comment>Chinese</Comment><Value>湖北省</Value></LocationPartValue>
      </LocationPart>
    </Location>
  </Locations>
  <IDRegDocuments>
    <IDRegDocument ID="9" IDRegDocTypeID="1584" IdentityID="39438" IssuedBy-CountryID="11082" ValidityID="1">
      <Comment /><IDRegistrationNo>421003198511121539</IDRegistrationNo>
    </IDRegDocument>
  </IDRegDocuments>
  <DistinctParties>
    <DistinctParty FixedRef="47814">
      <Comment />
      <Profile ID="47814" PartySubTypeID="4">
        <Identity ID="39438" FixedRef="47814" Primary="true" False="false">
          <Alias FixedRef="47814" AliasTypeID="1403" Primary="true" LowQuality="false">
            <DocumentedName ID="72568" FixedRef="47814" DocNameStatusID="1">
              <DocumentedNamePart><NamePartValue NamePartGroupID="126168" ScriptID="215">Zhao</NamePartValue></DocumentedNamePart>
              <DocumentedNamePart><NamePartValue NamePartGroupID="126169" ScriptID="215">Guangzong</NamePartValue></DocumentedNamePart>
            </DocumentedName>
            <DocumentedName ID="72570" FixedRef="47814" DocNameStatusID="2">
              <DocumentedNamePart><NamePartValue NamePartGroupID="126171" ScriptID="501">赵</NamePartValue></DocumentedNamePart>
              <DocumentedNamePart><NamePartValue NamePartGroupID="126172" ScriptID="501">光宗</NamePartValue></DocumentedNamePart>
            </DocumentedName>
          </Alias>
          <Alias FixedRef="47814" AliasTypeID="1400" Primary="false" LowQuality="true">
            <DocumentedName ID="1" FixedRef="47814" DocNameStatusID="2">
              <DocumentedNamePart><NamePartValue NamePartGroupID="9" ScriptID="215">zhaogz</NamePartValue></DocumentedNamePart>
            </DocumentedName>
          </Alias>
          <NamePartGroups>
            <MasterNamePartGroup><NamePartGroup ID="126168" NamePartTypeID="1520" /></MasterNamePartGroup>
            <MasterNamePartGroup><NamePartGroup ID="126169" NamePartTypeID="1521" /></MasterNamePartGroup>
          </NamePartGroups>
        </Identity>
        <Feature ID="69298" FeatureTypeID="8">
          <FeatureVersion ID="66977" ReliabilityID="1560">
            <DatePeriod CalendarTypeID="1">
              <Start Approximate="false"><From><Year>1985</Year><Month>11</Month><Day>12</Day></From><To><Year>1985</Year><Month>11</Month><Day>12</Day></To></Start>
              <End Approximate="false"><From><Year>1985</Year><Month>11</Month><Day>12</Day></From><To><Year>1985</Year><Month>11</Month><Day>12</Day></To></End>
            </DatePeriod>
          </FeatureVersion>
        </Feature>
        <Feature ID="1" FeatureTypeID="224"><FeatureVersion ID="1"><VersionDetail DetailTypeID="1431" DetailReferenceID="91526" /></FeatureVersion></Feature>
        <Feature ID="2" FeatureTypeID="10"><FeatureVersion ID="2"><VersionLocation LocationID="186065" /></FeatureVersion></Feature>
        <Feature ID="3" FeatureTypeID="9"><FeatureVersion ID="3"><VersionDetail DetailTypeID="1432">Jingzhou Municipality, China</VersionDetail></FeatureVersion></Feature>
        <Feature ID="4" FeatureTypeID="344"><FeatureVersion ID="4"><VersionDetail DetailTypeID="1432">1ABCxyz</VersionDetail></FeatureVersion></Feature>
        <Feature ID="5" FeatureTypeID="25"><FeatureVersion ID="5"><VersionLocation LocationID="71547" /></FeatureVersion></Feature>
      </Profile>
    </DistinctParty>
    <DistinctParty FixedRef="47800">
      <Comment>all offices worldwide</Comment>
      <Profile ID="47800" PartySubTypeID="3">
        <Identity ID="39424" FixedRef="47800" Primary="true" False="false">
          <Alias FixedRef="47800" AliasTypeID="1403" Primary="true" LowQuality="false">
            <DocumentedName ID="72525" FixedRef="47800" DocNameStatusID="1">
              <DocumentedNamePart><NamePartValue NamePartGroupID="126116" ScriptID="215">Wuhan Xiaoruizhi Science and Technology Company, Limited</NamePartValue></DocumentedNamePart>
            </DocumentedName>
          </Alias>
        </Identity>
      </Profile>
    </DistinctParty>
  </DistinctParties>
  <ProfileRelationships>
    <ProfileRelationship ID="1" From-ProfileID="47814" To-ProfileID="47800" RelationTypeID="1555" />
  </ProfileRelationships>
  <SanctionsEntries>
    <SanctionsEntry ID="47814" ProfileID="47814" ListID="1550">
      <EntryEvent ID="47814" EntryEventTypeID="1" LegalBasisID="91711"><Comment /><Date CalendarTypeID="1"><Year>2024</Year><Month>3</Month><Day>25</Day></Date></EntryEvent>
      <SanctionsMeasure ID="40398" SanctionsTypeID="1705"><DatePeriod CalendarTypeID="1" /></SanctionsMeasure>
      <SanctionsMeasure ID="176183" SanctionsTypeID="1"><Comment>CYBER2</Comment></SanctionsMeasure>
    </SanctionsEntry>
  </SanctionsEntries>
</Sanctions>
"#;

    #[test]
    fn parties_with_names_features_documents_and_programmes() {
        let mut es = Vec::new();
        let info = read_reader(SAMPLE.as_bytes(), Path::new("sample.xml"), &mut |e| {
            es.push(e);
            Ok(())
        })
        .unwrap();
        assert_eq!(info.issued.as_deref(), Some("2025-11-19"));
        assert_eq!(info.dataset, "us_ofac_sdn");
        assert_eq!(es.len(), 2);
        let zhao = &es[0];
        assert_eq!(zhao.id, "ofac-47814");
        assert_eq!(zhao.schema, Schema::Person);
        let names: Vec<(&str, NameKind)> = zhao
            .names
            .iter()
            .map(|n| (n.value.as_str(), n.kind))
            .collect();
        assert_eq!(
            names,
            [
                ("Zhao, Guangzong", NameKind::Primary),
                ("Zhao Guangzong", NameKind::Primary),
                ("赵光宗", NameKind::OriginalScript),
                ("zhaogz", NameKind::WeakAlias),
            ]
        );
        assert_eq!(zhao.birth_dates[0].to_iso(), "1985-11-12");
        assert_eq!(zhao.birth_places, ["Jingzhou Municipality, China"]);
        assert_eq!(zhao.gender, Some(Gender::Male));
        assert_eq!(zhao.nationalities, ["cn"]);
        assert_eq!(zhao.addresses[0].full, "Hubei Province, China");
        let id = &zhao.identifiers[0];
        assert_eq!(
            (id.kind, id.value.as_str()),
            (IdKind::NationalId, "421003198511121539")
        );
        assert_eq!(id.country.as_deref(), Some("cn"));
        assert_eq!(zhao.identifiers[1].currency.as_deref(), Some("XBT"));
        assert_eq!(zhao.programs, ["CYBER2"]);
        assert_eq!(
            zhao.listed_on.map(|d| d.to_iso()).as_deref(),
            Some("2024-03-25")
        );
        assert_eq!(
            zhao.remarks,
            ["Associate Of: Wuhan Xiaoruizhi Science and Technology Company, Limited"]
        );
        let wuhan = &es[1];
        assert_eq!(wuhan.schema, Schema::Organization);
        assert_eq!(wuhan.remarks, ["all offices worldwide"]);
    }

    #[test]
    fn broken_documents() {
        let read = |bytes: &[u8]| read_reader(bytes, Path::new("x.xml"), &mut |_| Ok(()));
        let cut = &SAMPLE.as_bytes()[..SAMPLE.len() / 2];
        assert!(matches!(read(cut), Err(ListError::Syntax { .. })));
        assert!(matches!(read(b""), Err(ListError::Empty { .. })));
        assert!(matches!(
            read(b"<sdnList/>"),
            Err(ListError::UnknownFormat { .. })
        ));
        assert!(matches!(
            read(b"<Sanctions><a></b></Sanctions>"),
            Err(ListError::Syntax { .. })
        ));
    }

    fn period(slots: [[u16; 3]; 4], approximate: bool) -> Vec<String> {
        let p = Period {
            approximate,
            slots: slots.map(|s| s.map(Some)),
        };
        period_dates(&p).iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn periods() {
        let day = [1948, 12, 10];
        assert_eq!(period([day; 4], false), ["1948-12-10"]);
        let (jan1, dec31) = ([1946, 1, 1], [1946, 12, 31]);
        assert_eq!(period([jan1, jan1, dec31, dec31], true), ["circa 1946"]);
        assert_eq!(
            period(
                [[1955, 1, 1], [1955, 12, 31], [1957, 1, 1], [1957, 12, 31]],
                false
            ),
            ["1955", "1956", "1957"]
        );
        let (m1, m2) = ([1970, 4, 1], [1970, 4, 30]);
        assert_eq!(period([m1, m1, m2, m2], false), ["1970-04"]);
    }
}
