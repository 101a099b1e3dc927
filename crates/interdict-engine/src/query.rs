//! What is screened: a name (or several), optionally with birth date, country, gender and
//! identifiers.

use interdict_model::ftm::prop_values;
use interdict_model::{country, Gender, IdKind, Identifier, PartialDate, Schema};
use serde_json::{Map, Value};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Query {
    /// Restricts matches to compatible schemas (`None`: any party).
    pub schema: Option<Schema>,
    pub names: Vec<String>,
    pub birth_dates: Vec<PartialDate>,
    /// ISO 3166-1 alpha-2, lowercase.
    pub countries: Vec<String>,
    pub gender: Option<Gender>,
    pub identifiers: Vec<Identifier>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum QueryError {
    #[error("unknown schema {0:?}")]
    UnknownSchema(String),
    #[error("property {property}: invalid date {value:?} (expected YYYY, YYYY-MM or YYYY-MM-DD)")]
    InvalidDate { property: String, value: String },
    #[error("property {property}: unknown country {value:?}")]
    UnknownCountry { property: String, value: String },
    #[error("a query needs at least one name or identifier")]
    Empty,
}

/// Identifier properties a query may carry beyond the FtM party properties
/// ([`interdict_model::ftm::ID_PROPS`]): a crypto address given directly, and a common
/// spelling of the national-id property.
const EXTRA_ID_PROPERTIES: &[(&str, IdKind)] = &[
    ("nationalId", IdKind::NationalId),
    ("publicKey", IdKind::Crypto),
    ("cryptoWallet", IdKind::Crypto),
];

impl Query {
    pub fn name(name: impl Into<String>) -> Self {
        Query {
            names: vec![name.into()],
            ..Query::default()
        }
    }

    /// Adds a country by name or code; returns false when it is not a known country.
    pub fn add_country(&mut self, value: &str) -> bool {
        match country::to_iso2(value) {
            Some(c) => {
                if !self.countries.iter().any(|x| x == c) {
                    self.countries.push(c.to_string());
                }
                true
            }
            None => false,
        }
    }

    /// Builds a query from an FtM-style schema and property map, as yente's `/match` takes
    /// it: `name`/`alias`/`weakAlias`/`previousName` or `firstName`+`lastName` parts,
    /// `birthDate`, `nationality`/`citizenship`/`country`/`jurisdiction`, `gender`, and
    /// identifier properties. Values may be a string or a list of strings.
    pub fn from_ftm(schema: &str, props: &Map<String, Value>) -> Result<Query, QueryError> {
        let schema = match schema {
            "" | "Thing" => None,
            s => Some(
                s.parse::<Schema>()
                    .map_err(|_| QueryError::UnknownSchema(s.to_string()))?,
            ),
        };
        let mut q = Query {
            schema,
            ..Query::default()
        };
        for p in ["name", "alias", "weakAlias", "previousName"] {
            for n in prop_values(props, p) {
                if !n.trim().is_empty() {
                    q.names.push(n.to_string());
                }
            }
        }
        let parts: Vec<&str> = [
            "firstName",
            "secondName",
            "middleName",
            "fatherName",
            "lastName",
        ]
        .iter()
        .flat_map(|p| prop_values(props, p))
        .filter(|s| !s.trim().is_empty())
        .collect();
        if !parts.is_empty() {
            q.names.push(parts.join(" "));
        }
        for d in prop_values(props, "birthDate") {
            let parsed = d
                .parse::<PartialDate>()
                .ok()
                .map(|p| vec![p])
                .unwrap_or_else(|| PartialDate::parse_loose(d));
            if parsed.is_empty() {
                return Err(QueryError::InvalidDate {
                    property: "birthDate".into(),
                    value: d.to_string(),
                });
            }
            q.birth_dates.extend(parsed);
        }
        for p in ["nationality", "citizenship", "country", "jurisdiction"] {
            for c in prop_values(props, p) {
                if !q.add_country(c) {
                    return Err(QueryError::UnknownCountry {
                        property: p.into(),
                        value: c.to_string(),
                    });
                }
            }
        }
        q.gender = prop_values(props, "gender")
            .first()
            .and_then(|g| Gender::parse(g));
        for (p, kind) in interdict_model::ftm::ID_PROPS
            .iter()
            .chain(EXTRA_ID_PROPERTIES)
        {
            for v in prop_values(props, p) {
                if !v.trim().is_empty() {
                    q.identifiers.push(Identifier::new(*kind, v));
                }
            }
        }
        if q.names.is_empty() && q.identifiers.is_empty() {
            return Err(QueryError::Empty);
        }
        Ok(q)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn props(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn from_ftm_properties() {
        let q = Query::from_ftm(
            "Person",
            &props(json!({"firstName": "Guangzong", "lastName": ["Zhao"],
                "birthDate": "1985", "nationality": ["China"], "passportNumber": "E1"})),
        )
        .unwrap();
        assert_eq!(q.names, ["Guangzong Zhao"]);
        assert_eq!(q.countries, ["cn"]);
        assert_eq!(q.birth_dates[0].year, 1985);
        assert_eq!(q.identifiers[0].kind, IdKind::Passport);
    }

    #[test]
    fn bad_queries_are_named() {
        assert_eq!(
            Query::from_ftm("Planet", &props(json!({"name": "x"}))),
            Err(QueryError::UnknownSchema("Planet".into()))
        );
        assert!(matches!(
            Query::from_ftm(
                "Person",
                &props(json!({"name": "x", "birthDate": "yesterday"}))
            ),
            Err(QueryError::InvalidDate { .. })
        ));
        assert_eq!(
            Query::from_ftm("Person", &props(json!({}))),
            Err(QueryError::Empty)
        );
    }
}
