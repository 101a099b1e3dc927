//! Name against name: token similarity and order-free alignment.
//!
//! Each query token is paired with at most one list token (or with two adjacent list tokens
//! written together, and vice versa: "MahdiKhanpour" ↔ "Mahdi Khanpour"). Pairs are chosen
//! greedily by similarity. The name score then weighs what was matched by how rare each token
//! is (a matching "Prigozhin" says more than a matching "Mohammad"):
//!
//! - `query_coverage`: weighted share of the query that found a partner — unmatched query
//!   tokens cost the most (the list does not know that part of the name);
//! - `list_coverage`: weighted share of the list name that was matched — an unmatched list
//!   token (a dropped middle name) costs a little;
//! - `evidence`: the matched weight in absolute terms — matching only a very common token
//!   ("Mohammad") is not enough to raise an alert.

use super::distance::osa;
use serde::Serialize;

use crate::text::abjad;
use crate::text::phonetic::consonants;
use crate::text::{Script, Token, TokenKind};

/// Tokens of a name that are compared; later ones are ignored (no real name comes close).
pub const MAX_TOKENS: usize = 32;
/// Pairs below this similarity are not made.
const MIN_PAIR_SIM: f64 = 0.62;
/// Joining two tokens is already a stretch: the joined spelling must be close — one letter
/// off at most (abjad spellings, compared by consonants, a little less).
fn min_joined_sim(origin: Origin) -> f64 {
    if origin == Origin::Abjad {
        0.85
    } else {
        0.94
    }
}
/// Similarity factor for a particle paired with a word that is not one.
const PARTICLE_WORD_FACTOR: f64 = 0.85;
/// Cost of unmatched list tokens, relative (see module docs).
const LIST_COVERAGE_WEIGHT: f64 = 0.25;
/// The same for organisations, whose distinctive words are not optional the way a middle
/// name is ("King Group" against "King Romans Group").
const ORG_LIST_COVERAGE_WEIGHT: f64 = 0.5;
/// The same for one-word queries ("Wagner" against "Wagner Group").
const SINGLE_WORD_LIST_COVERAGE_WEIGHT: f64 = 0.6;
/// Matched weight needed for full confidence, as a share of the weight of a token that
/// occurs once in the index (so it scales with the index size): one unique token, or two
/// fairly rare ones, suffice; a single common token does not.
pub const EVIDENCE_REQUIRED: f64 = 0.75;

/// How two tokens were found to match.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum How {
    Exact,
    /// Within a small edit distance (typos, transliteration variants).
    Fuzzy,
    /// Same consonant skeleton (transliteration or cross-script).
    Phonetic,
    /// An initial against a word starting with it.
    Initial,
    /// One token against two adjacent tokens written together.
    Joined,
    /// The same legal form.
    LegalForm,
    /// An abbreviation (prefix) of the other word, in organisation names: Sci ↔ Science.
    Abbreviation,
}

/// Similarity of two tokens in [0, 1] and how it was reached.
pub fn token_similarity(q: &Token, n: &Token, org: bool) -> (f64, How) {
    if q.kind == TokenKind::LegalForm || n.kind == TokenKind::LegalForm {
        // Two legal forms are alike even when they differ (LLC vs Ltd): the difference is
        // minor next to the distinctive words of the name.
        return match (q.kind == n.kind, q.text == n.text) {
            (true, true) => (1.0, How::LegalForm),
            (true, false) => (0.8, How::LegalForm),
            _ => (0.0, How::LegalForm),
        };
    }
    if q.text == n.text {
        return (1.0, How::Exact);
    }
    if q.kind == TokenKind::Initial || n.kind == TokenKind::Initial {
        let (i, w) = if q.kind == TokenKind::Initial {
            (q, n)
        } else {
            (n, q)
        };
        return if w.text.starts_with(&i.text) {
            (0.7, How::Initial)
        } else {
            (0.0, How::Initial)
        };
    }
    let mut sim = text_similarity(&Spelling::of(q), &Spelling::of(n), Origin::of(q, n));
    // A particle against a real name part is a weak pair ("al" is not "Ali"): the word's
    // own partner, if any, must win.
    if (q.kind == TokenKind::Particle) != (n.kind == TokenKind::Particle) {
        sim.0 *= PARTICLE_WORD_FACTOR;
    }
    if org && sim.0 < 0.75 {
        let (short, long) = if q.text.len() < n.text.len() {
            (q, n)
        } else {
            (n, q)
        };
        if short.text.len() >= 3
            && long.text.len() >= 2 * short.text.len()
            && long.text.starts_with(&short.text)
        {
            return (0.75, How::Abbreviation);
        }
    }
    sim
}

/// A word's spelling with its precomputed outlines.
pub struct Spelling<'a> {
    pub text: &'a str,
    pub skel: &'a str,
    pub cons: &'a str,
    pub mask: u64,
    /// The Arabic letters, for words written in Arabic script (see [`crate::text::abjad`]).
    pub abjad: &'a str,
}

impl<'a> Spelling<'a> {
    pub fn of(t: &'a Token) -> Self {
        Spelling {
            text: &t.text,
            skel: &t.skel,
            cons: &t.cons,
            mask: t.mask,
            abjad: &t.abjad,
        }
    }
}

/// Where the spellings being compared come from, which decides how differences count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Both written in an alphabet (Latin, Cyrillic, Greek …): typos and spelling variants.
    Alphabetic,
    /// One side from Arabic or Hebrew script: only consonants are known.
    Abjad,
    /// One side from Han or Hangul characters: romanised syllables, no typos.
    Syllabic,
    /// As `Syllabic`, from Hangul: the romanisation systems lists use differ in consonants
    /// too (Kyong/Gyong, Chon/Jon).
    Hangul,
    /// One side romanised from another alphabet (Cyrillic, Greek …): spelling variants of
    /// the same sounds, no typos.
    Transliterated,
}

impl Origin {
    pub fn of(a: &Token, b: &Token) -> Origin {
        if a.from_abjad() || b.from_abjad() {
            Origin::Abjad
        } else if a.script == Script::Hangul || b.script == Script::Hangul {
            Origin::Hangul
        } else if a.syllabic() || b.syllabic() {
            Origin::Syllabic
        } else if a.transliterated() || b.transliterated() {
            Origin::Transliterated
        } else {
            Origin::Alphabetic
        }
    }
}

/// Similarity of two romanised spellings (tokens, or tokens written together).
///
/// Alphabetic: edit distance within an allowance that grows with length, where a vowel edit
/// (Hamas/Hemas, Sytrol/Sitrol) costs a third of a consonant edit (Caron/Carbon), and the
/// skeleton as a second opinion for transliteration variants (Korotchenko/Korotjenko).
/// Syllabic: pinyin syllables are equal or different; Hangul syllables may differ in one
/// vowel or in how a romanisation system writes a consonant (Kyong/Gyong).
/// Abjad: an Arabic-script word against a Latin one letter by letter (see
/// `arabic_latin_similarity`), other abjad pairs by consonants (see `abjad_similarity`).
pub fn text_similarity(a: &Spelling<'_>, b: &Spelling<'_>, origin: Origin) -> (f64, How) {
    let max_len = a.text.len().max(b.text.len());
    if max_len == 0 {
        return (0.0, How::Fuzzy);
    }
    if origin == Origin::Abjad {
        let s = match (a.abjad.is_empty(), b.abjad.is_empty()) {
            (false, true) => arabic_latin_similarity(a, b),
            (true, false) => arabic_latin_similarity(b, a),
            _ => abjad_similarity(a, b),
        };
        let (f, _) = text_similarity(a, b, Origin::Alphabetic);
        return if s > f {
            (s, How::Phonetic)
        } else {
            (f, How::Fuzzy)
        };
    }
    let skel_equal = a.skel.len() >= 2 && a.skel == b.skel;
    // The largest distance that can still produce a pair (see the formulas below); beyond it
    // the pair is rejected from letter counts alone.
    let useful = if skel_equal {
        max_len * 45 / 100
    } else {
        max_len * 22 / 100
    }
    .max(3);
    // Each edit changes the presence of at most two letters.
    if ((a.mask ^ b.mask).count_ones() as usize).div_ceil(2) > useful
        || super::distance::lower_bound(a.text.as_bytes(), b.text.as_bytes()) > useful
    {
        return (0.0, How::Fuzzy);
    }
    let dist = osa(a.text.as_bytes(), b.text.as_bytes());
    let cons_dist = if dist == 0 {
        0
    } else {
        osa(a.cons.as_bytes(), b.cons.as_bytes()).min(dist)
    };
    let vowel_dist = dist - cons_dist;
    // Edits allowed grow with length: none for 1–3 letters, one up to 7, two beyond; vowel
    // differences get one more.
    let allowed = match max_len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    } + usize::from(cons_dist == 0);
    let edit_sim = 1.0 - dist as f64 / max_len as f64;
    let consonant_cost = if max_len <= 6 { 0.75 } else { 0.5 };
    let within = match origin {
        Origin::Alphabetic | Origin::Abjad => dist <= allowed,
        // No typos in a transliteration: one consonant may differ (Belarusian Bahuslauski /
        // Russian Baguslauski), more only within their sound class (Dotsenko ≠ Kostenko).
        Origin::Transliterated => dist <= allowed && (cons_dist <= 1 || skel_equal),
        // Syllables from characters: one vowel at most (Kyong/Kyung), consonants equal.
        // Pinyin is one system: a syllable that differs at all is another syllable.
        Origin::Syllabic => false,
        Origin::Hangul => (dist <= 1 && cons_dist == 0) || korean_variants(a.text, b.text),
    };
    let fuzzy = match (within, origin) {
        (true, Origin::Syllabic | Origin::Hangul) => 0.75,
        (true, _) => {
            1.0 - (consonant_cost * cons_dist as f64 + 0.25 * vowel_dist as f64) / max_len as f64
        }
        (false, Origin::Syllabic | Origin::Hangul | Origin::Transliterated) => edit_sim * 0.6,
        (false, _) => edit_sim * 0.8,
    };
    // Syllables from characters are exact or different: no sound-alike credit (Jong ≠ Kyong).
    let phonetic = if !matches!(origin, Origin::Syllabic | Origin::Hangul)
        && a.skel.len().min(b.skel.len()) >= 3
        && skel_equal
        && edit_sim >= 0.55
    {
        0.7 + 0.2 * edit_sim
    } else {
        0.0
    };
    if phonetic > fuzzy {
        (phonetic, How::Phonetic)
    } else {
        (fuzzy, How::Fuzzy)
    }
}

/// Whether two romanised Korean syllables differ only in how romanisation systems write the
/// same consonant: k/g, t/d, p/b, ch/j, r/l (경 Kyong/Gyong, 전 Chon/Jon, 리 Ri/Li).
fn korean_variants(a: &str, b: &str) -> bool {
    fn canon(s: &str) -> String {
        s.replace("ng", "N")
            .replace("ch", "j")
            .chars()
            .map(|c| match c {
                'g' => 'k',
                'd' => 't',
                'b' => 'p',
                'l' => 'r',
                c => c,
            })
            .collect()
    }
    a != b && a.len() <= 6 && b.len() <= 6 && canon(a) == canon(b)
}

/// Similarity of a word written in Arabic script with a word in Latin letters: by the
/// letter-by-letter distance of [`abjad::distance`], where each Arabic letter may take any
/// of its spellings (Persian Morteza and Arabic Murtada are both مرتضى). Short outlines are
/// weak evidence and score lower, as in [`abjad_similarity`].
fn arabic_latin_similarity(ar: &Spelling<'_>, la: &Spelling<'_>) -> f64 {
    let sim = outline_similarity(ar.abjad, la.text, la.cons);
    if sim >= VOWEL_MISMATCH_MAX {
        return sim;
    }
    sim.max(vowel_mismatch_similarity(ar, la))
}

/// The letter-by-letter part of [`arabic_latin_similarity`]: Arabic `letters` against a
/// Latin word and its consonant outline; 0 when they differ in more than one letter or begin
/// or end differently (Ikram is not Karimi, Mohammadi is not Mohamed).
fn outline_similarity(letters: &str, latin: &str, latin_cons: &str) -> f64 {
    if !abjad::edges_agree(letters, latin) {
        return 0.0;
    }
    let clen = abjad::consonant_count(letters).min(latin_cons.len());
    match abjad::bounded_distance(letters, latin_cons, 1) {
        0 if clen >= 1 => match clen {
            1 => 0.75,
            2 => 0.85,
            _ => 0.92,
        },
        1 if clen >= 3 => 0.84,
        _ => 0.0,
    }
}

/// Similarity of a word written in an abjad (Arabic, Hebrew) with another word: by the
/// letters it writes ([`consonants`]) first, then by the coarser skeleton. Short outlines
/// (SM: Husam, Osama, Sami …) are weak evidence and score lower.
fn abjad_similarity(a: &Spelling<'_>, b: &Spelling<'_>) -> f64 {
    let clen = a.cons.len().min(b.cons.len());
    // Both start with a vowel (alif, ain, initial y/w) or neither: Ikram is not Karimi.
    if starts_with_vowel(a.text) != starts_with_vowel(b.text) {
        return vowel_mismatch_similarity(a, b);
    }
    if a.cons == b.cons && clen >= 1 {
        return match clen {
            1 => 0.75,
            2 => 0.85,
            _ => 0.92,
        };
    }
    if clen >= 3 && osa(a.cons.as_bytes(), b.cons.as_bytes()) == 1 {
        return 0.84;
    }
    vowel_mismatch_similarity(a, b)
}

fn starts_with_vowel(text: &str) -> bool {
    matches!(
        text.as_bytes().first(),
        Some(b'a' | b'e' | b'i' | b'o' | b'u' | b'y' | b'w')
    )
}

/// The best score [`vowel_mismatch_similarity`] gives.
const VOWEL_MISMATCH_MAX: f64 = 0.82;

/// The coarse second opinion for abjad spellings: skeletons with an initial-vowel mark.
fn vowel_mismatch_similarity(a: &Spelling<'_>, b: &Spelling<'_>) -> f64 {
    // Compare outlines with a mark for an initial vowel (Ali → AL, Omar → AMR), which
    // abjad spellings keep (alif, ain) and which makes short outlines more telling.
    let (mut ba, mut bb) = ([0u8; 48], [0u8; 48]);
    let (va, vb) = (
        vowel_skeleton(a.text, a.skel, &mut ba),
        vowel_skeleton(b.text, b.skel, &mut bb),
    );
    let vlen = va.len().min(vb.len());
    if va == vb && vlen >= 2 {
        if vlen == 2 {
            0.74
        } else {
            VOWEL_MISMATCH_MAX
        }
    } else if vlen >= 3 && osa(va, vb) == 1 {
        0.72
    } else {
        0.0
    }
}

/// The skeleton with a leading `A` when the word starts with a vowel, written into `buf`
/// (cut at its length: no name part's skeleton comes close).
fn vowel_skeleton<'b>(text: &str, skel: &str, buf: &'b mut [u8; 48]) -> &'b [u8] {
    let mark = usize::from(abjad::starts_with_latin_vowel(text));
    buf[0] = b'A';
    let len = (skel.len() + mark).min(buf.len());
    buf[mark..len].copy_from_slice(&skel.as_bytes()[..len - mark]);
    &buf[..len]
}

/// One aligned pair in an explanation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TokenPair {
    pub query: String,
    pub list: String,
    pub how: How,
    pub similarity: f64,
    /// Rarity weight of the list side.
    pub weight: f64,
}

/// The result of comparing one query name with one list name.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NameComparison {
    pub score: f64,
    pub query_coverage: f64,
    pub list_coverage: f64,
    pub evidence: f64,
    pub pairs: Vec<TokenPair>,
    pub unmatched_query: Vec<String>,
    pub unmatched_list: Vec<String>,
}

/// One to three token positions (several: tokens written together).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Positions {
    at: [u8; 3],
    len: u8,
}

impl Positions {
    fn one(i: usize) -> Self {
        Positions {
            at: [i as u8, 0, 0],
            len: 1,
        }
    }
    /// `parts` holds one to three positions below [`MAX_TOKENS`].
    fn many(parts: &[usize]) -> Self {
        let mut at = [0u8; 3];
        for (slot, p) in at.iter_mut().zip(parts) {
            *slot = *p as u8;
        }
        Positions {
            at,
            len: parts.len().min(3) as u8,
        }
    }
    fn first(self) -> usize {
        self.at[0] as usize
    }
    fn iter(self) -> impl Iterator<Item = usize> {
        self.at.into_iter().take(self.len as usize).map(usize::from)
    }
    fn len(self) -> usize {
        self.len as usize
    }
}

#[derive(Clone, Debug)]
struct Candidate {
    sim: f64,
    how: How,
    q: Positions,
    n: Positions,
}

/// The numbers of a comparison and the chosen pairs, without any text: cheap to compute for
/// every candidate name. [`Alignment::explain`] turns the best one into a [`NameComparison`].
#[derive(Clone, Debug)]
pub struct Alignment {
    pub score: f64,
    pub query_coverage: f64,
    pub list_coverage: f64,
    pub evidence: f64,
    chosen: Vec<(Candidate, f64)>,
}

impl Alignment {
    /// The comparison with token texts, for an explanation.
    pub fn explain(&self, q: &[Token], n: &[Token]) -> NameComparison {
        let text = |toks: &[Token], p: Positions| {
            p.iter()
                .map(|i| toks[i].text.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut q_used = vec![false; q.len()];
        let mut n_used = vec![false; n.len()];
        let pairs = self
            .chosen
            .iter()
            .map(|(c, weight)| {
                c.q.iter().for_each(|i| q_used[i] = true);
                c.n.iter().for_each(|j| n_used[j] = true);
                TokenPair {
                    query: text(q, c.q),
                    list: text(n, c.n),
                    how: c.how,
                    similarity: round3(c.sim),
                    weight: round3(*weight),
                }
            })
            .collect();
        NameComparison {
            score: self.score,
            query_coverage: self.query_coverage,
            list_coverage: self.list_coverage,
            evidence: self.evidence,
            pairs,
            unmatched_query: (0..q.len())
                .filter(|i| !q_used[*i])
                .map(|i| q[i].text.clone())
                .collect(),
            unmatched_list: (0..n.len())
                .filter(|j| !n_used[*j])
                .map(|j| n[j].text.clone())
                .collect(),
        }
    }
}

/// Similarity of one token with two or three others written together in the given order
/// ("mahdikhanpour" ↔ "mahdi" + "khanpour", "abdelkader" ↔ "abd" + "al" + "qadr"), slightly
/// discounted; None below the bar for joins.
fn joined_similarity(single: &Token, parts: &[&Token]) -> Option<f64> {
    let origin = Origin::of(single, parts[0]);
    let arabic_parts = parts.iter().all(|p| !p.abjad.is_empty());
    let latin_parts = parts.iter().all(|p| p.abjad.is_empty());
    let sim = if origin == Origin::Abjad && (arabic_parts || latin_parts) {
        // Arabic spellings lack short vowels: lengths are compared by consonants.
        let cons: usize = parts.iter().map(|p| p.cons.len()).sum();
        if cons.abs_diff(single.cons.len()) > 3 {
            return None;
        }
        let (first, last) = (parts[0], parts[parts.len() - 1]);
        if !single.abjad.is_empty() && latin_parts {
            // One Arabic word, several Latin ones: محمدحسین ↔ Mohammad Hossein.
            if !abjad::starts_agree(&single.abjad, &first.text)
                || !abjad::ends_agree(&single.abjad, &last.text)
            {
                return None;
            }
            let text: String = parts.iter().map(|p| p.text.as_str()).collect();
            outline_similarity(&single.abjad, &text, &consonants(&text))
        } else if single.abjad.is_empty() && arabic_parts {
            // One Latin word, several Arabic ones: Abdelkader ↔ عبد القادر.
            if !abjad::starts_agree(&first.abjad, &single.text)
                || !abjad::ends_agree(&last.abjad, &single.text)
            {
                return None;
            }
            let written: String = parts.iter().map(|p| p.abjad.as_str()).collect();
            let mut sim = outline_similarity(&written, &single.text, &single.cons);
            // The article before a "sun letter" is said as that letter, and Latin
            // spellings write it so: عبد الرحمن is Abderrahmane, عز الدين Ezzedine.
            if let [a, al, b] = parts {
                if al.abjad == "ال" && b.abjad.chars().next().is_some_and(abjad::is_sun_letter) {
                    let assimilated = format!("{}ا{}", a.abjad, b.abjad);
                    sim = sim.max(outline_similarity(&assimilated, &single.text, &single.cons));
                }
            }
            sim
        } else {
            joined_text_similarity(single, parts, origin)
        }
    } else {
        let rest: std::borrow::Cow<'_, str> = match parts {
            [_, b] => b.text.as_str().into(),
            _ => parts[1..].iter().map(|p| p.text.as_str()).collect(),
        };
        if !joinable(&single.text, &parts[0].text, &rest) {
            return None;
        }
        joined_text_similarity(single, parts, origin)
    };
    (sim >= min_joined_sim(origin)).then_some(sim * 0.97)
}

/// A token against the romanised texts of several tokens written together.
fn joined_text_similarity(single: &Token, parts: &[&Token], origin: Origin) -> f64 {
    let text: String = parts.iter().map(|p| p.text.as_str()).collect();
    let (skel, cons) = (crate::text::phonetic::skeleton(&text), consonants(&text));
    let whole = Spelling {
        text: &text,
        skel: &skel,
        cons: &cons,
        mask: crate::text::letter_mask(&text),
        abjad: "",
    };
    text_similarity(&Spelling::of(single), &whole, origin).0
}

/// Cheap test before joining: lengths within two letters, and the whole starts like the
/// first part or ends like the last (two letters each).
fn joinable(whole: &str, a: &str, b: &str) -> bool {
    let len = a.len() + b.len();
    let (w, a, b) = (whole.as_bytes(), a.as_bytes(), b.as_bytes());
    len.abs_diff(w.len()) <= 2
        && (w
            .get(..2)
            .is_some_and(|p| a.starts_with(p) || (a.len() == 1 && w[0] == a[0]))
            || w.get(w.len().saturating_sub(2)..)
                .is_some_and(|s| b.ends_with(s) || (b.len() == 1 && w.last() == b.last())))
}

/// The tokens at a group's positions (without allocating).
fn parts(toks: &[Token], g: Positions) -> ([&Token; 3], usize) {
    let mut buf = [&toks[g.first()]; 3];
    for (slot, p) in buf.iter_mut().zip(g.iter()) {
        *slot = &toks[p];
    }
    (buf, g.len())
}

/// Groups of positions whose tokens may have been written together as one word: ordered
/// pairs (adjacent ones in both orders, and any pair in names of up to five tokens: "Song
/// CholCHOE" ↔ "CHOE Song-Chol"), and three adjacent tokens around a particle ("Abd al
/// Qadir" ↔ "Abdelkader", "Nur al Din" ↔ "Nureddin").
fn join_groups(tokens: &[Token]) -> impl Iterator<Item = Positions> + '_ {
    let len = tokens.len();
    let pairs = (0..len)
        .flat_map(move |a| (0..len).map(move |b| (a, b)))
        .filter(move |(a, b)| a != b && (len <= 5 || a.abs_diff(*b) == 1))
        .map(|(a, b)| Positions::many(&[a, b]));
    let triples = (1..len.saturating_sub(1))
        .filter(|m| tokens[*m].kind == TokenKind::Particle)
        .map(|m| Positions::many(&[m - 1, m, m + 1]));
    pairs.chain(triples)
}

/// Compares a query name with a list name. `qw`/`nw` are the tokens' rarity weights.
/// Compares a query name with a list name and explains the result (see [`align`]).
pub fn compare(
    q: &[Token],
    qw: &[f64],
    n: &[Token],
    nw: &[f64],
    max_weight: f64,
    org: bool,
) -> NameComparison {
    align(q, qw, n, nw, max_weight, org).explain(q, n)
}

/// Aligns a query name with a list name. `qw`/`nw` are the tokens' rarity weights,
/// `max_weight` the weight of a token that occurs once in the index; `org` enables
/// organisation-only rules (abbreviations, stricter list coverage).
pub fn align(
    q: &[Token],
    qw: &[f64],
    n: &[Token],
    nw: &[f64],
    max_weight: f64,
    org: bool,
) -> Alignment {
    // Only the first MAX_TOKENS tokens of a name take part (no real name comes close).
    let (q, qw) = (
        &q[..q.len().min(MAX_TOKENS)],
        &qw[..qw.len().min(MAX_TOKENS)],
    );
    let (n, nw) = (
        &n[..n.len().min(MAX_TOKENS)],
        &nw[..nw.len().min(MAX_TOKENS)],
    );
    let mut cands: Vec<Candidate> = Vec::with_capacity(q.len() * n.len() + 4);
    for (i, qt) in q.iter().enumerate() {
        for (j, nt) in n.iter().enumerate() {
            let (sim, how) = token_similarity(qt, nt, org);
            if sim >= MIN_PAIR_SIM {
                cands.push(Candidate {
                    sim,
                    how,
                    q: Positions::one(i),
                    n: Positions::one(j),
                });
            }
        }
    }
    // Joined tokens, both directions, for words of 5+ letters not already matched well.
    let mut best_q = [0.0f64; MAX_TOKENS];
    let mut best_n = [0.0f64; MAX_TOKENS];
    for c in &cands {
        best_q[c.q.first()] = best_q[c.q.first()].max(c.sim);
        best_n[c.n.first()] = best_n[c.n.first()].max(c.sim);
    }
    for (i, qt) in q.iter().enumerate() {
        if qt.text.len() < 5 || best_q[i] >= 0.9 || qt.kind == TokenKind::LegalForm {
            continue;
        }
        for g in join_groups(n) {
            if g.len() == 3 && g.iter().any(|j| n[j].kind == TokenKind::LegalForm) {
                continue;
            }
            let (buf, len) = parts(n, g);
            if let Some(sim) = joined_similarity(qt, &buf[..len]) {
                cands.push(Candidate {
                    sim,
                    how: How::Joined,
                    q: Positions::one(i),
                    n: g,
                });
            }
        }
    }
    for (j, nt) in n.iter().enumerate() {
        if nt.text.len() < 5 || best_n[j] >= 0.9 || nt.kind == TokenKind::LegalForm {
            continue;
        }
        for g in join_groups(q) {
            // A Chinese or Korean name is already romanised as family + given name; its
            // family name is never half of another word.
            if q[0].syllabic() && g.iter().any(|i| i == 0) {
                continue;
            }
            let (buf, len) = parts(q, g);
            if let Some(sim) = joined_similarity(nt, &buf[..len]) {
                cands.push(Candidate {
                    sim,
                    how: How::Joined,
                    q: g,
                    n: Positions::one(j),
                });
            }
        }
    }
    // Best pairs first; pairs of particles alone last, so that an "al" is free to be
    // part of a joined word (الدين ↔ Eldin) before it pairs with another "al".
    let particles_only = |c: &Candidate| {
        c.q.iter().all(|i| q[i].kind == TokenKind::Particle)
            && c.n.iter().all(|j| n[j].kind == TokenKind::Particle)
    };
    cands.sort_by(|a, b| {
        particles_only(a)
            .cmp(&particles_only(b))
            .then_with(|| {
                b.sim
                    .partial_cmp(&a.sim)
                    .unwrap_or(std::cmp::Ordering::Equal)
            })
            // Equal joins: the one that accounts for more tokens (Abd al-Rahman as three
            // words, not two with the article left over).
            .then_with(|| (b.q.len() + b.n.len()).cmp(&(a.q.len() + a.n.len())))
            .then_with(|| {
                nw[b.n.first()]
                    .partial_cmp(&nw[a.n.first()])
                    .unwrap_or(std::cmp::Ordering::Equal)
            })
    });

    let mut q_used = [false; MAX_TOKENS];
    let mut n_used = [false; MAX_TOKENS];
    let mut q_sim = [0.0f64; MAX_TOKENS];
    let mut q_weight = [0.0f64; MAX_TOKENS];
    q_weight[..q.len()].copy_from_slice(qw);
    let mut n_sim = [0.0f64; MAX_TOKENS];
    let mut chosen = Vec::new();
    for c in cands {
        if c.q.iter().any(|i| q_used[i]) || c.n.iter().any(|j| n_used[j]) {
            continue;
        }
        let list_weight: f64 = c.n.iter().map(|j| nw[j]).sum();
        let q_len = c.q.len() as f64;
        for i in c.q.iter() {
            q_used[i] = true;
            q_sim[i] = c.sim;
            // A matched query token weighs what its list partner weighs: the list knows how
            // common the name part is, a typo'd query token does not.
            q_weight[i] = list_weight / q_len;
        }
        for j in c.n.iter() {
            n_used[j] = true;
            n_sim[j] = c.sim;
        }
        chosen.push((c, list_weight));
    }
    let q_total: f64 = q_weight.iter().sum();
    let n_total: f64 = nw.iter().sum();
    let q_matched: f64 = q_sim.iter().zip(&q_weight).map(|(s, w)| s * w).sum();
    let n_matched: f64 = n_sim.iter().zip(nw).map(|(s, w)| s * w).sum();
    let query_coverage = if q_total > 0.0 {
        q_matched / q_total
    } else {
        0.0
    };
    let list_coverage = if n_total > 0.0 {
        n_matched / n_total
    } else {
        0.0
    };
    let confidence = (n_matched / (EVIDENCE_REQUIRED * max_weight)).min(1.0);
    // A one-word query has no other words to corroborate it: the list name must be mostly
    // that word, and a misspelling of it counts twice.
    let mut words =
        (0..q.len()).filter(|i| matches!(q[*i].kind, TokenKind::Word | TokenKind::Number));
    let (first, second) = (words.next(), words.next());
    let (list_weight, single) = match (first, second) {
        (Some(i), None) => (SINGLE_WORD_LIST_COVERAGE_WEIGHT, q_sim[i]),
        _ if org => (ORG_LIST_COVERAGE_WEIGHT, 1.0),
        _ => (LIST_COVERAGE_WEIGHT, 1.0),
    };
    let score = query_coverage
        * single
        * (1.0 - list_weight * (1.0 - list_coverage))
        * (0.55 + 0.45 * confidence);
    Alignment {
        score: round3(score.clamp(0.0, 1.0)),
        query_coverage: round3(query_coverage),
        list_coverage: round3(list_coverage),
        evidence: round3(n_matched),
        chosen,
    }
}

pub(crate) fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::analyze;

    fn cmp(a: &str, b: &str) -> NameComparison {
        let (q, n) = (analyze(a, false), analyze(b, false));
        let w = |t: &[Token]| {
            t.iter()
                .map(|t| {
                    if t.kind == TokenKind::Particle {
                        1.0
                    } else {
                        6.0
                    }
                })
                .collect::<Vec<_>>()
        };
        compare(&q, &w(&q), &n, &w(&n), 6.0, false)
    }

    #[test]
    fn order_does_not_matter() {
        assert_eq!(cmp("Guangzong Zhao", "ZHAO, Guangzong").score, 1.0);
    }

    #[test]
    fn typos_and_translit_score_high_but_below_exact() {
        let s = cmp("Vladimbir Kravchenko", "Vladimir KRAVCHENKO").score;
        assert!(s > 0.85 && s < 1.0, "{s}");
        let s = cmp("Igor KOROTJENKO", "Igor KOROTCHENKO").score;
        assert!(s > 0.85, "{s}");
    }

    #[test]
    fn joined_tokens() {
        let c = cmp("Mohammad MahdiKhanpour", "Mohammad Mahdi Khanpour");
        assert!(c.score > 0.9, "{c:?}");
        assert!(c.pairs.iter().any(|p| p.how == How::Joined));
    }

    #[test]
    fn a_different_person_scores_low() {
        let s = cmp("Mohamed SOLEIMANI", "Qasem SOLEIMANI").score;
        assert!(s < 0.7, "{s}");
        assert!(cmp("John Smith", "Vladimir Putin").score < 0.2);
    }

    #[test]
    fn korean_romanisation_variants() {
        assert!(korean_variants("kun", "gun") && korean_variants("jon", "chon"));
        assert!(!korean_variants("jong", "kyong") && !korean_variants("kim", "kim"));
    }

    #[test]
    fn arabic_script_against_spellings_of_several_schools() {
        // Persian readings of ض and و; French ch for ش.
        for (ar, latin) in [
            ("مرتضی پیری", "Morteza PIRI"),
            ("علی فدوی", "Ali FADAVI"),
            ("علي مايشو", "Ali MAYCHOU"),
        ] {
            let c = cmp(ar, latin);
            assert!(c.score > 0.85, "{ar} ~ {latin}: {c:?}");
        }
        // Mohammadi is not Mohamed: the final ي is a vowel the Latin name lacks.
        assert!(cmp("محمدي", "Mohamed").score < 0.7);
    }

    #[test]
    fn words_around_the_article_written_as_one() {
        for (ar, latin) in [
            ("عبد القادر لاغوب", "Abdelkader LAAGOUB"),
            ("عبد الرحمن سعيد", "Abderrahmane SAID"),
            ("محمدحسین سپهر", "Mohammad-Hossein SEPEHR"),
        ] {
            let c = cmp(ar, latin);
            assert!(c.score > 0.8, "{ar} ~ {latin}: {c:?}");
            assert!(c.pairs.iter().any(|p| p.how == How::Joined), "{c:?}");
        }
    }

    #[test]
    fn a_particle_does_not_take_a_name_part() {
        let c = cmp("محمد علي", "Mohammed Al Ali");
        assert!(
            c.pairs.iter().any(|p| p.query == "aly" && p.list == "ali"),
            "{c:?}"
        );
    }

    #[test]
    fn joined_tokens_must_be_close() {
        // "volkov"+"ivan" joined is not "Volkovova".
        assert!(cmp("Ivan Volkov", "Olga Volkovova").score < 0.6);
    }

    #[test]
    fn dropped_middle_name_costs_little() {
        let s = cmp("Joel BENITES", "Joel Alberto BENITES").score;
        assert!(s > 0.85, "{s}");
    }
}

#[cfg(test)]
mod long_names {
    use super::*;
    use crate::text::analyze;

    #[test]
    fn names_longer_than_the_cap_do_not_panic() {
        let long: String = (0..50).map(|i| format!("word{i} ")).collect();
        let t = analyze(&long, true);
        assert!(t.len() > MAX_TOKENS);
        let w = vec![1.0; t.len()];
        let c = compare(&t, &w, &t, &w, 10.0, true);
        assert!(c.score > 0.9, "{c:?}");
    }
}
