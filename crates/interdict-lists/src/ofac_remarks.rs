//! OFAC's labelled values: the remarks column of SDN.CSV and the `idType` labels of the XML
//! exports.
//!
//! OFAC writes structured data as `Label value` items, e.g. `DOB 16 Sep 1952; POB Baghdad,
//! Iraq; Passport A123 (Iraq); alt. Passport B456 (Iraq); a.k.a. 'ABU X'`. One table,
//! [`LABELS`], maps each label to the entity field it fills; the same table classifies the
//! classic XML's `idType` and the Advanced XML's feature and document type names.
//!
//! Nothing is lost: an item whose label is not in the table, or whose value cannot be parsed
//! (a date that is no date, an identifier followed by more text), stays in `remarks` verbatim.

use interdict_model::entity::CountryField;
use interdict_model::{country, Entity, Gender, IdKind, Identifier, NameKind, PartialDate};

/// Where a labelled value goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    BirthDate,
    BirthPlace,
    Nationality,
    Citizenship,
    /// A country of registration or a flag.
    Country,
    Gender,
    /// An identifier, written `VALUE` or `VALUE (Country)`.
    Id(IdKind),
    /// `Digital Currency Address - XBT addr`: the currency is the end of the label.
    Crypto,
    /// A name in single quotes: `a.k.a. 'NAME'`.
    Name(NameKind),
}

/// The prefix of every crypto-address label; the currency code follows it.
pub const CRYPTO_PREFIX: &str = "Digital Currency Address - ";

/// OFAC labels and their fields. Matching ignores ASCII case; the longest matching label wins,
/// so `Vessel Registration Identification` is not mistaken for `Registration ...`.
pub static LABELS: &[(&str, Field)] = &[
    // Personal data.
    ("DOB", Field::BirthDate),
    ("POB", Field::BirthPlace),
    ("Place of Birth", Field::BirthPlace),
    ("Birthdate", Field::BirthDate),
    ("nationality", Field::Nationality),
    ("citizen", Field::Citizenship),
    ("Gender", Field::Gender),
    ("Nationality of Registration", Field::Country),
    ("Registration Country", Field::Country),
    ("Vessel Flag", Field::Country),
    // Names.
    ("a.k.a.", Field::Name(NameKind::WeakAlias)),
    ("f.k.a.", Field::Name(NameKind::Previous)),
    ("n.k.a.", Field::Name(NameKind::Alias)),
    // Passports and travel documents.
    ("Passport", Field::Id(IdKind::Passport)),
    ("Diplomatic Passport", Field::Id(IdKind::Passport)),
    (
        "British National Overseas Passport",
        Field::Id(IdKind::Passport),
    ),
    ("Stateless Person Passport", Field::Id(IdKind::Passport)),
    ("Travel Document Number", Field::Id(IdKind::Passport)),
    // Personal identity numbers.
    ("National ID No.", Field::Id(IdKind::NationalId)),
    ("Identification Number", Field::Id(IdKind::NationalId)),
    ("Cedula No.", Field::Id(IdKind::NationalId)),
    ("C.U.R.P.", Field::Id(IdKind::NationalId)),
    ("D.N.I.", Field::Id(IdKind::NationalId)),
    ("SSN", Field::Id(IdKind::NationalId)),
    ("Personal ID Card", Field::Id(IdKind::NationalId)),
    ("National Foreign ID Number", Field::Id(IdKind::NationalId)),
    (
        "Turkish Identification Number",
        Field::Id(IdKind::NationalId),
    ),
    ("Citizen's Card Number", Field::Id(IdKind::NationalId)),
    ("Kenyan ID No.", Field::Id(IdKind::NationalId)),
    ("Tazkira National ID Card", Field::Id(IdKind::NationalId)),
    ("Numero de Identidad", Field::Id(IdKind::NationalId)),
    ("UAE Identification", Field::Id(IdKind::NationalId)),
    ("Bosnian Personal ID No.", Field::Id(IdKind::NationalId)),
    ("Moroccan Personal ID No.", Field::Id(IdKind::NationalId)),
    (
        "CNP (Personal Numerical Code)",
        Field::Id(IdKind::NationalId),
    ),
    ("C.U.I.", Field::Id(IdKind::NationalId)),
    ("C.U.I.P.", Field::Id(IdKind::NationalId)),
    ("C.I.N.", Field::Id(IdKind::NationalId)),
    ("N.I.E.", Field::Id(IdKind::NationalId)),
    ("Electoral Registry No.", Field::Id(IdKind::NationalId)),
    ("Credencial electoral", Field::Id(IdKind::NationalId)),
    ("I.F.E.", Field::Id(IdKind::NationalId)),
    ("Residency Number", Field::Id(IdKind::NationalId)),
    ("Refugee ID Card", Field::Id(IdKind::NationalId)),
    ("Stateless Person ID Card", Field::Id(IdKind::NationalId)),
    ("Birth Certificate Number", Field::Id(IdKind::NationalId)),
    ("Romanian Permanent Resident", Field::Id(IdKind::NationalId)),
    // Tax numbers.
    ("Tax ID No.", Field::Id(IdKind::TaxId)),
    ("V.A.T. Number", Field::Id(IdKind::TaxId)),
    ("R.F.C.", Field::Id(IdKind::TaxId)),
    ("RFC", Field::Id(IdKind::TaxId)),
    ("NIT #", Field::Id(IdKind::TaxId)),
    ("RUC #", Field::Id(IdKind::TaxId)),
    ("RIF #", Field::Id(IdKind::TaxId)),
    ("RTN", Field::Id(IdKind::TaxId)),
    ("US FEIN", Field::Id(IdKind::TaxId)),
    ("C.U.I.T.", Field::Id(IdKind::TaxId)),
    ("C.I.F.", Field::Id(IdKind::TaxId)),
    ("N.I.F.", Field::Id(IdKind::TaxId)),
    ("Italian Fiscal Code", Field::Id(IdKind::TaxId)),
    ("Fiscal Code", Field::Id(IdKind::TaxId)),
    (
        "Paraguayan tax identification number",
        Field::Id(IdKind::TaxId),
    ),
    ("Romanian Tax Registration", Field::Id(IdKind::TaxId)),
    (
        "Numero Unico de Identificacao Tributaria (NUIT)",
        Field::Id(IdKind::TaxId),
    ),
    // Company and other registrations.
    ("Registration ID", Field::Id(IdKind::Registration)),
    ("Registration Number", Field::Id(IdKind::Registration)),
    (
        "Unified Social Credit Code (USCC)",
        Field::Id(IdKind::Registration),
    ),
    (
        "United Social Credit Code Certificate (USCCC)",
        Field::Id(IdKind::Registration),
    ),
    (
        "Business Registration Number",
        Field::Id(IdKind::Registration),
    ),
    (
        "Business Registration Document #",
        Field::Id(IdKind::Registration),
    ),
    ("Business Number", Field::Id(IdKind::Registration)),
    ("Company Number", Field::Id(IdKind::Registration)),
    ("UK Company Number", Field::Id(IdKind::Registration)),
    (
        "Commercial Registry Number",
        Field::Id(IdKind::Registration),
    ),
    ("Legal Entity Number", Field::Id(IdKind::Registration)),
    ("LE Number", Field::Id(IdKind::Registration)),
    ("D-U-N-S Number", Field::Id(IdKind::Registration)),
    (
        "Certificate of Incorporation Number",
        Field::Id(IdKind::Registration),
    ),
    (
        "Chamber of Commerce Number",
        Field::Id(IdKind::Registration),
    ),
    (
        "Public Registration Number",
        Field::Id(IdKind::Registration),
    ),
    ("Trade License No.", Field::Id(IdKind::Registration)),
    ("License", Field::Id(IdKind::Registration)),
    ("C.R. No.", Field::Id(IdKind::Registration)),
    ("Folio Mercantil No.", Field::Id(IdKind::Registration)),
    ("Matricula Mercantil No", Field::Id(IdKind::Registration)),
    ("Enterprise Number", Field::Id(IdKind::Registration)),
    (
        "Economic Register Number (CBLS)",
        Field::Id(IdKind::Registration),
    ),
    (
        "Central Registration System Number",
        Field::Id(IdKind::Registration),
    ),
    ("Government Gazette Number", Field::Id(IdKind::Registration)),
    ("Registered Charity No.", Field::Id(IdKind::Registration)),
    (
        "Dubai Chamber of Commerce Membership No.",
        Field::Id(IdKind::Registration),
    ),
    (
        "Istanbul Chamber of Comm. No.",
        Field::Id(IdKind::Registration),
    ),
    (
        "Registration Certificate Number (Dubai)",
        Field::Id(IdKind::Registration),
    ),
    (
        "Russian State Individual Business Registration Number Pattern (OGRNIP)",
        Field::Id(IdKind::Registration),
    ),
    ("MSB Registration Number", Field::Id(IdKind::Registration)),
    ("Romanian C.R.", Field::Id(IdKind::Registration)),
    ("Branch Unit Number", Field::Id(IdKind::Registration)),
    ("Organization Code", Field::Id(IdKind::Registration)),
    ("Permit Number", Field::Id(IdKind::Registration)),
    (
        "Afghan Money Service Provider License Number",
        Field::Id(IdKind::Registration),
    ),
    ("Tourism License No.", Field::Id(IdKind::Registration)),
    ("Chinese Commercial Code", Field::Id(IdKind::Registration)),
    ("Aircraft Tail Number", Field::Id(IdKind::Registration)),
    (
        "Previous Aircraft Tail Number",
        Field::Id(IdKind::Registration),
    ),
    // Banks, vessels, contact data.
    ("SWIFT/BIC", Field::Id(IdKind::SwiftBic)),
    ("Vessel Registration Identification", Field::Id(IdKind::Imo)),
    ("IMO", Field::Id(IdKind::Imo)),
    ("MMSI", Field::Id(IdKind::Mmsi)),
    ("Vessel Call Sign", Field::Id(IdKind::CallSign)),
    ("Other Vessel Call Sign", Field::Id(IdKind::CallSign)),
    ("Email Address", Field::Id(IdKind::Email)),
    ("Website", Field::Id(IdKind::Website)),
    ("Phone Number", Field::Id(IdKind::Phone)),
    // Other documents: kept as typed identifiers of kind Other, with OFAC's label.
    ("Driver's License No.", Field::Id(IdKind::Other)),
    ("Military Registration Number", Field::Id(IdKind::Other)),
    ("Pilot License Number", Field::Id(IdKind::Other)),
    (
        "Seafarer's Identification Document",
        Field::Id(IdKind::Other),
    ),
    ("Immigration No.", Field::Id(IdKind::Other)),
    (
        "Public Security and Immigration No.",
        Field::Id(IdKind::Other),
    ),
    ("VisaNumberID", Field::Id(IdKind::Other)),
    (
        "Cartilla de Servicio Militar Nacional",
        Field::Id(IdKind::Other),
    ),
    ("SRE Permit No.", Field::Id(IdKind::Other)),
    ("ISIN", Field::Id(IdKind::Other)),
    ("Aircraft Serial Identification", Field::Id(IdKind::Other)),
    (
        "Aircraft Manufacturer's Serial Number (MSN)",
        Field::Id(IdKind::Other),
    ),
    (
        "Aircraft Construction Number (also called L/N or S/N or F/N)",
        Field::Id(IdKind::Other),
    ),
    ("Aircraft Mode S Transponder Code", Field::Id(IdKind::Other)),
    (
        "Global Intermediary Identification Number",
        Field::Id(IdKind::Other),
    ),
];

/// The field for an exact label (XML `idType`, Advanced XML feature/document type name).
/// Case and surrounding space are ignored.
pub fn classify(label: &str) -> Option<Field> {
    let label = label.trim();
    if crypto_currency(label).is_some() {
        return Some(Field::Crypto);
    }
    LABELS
        .iter()
        .find(|(l, _)| l.eq_ignore_ascii_case(label))
        .map(|(_, f)| *f)
}

/// The currency code of a `Digital Currency Address - XBT` label.
pub fn crypto_currency(label: &str) -> Option<&str> {
    let head = label.get(..CRYPTO_PREFIX.len())?;
    if !head.eq_ignore_ascii_case(CRYPTO_PREFIX) {
        return None;
    }
    let code = label[CRYPTO_PREFIX.len()..].trim();
    (!code.is_empty() && !code.contains(' ')).then_some(code)
}

/// Splits a remarks item into its label (and field) and value, by the longest label the item
/// starts with. A label must be followed by a space, a colon or the end of the item.
fn split_label(item: &str) -> Option<(&str, Field, &str)> {
    if let Some(rest) = strip_prefix_ci(item, CRYPTO_PREFIX) {
        let (code, value) = rest.split_once(' ')?;
        let label = &item[..CRYPTO_PREFIX.len() + code.len()];
        return Some((label, Field::Crypto, value.trim()));
    }
    let mut best: Option<(&str, Field, &str)> = None;
    for (label, field) in LABELS {
        let Some(rest) = strip_prefix_ci(item, label) else {
            continue;
        };
        let boundary = rest.is_empty() || rest.starts_with(' ') || rest.starts_with(':');
        if boundary && best.is_none_or(|(l, _, _)| l.len() < label.len()) {
            let value = rest.trim_start_matches(':').trim();
            best = Some((&item[..label.len()], *field, value));
        }
    }
    best
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// Parses an SDN.CSV remarks column (the full text, after joining SDN_COMMENTS.CSV) into the
/// entity. Items are separated by `;`; `alt.` before a label marks a further value.
pub fn apply_remarks(entity: &mut Entity, remarks: &str) {
    let text = remarks.trim();
    let text = text.strip_suffix('.').unwrap_or(text);
    for item in text.split(';') {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let bare = strip_prefix_ci(item, "alt. ").unwrap_or(item).trim();
        let placed = match split_label(bare) {
            Some((label, field, value)) => apply_value(entity, field, label, value, None),
            None => false,
        };
        if !placed {
            entity.remarks.push(item.to_string());
        }
    }
}

/// Applies one labelled value, e.g. a classic XML `id` element (`idType`, `idNumber`,
/// `idCountry`). Values whose label is unknown go to the remarks as `label value`.
pub fn apply_labelled(entity: &mut Entity, label: &str, value: &str, country: Option<&str>) {
    let label = label.trim();
    let value = value.trim();
    let placed = match classify(label) {
        Some(field) => apply_value(entity, field, label, value, country),
        None => false,
    };
    if !placed {
        let mut text = if value.is_empty() {
            label.to_string()
        } else if label.ends_with(':') || label.ends_with('-') {
            format!("{label} {value}")
        } else {
            format!("{label}: {value}")
        };
        if let Some(c) = country.filter(|c| !c.trim().is_empty()) {
            text.push_str(&format!(" ({})", c.trim()));
        }
        entity.remarks.push(text);
    }
}

/// Puts a value into the field; returns false when the value does not fit (the caller keeps
/// the text in the remarks then). An identifier followed by more text than `(Country)` is
/// stored *and* kept in the remarks, so the extra text is not lost.
pub fn apply_value(
    entity: &mut Entity,
    field: Field,
    label: &str,
    value: &str,
    country: Option<&str>,
) -> bool {
    let value = value.trim();
    if value.is_empty() {
        return false;
    }
    match field {
        Field::BirthDate => {
            let dates = PartialDate::parse_loose(value);
            if dates.is_empty() {
                return false;
            }
            for d in dates {
                entity.add_birth_date(d);
            }
            true
        }
        Field::BirthPlace => {
            if !entity.birth_places.iter().any(|p| p == value) {
                entity.birth_places.push(value.to_string());
            }
            true
        }
        // An unknown country name is kept in the remarks by `add_country_to` itself.
        Field::Nationality => {
            entity.add_country_to(CountryField::Nationality, value);
            true
        }
        Field::Citizenship => {
            entity.add_country_to(CountryField::Citizenship, value);
            true
        }
        Field::Country => {
            entity.add_country_to(CountryField::Country, value);
            true
        }
        Field::Gender => match Gender::parse(value) {
            Some(g) => {
                entity.gender = Some(g);
                true
            }
            None => false,
        },
        Field::Name(kind) => match quoted(value) {
            Some(name) => {
                entity.add_name(name, kind);
                true
            }
            None => false,
        },
        Field::Crypto => {
            let Some(currency) = crypto_currency(label) else {
                return false;
            };
            // Addresses are one token; anything after it is kept in the remarks.
            let (addr, rest) = value.split_once(' ').unwrap_or((value, ""));
            let mut id = Identifier::new(IdKind::Crypto, addr);
            id.currency = Some(currency.to_ascii_uppercase());
            // OFAC lists one address under several assets (an EVM address as ETH, USDT and
            // ARB); `add_identifier` would merge those, so de-duplicate per currency here.
            let key = id.key();
            let known = entity
                .identifiers
                .iter()
                .any(|i| i.kind == IdKind::Crypto && i.currency == id.currency && i.key() == key);
            if !known {
                entity.identifiers.push(id);
            }
            rest.trim().is_empty()
        }
        Field::Id(kind) => {
            let parsed = split_id(value);
            let mut number = parsed.number;
            if kind == IdKind::Imo {
                number = strip_prefix_ci(number, "IMO").map_or(number, str::trim);
            }
            if number.is_empty() {
                return false;
            }
            let country_text = country.or(parsed.country);
            let code = country_text.and_then(country::to_iso2);
            let mut id = Identifier::new(kind, number);
            id.country = code.map(str::to_string);
            id.label = Some(label.to_string());
            entity.add_identifier(id);
            // Keep the whole item when part of it did not fit the identifier.
            let country_lost = country_text.is_some_and(|c| !c.trim().is_empty()) && code.is_none();
            !(parsed.rest_lost || country_lost)
        }
    }
}

/// The text between the first and the last single quote (OFAC quotes names in remarks).
fn quoted(value: &str) -> Option<&str> {
    let start = value.find('\'')?;
    let end = value.rfind('\'')?;
    let name = value.get(start + 1..end)?.trim();
    let outside = value[..start].trim().is_empty() && value[end + 1..].trim().is_empty();
    (!name.is_empty() && outside).then_some(name)
}

struct IdParts<'a> {
    number: &'a str,
    country: Option<&'a str>,
    /// Text beyond `NUMBER (Country)`, such as `issued 2010`.
    rest_lost: bool,
}

/// `A123 (Iran)` → number `A123`, country `Iran`; `A123` → number only.
fn split_id(value: &str) -> IdParts<'_> {
    if let Some(open) = value.find(" (") {
        let after = &value[open + 2..];
        if let Some(close) = after.find(')') {
            return IdParts {
                number: value[..open].trim(),
                country: Some(after[..close].trim()),
                rest_lost: !after[close + 1..].trim().is_empty(),
            };
        }
    }
    IdParts {
        number: value,
        country: None,
        rest_lost: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use interdict_model::Schema;

    fn parse(remarks: &str) -> Entity {
        let mut e = Entity::new("ofac-1", Schema::Person, "us_ofac_sdn", "1");
        apply_remarks(&mut e, remarks);
        e
    }

    fn ids(e: &Entity, kind: IdKind) -> Vec<&str> {
        e.identifiers
            .iter()
            .filter(|i| i.kind == kind)
            .map(|i| i.value.as_str())
            .collect()
    }

    #[test]
    fn personal_data() {
        // ZHAO Guangzong, SDN.CSV 2024-03-25.
        let e = parse(
            "DOB 12 Nov 1985; POB Jingzhou Municipality, China; nationality China; citizen \
             China; Gender Male; National ID No. 421003198511121539 (China).",
        );
        assert_eq!(e.birth_dates, PartialDate::parse_loose("12 Nov 1985"));
        assert_eq!(e.birth_places, ["Jingzhou Municipality, China"]);
        assert_eq!(e.nationalities, ["cn"]);
        assert_eq!(e.citizenships, ["cn"]);
        assert_eq!(e.gender, Some(Gender::Male));
        assert_eq!(ids(&e, IdKind::NationalId), ["421003198511121539"]);
        assert_eq!(e.identifiers[0].country.as_deref(), Some("cn"));
        assert!(e.remarks.is_empty(), "{:?}", e.remarks);
    }

    #[test]
    fn dates_circa_ranges_and_alternatives() {
        let e = parse("DOB circa 1960; alt. DOB 1962 to 1964; alt. DOB 16 Sep 1952");
        let got: Vec<String> = e.birth_dates.iter().map(|d| d.to_string()).collect();
        assert_eq!(got, ["circa 1960", "1962", "1963", "1964", "1952-09-16"]);
        let e = parse("DOB sometime in the 1970s");
        assert!(e.birth_dates.is_empty());
        assert_eq!(e.remarks, ["DOB sometime in the 1970s"]);
    }

    #[test]
    fn identifiers_with_countries() {
        // CIFUENTES VILLA, Jorge Milton (SDN.CSV 2021).
        let e = parse(
            "Cedula No. 7548733 (Colombia); alt. Cedula No. 172489729-1 (Ecuador); Passport \
             AL720622 (Colombia); R.F.C. CIVJ650513LJA (Mexico); C.U.R.P. CIVJ650513HNEFLR06 \
             (Mexico)",
        );
        assert_eq!(
            ids(&e, IdKind::NationalId),
            ["7548733", "172489729-1", "CIVJ650513HNEFLR06"]
        );
        assert_eq!(ids(&e, IdKind::Passport), ["AL720622"]);
        assert_eq!(ids(&e, IdKind::TaxId), ["CIVJ650513LJA"]);
        assert_eq!(e.identifiers[1].country.as_deref(), Some("ec"));
        assert_eq!(e.identifiers[2].label.as_deref(), Some("Passport"));
    }

    #[test]
    fn registration_codes() {
        let e = parse(
            "Organization Established Date 08 Mar 2010; Unified Social Credit Code (USCC) \
             91420100551956105K (China); Registration ID 1027700070518 (Russia); Tax ID No. \
             7424024375 (Russia)",
        );
        let uscc = &e.identifiers[0];
        assert_eq!(uscc.kind, IdKind::Registration);
        assert_eq!(uscc.value, "91420100551956105K");
        assert_eq!(
            uscc.label.as_deref(),
            Some("Unified Social Credit Code (USCC)")
        );
        assert_eq!(uscc.country.as_deref(), Some("cn"));
        assert_eq!(ids(&e, IdKind::Registration).len(), 2);
        assert_eq!(ids(&e, IdKind::TaxId), ["7424024375"]);
        assert_eq!(e.remarks, ["Organization Established Date 08 Mar 2010"]);
    }

    #[test]
    fn crypto_addresses() {
        // TIAN, Yinyin (SDN.CSV 2021), plus other OFAC currency codes.
        let e = parse(
            "Digital Currency Address - XBT 134r8iHv69xdT6p5qVKTsHrcUEuBVZAYak; alt. Digital \
             Currency Address - XBT 15YK647qtoZQDzNrvY6HJL6QwXduLHfT28; Digital Currency \
             Address - ETH 0x8576acc5c05d6ce88f4e49bf65bdf0c62f91353c; Digital Currency \
             Address - USDT TXkaLGo8BXPzNkzhdfRzzjPtaGT7HNkR8h; Digital Currency Address - \
             BSV 12sjrrhoFEsedNRhtgwvvRqjFTh8fZTDX9",
        );
        let got: Vec<(&str, &str)> = e
            .identifiers
            .iter()
            .map(|i| (i.currency.as_deref().unwrap_or(""), i.value.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("XBT", "134r8iHv69xdT6p5qVKTsHrcUEuBVZAYak"),
                ("XBT", "15YK647qtoZQDzNrvY6HJL6QwXduLHfT28"),
                ("ETH", "0x8576acc5c05d6ce88f4e49bf65bdf0c62f91353c"),
                ("USDT", "TXkaLGo8BXPzNkzhdfRzzjPtaGT7HNkR8h"),
                ("BSV", "12sjrrhoFEsedNRhtgwvvRqjFTh8fZTDX9"),
            ]
        );
        assert!(e.identifiers.iter().all(|i| i.kind == IdKind::Crypto));
        // The same address under two assets is kept twice, once per currency.
        let e = parse(
            "Digital Currency Address - ETH 0x4f47bc496083c727c5fbe3ce9cdf2b0f6496270c; \
             Digital Currency Address - ARB 0x4f47bc496083c727c5fbe3ce9cdf2b0f6496270c; \
             Digital Currency Address - ETH 0x4F47BC496083C727C5FBE3CE9CDF2B0F6496270C",
        );
        let currencies: Vec<_> = e
            .identifiers
            .iter()
            .map(|i| i.currency.as_deref())
            .collect();
        assert_eq!(currencies, [Some("ETH"), Some("ARB")]);
        for code in [
            "XMR", "LTC", "ZEC", "DASH", "BTG", "ETC", "BCH", "XVG", "USDC", "TRX",
        ] {
            let label = format!("Digital Currency Address - {code}");
            assert_eq!(classify(&label), Some(Field::Crypto));
            assert_eq!(crypto_currency(&label), Some(code));
        }
        for code in ["ARB", "BSC", "SOL", "XRP", "BNB"] {
            assert_eq!(
                crypto_currency(&format!("{CRYPTO_PREFIX}{code}")),
                Some(code)
            );
        }
    }

    #[test]
    fn names_in_quotes() {
        let e = parse(
            "a.k.a. 'BNC'; f.k.a. 'ANA I'; n.k.a. 'NEW NAME CO., LTD.'; a.k.a. 'CHAPPORI, Petit'.",
        );
        let names: Vec<(&str, NameKind)> =
            e.names.iter().map(|n| (n.value.as_str(), n.kind)).collect();
        assert_eq!(
            names,
            [
                ("BNC", NameKind::WeakAlias),
                ("ANA I", NameKind::Previous),
                ("NEW NAME CO., LTD.", NameKind::Alias),
                ("CHAPPORI, Petit", NameKind::WeakAlias),
            ]
        );
    }

    #[test]
    fn vessels_and_contacts() {
        let e = parse(
            "Vessel Registration Identification IMO 7406784; MMSI 273212345; Email Address \
             417136259@qq.com; Website www.example.ru; Phone Number 8613621583465; SWIFT/BIC \
             BKCHCNBJ (China)",
        );
        assert_eq!(ids(&e, IdKind::Imo), ["7406784"]);
        assert_eq!(ids(&e, IdKind::Mmsi), ["273212345"]);
        assert_eq!(ids(&e, IdKind::Email), ["417136259@qq.com"]);
        assert_eq!(ids(&e, IdKind::Website), ["www.example.ru"]);
        assert_eq!(ids(&e, IdKind::Phone), ["8613621583465"]);
        assert_eq!(ids(&e, IdKind::SwiftBic), ["BKCHCNBJ"]);
        assert!(e.remarks.is_empty(), "{:?}", e.remarks);
    }

    #[test]
    fn unrecognised_text_is_kept() {
        let e = parse(
            "Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and \
             510.210; Linked To: LAZARUS GROUP; Passport 123 (Iran) issued 2010; nationality \
             Atlantis; Digital Currency Addres",
        );
        assert_eq!(
            e.remarks,
            [
                "Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 \
                 and 510.210",
                "Linked To: LAZARUS GROUP",
                "Passport 123 (Iran) issued 2010",
                "nationality: Atlantis",
                "Digital Currency Addres",
            ]
        );
        // The passport itself is still typed.
        assert_eq!(ids(&e, IdKind::Passport), ["123"]);
    }

    #[test]
    fn labelled_values() {
        let mut e = Entity::new("ofac-1", Schema::Person, "us_ofac_sdn", "1");
        apply_labelled(&mut e, "Gender", "Male", None);
        apply_labelled(
            &mut e,
            "National ID No.",
            "421003198511121539",
            Some("China"),
        );
        apply_labelled(&mut e, "Digital Currency Address - XBT", "1ABC", None);
        apply_labelled(&mut e, "Secondary sanctions risk:", "section 1(b)", None);
        apply_labelled(&mut e, "Organization Established Date", "08 Mar 2010", None);
        assert_eq!(e.gender, Some(Gender::Male));
        assert_eq!(e.identifiers[0].country.as_deref(), Some("cn"));
        assert_eq!(e.identifiers[1].currency.as_deref(), Some("XBT"));
        assert_eq!(
            e.remarks,
            [
                "Secondary sanctions risk: section 1(b)",
                "Organization Established Date: 08 Mar 2010"
            ]
        );
    }

    #[test]
    fn longest_label_wins() {
        assert_eq!(
            split_label("Vessel Registration Identification IMO 1").map(|(l, _, v)| (l, v)),
            Some(("Vessel Registration Identification", "IMO 1"))
        );
        assert_eq!(
            split_label("Diplomatic Passport D1 (Iran)").map(|(_, f, _)| f),
            Some(Field::Id(IdKind::Passport))
        );
        // "citizen" must not match "Citizen's Card Number".
        assert_eq!(
            split_label("Citizen's Card Number 123").map(|(l, _, _)| l),
            Some("Citizen's Card Number")
        );
        assert!(split_label("DOBx").is_none());
    }
}
