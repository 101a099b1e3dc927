//! EU Financial Sanctions File (FSF), XML 1.1.
//!
//! Root `export` (namespace `http://eu.europa.ec/fpi/fsd/export`, attribute `generationDate`)
//! holding one `sanctionEntity` per listed party. Nearly everything is in attributes:
//! `nameAlias@wholeName` (one per language and spelling), `citizenship@countryIso2Code`,
//! `birthdate`, `identification`, `address` (with `contactInfo` children) and `regulation`.
//! The country code `00` means "unknown" and is ignored.

use std::io::BufRead;
use std::path::Path;

use interdict_model::entity::CountryField;
use interdict_model::name::is_non_latin;
use interdict_model::{Address, Entity, Gender, IdKind, Identifier, NameKind, PartialDate, Schema};

use crate::error::ListError;
use crate::input;
use crate::un::xml::{Element, Event, XmlStream};
use crate::{ListInfo, Sink};

pub const DATASET: &str = "eu_fsf";

/// Name statistics of one read, for checking a file against its published figures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NameStats {
    /// `nameAlias` elements with a non-blank `wholeName`.
    pub name_aliases: usize,
    /// Those of them written in a non-Latin script (kept as [`NameKind::OriginalScript`]).
    pub non_latin: usize,
}

pub fn read(path: &Path, sink: &mut Sink<'_>) -> Result<ListInfo, ListError> {
    read_reader(input::open(path)?, path, sink)
}

/// Reads EU FSF XML from any buffered reader; `path` only labels errors.
pub fn read_reader<R: BufRead>(
    reader: R,
    path: &Path,
    sink: &mut Sink<'_>,
) -> Result<ListInfo, ListError> {
    read_with_stats(reader, path, sink).map(|(info, _)| info)
}

/// Like [`read_reader`], also counting names.
pub fn read_with_stats<R: BufRead>(
    reader: R,
    path: &Path,
    sink: &mut Sink<'_>,
) -> Result<(ListInfo, NameStats), ListError> {
    let mut xml = XmlStream::new(reader, path);
    let mut info = ListInfo {
        dataset: DATASET.to_string(),
        ..ListInfo::default()
    };
    let mut stats = NameStats::default();
    while let Some(event) = xml.next_event()? {
        let Event::Open(start) = event else {
            continue;
        };
        match (xml.depth(), start.name.as_str()) {
            (1, "export") => {
                info.issued = start.attr("generationDate").and_then(crate::un::iso_date);
            }
            (1, other) => {
                return Err(ListError::UnknownFormat {
                    path: path.to_path_buf(),
                    detail: format!("expected root element export, found <{other}>"),
                })
            }
            (2, "sanctionEntity") => {
                let el = xml.read_element(start)?;
                info.records += 1;
                let entity = convert(&el, path, &mut stats)?;
                sink(entity)?;
                info.entities += 1;
            }
            _ => {}
        }
    }
    Ok((info, stats))
}

/// An ISO 3166 alpha-2 code attribute, lowercased; `00` (unknown) gives `None`.
fn iso2(el: &Element) -> Option<String> {
    el.attr("countryIso2Code")
        .filter(|c| c.len() == 2 && *c != "00")
        .map(str::to_ascii_lowercase)
}

fn convert(el: &Element, path: &Path, stats: &mut NameStats) -> Result<Entity, ListError> {
    let logical_id = el.attr("logicalId").ok_or_else(|| {
        ListError::field(
            path,
            input::position(path, el.offset),
            "logicalId",
            "sanctionEntity without logicalId",
        )
    })?;
    let schema = match el.child("subjectType").and_then(|s| s.attr("code")) {
        Some("person") => Schema::Person,
        Some("enterprise") => Schema::Organization,
        _ => Schema::LegalEntity,
    };
    let mut e = Entity::new(format!("eu-{logical_id}"), schema, DATASET, logical_id);

    read_names(&mut e, el, stats);
    for c in el.children("citizenship") {
        match iso2(c) {
            Some(code) if !e.citizenships.contains(&code) => e.citizenships.push(code),
            Some(_) => {}
            None => {
                if let Some(name) = c.attr("countryDescription").filter(|d| *d != "UNKNOWN") {
                    e.add_country_to(CountryField::Citizenship, name);
                }
            }
        }
    }
    for b in el.children("birthdate") {
        read_birth_date(&mut e, b);
    }
    for id in el.children("identification") {
        read_identification(&mut e, id);
    }
    for a in el.children("address") {
        read_address(&mut e, a);
    }
    for reg in el.children("regulation") {
        if let Some(p) = reg.attr("programme") {
            if !e.programs.iter().any(|x| x == p) {
                e.programs.push(p.to_string());
            }
        }
        // The earliest publication among the regulations is when the party was listed.
        if let Some(d) = reg.attr("publicationDate").and_then(|d| d.parse().ok()) {
            if e.listed_on.is_none_or(|cur| d < cur) {
                e.listed_on = Some(d);
            }
        }
    }
    if let Some(r) = el.attr("euReferenceNumber") {
        e.remarks.push(format!("EU reference number: {r}"));
    }
    if let Some(un) = el.attr("unitedNationId") {
        e.remarks.push(format!("UN reference number: {un}"));
    }
    for remark in el.child_texts("remark") {
        e.remarks.push(remark.to_string());
    }
    Ok(e)
}

/// The first Latin-script name is the primary one; non-Latin names are kept as original
/// script, names marked `strong="false"` as weak aliases, the rest as aliases.
fn read_names(e: &mut Entity, el: &Element, stats: &mut NameStats) {
    let aliases: Vec<(&Element, &str)> = el
        .children("nameAlias")
        .filter_map(|a| a.attr("wholeName").map(|n| (a, n)))
        .collect();
    let primary = aliases
        .iter()
        .position(|(_, n)| !is_non_latin(n))
        .unwrap_or(0);
    for (i, (alias, name)) in aliases.iter().enumerate() {
        stats.name_aliases += 1;
        let non_latin = is_non_latin(name);
        let kind = if non_latin {
            stats.non_latin += 1;
            NameKind::OriginalScript
        } else if i == primary {
            NameKind::Primary
        } else if alias.attr("strong") == Some("false") {
            NameKind::WeakAlias
        } else {
            NameKind::Alias
        };
        e.add_name(name, kind);
        if let Some(lang) = alias.attr("nameLanguage") {
            if let Some(n) = e.names.iter_mut().find(|n| n.value == name.trim()) {
                n.lang.get_or_insert_with(|| lang.to_ascii_lowercase());
            }
        }
        if e.gender.is_none() {
            e.gender = alias.attr("gender").and_then(Gender::parse);
        }
        if let Some(function) = alias.attr("function") {
            let remark = format!("function: {function}");
            if !e.remarks.contains(&remark) {
                e.remarks.push(remark);
            }
        }
    }
}

fn read_birth_date(e: &mut Entity, b: &Element) {
    let circa = b.attr("circa") == Some("true");
    let num = |k: &str| b.attr(k).and_then(|v| v.parse::<u16>().ok());
    let full = b
        .attr("birthdate")
        .and_then(|d| d.parse::<PartialDate>().ok());
    let date = full.or_else(|| {
        PartialDate::new(
            num("year")?,
            num("monthOfYear").and_then(|m| u8::try_from(m).ok()),
            num("dayOfMonth").and_then(|d| u8::try_from(d).ok()),
        )
    });
    if let Some(d) = date {
        e.add_birth_date(d.with_circa(circa));
    } else if let (Some(from), Some(to)) = (num("yearRangeFrom"), num("yearRangeTo")) {
        let range = format!("{from} to {to}");
        let years = PartialDate::parse_loose(&range);
        if years.is_empty() {
            e.remarks.push(format!("date of birth: {range}"));
        }
        for y in years {
            e.add_birth_date(y.with_circa(circa));
        }
    }
    let country = b.attr("countryDescription").filter(|c| *c != "UNKNOWN");
    let place: Vec<&str> = [b.attr("city"), b.attr("place"), b.attr("region"), country]
        .into_iter()
        .flatten()
        .collect();
    if !place.is_empty() {
        let place = place.join(", ");
        if !e.birth_places.contains(&place) {
            e.birth_places.push(place);
        }
    }
}

fn read_identification(e: &mut Entity, el: &Element) {
    let Some(number) = el.attr("number").or_else(|| el.attr("latinNumber")) else {
        return;
    };
    let code = el.attr("identificationTypeCode").unwrap_or_default();
    let kind = match code {
        "passport" => IdKind::Passport,
        "id" | "ssn" => IdKind::NationalId,
        "regnumber" => IdKind::Registration,
        "fiscalcode" => IdKind::TaxId,
        "imo" => IdKind::Imo,
        "swiftbic" => IdKind::SwiftBic,
        _ => IdKind::Other,
    };
    let mut id = Identifier::new(kind, number);
    id.country = iso2(el);
    id.label = el.attr("identificationTypeDescription").map(String::from);
    e.add_identifier(id);
}

fn read_address(e: &mut Entity, el: &Element) {
    let country = el.attr("countryDescription").filter(|c| *c != "UNKNOWN");
    let parts: Vec<&str> = [
        el.attr("street"),
        el.attr("poBox"),
        el.attr("city"),
        el.attr("zipCode"),
        el.attr("region"),
        el.attr("place"),
        country,
    ]
    .into_iter()
    .flatten()
    .collect();
    let code = iso2(el);
    if let Some(c) = &code {
        if !e.countries.contains(c) {
            e.countries.push(c.clone());
        }
    }
    if !parts.is_empty() {
        let address = Address {
            full: parts.join(", "),
            country: code,
        };
        if !e.addresses.contains(&address) {
            e.addresses.push(address);
        }
    }
    for contact in el.children("contactInfo") {
        let Some(value) = contact.attr("value") else {
            continue;
        };
        let kind = match contact.attr("key") {
            Some("EMAIL") => IdKind::Email,
            Some("WEB") => IdKind::Website,
            Some("PHONE") => IdKind::Phone,
            Some("FAX") => {
                let mut fax = Identifier::new(IdKind::Phone, value);
                fax.label = Some("fax".into());
                e.add_identifier(fax);
                continue;
            }
            _ => IdKind::Other,
        };
        e.add_identifier(Identifier::new(kind, value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2024-05-13T17:44:28.283+02:00">
  <sanctionEntity euReferenceNumber="EU.1.1" logicalId="13">
    <remark>Some remark</remark>
    <regulation publicationDate="2014-03-17" programme="UKR"/>
    <regulation publicationDate="2022-02-23" programme="RUS"/>
    <subjectType code="person" classificationCode="P"/>
    <nameAlias wholeName="Ivan Ivanov" gender="M" nameLanguage="" strong="true" function="Minister"/>
    <nameAlias wholeName="Иван Иванов" nameLanguage="RU" strong="true"/>
    <nameAlias wholeName="Vanya" nameLanguage="EN" strong="false"/>
    <citizenship countryIso2Code="RU" countryDescription="RUSSIAN FEDERATION"/>
    <birthdate circa="false" birthdate="1960-01-02" dayOfMonth="2" monthOfYear="1" year="1960" city="Moscow" countryIso2Code="RU" countryDescription="RUSSIAN FEDERATION"/>
    <birthdate circa="true" yearRangeFrom="1961" yearRangeTo="1962" countryIso2Code="00" countryDescription="UNKNOWN"/>
    <identification number="1234" identificationTypeCode="passport" identificationTypeDescription="National passport" countryIso2Code="RU"/>
    <address city="Moscow" street="Red Square 1" countryIso2Code="RU" countryDescription="RUSSIAN FEDERATION">
      <contactInfo key="EMAIL" value="ivan@example.org"/>
    </address>
  </sanctionEntity>
  <sanctionEntity logicalId="14"><subjectType code="enterprise"/><nameAlias wholeName="ACME" strong="true"/></sanctionEntity>
</export>
"#;

    fn load(xml: &[u8]) -> Result<(ListInfo, NameStats, Vec<Entity>), ListError> {
        let mut out = Vec::new();
        let (info, stats) = read_with_stats(xml, Path::new("eu.xml"), &mut |e| {
            out.push(e);
            Ok(())
        })?;
        Ok((info, stats, out))
    }

    #[test]
    fn reads_entities() {
        let (info, stats, es) = load(SAMPLE.as_bytes()).unwrap();
        assert_eq!(info.issued.as_deref(), Some("2024-05-13"));
        assert_eq!(info.entities, 2);
        assert_eq!(
            stats,
            NameStats {
                name_aliases: 4,
                non_latin: 1
            }
        );
        let p = &es[0];
        assert_eq!(p.id, "eu-13");
        assert_eq!(p.schema, Schema::Person);
        assert_eq!(p.caption(), "Ivan Ivanov");
        assert_eq!(p.names[1].kind, NameKind::OriginalScript);
        assert_eq!(p.names[1].lang.as_deref(), Some("ru"));
        assert_eq!(p.names[2].kind, NameKind::WeakAlias);
        assert_eq!(p.gender, Some(Gender::Male));
        assert_eq!(p.citizenships, ["ru"]);
        let dobs: Vec<_> = p.birth_dates.iter().map(|d| d.to_string()).collect();
        assert_eq!(dobs, ["1960-01-02", "circa 1961", "circa 1962"]);
        assert_eq!(p.birth_places, ["Moscow, RUSSIAN FEDERATION"]);
        assert_eq!(p.identifiers[0].kind, IdKind::Passport);
        assert_eq!(p.identifiers[0].country.as_deref(), Some("ru"));
        assert_eq!(p.identifiers[1].kind, IdKind::Email);
        assert_eq!(p.programs, ["UKR", "RUS"]);
        assert_eq!(
            p.listed_on.map(|d| d.to_iso()).as_deref(),
            Some("2014-03-17")
        );
        assert_eq!(es[1].schema, Schema::Organization);
    }

    #[test]
    fn bad_input() {
        let cut = &SAMPLE.as_bytes()[..SAMPLE.len() - 40];
        let err = load(cut).unwrap_err().to_string();
        assert!(err.contains("eu.xml") && err.contains("truncated"), "{err}");
        assert!(matches!(load(b""), Err(ListError::Empty { .. })));
        let err = load(b"<export><sanctionEntity logicalId=\"1\"></export>")
            .unwrap_err()
            .to_string();
        assert!(err.contains("malformed XML"), "{err}");
    }
}
