//! Conversion to and from FollowTheMoney (FtM) JSON entities.
//!
//! FtM spreads one listed party over several entities: the party itself (Person, Company, …)
//! and side entities that point at it — `CryptoWallet` (holder), `Identification`/`Passport`
//! (holder), `Sanction` (entity), `Address` (referenced by `addressEntity`). [`to_ftm`] writes
//! that shape and [`FtmAssembler`] folds it back into one [`Entity`] per party, so that
//! `entity → FtM → entity` is lossless for everything the model holds.

use serde_json::{json, Map, Value};
use std::collections::HashMap;

use crate::entity::CountryField;
use crate::name::is_non_latin;
use crate::{
    Address, Entity, Gender, IdKind, Identifier, ModelError, NameKind, PartialDate, Schema,
};

/// FtM property → identifier kind, for properties on the party itself.
pub const ID_PROPS: &[(&str, IdKind)] = &[
    ("passportNumber", IdKind::Passport),
    ("idNumber", IdKind::NationalId),
    ("taxNumber", IdKind::TaxId),
    ("innCode", IdKind::TaxId),
    ("vatCode", IdKind::TaxId),
    ("registrationNumber", IdKind::Registration),
    ("ogrnCode", IdKind::Registration),
    ("leiCode", IdKind::Registration),
    ("swiftBic", IdKind::SwiftBic),
    ("imoNumber", IdKind::Imo),
    ("mmsi", IdKind::Mmsi),
    ("callSign", IdKind::CallSign),
    ("email", IdKind::Email),
    ("website", IdKind::Website),
    ("phone", IdKind::Phone),
];

fn party_schema(name: &str) -> Option<Schema> {
    match name {
        "PublicBody" => Some(Schema::Organization),
        other => other.parse().ok(),
    }
}

/// The values of a property as strings: FtM writes lists, but hand-written queries and some
/// exporters use a bare string.
pub fn prop_values<'a>(props: &'a Map<String, Value>, key: &str) -> Vec<&'a str> {
    match props.get(key) {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Writes an entity as FtM JSON objects: the party first, then its side entities.
pub fn to_ftm(e: &Entity) -> Vec<Value> {
    let mut props = Map::new();
    let push = |props: &mut Map<String, Value>, key: &str, v: &str| {
        let arr = props
            .entry(key.to_string())
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(a) = arr {
            if !a.iter().any(|x| x.as_str() == Some(v)) {
                a.push(Value::String(v.to_string()));
            }
        }
    };
    for n in &e.names {
        push(&mut props, n.kind.ftm_property(), &n.value);
    }
    if e.schema == Schema::Person {
        for d in &e.birth_dates {
            push(&mut props, "birthDate", &d.to_iso());
        }
        for p in &e.birth_places {
            push(&mut props, "birthPlace", p);
        }
        if let Some(g) = e.gender {
            push(&mut props, "gender", g.as_str());
        }
    }
    for c in &e.nationalities {
        push(&mut props, "nationality", c);
    }
    for c in &e.citizenships {
        push(&mut props, "citizenship", c);
    }
    let country_prop = if e.schema == Schema::Vessel {
        "flag"
    } else {
        "country"
    };
    for c in &e.countries {
        push(&mut props, country_prop, c);
    }
    for a in &e.addresses {
        push(&mut props, "address", &a.full);
    }
    for p in &e.programs {
        push(&mut props, "program", p);
    }
    for r in &e.remarks {
        push(&mut props, "notes", r);
    }
    let mut side = Vec::new();
    for (i, id) in e.identifiers.iter().enumerate() {
        if id.kind == IdKind::Crypto {
            let mut p = json!({"holder": [e.id], "publicKey": [id.value]});
            if let Some(c) = &id.currency {
                p["currency"] = json!([c]);
            }
            if let Some(l) = &id.label {
                p["summary"] = json!([l]);
            }
            side.push(
                json!({"id": format!("{}-wallet-{}", e.id, i), "schema": "CryptoWallet",
                "properties": p, "datasets": [e.source]}),
            );
            continue;
        }
        if let Some(prop) = id.kind.ftm_property() {
            push(&mut props, prop, &id.value);
        }
        if id.country.is_some() || id.label.is_some() || id.kind == IdKind::Other {
            let schema = if id.kind == IdKind::Passport {
                "Passport"
            } else {
                "Identification"
            };
            let mut p = json!({"holder": [e.id], "number": [id.value],
                "type": [id.label.clone().unwrap_or_else(|| id.kind.as_str().to_string())]});
            if let Some(c) = &id.country {
                p["country"] = json!([c]);
            }
            side.push(json!({"id": format!("{}-id-{}", e.id, i), "schema": schema,
                "properties": p, "datasets": [e.source]}));
        }
    }
    for (i, a) in e.addresses.iter().enumerate() {
        if let Some(c) = &a.country {
            let aid = format!("{}-addr-{}", e.id, i);
            push(&mut props, "addressEntity", &aid);
            side.push(json!({"id": aid, "schema": "Address",
                "properties": {"full": [a.full], "country": [c]}, "datasets": [e.source]}));
        }
    }
    if let Some(d) = e.listed_on {
        side.push(
            json!({"id": format!("{}-sanction", e.id), "schema": "Sanction",
            "properties": {"entity": [e.id], "listingDate": [d.to_iso()], "program": e.programs},
            "datasets": [e.source]}),
        );
    }
    let mut out = vec![json!({
        "id": e.id,
        "schema": e.schema.as_str(),
        "properties": props,
        "datasets": [e.source],
        "source_id": e.source_id,
    })];
    out.extend(side);
    out
}

/// Builds a party from one FtM object. Returns `Ok(None)` for non-party schemas (side
/// entities and anything Interdict does not screen against).
pub fn party_from_ftm(v: &Value) -> Result<Option<Entity>, ModelError> {
    let obj = v
        .as_object()
        .ok_or_else(|| ModelError::Ftm("not a JSON object".into()))?;
    let id = obj
        .get("id")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ModelError::Ftm("missing field \"id\"".into()))?;
    let schema_name = obj
        .get("schema")
        .and_then(Value::as_str)
        .ok_or_else(|| ModelError::Ftm(format!("entity {id}: missing field \"schema\"")))?;
    let Some(schema) = party_schema(schema_name) else {
        return Ok(None);
    };
    let empty = Map::new();
    let props = match obj.get("properties") {
        Some(Value::Object(p)) => p,
        None => &empty,
        Some(_) => {
            return Err(ModelError::Ftm(format!(
                "entity {id}: field \"properties\" is not an object"
            )))
        }
    };
    let source = obj
        .get("datasets")
        .and_then(|d| d.as_array())
        .and_then(|a| a.first())
        .and_then(Value::as_str)
        .unwrap_or("ftm");
    let source_id = obj.get("source_id").and_then(Value::as_str).unwrap_or(id);
    let mut e = Entity::new(id, schema, source, source_id);
    for (prop, kind) in [
        ("name", NameKind::Primary),
        ("alias", NameKind::Alias),
        ("weakAlias", NameKind::WeakAlias),
        ("previousName", NameKind::Previous),
    ] {
        for n in prop_values(props, prop) {
            let kind = if kind == NameKind::Alias && is_non_latin(n) {
                NameKind::OriginalScript
            } else {
                kind
            };
            e.add_name(n, kind);
        }
    }
    for d in prop_values(props, "birthDate") {
        match d.parse::<PartialDate>() {
            Ok(p) => e.add_birth_date(p),
            Err(_) => {
                let loose = PartialDate::parse_loose(d);
                if loose.is_empty() {
                    e.remarks.push(format!("birthDate: {d}"));
                }
                loose.into_iter().for_each(|p| e.add_birth_date(p));
            }
        }
    }
    e.birth_places = prop_values(props, "birthPlace")
        .into_iter()
        .map(String::from)
        .collect();
    for (prop, field) in [
        ("nationality", CountryField::Nationality),
        ("citizenship", CountryField::Citizenship),
        ("country", CountryField::Country),
        ("jurisdiction", CountryField::Country),
        ("mainCountry", CountryField::Country),
        ("flag", CountryField::Country),
    ] {
        for c in prop_values(props, prop) {
            e.add_country_to(field, c);
        }
    }
    e.gender = prop_values(props, "gender")
        .first()
        .and_then(|g| Gender::parse(g));
    for (prop, kind) in ID_PROPS {
        for v in prop_values(props, prop) {
            e.add_identifier(Identifier::new(*kind, v));
        }
    }
    for a in prop_values(props, "address") {
        e.addresses.push(Address {
            full: a.to_string(),
            country: None,
        });
    }
    for p in prop_values(props, "program")
        .into_iter()
        .chain(prop_values(props, "programId"))
    {
        if !e.programs.iter().any(|x| x == p) {
            e.programs.push(p.to_string());
        }
    }
    for n in prop_values(props, "notes") {
        e.remarks.push(n.to_string());
    }
    Ok(Some(e))
}

/// Folds a stream of FtM objects (parties and their side entities, in any order) into parties.
#[derive(Default)]
pub struct FtmAssembler {
    parties: Vec<Entity>,
    address_refs: Vec<(usize, String)>,
    index: HashMap<String, usize>,
    side: Vec<Value>,
    addresses: HashMap<String, Address>,
    /// Objects of schemas that are neither parties nor known side entities.
    pub skipped: usize,
}

impl FtmAssembler {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, v: Value) -> Result<(), ModelError> {
        if let Some(e) = party_from_ftm(&v)? {
            let props = v.get("properties").and_then(Value::as_object);
            if let Some(p) = props {
                for aref in prop_values(p, "addressEntity") {
                    self.address_refs
                        .push((self.parties.len(), aref.to_string()));
                }
            }
            self.index.insert(e.id.clone(), self.parties.len());
            self.parties.push(e);
            return Ok(());
        }
        match v.get("schema").and_then(Value::as_str) {
            Some("Address") => {
                let id = v
                    .get("id")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                if let Some(p) = v.get("properties").and_then(Value::as_object) {
                    let full = prop_values(p, "full").first().map(|s| s.to_string());
                    let country = prop_values(p, "country")
                        .first()
                        .and_then(|c| crate::country::to_iso2(c))
                        .map(String::from);
                    if let Some(full) = full {
                        self.addresses.insert(id, Address { full, country });
                    }
                }
            }
            Some("CryptoWallet" | "Identification" | "Passport" | "Sanction") => self.side.push(v),
            _ => self.skipped += 1,
        }
        Ok(())
    }

    /// Attaches side entities to their parties and returns the parties in input order.
    pub fn finish(mut self) -> Vec<Entity> {
        for v in std::mem::take(&mut self.side) {
            let Some(p) = v.get("properties").and_then(Value::as_object) else {
                continue;
            };
            let schema = v.get("schema").and_then(Value::as_str).unwrap_or_default();
            let owner_prop = if schema == "Sanction" {
                "entity"
            } else {
                "holder"
            };
            for owner in prop_values(p, owner_prop) {
                let Some(&i) = self.index.get(owner) else {
                    continue;
                };
                let e = &mut self.parties[i];
                match schema {
                    "CryptoWallet" => {
                        for key in prop_values(p, "publicKey") {
                            let mut id = Identifier::new(IdKind::Crypto, key);
                            id.currency = prop_values(p, "currency").first().map(|s| s.to_string());
                            id.label = prop_values(p, "summary").first().map(|s| s.to_string());
                            e.add_identifier(id);
                        }
                    }
                    "Sanction" => {
                        for prog in prop_values(p, "program") {
                            if !e.programs.iter().any(|x| x == prog) {
                                e.programs.push(prog.to_string());
                            }
                        }
                        if let Some(d) = prop_values(p, "listingDate")
                            .into_iter()
                            .chain(prop_values(p, "startDate"))
                            .find_map(|d| d.parse::<PartialDate>().ok())
                        {
                            e.listed_on = Some(d);
                        }
                    }
                    _ => {
                        let label = prop_values(p, "type").first().map(|s| s.to_string());
                        let kind = if schema == "Passport" {
                            IdKind::Passport
                        } else {
                            label
                                .as_deref()
                                .and_then(IdKind::parse)
                                .unwrap_or(IdKind::NationalId)
                        };
                        // A label that is only our own kind name carries no extra information.
                        let label = label.filter(|l| IdKind::parse(l).is_none());
                        for number in prop_values(p, "number") {
                            let mut id = Identifier::new(kind, number);
                            id.country = prop_values(p, "country")
                                .first()
                                .and_then(|c| crate::country::to_iso2(c))
                                .map(String::from);
                            id.label = label.clone();
                            // Same number already on the party as a flat property: enrich it.
                            let key = Identifier::match_key(kind, number);
                            if let Some(existing) = e
                                .identifiers
                                .iter_mut()
                                .find(|x| x.key() == key && x.kind != IdKind::Crypto)
                            {
                                if schema == "Passport" {
                                    existing.kind = IdKind::Passport;
                                }
                                existing.country = id.country.or(existing.country.take());
                                existing.label = id.label.or(existing.label.take());
                            } else {
                                e.add_identifier(id);
                            }
                        }
                    }
                }
            }
        }
        for (i, aref) in self.address_refs {
            if let Some(a) = self.addresses.get(&aref) {
                let e = &mut self.parties[i];
                match e.addresses.iter_mut().find(|x| x.full == a.full) {
                    Some(x) => x.country = a.country.clone(),
                    None => e.addresses.push(a.clone()),
                }
            }
        }
        self.parties
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Entity {
        let mut e = Entity::new("ofac-47814", Schema::Person, "us_ofac_sdn", "47814");
        e.add_name("ZHAO, Guangzong", NameKind::Primary);
        e.add_name("赵光宗", NameKind::OriginalScript);
        e.add_name("Eva", NameKind::WeakAlias);
        e.add_name("Zhao Guang Zong", NameKind::Alias);
        e.add_name("Old Name", NameKind::Previous);
        e.add_birth_date("1985-05-19".parse().unwrap());
        e.add_birth_date("1986".parse().unwrap());
        e.birth_places.push("Hubei, China".into());
        e.nationalities.push("cn".into());
        e.citizenships.push("cn".into());
        e.countries.push("cn".into());
        e.gender = Some(Gender::Male);
        let mut pass = Identifier::new(IdKind::Passport, "E12345678");
        pass.country = Some("cn".into());
        e.add_identifier(pass);
        let mut wallet = Identifier::new(IdKind::Crypto, "bc1qexampleaddress");
        wallet.currency = Some("XBT".into());
        e.add_identifier(wallet);
        e.add_identifier(Identifier::new(IdKind::Email, "zhao@example.com"));
        let mut reg = Identifier::new(IdKind::Registration, "91420100551956105K");
        reg.label = Some("Unified Social Credit Code (USCC)".into());
        reg.country = Some("cn".into());
        e.add_identifier(reg);
        e.addresses.push(Address {
            full: "Wuhan, Hubei".into(),
            country: Some("cn".into()),
        });
        e.addresses.push(Address {
            full: "Somewhere".into(),
            country: None,
        });
        e.programs.push("CYBER2".into());
        e.listed_on = Some("2024-03-25".parse().unwrap());
        e.remarks.push("Linked To: WUHAN XIAORUIZHI".into());
        e
    }

    #[test]
    fn round_trip_is_lossless() {
        let e = sample();
        let mut asm = FtmAssembler::new();
        // Side entities first: order must not matter.
        let mut values = to_ftm(&e);
        values.reverse();
        for v in values {
            asm.push(v).unwrap();
        }
        let back = asm.finish();
        assert_eq!(back.len(), 1);
        // FtM groups names and identifiers by property, so compare them as sets.
        let canon = |mut e: Entity| {
            e.names
                .sort_by(|a, b| (a.kind, &a.value).cmp(&(b.kind, &b.value)));
            e.identifiers
                .sort_by(|a, b| (a.kind, &a.value).cmp(&(b.kind, &b.value)));
            e
        };
        assert_eq!(canon(back[0].clone()), canon(e));
    }

    #[test]
    fn non_party_and_bad_objects() {
        assert_eq!(
            party_from_ftm(&json!({"id": "a", "schema": "Ownership"})).unwrap(),
            None
        );
        assert!(party_from_ftm(&json!({"schema": "Person"})).is_err());
        assert!(party_from_ftm(&json!([1, 2])).is_err());
        assert!(party_from_ftm(&json!({"id": "a", "schema": "Person", "properties": 3})).is_err());
    }

    #[test]
    fn bare_string_properties_and_country_names() {
        let e = party_from_ftm(&json!({"id": "eu-1", "schema": "Person",
            "properties": {"name": "Encep Nurjaman", "nationality": ["Indonesia"]}}))
        .unwrap()
        .unwrap();
        assert_eq!(e.names[0].value, "Encep Nurjaman");
        assert_eq!(e.nationalities, ["id"]);
    }
}
