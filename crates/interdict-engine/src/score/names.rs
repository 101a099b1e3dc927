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
    let sim = text_similarity(&Spelling::of(q), &Spelling::of(n), Origin::of(q, n));
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
}

impl<'a> Spelling<'a> {
    pub fn of(t: &'a Token) -> Self {
        Spelling {
            text: &t.text,
            skel: &t.skel,
            cons: &t.cons,
            mask: t.mask,
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
/// Abjad: by consonants (see `abjad_similarity`).
pub fn text_similarity(a: &Spelling<'_>, b: &Spelling<'_>, origin: Origin) -> (f64, How) {
    let max_len = a.text.len().max(b.text.len());
    if max_len == 0 {
        return (0.0, How::Fuzzy);
    }
    if origin == Origin::Abjad {
        let s = abjad_similarity(a, b);
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

/// The coarse second opinion for abjad spellings: skeletons with an initial-vowel mark.
fn vowel_mismatch_similarity(a: &Spelling<'_>, b: &Spelling<'_>) -> f64 {
    // Compare outlines with a mark for an initial vowel (Ali → AL, Omar → AMR), which
    // abjad spellings keep (alif, ain) and which makes short outlines more telling.
    let (va, vb) = (
        vowel_skeleton(a.text, a.skel),
        vowel_skeleton(b.text, b.skel),
    );
    let vlen = va.len().min(vb.len());
    if va == vb && vlen >= 2 {
        if vlen == 2 {
            0.74
        } else {
            0.82
        }
    } else if vlen >= 3 && osa(va.as_bytes(), vb.as_bytes()) == 1 {
        0.72
    } else {
        0.0
    }
}

/// The skeleton with a leading `A` when the word starts with a vowel.
fn vowel_skeleton(text: &str, skel: &str) -> String {
    match text.as_bytes().first() {
        Some(b'a' | b'e' | b'i' | b'o' | b'u') => format!("A{skel}"),
        _ => skel.to_string(),
    }
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

/// One or two token positions (two: tokens written together).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Positions(usize, Option<usize>);

impl Positions {
    fn iter(self) -> impl Iterator<Item = usize> {
        std::iter::once(self.0).chain(self.1)
    }
    fn len(self) -> usize {
        1 + usize::from(self.1.is_some())
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

/// Similarity of one token with two others written together in the given order
/// ("mahdikhanpour" ↔ "mahdi" + "khanpour"), slightly discounted; None below the bar for joins.
fn joined_similarity(single: &Token, a: &Token, b: &Token) -> Option<f64> {
    if !joinable(&single.text, &a.text, &b.text) {
        return None;
    }
    let text = format!("{}{}", a.text, b.text);
    let (skel, cons) = (crate::text::phonetic::skeleton(&text), consonants(&text));
    let whole = Spelling {
        text: &text,
        skel: &skel,
        cons: &cons,
        mask: crate::text::letter_mask(&text),
    };
    let origin = Origin::of(single, a);
    let (sim, _) = text_similarity(&Spelling::of(single), &whole, origin);
    (sim >= min_joined_sim(origin)).then_some(sim * 0.97)
}

/// Cheap test before joining: lengths within two letters, and the whole starts like the
/// first part or ends like the second (two letters each).
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

/// Ordered pairs of distinct positions, for matching one token against two written
/// together: adjacent pairs in both orders, and any pair in names of up to five tokens
/// ("Song CholCHOE" ↔ "CHOE Song-Chol").
fn join_pairs(len: usize) -> impl Iterator<Item = (usize, usize)> {
    (0..len)
        .flat_map(move |a| (0..len).map(move |b| (a, b)))
        .filter(move |(a, b)| a != b && (len <= 5 || a.abs_diff(*b) == 1))
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
                    q: Positions(i, None),
                    n: Positions(j, None),
                });
            }
        }
    }
    // Joined tokens, both directions, for words of 5+ letters not already matched well.
    let mut best_q = [0.0f64; MAX_TOKENS];
    let mut best_n = [0.0f64; MAX_TOKENS];
    for c in &cands {
        best_q[c.q.0] = best_q[c.q.0].max(c.sim);
        best_n[c.n.0] = best_n[c.n.0].max(c.sim);
    }
    for (i, qt) in q.iter().enumerate() {
        if qt.text.len() < 5 || best_q[i] >= 0.9 || qt.kind == TokenKind::LegalForm {
            continue;
        }
        for (a, b) in join_pairs(n.len()) {
            if let Some(sim) = joined_similarity(qt, &n[a], &n[b]) {
                cands.push(Candidate {
                    sim,
                    how: How::Joined,
                    q: Positions(i, None),
                    n: Positions(a, Some(b)),
                });
            }
        }
    }
    for (j, nt) in n.iter().enumerate() {
        if nt.text.len() < 5 || best_n[j] >= 0.9 || nt.kind == TokenKind::LegalForm {
            continue;
        }
        for (a, b) in join_pairs(q.len()) {
            // A Chinese or Korean name is already romanised as family + given name; its
            // family name is never half of another word.
            if q[0].syllabic() && (a == 0 || b == 0) {
                continue;
            }
            if let Some(sim) = joined_similarity(nt, &q[a], &q[b]) {
                cands.push(Candidate {
                    sim,
                    how: How::Joined,
                    q: Positions(a, Some(b)),
                    n: Positions(j, None),
                });
            }
        }
    }
    cands.sort_by(|a, b| {
        b.sim
            .partial_cmp(&a.sim)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| {
                nw[b.n.0]
                    .partial_cmp(&nw[a.n.0])
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
