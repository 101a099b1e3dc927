//! Typed identifiers. An exact identifier match (a passport number, an IMO number, a crypto
//! address) can decide a screening result on its own, so the kind matters.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdKind {
    Passport,
    NationalId,
    TaxId,
    Registration,
    SwiftBic,
    Imo,
    Mmsi,
    CallSign,
    Email,
    Website,
    Phone,
    /// A crypto-currency address; [`Identifier::currency`] holds the asset (XBT, ETH, …).
    Crypto,
    Other,
}

impl IdKind {
    pub const ALL: [IdKind; 13] = [
        IdKind::Passport,
        IdKind::NationalId,
        IdKind::TaxId,
        IdKind::Registration,
        IdKind::SwiftBic,
        IdKind::Imo,
        IdKind::Mmsi,
        IdKind::CallSign,
        IdKind::Email,
        IdKind::Website,
        IdKind::Phone,
        IdKind::Crypto,
        IdKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            IdKind::Passport => "passport",
            IdKind::NationalId => "national_id",
            IdKind::TaxId => "tax_id",
            IdKind::Registration => "registration",
            IdKind::SwiftBic => "swift_bic",
            IdKind::Imo => "imo",
            IdKind::Mmsi => "mmsi",
            IdKind::CallSign => "call_sign",
            IdKind::Email => "email",
            IdKind::Website => "website",
            IdKind::Phone => "phone",
            IdKind::Crypto => "crypto",
            IdKind::Other => "other",
        }
    }

    /// Parses `as_str` names and common synonyms (case-insensitive), as used on the command
    /// line (`--id passport:X1234`).
    pub fn parse(s: &str) -> Option<IdKind> {
        let t = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        if let Some(k) = IdKind::ALL.iter().find(|k| k.as_str() == t) {
            return Some(*k);
        }
        Some(match t.as_str() {
            "passportnumber" | "passport_number" => IdKind::Passport,
            "idnumber" | "id" | "national_id_no" | "nationalid" => IdKind::NationalId,
            "taxnumber" | "tax" | "tin" | "inn" | "vat" => IdKind::TaxId,
            "registrationnumber" | "reg" | "ogrn" | "uscc" | "lei" => IdKind::Registration,
            "swift" | "bic" | "swiftbic" => IdKind::SwiftBic,
            "imonumber" | "imo_number" => IdKind::Imo,
            "callsign" => IdKind::CallSign,
            "e_mail" | "mail" => IdKind::Email,
            "domain" | "url" | "web" => IdKind::Website,
            "telephone" | "tel" => IdKind::Phone,
            "wallet" | "cryptowallet" | "crypto_address" | "address" => IdKind::Crypto,
            _ => return None,
        })
    }

    /// The FtM property on the holder that carries identifiers of this kind (crypto addresses
    /// live on separate `CryptoWallet` entities in FtM and have none).
    pub fn ftm_property(self) -> Option<&'static str> {
        Some(match self {
            IdKind::Passport => "passportNumber",
            IdKind::NationalId => "idNumber",
            IdKind::TaxId => "taxNumber",
            IdKind::Registration => "registrationNumber",
            IdKind::SwiftBic => "swiftBic",
            IdKind::Imo => "imoNumber",
            IdKind::Mmsi => "mmsi",
            IdKind::CallSign => "callSign",
            IdKind::Email => "email",
            IdKind::Website => "website",
            IdKind::Phone => "phone",
            IdKind::Crypto => return None,
            IdKind::Other => "idNumber",
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Identifier {
    pub kind: IdKind,
    pub value: String,
    /// Issuing country (ISO 3166-1 alpha-2, lowercase), when the list names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// For crypto addresses: the asset code as the list gives it (XBT, ETH, USDT, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// The list's own name for the identifier type, e.g. "Unified Social Credit Code (USCC)".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

impl Identifier {
    pub fn new(kind: IdKind, value: impl Into<String>) -> Self {
        Identifier {
            kind,
            value: value.into(),
            country: None,
            currency: None,
            label: None,
        }
    }

    /// The comparison key: identifiers are compared without case, spaces, dashes, dots or
    /// slashes, so "AB 123-456" and "ab123456" are the same passport. E-mail addresses and
    /// websites are lowercased and a website loses its scheme, `www.` and trailing slash.
    pub fn match_key(kind: IdKind, value: &str) -> String {
        let v = value.trim();
        match kind {
            IdKind::Email => v.to_lowercase(),
            IdKind::Website => {
                let l = v.to_lowercase();
                let l = l
                    .trim_start_matches("https://")
                    .trim_start_matches("http://")
                    .trim_start_matches("www.");
                l.trim_end_matches('/').to_string()
            }
            // Crypto addresses are case-sensitive in some encodings (base58) but lists and
            // users are inconsistent about hex case; compare hex addresses case-insensitively.
            IdKind::Crypto if v.starts_with("0x") || v.starts_with("0X") => v.to_lowercase(),
            IdKind::Crypto => v.to_string(),
            _ => v
                .chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_uppercase)
                .collect(),
        }
    }

    pub fn key(&self) -> String {
        Identifier::match_key(self.kind, &self.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fold_formatting() {
        assert_eq!(
            Identifier::match_key(IdKind::Passport, "ab 123-456"),
            Identifier::match_key(IdKind::Passport, "AB123456")
        );
        assert_eq!(
            Identifier::match_key(IdKind::Website, "https://www.Example.com/"),
            "example.com"
        );
        assert_ne!(
            Identifier::match_key(IdKind::Crypto, "1AbC"),
            Identifier::match_key(IdKind::Crypto, "1abc")
        );
    }

    #[test]
    fn parse_kinds() {
        assert_eq!(IdKind::parse("Passport"), Some(IdKind::Passport));
        assert_eq!(IdKind::parse("imo"), Some(IdKind::Imo));
        assert_eq!(IdKind::parse("wallet"), Some(IdKind::Crypto));
        assert_eq!(IdKind::parse("shoe size"), None);
    }
}
