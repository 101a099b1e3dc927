//! Word lists: legal forms (normalised to a typed token) and name particles.
//!
//! Legal forms are recognised as whole phrases in romanised tokens and replaced by one
//! `LegalForm` token holding a canonical code, so "Limited Liability Company", "LLC", "OOO",
//! "ООО" and "Obshchestvo s Ogranichennoy Otvetstvennostyu" are the same token. They are not
//! dropped: a legal form still counts a little, and an explanation shows it.

/// (phrase as romanised words, canonical code), longest phrases first within each code group.
pub const LEGAL_FORMS: &[(&[&str], &str)] = &[
    (
        &["obshchestvo", "s", "ogranichennoy", "otvetstvennostyu"],
        "llc",
    ),
    (
        &["obshchestvo", "s", "ogranichennoi", "otvetstvennostyu"],
        "llc",
    ),
    (
        &["obshchestvo", "s", "ogranichennoj", "otvetstvennostju"],
        "llc",
    ),
    (
        &["obshchestvo", "s", "ogranichennoy", "otvetstvennost"],
        "llc",
    ),
    (
        &["obshchestvo", "s", "ogranichennoi", "otvetstvennost"],
        "llc",
    ),
    (
        &["tovarystvo", "z", "obmezhenoiu", "vidpovidalnistiu"],
        "llc",
    ),
    (&["limited", "liability", "company"], "llc"),
    (&["limited", "liability", "partnership"], "llp"),
    (&["public", "joint", "stock", "company"], "pjsc"),
    (&["closed", "joint", "stock", "company"], "cjsc"),
    (&["open", "joint", "stock", "company"], "ojsc"),
    (&["joint", "stock", "company"], "jsc"),
    (&["publichnoe", "aktsionernoe", "obshchestvo"], "pjsc"),
    (&["publichnoye", "aktsionernoye", "obshchestvo"], "pjsc"),
    (&["zakrytoe", "aktsionernoe", "obshchestvo"], "cjsc"),
    (&["zakrytoye", "aktsionernoye", "obshchestvo"], "cjsc"),
    (&["otkrytoe", "aktsionernoe", "obshchestvo"], "ojsc"),
    (&["otkrytoye", "aktsionernoye", "obshchestvo"], "ojsc"),
    (&["aktsionernoe", "obshchestvo"], "jsc"),
    (&["aktsionernoye", "obshchestvo"], "jsc"),
    (&["aktsionerne", "tovarystvo"], "jsc"),
    (&["public", "limited", "company"], "plc"),
    (&["private", "limited", "company"], "ltd"),
    (&["company", "limited"], "ltd"),
    (&["co", "ltd"], "ltd"),
    (&["pvt", "ltd"], "ltd"),
    (&["pte", "ltd"], "ltd"),
    (&["private", "limited"], "ltd"),
    (&["sdn", "bhd"], "bhd"),
    (&["free", "zone", "establishment"], "fze"),
    (&["free", "zone", "company"], "fzco"),
    (&["fz", "llc"], "llc"),
    (&["sociedad", "anonima", "de", "capital", "variable"], "sa"),
    (&["s", "a", "de", "c", "v"], "sa"),
    (&["sa", "de", "cv"], "sa"),
    (&["sociedad", "anonima"], "sa"),
    (&["sociedade", "anonima"], "sa"),
    (&["societe", "anonyme"], "sa"),
    (&["anonim", "sirketi"], "sa"),
    (&["sociedad", "limitada"], "srl"),
    (&["societa", "per", "azioni"], "spa"),
    (&["s", "p", "a"], "spa"),
    (&["s", "a", "r", "l"], "sarl"),
    (&["s", "r", "l"], "srl"),
    (&["s", "a"], "sa"),
    (&["l", "l", "c"], "llc"),
    (&["l", "l", "p"], "llp"),
    (&["j", "s", "c"], "jsc"),
    (&["p", "l", "c"], "plc"),
    (&["b", "v"], "bv"),
    (&["n", "v"], "nv"),
    (&["limited"], "ltd"),
    (&["ltd"], "ltd"),
    (&["llc"], "llc"),
    (&["ooo"], "llc"),
    (&["tov"], "llc"),
    (&["too"], "llc"),
    (&["llp"], "llp"),
    (&["jsc"], "jsc"),
    (&["ao"], "jsc"),
    (&["pjsc"], "pjsc"),
    (&["pao"], "pjsc"),
    (&["cjsc"], "cjsc"),
    (&["zao"], "cjsc"),
    (&["ojsc"], "ojsc"),
    (&["oao"], "ojsc"),
    (&["plc"], "plc"),
    (&["inc"], "inc"),
    (&["incorporated"], "inc"),
    (&["corp"], "corp"),
    (&["corporation"], "corp"),
    (&["co"], "co"),
    (&["company"], "co"),
    (&["gmbh"], "gmbh"),
    (&["ag"], "ag"),
    (&["kg"], "kg"),
    (&["sa"], "sa"),
    (&["sarl"], "sarl"),
    (&["srl"], "srl"),
    (&["spa"], "spa"),
    (&["bv"], "bv"),
    (&["nv"], "nv"),
    (&["ab"], "ab"),
    (&["oy"], "oy"),
    (&["as"], "as"),
    (&["asa"], "as"),
    (&["fze"], "fze"),
    (&["fzco"], "fzco"),
    (&["fzc"], "fzco"),
    (&["fzllc"], "llc"),
    (&["pte"], "pte"),
    (&["pvt"], "ltd"),
    (&["bhd"], "bhd"),
    (&["tbk"], "tbk"),
    (&["lp"], "lp"),
    (&["sas"], "sas"),
    (&["sl"], "sl"),
    (&["doo"], "llc"),
    (&["kft"], "llc"),
    (&["sro"], "llc"),
    (&["uab"], "llc"),
    (&["ltda"], "ltd"),
    (&["limitada"], "ltd"),
];

/// Words that only occur in legal forms. When a name spells a legal form in a way the phrase
/// table does not know ("Ltd Liability Company", "Joint Stock Co."), each of these words still
/// becomes a legal-form token, so it counts as little as a recognised legal form would.
pub const LEGAL_FORM_WORDS: &[(&str, &str)] = &[
    ("aktsionernoe", "jsc"),
    ("aktsionernoye", "jsc"),
    ("anonim", "sa"),
    ("anonima", "sa"),
    ("anonyme", "sa"),
    ("closed", "closed"),
    ("company", "co"),
    ("corporation", "corp"),
    ("incorporated", "inc"),
    ("joint", "joint"),
    ("liability", "liability"),
    ("limited", "ltd"),
    ("ltd", "ltd"),
    ("obshchestvo", "society"),
    ("ogranichennoi", "limited"),
    ("ogranichennoy", "limited"),
    ("otvetstvennostyu", "liability"),
    ("public", "public"),
    ("sirketi", "company"),
    ("sociedad", "society"),
    ("sociedade", "society"),
    ("societe", "society"),
    ("stock", "stock"),
];

/// Small words that join name parts (Arabic, Dutch, German, Romance, English connectives).
/// They count little: "Ansar al-Islam" ≈ "Ansar Islam".
pub const PARTICLES: &[&str] = &[
    "a", "abd", "abou", "abu", "al", "an", "and", "ar", "as", "at", "az", "ben", "bin", "bint",
    "d", "da", "das", "de", "del", "della", "den", "der", "des", "di", "do", "dos", "du", "e",
    "el", "et", "for", "i", "ibn", "in", "la", "le", "of", "ou", "the", "ul", "um", "umm", "und",
    "van", "von", "y", "z", "za",
];

/// The legal-form code of a word that only occurs in legal forms, also when misspelt by
/// one letter (two for long words): "Compeny", "Liebility", "Stok" are still legal-form words.
pub fn legal_form_word(word: &str) -> Option<&'static str> {
    if let Ok(i) = LEGAL_FORM_WORDS.binary_search_by(|(w, _)| (*w).cmp(word)) {
        return Some(LEGAL_FORM_WORDS[i].1);
    }
    if word.len() < 4 {
        return None;
    }
    let allowed = if word.len() >= 9 { 2 } else { 1 };
    LEGAL_FORM_WORDS
        .iter()
        .filter(|(w, _)| w.len() >= 4 && w.len().abs_diff(word.len()) <= allowed)
        .find(|(w, _)| rapidfuzz::distance::osa::distance(w.chars(), word.chars()) <= allowed)
        .map(|(_, code)| *code)
}

pub fn is_particle(word: &str) -> bool {
    PARTICLES.binary_search(&word).is_ok()
}

/// Finds the longest legal-form phrase starting at `words[i]`: (number of words, code).
pub fn legal_form_at(words: &[&str], i: usize) -> Option<(usize, &'static str)> {
    let mut best: Option<(usize, &'static str)> = None;
    for (phrase, code) in LEGAL_FORMS {
        let n = phrase.len();
        if i + n <= words.len() && words[i..i + n] == phrase[..] && best.is_none_or(|(m, _)| n > m)
        {
            best = Some((n, code));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legal_form_words_sorted() {
        assert!(LEGAL_FORM_WORDS.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(legal_form_word("company"), Some("co"));
        assert_eq!(legal_form_word("trading"), None);
        assert_eq!(legal_form_word("compeny"), Some("co"));
        assert_eq!(legal_form_word("liebility"), Some("liability"));
        assert_eq!(legal_form_word("stok"), Some("stock"));
        assert_eq!(legal_form_word("stark"), None);
    }

    #[test]
    fn particles_sorted() {
        assert!(PARTICLES.windows(2).all(|w| w[0] < w[1]));
        assert!(is_particle("al") && is_particle("van") && !is_particle("ivan"));
    }

    #[test]
    fn legal_form_phrases() {
        let w = ["limited", "liability", "company", "maximum"];
        assert_eq!(legal_form_at(&w, 0), Some((3, "llc")));
        assert_eq!(legal_form_at(&w, 3), None);
        let w = ["cecoex", "s", "a"];
        assert_eq!(legal_form_at(&w, 1), Some((2, "sa")));
    }
}
