//! The listed party.

use serde::{Deserialize, Serialize};

use crate::{IdKind, Identifier, Name, NameKind, PartialDate, Schema};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
    Other,
}

impl Gender {
    pub fn parse(s: &str) -> Option<Gender> {
        match s.trim().to_ascii_lowercase().as_str() {
            "male" | "m" | "man" => Some(Gender::Male),
            "female" | "f" | "woman" => Some(Gender::Female),
            "other" | "x" => Some(Gender::Other),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
            Gender::Other => "other",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Address {
    /// The address as one line, in the list's order of parts.
    pub full: String,
    /// ISO 3166-1 alpha-2 of the address country, lowercase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// A party on a sanctions list (or in a customer base).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// Unique within a loaded collection; parsers prefix the list's own id with the source
    /// (`ofac-47814`, `un-QDi.360`, `eu-1003`).
    pub id: String,
    pub schema: Schema,
    pub names: Vec<Name>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub birth_dates: Vec<PartialDate>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub birth_places: Vec<String>,
    /// ISO 3166-1 alpha-2, lowercase.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nationalities: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub citizenships: Vec<String>,
    /// Countries of residence, registration, jurisdiction or flag.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifiers: Vec<Identifier>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<Address>,
    /// Sanctions programmes / regimes (e.g. `CYBER2`, `SDGT`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub programs: Vec<String>,
    /// The list the entity comes from (e.g. `us_ofac_sdn`, `un_sc_sanctions`).
    pub source: String,
    /// The entity's id on that list (OFAC uid / ent_num, UN reference number, EU logical id).
    pub source_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listed_on: Option<PartialDate>,
    /// Free text from the list, plus any value a parser could not place in a typed field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remarks: Vec<String>,
}

impl Entity {
    pub fn new(
        id: impl Into<String>,
        schema: Schema,
        source: impl Into<String>,
        source_id: impl Into<String>,
    ) -> Self {
        Entity {
            id: id.into(),
            schema,
            names: Vec::new(),
            birth_dates: Vec::new(),
            birth_places: Vec::new(),
            nationalities: Vec::new(),
            citizenships: Vec::new(),
            countries: Vec::new(),
            gender: None,
            identifiers: Vec::new(),
            addresses: Vec::new(),
            programs: Vec::new(),
            source: source.into(),
            source_id: source_id.into(),
            listed_on: None,
            remarks: Vec::new(),
        }
    }

    /// The first primary name, else the first name of any kind.
    pub fn caption(&self) -> &str {
        self.names
            .iter()
            .find(|n| n.kind == NameKind::Primary)
            .or_else(|| self.names.first())
            .map(|n| n.value.as_str())
            .unwrap_or(&self.id)
    }

    /// Adds a name unless the same text (ignoring case and surrounding space) is already
    /// present; an existing entry of a weaker kind is upgraded. Empty names are ignored.
    pub fn add_name(&mut self, value: &str, kind: NameKind) {
        let v = value.trim();
        if v.is_empty() {
            return;
        }
        if let Some(n) = self
            .names
            .iter_mut()
            .find(|n| n.value.trim().eq_ignore_ascii_case(v) || n.value.trim() == v)
        {
            if kind < n.kind {
                n.kind = kind;
            }
            return;
        }
        self.names.push(Name::new(v, kind));
    }

    /// Adds a country-like value to `list` as an ISO code; returns false (and keeps the text in
    /// the remarks under `field`) when the name is not a known country, so nothing is lost.
    pub fn add_country_to(&mut self, field: CountryField, value: &str) -> bool {
        let v = value.trim();
        if v.is_empty() {
            return true;
        }
        match crate::country::to_iso2(v) {
            Some(code) => {
                let list = match field {
                    CountryField::Nationality => &mut self.nationalities,
                    CountryField::Citizenship => &mut self.citizenships,
                    CountryField::Country => &mut self.countries,
                };
                if !list.iter().any(|c| c == code) {
                    list.push(code.to_string());
                }
                true
            }
            None => {
                self.remarks.push(format!("{}: {}", field.as_str(), v));
                false
            }
        }
    }

    pub fn add_identifier(&mut self, id: Identifier) {
        if id.value.trim().is_empty() {
            return;
        }
        let key = id.key();
        // OFAC lists one address under several assets (an Ethereum-style address as ETH, USDT,
        // USDC …): for crypto addresses the currency is part of the identity.
        let same = |e: &Identifier| {
            e.kind == id.kind
                && e.key() == key
                && (id.kind != IdKind::Crypto
                    || e.currency.is_none()
                    || id.currency.is_none()
                    || e.currency == id.currency)
        };
        if let Some(existing) = self.identifiers.iter_mut().find(|e| same(e)) {
            existing.country = existing.country.take().or(id.country);
            existing.currency = existing.currency.take().or(id.currency);
            existing.label = existing.label.take().or(id.label);
            return;
        }
        self.identifiers.push(id);
    }

    pub fn add_birth_date(&mut self, d: PartialDate) {
        if !self.birth_dates.contains(&d) {
            self.birth_dates.push(d);
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CountryField {
    Nationality,
    Citizenship,
    Country,
}

impl CountryField {
    pub fn as_str(self) -> &'static str {
        match self {
            CountryField::Nationality => "nationality",
            CountryField::Citizenship => "citizenship",
            CountryField::Country => "country",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_deduplicate_and_upgrade() {
        let mut e = Entity::new("x-1", Schema::Person, "x", "1");
        e.add_name("ZHAO, Guangzong", NameKind::WeakAlias);
        e.add_name("zhao, guangzong", NameKind::Primary);
        e.add_name("  ", NameKind::Alias);
        assert_eq!(e.names.len(), 1);
        assert_eq!(e.names[0].kind, NameKind::Primary);
        assert_eq!(e.caption(), "ZHAO, Guangzong");
    }

    #[test]
    fn crypto_address_per_currency() {
        let mut e = Entity::new("x-1", Schema::Organization, "x", "1");
        for cur in ["ETH", "USDT", "ETH"] {
            let mut id = Identifier::new(IdKind::Crypto, "0xabc123");
            id.currency = Some(cur.into());
            e.add_identifier(id);
        }
        assert_eq!(e.identifiers.len(), 2);
        e.add_identifier(Identifier::new(IdKind::Passport, "AB 123"));
        e.add_identifier(Identifier::new(IdKind::Passport, "ab123"));
        assert_eq!(e.identifiers.len(), 3);
    }

    #[test]
    fn unknown_country_kept_in_remarks() {
        let mut e = Entity::new("x-1", Schema::Person, "x", "1");
        assert!(e.add_country_to(CountryField::Nationality, "Russia"));
        assert!(!e.add_country_to(CountryField::Nationality, "Atlantis"));
        assert_eq!(e.nationalities, ["ru"]);
        assert_eq!(e.remarks, ["nationality: Atlantis"]);
    }
}
