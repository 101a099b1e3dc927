//! Name analysis: raw name → typed tokens, in four small stages.
//!
//! 1. [`clean`]: invisible characters, NFKC, look-alike letters, leetspeak.
//! 2. [`romanize`]: every script to lowercase ASCII words.
//! 3. [`vocab`]: legal-form phrases become one typed token; particles are marked.
//! 4. [`phonetic`]: each token gets a consonant skeleton for cross-spelling comparison.

pub mod abjad;
pub mod clean;
pub mod phonetic;
pub mod romanize;
pub mod vocab;

pub use romanize::Script;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    Word,
    /// al, bin, van, de …: counts little.
    Particle,
    /// A legal form; `text` holds the canonical code (llc, jsc, ltd, …).
    LegalForm,
    /// A single letter, usually an initial.
    Initial,
    /// Digits.
    Number,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Token {
    /// Romanised, lowercase ASCII (for legal forms: the canonical code).
    pub text: String,
    /// Consonant skeleton, see [`phonetic::skeleton`].
    #[serde(skip)]
    pub skel: String,
    /// Consonant letters, see [`phonetic::consonants`].
    #[serde(skip)]
    pub cons: String,
    /// Which letters and digits occur in `text` (bit 0 = a … bit 25 = z, bit 26 = any digit),
    /// for rejecting dissimilar pairs without computing an edit distance.
    #[serde(skip)]
    pub mask: u64,
    pub kind: TokenKind,
    /// Script the word was written in.
    pub script: Script,
    /// For Arabic-script words, the letters as written (see [`abjad`]): compared letter by
    /// letter with the spellings each may have. Empty for other scripts.
    #[serde(skip)]
    pub abjad: String,
}

impl Token {
    /// Whether the token came from a non-Latin script (its spelling is a guess).
    pub fn transliterated(&self) -> bool {
        self.script != Script::Latin
    }

    /// Whether the token came from Han or Hangul: romanised syllable by syllable from the
    /// characters, so it has no typos and a different consonant is a different name.
    pub fn syllabic(&self) -> bool {
        matches!(self.script, Script::Han | Script::Hangul)
    }

    /// Whether the token came from a script that does not write short vowels (Arabic,
    /// Persian, Hebrew): its romanised spelling is little more than its consonants.
    pub fn from_abjad(&self) -> bool {
        matches!(self.script, Script::Arabic | Script::Hebrew)
    }
}

/// Analyses a name into tokens. `organization` enables legal-form recognition (a person's
/// name "Sa" or "Ao" is not a legal form).
pub fn analyze(name: &str, organization: bool) -> Vec<Token> {
    analyze_with(name, organization, clean::Leet::Inner)
}

/// [`analyze`] with a choice of leetspeak reading (see [`clean::Leet`]).
pub fn analyze_with(name: &str, organization: bool, leet: clean::Leet) -> Vec<Token> {
    tokens_from_words(
        romanize::romanize(&clean::clean_with(name, leet)),
        organization,
    )
}

/// Analyses a name whose kind is unknown: as an organisation when it contains a legal form,
/// else as a person. Cleaning and romanisation run once. Returns the tokens and whether the
/// name was read as an organisation.
pub fn analyze_auto(name: &str, leet: clean::Leet) -> (Vec<Token>, bool) {
    let words = romanize::romanize(&clean::clean_with(name, leet));
    let as_org = tokens_from_words(words.clone(), true);
    if as_org.iter().any(|t| t.kind == TokenKind::LegalForm) {
        (as_org, true)
    } else {
        (tokens_from_words(words, false), false)
    }
}

fn tokens_from_words(mut words: Vec<romanize::Word>, organization: bool) -> Vec<Token> {
    if organization {
        words = split_legal_words(words);
    }
    // Canonical spellings for legal-form lookup (organisations only).
    let canon: Vec<std::borrow::Cow<'_, str>> = if organization {
        words.iter().map(|w| vocab::canonical(&w.text)).collect()
    } else {
        Vec::new()
    };
    let texts: Vec<&str> = canon.iter().map(|c| c.as_ref()).collect();
    let legal = |code: &str, script| Token {
        text: code.to_string(),
        skel: String::new(),
        cons: String::new(),
        mask: letter_mask(code),
        kind: TokenKind::LegalForm,
        script,
        abjad: String::new(),
    };
    let mut tokens = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        if organization {
            if let Some((n, code)) = vocab::legal_form_at(&texts, i) {
                tokens.push(legal(code, w.script));
                i += n;
                continue;
            }
            if let Some(code) = vocab::standalone_legal_form(texts[i]) {
                tokens.push(legal(code, w.script));
                i += 1;
                continue;
            }
        }
        let kind = if w.text.bytes().all(|b| b.is_ascii_digit()) {
            TokenKind::Number
        } else if vocab::is_particle(&w.text) {
            TokenKind::Particle
        } else if w.text.len() == 1 {
            TokenKind::Initial
        } else {
            TokenKind::Word
        };
        tokens.push(Token {
            skel: phonetic::skeleton(&w.text),
            cons: phonetic::consonants(&w.text),
            mask: letter_mask(&w.text),
            text: w.text.clone(),
            kind,
            script: w.script,
            abjad: w.abjad.clone(),
        });
        i += 1;
    }
    tokens
}

/// See [`Token::mask`].
pub fn letter_mask(text: &str) -> u64 {
    text.bytes().fold(0u64, |m, b| match b {
        b'a'..=b'z' => m | 1 << (b - b'a'),
        b'0'..=b'9' => m | 1 << 26,
        _ => m,
    })
}

/// Splits legal words off the words they were written together with (see
/// [`vocab::split_joined_legal`]).
fn split_legal_words(words: Vec<romanize::Word>) -> Vec<romanize::Word> {
    let mut out = Vec::with_capacity(words.len());
    for w in words {
        match vocab::split_joined_legal(&w.text) {
            Some((a, b)) => {
                let (a, b) = (a.to_string(), b.to_string());
                // Legal words are Latin or Cyrillic: the Arabic letters do not split.
                out.push(romanize::Word {
                    text: a,
                    script: w.script,
                    abjad: String::new(),
                });
                out.push(romanize::Word {
                    text: b,
                    script: w.script,
                    abjad: String::new(),
                });
            }
            None => out.push(w),
        }
    }
    out
}

/// The analysed name as one normalised string (tokens joined by spaces), e.g. for display
/// and exact-match keys.
pub fn normalize(name: &str, organization: bool) -> String {
    analyze(name, organization)
        .iter()
        .map(|t| t.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn legal_forms_become_one_token() {
        let t = analyze(
            "LIMITED LIABILITY COMPANY TRADING & PRODUCTION COMPLEX MAXIMUM",
            true,
        );
        assert_eq!(t[0].kind, TokenKind::LegalForm);
        assert_eq!(t[0].text, "llc");
        assert_eq!(normalize("ООО «Ромашка»", true), "llc romashka");
        assert_eq!(normalize("Cecoex, S.A.", true), "cecoex sa");
        // Abbreviated and misspelt legal forms are the same legal form.
        assert_eq!(
            normalize("Ltd LIABILITY COMPANY SOUTH PORT", true),
            "llc south port"
        );
        assert_eq!(normalize("OPEN JINT STOCK Co. BANK", true), "ojsc bank");
        assert_eq!(
            normalize("LIMITED LIABILITYCOMPANY INFERIT", true),
            "llc inferit"
        );
        assert_eq!(
            normalize("TARA STEEL Gesellschaft mbH", true),
            "tara steel gmbh"
        );
        // Legal words outside a phrase are still legal-form tokens; ordinary words are not.
        let t = analyze("Open Society Liability Fund", true);
        assert_eq!(
            t.iter().filter(|t| t.kind == TokenKind::LegalForm).count(),
            1
        );
        // Not for people.
        assert_eq!(normalize("Ao Lin", false), "ao lin");
    }

    #[test]
    fn evasions_normalise_to_the_plain_name() {
        let plain = normalize("Abu Mahdi AL-MUHANDIS", false);
        assert_eq!(
            normalize("A\u{200B}bu Mahdi AL\u{FEFF}-MUHANDIS", false),
            plain
        );
        assert_eq!(normalize("Аbu Маhdi АL-MUHАNDIS", false), plain);
        assert_eq!(normalize("@bu M@hdi AL-MUH@NDIS", false), plain);
        assert_eq!(normalize("ABU MAHDI al muhandis", false), plain);
    }

    #[test]
    fn unknown_kind_reads_legal_forms() {
        let (t, org) = analyze_auto("Wuhan Xiaoruizhi Co Ltd", clean::Leet::Inner);
        assert!(org && t.iter().any(|t| t.kind == TokenKind::LegalForm));
        let (t, org) = analyze_auto("Maria Lopez", clean::Leet::Inner);
        assert!(!org && t.iter().all(|t| t.kind != TokenKind::LegalForm));
    }

    #[test]
    fn particles_and_initials() {
        let t = analyze("Ansar al-Islam J.", false);
        assert_eq!(t[1].kind, TokenKind::Particle);
        assert_eq!(t[3].kind, TokenKind::Initial);
    }

    proptest! {
        #[test]
        fn never_panics_and_is_ascii(s in "\\PC{0,40}") {
            for org in [false, true] {
                for t in analyze(&s, org) {
                    prop_assert!(t.text.is_ascii());
                    prop_assert!(!t.text.is_empty());
                }
            }
        }

        #[test]
        fn normalize_is_idempotent(s in "\\PC{0,40}") {
            let once = normalize(&s, false);
            prop_assert_eq!(normalize(&once, false), once.clone());
        }

        #[test]
        fn case_and_invisibles_do_not_matter(s in "[a-zA-Z ]{1,30}") {
            let spaced: String = s.chars().flat_map(|c| [c, '\u{200B}']).collect();
            prop_assert_eq!(normalize(&spaced.to_uppercase(), false), normalize(&s, false));
        }

        #[test]
        fn cyrillic_round_trip_through_translit(s in "[а-яА-Я ]{1,20}") {
            // Transliteration is stable: romanised output analyses to itself.
            let once = normalize(&s, false);
            prop_assert_eq!(normalize(&once, false), once);
        }
    }
}
