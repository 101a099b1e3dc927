//! A conservative pre-filter for delta rescreening.
//!
//! Screening a million subjects against a 23-entity delta spends nearly all its time analysing
//! subject names (cleaning, romanisation, phonetics) only to find no candidate. So each
//! subject's analysed tokens are stored with it (`subjects.match_keys`, computed when the
//! subject is written), and a delta run first checks, per subject, whether any token could
//! retrieve any delta entity; only subjects that pass are screened by the engine.
//!
//! The check is deliberately looser than the engine's candidate retrieval (which needs a
//! shared word, a one-edit variant, an equal phonetic skeleton, consonant outline or two
//! words written together): a subject passes if any of its tokens, or two of them joined,
//! equals a delta token or joined pair up to one deletion on either side, or shares a
//! skeleton or consonant outline with one (an Arabic-script word: any outline the engine
//! looks up; a delta name: also the outlines of its words joined), or any identifier key is
//! shared. It can only
//! let through too much, never too little, as long as the engine retrieves by those keys.
//!
//! Stored tokens depend on the engine's analysis; [`analysis_fingerprint`] changes when the
//! analysis does, and the store then recomputes every subject's keys before using them.

use rustc_hash::FxHashSet as HashSet;

use interdict_engine::text::phonetic::consonants;
use interdict_engine::text::{abjad, analyze, Token, TokenKind};
use interdict_model::{Entity, Identifier, Schema};

use crate::util::sha256_hex;
use crate::SubjectInput;

/// Names whose analysis fingerprints the engine's text pipeline (several scripts, legal forms,
/// particles, initials, digits).
const PROBES: &[(&str, bool)] = &[
    ("ZHAO, Guangzong", false),
    ("倪高彬", false),
    (
        "WUHAN XIAORUIZHI SCIENCE AND TECHNOLOGY COMPANY, LIMITED",
        true,
    ),
    ("Wuhan Xiaoruizhi Sci & Tech Co Ltd", true),
    ("KAIGORODOV, Igor Veniaminovich", false),
    ("Пригожин Евгений Викторович", false),
    ("محمد علي", false),
    ("김정은", false),
    ("Abu Bakr al-Baghdadi", false),
    ("J. R. Smith 3rd", false),
    ("OOO Rosneft-Trade 2000", true),
    ("Müller & Söhne GmbH", true),
    ("Ελληνική Ναυτιλιακή Α.Ε.", true),
];

fn token_sig(t: &Token) -> String {
    format!("{},{},{},{:?};", t.text, t.skel, t.cons, t.kind)
}

/// Changes whenever the engine analyses any probe name differently.
pub fn analysis_fingerprint() -> String {
    // The stored key format's version is part of it too.
    let mut s = String::from("keys-v3|");
    for (name, org) in PROBES {
        for t in analyze(name, *org) {
            s.push_str(&token_sig(&t));
        }
        s.push('|');
    }
    sha256_hex(s.as_bytes())
}

/// Analyses a name the ways the engine may: as a person and, for organisations or unknown
/// schemas, as an organisation.
fn analyses(name: &str, schema: Option<Schema>) -> Vec<Vec<Token>> {
    match schema {
        Some(Schema::Person) => vec![analyze(name, false)],
        Some(_) => vec![analyze(name, true), analyze(name, false)],
        None => vec![analyze(name, false), analyze(name, true)],
    }
}

/// Shortest phonetic skeleton that lets a subject through on its own. Two-letter skeletons
/// (`MR`, `KS`) are shared by a large part of any customer base and, alone, never carry a
/// name to the alert threshold; the recall test in `tests/seed_scenario.rs` checks this.
const MIN_SKELETON: usize = 3;

fn searchable(t: &Token) -> bool {
    matches!(t.kind, TokenKind::Word | TokenKind::Number)
}

/// The stored form of a subject's tokens: `text,skel,cons,flag` per token (flag `a`: a
/// searchable word from an abjad script, `w`: another searchable word or number, `-`: a
/// particle, legal form or initial; `j`: two adjacent searchable words joined, in either
/// order, with the skeleton of the joined text; `o`: another consonant outline of an
/// Arabic-script word, see `abjad::outlines`), separated by spaces.
pub fn subject_keys(s: &SubjectInput) -> String {
    let mut out = String::new();
    for name in &s.names {
        for tokens in analyses(name, s.schema) {
            // Analysed text is ASCII without separators; be safe anyway.
            let clean = |x: &str| x.replace([',', ' ', ';'], "");
            for w in tokens.windows(2) {
                if searchable(&w[0]) && searchable(&w[1]) {
                    for j in [
                        format!("{}{}", w[0].text, w[1].text),
                        format!("{}{}", w[1].text, w[0].text),
                    ] {
                        let skel = interdict_engine::text::phonetic::skeleton(&j);
                        if !out.is_empty() {
                            out.push(' ');
                        }
                        out.push_str(&clean(&j));
                        out.push(',');
                        out.push_str(&clean(&skel));
                        out.push_str(",,j");
                    }
                }
            }
            for t in &tokens {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(&clean(&t.text));
                out.push(',');
                out.push_str(&clean(&t.skel));
                out.push(',');
                out.push_str(&clean(&t.cons));
                out.push(',');
                out.push(match (searchable(t), t.from_abjad()) {
                    (true, true) => 'a',
                    (true, false) => 'w',
                    _ => '-',
                });
                // The other readings of an Arabic-script word that the engine looks up.
                if searchable(t) {
                    for o in abjad::outlines(&t.abjad, abjad::LOOKUP_OUTLINES) {
                        out.push_str(" ,,");
                        out.push_str(&clean(&o));
                        out.push_str(",o");
                    }
                }
            }
        }
    }
    out
}

fn push_deletions(word: &str, out: &mut HashSet<String>) {
    out.insert(word.to_string());
    if word.len() < 3 || !word.is_ascii() {
        return;
    }
    for i in 0..word.len() {
        let mut s = String::with_capacity(word.len() - 1);
        s.push_str(&word[..i]);
        s.push_str(&word[i + 1..]);
        out.insert(s);
    }
}

/// What the delta's names could be retrieved by.
pub struct DeltaFilter {
    /// Texts and joined pairs, each with its single-character deletions.
    words: HashSet<String>,
    skels: HashSet<String>,
    cons: HashSet<String>,
    ids: HashSet<String>,
}

impl DeltaFilter {
    pub fn new(entities: &[Entity]) -> DeltaFilter {
        let mut f = DeltaFilter {
            words: HashSet::default(),
            skels: HashSet::default(),
            cons: HashSet::default(),
            ids: HashSet::default(),
        };
        for e in entities {
            for n in &e.names {
                for tokens in [analyze(&n.value, false), analyze(&n.value, true)] {
                    for t in tokens.iter().filter(|t| searchable(t)) {
                        push_deletions(&t.text, &mut f.words);
                        if t.skel.len() >= 2 {
                            f.skels.insert(t.skel.clone());
                        }
                        if t.cons.len() >= 2 {
                            f.cons.insert(t.cons.clone());
                        }
                    }
                    for (a, ta) in tokens.iter().enumerate() {
                        for (b, tb) in tokens.iter().enumerate() {
                            if a != b && ta.kind != TokenKind::LegalForm {
                                let j = format!("{}{}", ta.text, tb.text);
                                let skel = interdict_engine::text::phonetic::skeleton(&j);
                                if skel.len() >= 2 {
                                    f.skels.insert(skel);
                                }
                                // Joined words are filed by outline for Arabic-script words.
                                f.cons.insert(consonants(&j));
                                push_deletions(&j, &mut f.words);
                            }
                        }
                    }
                    for w in tokens.windows(3) {
                        if w[1].kind == TokenKind::Particle {
                            f.cons.insert(consonants(&format!(
                                "{}{}{}",
                                w[0].text, w[1].text, w[2].text
                            )));
                        }
                    }
                }
            }
            for id in &e.identifiers {
                f.ids.insert(Identifier::match_key(id.kind, &id.value));
            }
        }
        f
    }

    /// Whether any delta entity has an identifier (else subjects' identifiers are not read).
    pub fn has_ids(&self) -> bool {
        !self.ids.is_empty()
    }

    fn word_hit(&self, w: &str, buf: &mut String) -> bool {
        if self.words.contains(w) {
            return true;
        }
        if w.len() < 4 || !w.is_ascii() {
            return false;
        }
        for i in 0..w.len() {
            buf.clear();
            buf.push_str(&w[..i]);
            buf.push_str(&w[i + 1..]);
            if self.words.contains(buf.as_str()) {
                return true;
            }
        }
        false
    }

    /// Whether a subject with these stored keys and identifiers could match a delta entity.
    pub fn may_match(&self, keys: &str, identifiers: &[Identifier]) -> bool {
        if identifiers
            .iter()
            .any(|i| self.ids.contains(&Identifier::match_key(i.kind, &i.value)))
        {
            return true;
        }
        let mut buf = String::new();
        for t in keys.split(' ') {
            let mut p = t.split(',');
            let (Some(text), Some(skel), Some(cons), Some(flag)) =
                (p.next(), p.next(), p.next(), p.next())
            else {
                continue;
            };
            let hit = match flag {
                "w" | "a" => {
                    (skel.len() >= MIN_SKELETON && self.skels.contains(skel))
                        || (flag == "a" && cons.len() >= 2 && self.cons.contains(cons))
                        || self.word_hit(text, &mut buf)
                }
                "j" => self.words.contains(text) || (skel.len() >= 3 && self.skels.contains(skel)),
                "o" => cons.len() >= 2 && self.cons.contains(cons),
                _ => false,
            };
            if hit {
                return true;
            }
        }
        false
    }
}
