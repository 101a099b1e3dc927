//! Country names and codes → ISO 3166-1 alpha-2 (lowercase, as FollowTheMoney writes them).
//!
//! Lists spell countries in many ways ("Korea, North", "Iran (Islamic Republic of)",
//! "Russian Federation"); [`to_iso2`] folds those to one code. Historic states that have no
//! current code use the ISO 3166-3 four-letter codes (e.g. `suhh` for the Soviet Union).

use crate::country_table::{COUNTRY_KEYS, COUNTRY_NAMES};

/// Folds a country name for lookup: ASCII letters and digits, lowercase, single spaces;
/// Latin diacritics are dropped (Côte → cote).
pub fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut space = true;
    for c in name.chars() {
        let c = match c {
            'à'..='å' | 'À'..='Å' => 'a',
            'ç' | 'Ç' => 'c',
            'è'..='ë' | 'È'..='Ë' => 'e',
            'ì'..='ï' | 'Ì'..='Ï' => 'i',
            'ñ' | 'Ñ' => 'n',
            'ò'..='ö' | 'Ò'..='Ö' | 'ø' | 'Ø' => 'o',
            'ù'..='ü' | 'Ù'..='Ü' => 'u',
            'ý' | 'ÿ' | 'Ý' => 'y',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Resolves a country name, alpha-2 or alpha-3 code to a lowercase alpha-2 code.
pub fn to_iso2(name: &str) -> Option<&'static str> {
    let key = fold(name);
    if key.is_empty() {
        return None;
    }
    if key.len() == 2 || key.len() == 4 {
        if let Ok(i) = COUNTRY_NAMES.binary_search_by(|(c, _)| (*c).cmp(key.as_str())) {
            return Some(COUNTRY_NAMES[i].0);
        }
    }
    if let Ok(i) = COUNTRY_KEYS.binary_search_by(|(k, _)| (*k).cmp(key.as_str())) {
        return Some(COUNTRY_KEYS[i].1);
    }
    // "Tehran, Iran" / "Iran (Islamic Republic of)": try the last comma part, then the part
    // before a parenthesis.
    if let Some((_, last)) = name.rsplit_once(',') {
        if let Some(c) = to_iso2_exact(last) {
            return Some(c);
        }
    }
    if let Some((first, _)) = name.split_once('(') {
        return to_iso2_exact(first);
    }
    None
}

fn to_iso2_exact(name: &str) -> Option<&'static str> {
    let key = fold(name);
    COUNTRY_KEYS
        .binary_search_by(|(k, _)| (*k).cmp(key.as_str()))
        .ok()
        .map(|i| COUNTRY_KEYS[i].1)
}

/// English short name for a code produced by [`to_iso2`].
pub fn display_name(code: &str) -> Option<&'static str> {
    let code = code.to_ascii_lowercase();
    COUNTRY_NAMES
        .binary_search_by(|(c, _)| (*c).cmp(code.as_str()))
        .ok()
        .map(|i| COUNTRY_NAMES[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_sorted() {
        assert!(COUNTRY_KEYS.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(COUNTRY_NAMES.windows(2).all(|w| w[0].0 < w[1].0));
        // Every code a key maps to has a display name.
        for (_, code) in COUNTRY_KEYS {
            assert!(display_name(code).is_some(), "{code}");
        }
    }

    #[test]
    fn list_spellings() {
        assert_eq!(to_iso2("Russian Federation"), Some("ru"));
        assert_eq!(to_iso2("Korea, North"), Some("kp"));
        assert_eq!(to_iso2("Iran (Islamic Republic of)"), Some("ir"));
        assert_eq!(to_iso2("CHINA"), Some("cn"));
        assert_eq!(to_iso2("Côte d'Ivoire"), Some("ci"));
        assert_eq!(to_iso2("DE"), Some("de"));
        assert_eq!(to_iso2("RUS"), Some("ru"));
        assert_eq!(to_iso2("Tehran, Iran"), Some("ir"));
        assert_eq!(to_iso2("Atlantis"), None);
        assert_eq!(to_iso2(""), None);
    }
}
