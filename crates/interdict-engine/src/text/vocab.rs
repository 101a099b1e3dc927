//! Word lists: legal forms (normalised to a typed token) and name particles.
//!
//! Legal forms are recognised as whole phrases and replaced by one `LegalForm` token holding a
//! canonical code, so "Limited Liability Company", "Ltd Liability Co.", "LLC", "OOO", "ООО"
//! and "Obshchestvo s Ogranichennoy Otvetstvennostyu" are the same token. Before phrases are
//! looked up, each word is put in its canonical spelling: abbreviations are expanded (Co. →
//! company) and misspelt legal vocabulary is recognised (Compeny, Liebility, Stok, Jint).
//! Legal-form words left outside a phrase still become legal-form tokens. They are not
//! dropped: a legal form counts a little, and an explanation shows it.

use std::borrow::Cow;

use crate::score::distance::osa;

/// Abbreviations of legal vocabulary, expanded before phrase lookup.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("co", "company"),
    ("corp", "corporation"),
    ("inc", "incorporated"),
    ("jt", "joint"),
    ("ltd", "limited"),
];

/// Words of legal forms, in canonical spelling (sorted). Misspellings of the longer ones are
/// recognised.
const LEGAL_VOCABULARY: &[&str] = &[
    "aktsionernoe",
    "aktsionernoye",
    "anonim",
    "anonima",
    "anonyme",
    "beschrankter",
    "closed",
    "company",
    "corporation",
    "gesellschaft",
    "haftung",
    "incorporated",
    "joint",
    "liability",
    "limitada",
    "limited",
    "obshchestvo",
    "ogranichennoi",
    "ogranichennoj",
    "ogranichennoy",
    "otkrytoe",
    "otkrytoye",
    "otvetstvennost",
    "otvetstvennostju",
    "otvetstvennostyu",
    "partnership",
    "private",
    "public",
    "publichnoe",
    "publichnoye",
    "sirketi",
    "sociedad",
    "sociedade",
    "societa",
    "societe",
    "stock",
    "zakrytoe",
    "zakrytoye",
];

/// Legal vocabulary that is a legal form on its own, outside a phrase, with its code.
/// (Open, public, private, closed are ordinary words on their own.)
const STANDALONE: &[(&str, &str)] = &[
    ("aktsionernoe", "jsc"),
    ("aktsionernoye", "jsc"),
    ("anonim", "sa"),
    ("anonima", "sa"),
    ("anonyme", "sa"),
    ("company", "co"),
    ("corporation", "corp"),
    ("gesellschaft", "gmbh"),
    ("incorporated", "inc"),
    ("joint", "joint"),
    ("liability", "liability"),
    ("limitada", "ltd"),
    ("limited", "ltd"),
    ("obshchestvo", "society"),
    ("partnership", "partnership"),
    ("sirketi", "company"),
    ("sociedad", "society"),
    ("sociedade", "society"),
    ("societe", "society"),
    ("stock", "stock"),
];

/// Legal words that are often written joined to the next or previous word
/// ("LIABILITYCOMPANY", "COMPANYGEOS", "INTERNATIONALLIMITED") and are split off.
const JOINABLE: &[&str] = &[
    "company",
    "corporation",
    "joint",
    "liability",
    "limited",
    "stock",
];

/// (phrase in canonical words, code).
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
    (&["private", "joint", "stock", "company"], "jsc"),
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
    (&["private", "limited"], "ltd"),
    (&["pvt", "limited"], "ltd"),
    (&["pte", "limited"], "ltd"),
    (&["sdn", "bhd"], "bhd"),
    (&["free", "zone", "establishment"], "fze"),
    (&["free", "zone", "company"], "fzco"),
    (&["fz", "llc"], "llc"),
    (&["gesellschaft", "mit", "beschrankter", "haftung"], "gmbh"),
    (&["gesellschaft", "mbh"], "gmbh"),
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
    (&["s", "a", "s"], "sas"),
    (&["s", "a"], "sa"),
    (&["l", "l", "c"], "llc"),
    (&["l", "l", "p"], "llp"),
    (&["j", "s", "c"], "jsc"),
    (&["p", "l", "c"], "plc"),
    (&["b", "v"], "bv"),
    (&["n", "v"], "nv"),
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
];

/// Small words that join name parts (Arabic, Dutch, German, Romance, English connectives).
/// They count little: "Ansar al-Islam" ≈ "Ansar Islam".
pub const PARTICLES: &[&str] = &[
    "a", "abd", "abou", "abu", "al", "an", "and", "ar", "as", "at", "az", "ben", "bin", "bint",
    "d", "da", "das", "de", "del", "della", "den", "der", "des", "di", "do", "dos", "du", "e",
    "el", "et", "for", "i", "ibn", "in", "la", "le", "of", "ou", "the", "ul", "um", "umm", "und",
    "van", "von", "y", "z", "za",
];

/// Honorifics and academic or religious titles put before a name ("Dr.", دکتر, Mawlawi,
/// Mullah). They are not part of the name and count as little as a particle. Words that are
/// also family names (Sheikh, Haji, Sayed) are not here: they must keep their weight.
pub const TITLES: &[&str] = &[
    "dktr",
    "doctor",
    "dr",
    "maulavi",
    "maulvi",
    "mawlavi",
    "mawlawi",
    "mla",
    "mr",
    "mrs",
    "ms",
    "mulla",
    "mullah",
    "mwlwy",
    "prof",
    "professor",
];

pub fn is_particle(word: &str) -> bool {
    PARTICLES.binary_search(&word).is_ok() || TITLES.binary_search(&word).is_ok()
}

/// Whether `word` is a misspelling of `vocab`: one edit (two for long words), starting with
/// the same letter, with the first two letters swapped, or with one letter put in front.
fn misspelling_of(word: &str, vocab: &str) -> bool {
    let (w, v) = (word.as_bytes(), vocab.as_bytes());
    if w.len() < 4 || v.len() < 5 {
        return false;
    }
    let allowed = if v.len() >= 9 { 2 } else { 1 };
    // Same first letter, or the vocabulary's first letter second: the first two letters
    // swapped (Goranichennoi) or one letter put in front (Djoint).
    let start_ok = w[0] == v[0] || (w.len() > 1 && w[1] == v[0]);
    start_ok && w.len().abs_diff(v.len()) <= allowed && osa(w, v) <= allowed
}

/// The canonical spelling of a word for legal-form lookup: abbreviations expanded, legal
/// vocabulary recognised through small misspellings; other words unchanged.
pub fn canonical(word: &str) -> Cow<'_, str> {
    if let Some((_, full)) = ABBREVIATIONS.iter().find(|(a, _)| *a == word) {
        return Cow::Borrowed(full);
    }
    if LEGAL_VOCABULARY.binary_search(&word).is_ok() {
        return Cow::Borrowed(word);
    }
    match LEGAL_VOCABULARY.iter().find(|v| misspelling_of(word, v)) {
        Some(v) => Cow::Borrowed(v),
        None => Cow::Borrowed(word),
    }
}

/// The legal-form code of a canonical word that is a legal form on its own.
pub fn standalone_legal_form(canonical_word: &str) -> Option<&'static str> {
    STANDALONE
        .binary_search_by(|(w, _)| (*w).cmp(canonical_word))
        .ok()
        .map(|i| STANDALONE[i].1)
}

/// Splits a legal word off a word it was written together with: "liabilitycompany" →
/// ["liability", "company"], "companygeos" → ["company", "geos"]. Returns None when there is
/// nothing to split.
pub fn split_joined_legal(word: &str) -> Option<(&str, &str)> {
    if word.len() < 8 {
        return None;
    }
    for v in JOINABLE {
        if let Some(rest) = word.strip_prefix(v) {
            if rest.len() >= 3 {
                return Some((&word[..v.len()], rest));
            }
        }
        if let Some(rest) = word.strip_suffix(v) {
            if rest.len() >= 3 {
                return Some((rest, &word[rest.len()..]));
            }
        }
    }
    None
}

/// Finds the longest legal-form phrase starting at `words[i]` (canonical words):
/// (number of words, code).
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
    fn tables_sorted() {
        assert!(PARTICLES.windows(2).all(|w| w[0] < w[1]));
        assert!(TITLES.windows(2).all(|w| w[0] < w[1]));
        assert!(is_particle("dr") && is_particle("mawlawi") && !is_particle("sheikh"));
        assert!(LEGAL_VOCABULARY.windows(2).all(|w| w[0] < w[1]));
        assert!(STANDALONE.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(is_particle("al") && is_particle("van") && !is_particle("ivan"));
    }

    #[test]
    fn canonical_spellings() {
        assert_eq!(canonical("co"), "company");
        assert_eq!(canonical("compeny"), "company");
        assert_eq!(canonical("liebility"), "liability");
        assert_eq!(canonical("stok"), "stock");
        assert_eq!(canonical("jint"), "joint");
        assert_eq!(canonical("goranichennoi"), "ogranichennoi");
        assert_eq!(canonical("djoint"), "joint");
        // Not legal words.
        assert_eq!(canonical("unlimited"), "unlimited");
        assert_eq!(canonical("stark"), "stark");
        assert_eq!(canonical("trading"), "trading");
    }

    #[test]
    fn joined_legal_words() {
        assert_eq!(
            split_joined_legal("liabilitycompany"),
            Some(("liability", "company"))
        );
        assert_eq!(split_joined_legal("companygeos"), Some(("company", "geos")));
        assert_eq!(
            split_joined_legal("internationallimited"),
            Some(("international", "limited"))
        );
        assert_eq!(split_joined_legal("company"), None);
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
