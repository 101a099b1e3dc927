//! Entity schemas, named as in FollowTheMoney.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::ModelError;

/// The kinds of listed party Interdict screens against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Schema {
    Person,
    Organization,
    Company,
    LegalEntity,
    Vessel,
    Airplane,
}

impl Schema {
    pub const ALL: [Schema; 6] = [
        Schema::Person,
        Schema::Organization,
        Schema::Company,
        Schema::LegalEntity,
        Schema::Vessel,
        Schema::Airplane,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Schema::Person => "Person",
            Schema::Organization => "Organization",
            Schema::Company => "Company",
            Schema::LegalEntity => "LegalEntity",
            Schema::Vessel => "Vessel",
            Schema::Airplane => "Airplane",
        }
    }

    /// Organisation-like: a body with a name rather than a human.
    pub fn is_organization(self) -> bool {
        matches!(self, Schema::Organization | Schema::Company)
    }

    /// Vessels and aircraft (FtM `Vehicle`).
    pub fn is_vehicle(self) -> bool {
        matches!(self, Schema::Vessel | Schema::Airplane)
    }

    /// Whether a query of schema `self` may match a listed entity of schema `other`.
    ///
    /// Follows the FtM hierarchy: LegalEntity is the parent of Person and Organization,
    /// Organization the parent of Company. A Person never matches an Organization and a
    /// vessel never matches a person. LegalEntity is also what lists use when they do not say,
    /// so it is compatible with every party schema.
    pub fn compatible(self, other: Schema) -> bool {
        use Schema::*;
        match (self, other) {
            (a, b) if a == b => true,
            (LegalEntity, Person | Organization | Company) => true,
            (Person | Organization | Company, LegalEntity) => true,
            (Organization, Company) | (Company, Organization) => true,
            _ => false,
        }
    }
}

impl fmt::Display for Schema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Schema {
    type Err = ModelError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        Schema::ALL
            .iter()
            .copied()
            .find(|k| k.as_str().eq_ignore_ascii_case(t))
            .or(match t.to_ascii_lowercase().as_str() {
                "individual" => Some(Schema::Person),
                "entity" | "organisation" => Some(Schema::Organization),
                "aircraft" => Some(Schema::Airplane),
                _ => None,
            })
            .ok_or_else(|| ModelError::UnknownSchema(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hierarchy() {
        assert!(Schema::LegalEntity.compatible(Schema::Person));
        assert!(Schema::Company.compatible(Schema::Organization));
        assert!(!Schema::Person.compatible(Schema::Company));
        assert!(!Schema::Vessel.compatible(Schema::Person));
        assert!(!Schema::LegalEntity.compatible(Schema::Vessel));
    }

    #[test]
    fn parse_names() {
        assert_eq!("person".parse::<Schema>(), Ok(Schema::Person));
        assert_eq!("Individual".parse::<Schema>(), Ok(Schema::Person));
        assert!("Planet".parse::<Schema>().is_err());
    }
}
