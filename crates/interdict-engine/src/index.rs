//! The candidate index, built once per list version.
//!
//! Scoring every entity for every query would cost milliseconds; instead each list name's
//! tokens are filed under several keys, and a query looks up its own keys:
//!
//! | key | finds |
//! |---|---|
//! | token text | the same word in any order |
//! | single-deletion variants (tokens of 4+ letters) | one typo: substitution, insertion, deletion, adjacent swap |
//! | phonetic skeleton | transliteration variants and cross-script queries |
//! | consonant outline, marked by an initial vowel | Arabic/Hebrew-script queries, whose short vowels are not written; an Arabic word looks up the outlines of its plausible readings (`text::abjad::outlines`) |
//! | two adjacent tokens written together | "MahdiKhanpour" ↔ "Mahdi Khanpour" (both directions) |
//! | outline of two tokens, or three around a particle, written together | محمدحسین ↔ Mohammad Hossein, عبدالقادر ↔ Abd al-Qadir |
//!
//! **Recall guarantee.** A list name is a candidate if it shares with the query at least one
//! word (not a particle or legal form) that is equal, one edit apart (Damerau, for words of 4+
//! letters), phonetically equal, or equal to two adjacent words joined — and if its
//! accumulated key weight ranks it among the top [`ScreenOptions::candidates`] names (default
//! 24, 48 for Arabic-script queries, which also keep names tied at the cut up to twice that)
//! and its weight is at least half the best candidate's.
//! Names sharing nothing of the sort cannot reach the threshold anyway: the name score
//! requires most of the query's weight to be matched.
//! A key filed under more than `COMMON_KEY` names (1 500; a very common word or outline) only adds
//! weight to names that rarer keys found, unless fewer than twice the candidate limit were
//! found; a query made only of very common words may therefore miss a name that shares just
//! one of them — such a name would fall below the threshold through the evidence factor anyway.
//! Identifiers are indexed by their comparison key and always retrieved.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::Hasher;

use interdict_model::{Entity, Identifier, Schema};
use rustc_hash::{FxHashMap, FxHasher};

use crate::score::{self, features, names, Explanation, Match, NameExplanation, DEFAULT_THRESHOLD};
use crate::text::clean::{has_edge_digits, Leet};
use crate::text::phonetic::consonants;
use crate::text::{abjad, analyze, analyze_auto, analyze_with, Token, TokenKind};
use crate::Query;

/// A key filed under more names than this is "common": it adds weight to candidates that
/// rarer keys found, but does not bring in new ones on its own (see [`Index::screen`]).
const COMMON_KEY: usize = 1500;

/// Candidates whose accumulated key weight is below this share of the best candidate's are
/// not scored.
const RELATIVE_FLOOR: f32 = 0.5;

/// Options for one screening call.
#[derive(Clone, Debug)]
pub struct ScreenOptions {
    /// Results at or above this are flagged `is_match`.
    pub threshold: f64,
    /// Results below this are not returned at all (defaults to the threshold).
    pub cutoff: f64,
    /// At most this many results, best first.
    pub limit: usize,
    /// How many candidate names are scored in full.
    pub candidates: usize,
}

impl Default for ScreenOptions {
    fn default() -> Self {
        ScreenOptions {
            threshold: DEFAULT_THRESHOLD,
            cutoff: DEFAULT_THRESHOLD,
            limit: 10,
            candidates: 24,
        }
    }
}

#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct IndexStats {
    pub entities: usize,
    pub names: usize,
    pub tokens: usize,
    pub keys: usize,
    pub postings: usize,
}

struct IndexedName {
    entity: u32,
    /// Position in the entity's `names`.
    name: u16,
    tokens: Vec<Token>,
    weights: Vec<f64>,
}

#[derive(Clone, Copy)]
enum KeyKind {
    Text = 1,
    Deletion = 2,
    Skeleton = 3,
    Joined = 4,
    Consonants = 5,
}

fn key(kind: KeyKind, s: &str) -> u64 {
    key_bytes(kind, s.as_bytes())
}

fn key_bytes(kind: KeyKind, s: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write_u8(kind as u8);
    h.write(s);
    h.write_u8(0xff);
    h.finish()
}

/// Keys of the single-character deletions of a word, without allocating a string for each.
fn deletion_keys(word: &[u8], buf: &mut Vec<u8>, out: &mut Vec<u64>) {
    for i in 0..word.len() {
        if i > 0 && word[i] == word[i - 1] {
            continue; // same variant as deleting the previous letter
        }
        buf.clear();
        buf.extend_from_slice(&word[..i]);
        buf.extend_from_slice(&word[i + 1..]);
        out.push(key_bytes(KeyKind::Deletion, buf));
    }
}

/// The key of a consonant outline, marked when the word starts with a vowel (Ahmed `Ahmd`
/// is not Hamid `hmd`, Ali `Al` not Lee `l`); None when it would be a single letter.
fn outline_key(vowel_first: bool, cons: &str) -> Option<u64> {
    if cons.len() + usize::from(vowel_first) < 2 {
        return None;
    }
    let mut h = FxHasher::default();
    h.write_u8(KeyKind::Consonants as u8);
    if vowel_first {
        h.write_u8(b'A');
    }
    h.write(cons.as_bytes());
    h.write_u8(0xff);
    Some(h.finish())
}

fn searchable(t: &Token) -> bool {
    matches!(t.kind, TokenKind::Word | TokenKind::Number)
}

/// Per-thread scratch space for candidate accumulation, reused across queries.
#[derive(Default)]
struct Scratch {
    acc: Vec<f32>,
    stamp: Vec<u32>,
    touched: Vec<u32>,
    ranked: Vec<(f32, u32)>,
    generation: u32,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// An immutable, thread-safe index over one collection of entities.
pub struct Index {
    entities: Vec<Entity>,
    by_id: HashMap<String, u32>,
    names: Vec<IndexedName>,
    /// The schema of each name's entity, for filtering candidates without a second lookup.
    name_schema: Vec<Schema>,
    /// For each entity, the range of its names in `names`.
    entity_names: Vec<(u32, u32)>,
    postings: FxHashMap<u64, Vec<u32>>,
    /// Token text → number of names containing it.
    df: FxHashMap<String, u32>,
    identifiers: FxHashMap<String, Vec<u32>>,
    max_weight: f64,
}

impl Index {
    /// Builds the index. Entities with duplicate ids keep the first occurrence.
    pub fn build(entities: Vec<Entity>) -> Index {
        let mut by_id = HashMap::with_capacity(entities.len());
        let mut kept = Vec::with_capacity(entities.len());
        for e in entities {
            if !by_id.contains_key(&e.id) {
                by_id.insert(e.id.clone(), kept.len() as u32);
                kept.push(e);
            }
        }
        let entities = kept;
        let mut names = Vec::new();
        let mut entity_names = Vec::with_capacity(entities.len());
        let mut df: FxHashMap<String, u32> = FxHashMap::default();
        let mut identifiers: FxHashMap<String, Vec<u32>> = FxHashMap::default();
        for (ei, e) in entities.iter().enumerate() {
            let start = names.len() as u32;
            let org = !e.schema.eq(&interdict_model::Schema::Person);
            let mut seen_norm: Vec<String> = Vec::new();
            for (ni, n) in e.names.iter().enumerate().take(u16::MAX as usize) {
                let tokens = analyze(&n.value, org);
                if tokens.is_empty() {
                    continue;
                }
                // Skip names that analyse identically (case/punctuation variants).
                let norm: String = tokens
                    .iter()
                    .map(|t| t.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                if seen_norm.contains(&norm) {
                    continue;
                }
                seen_norm.push(norm);
                let mut uniq: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
                uniq.sort_unstable();
                uniq.dedup();
                for t in uniq {
                    *df.entry(t.to_string()).or_default() += 1;
                }
                names.push(IndexedName {
                    entity: ei as u32,
                    name: ni as u16,
                    tokens,
                    weights: Vec::new(),
                });
            }
            entity_names.push((start, names.len() as u32));
            for id in &e.identifiers {
                let k = Identifier::match_key(id.kind, &id.value);
                if k.len() >= 4 {
                    let list = identifiers.entry(k).or_default();
                    if list.last() != Some(&(ei as u32)) {
                        list.push(ei as u32);
                    }
                }
            }
        }
        let n_names = names.len().max(1) as f64;
        let max_weight = (n_names + 1.0).ln() + 1.0;
        let mut postings: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
        let mut keys = Vec::new();
        let mut buf = Vec::new();
        for (id, name) in names.iter_mut().enumerate() {
            name.weights = name
                .tokens
                .iter()
                .map(|t| token_weight(t, df.get(&t.text).copied().unwrap_or(0), n_names))
                .collect();
            keys.clear();
            for t in &name.tokens {
                if !searchable(t) {
                    continue;
                }
                keys.push(key(KeyKind::Text, &t.text));
                if t.skel.len() >= 2 {
                    keys.push(key(KeyKind::Skeleton, &t.skel));
                }
                keys.extend(outline_key(
                    abjad::starts_with_latin_vowel(&t.text),
                    &t.cons,
                ));
                if t.text.len() >= 4 {
                    keys.push(key(KeyKind::Deletion, &t.text));
                    deletion_keys(t.text.as_bytes(), &mut buf, &mut keys);
                }
            }
            // Two tokens written together: every ordered pair in short names, adjacent pairs
            // (both orders) in longer ones — "LAST, First" lists reverse the usual order.
            let len = name.tokens.len();
            for (a, ta) in name.tokens.iter().enumerate() {
                for (b, tb) in name.tokens.iter().enumerate() {
                    let pair_ok = a != b && (len <= 4 || a.abs_diff(b) == 1);
                    if pair_ok
                        && ta.kind != TokenKind::LegalForm
                        && (searchable(ta) || searchable(tb))
                    {
                        let joined = format!("{}{}", ta.text, tb.text);
                        keys.push(key(KeyKind::Joined, &joined));
                        // For Arabic-script queries written as one word (محمدحسین).
                        let cons = consonants(&joined);
                        if cons.len() >= 4 {
                            keys.extend(outline_key(
                                abjad::starts_with_latin_vowel(&joined),
                                &cons,
                            ));
                        }
                    }
                }
            }
            // Three words around a particle, written as one: Abd al-Qadir ↔ عبدالقادر.
            for w in name.tokens.windows(3) {
                if w[1].kind == TokenKind::Particle && (searchable(&w[0]) || searchable(&w[2])) {
                    let joined = format!("{}{}{}", w[0].text, w[1].text, w[2].text);
                    let cons = consonants(&joined);
                    if cons.len() >= 4 {
                        keys.extend(outline_key(abjad::starts_with_latin_vowel(&joined), &cons));
                    }
                }
            }
            keys.sort_unstable();
            keys.dedup();
            for k in &keys {
                postings.entry(*k).or_default().push(id as u32);
            }
        }
        let name_schema = names
            .iter()
            .map(|n| entities[n.entity as usize].schema)
            .collect();
        Index {
            name_schema,
            entities,
            by_id,
            names,
            entity_names,
            postings,
            df,
            identifiers,
            max_weight,
        }
    }

    pub fn len(&self) -> usize {
        self.entities.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.by_id.get(id).map(|i| &self.entities[*i as usize])
    }

    pub fn entity_at(&self, index: u32) -> Option<&Entity> {
        self.entities.get(index as usize)
    }

    pub fn stats(&self) -> IndexStats {
        IndexStats {
            entities: self.entities.len(),
            names: self.names.len(),
            tokens: self.names.iter().map(|n| n.tokens.len()).sum(),
            keys: self.postings.len(),
            postings: self.postings.values().map(Vec::len).sum(),
        }
    }

    fn weight_of(&self, t: &Token) -> f64 {
        let n = self.names.len().max(1) as f64;
        let df = self.df.get(&t.text).copied().unwrap_or(0);
        // An Arabic-script word is rarely written so in the lists; how common it is shows in
        // how many names share its consonant outline (رزق: a few Rizq; محمد: thousands of
        // Mohammeds). Its few letters say nothing about it: no short-word cap.
        if df == 0 && t.kind == TokenKind::Word && !t.abjad.is_empty() {
            let usual = abjad::outlines(&t.abjad, 1);
            let first = abjad::initial_vowel(&t.abjad)[0];
            if let Some(k) = usual.first().and_then(|o| outline_key(first, o)) {
                let shared = self.postings.get(&k).map_or(0, Vec::len);
                return token_weight(t, shared as u32, n).min(self.max_weight);
            }
        }
        query_token_weight(t, df, n).min(self.max_weight)
    }

    /// Screens one query. Results are sorted by score, best first.
    pub fn screen(&self, q: &Query, opts: &ScreenOptions) -> Vec<Match> {
        let cutoff = opts.cutoff.min(opts.threshold);
        let org = q
            .schema
            .is_some_and(|s| s != interdict_model::Schema::Person);
        // Each query name analysed once; a name whose digits may be leetspeak at a word's
        // edge ("1van" or "7 Karnes"?) is analysed both ways and the better reading wins.
        let mut q_names: Vec<(String, Vec<Token>, Vec<f64>)> = Vec::new();
        for n in &q.names {
            let mut readings = vec![Leet::Inner];
            if has_edge_digits(n) {
                readings.push(Leet::All);
            }
            for leet in readings {
                // Unknown schema: an organisation only if a legal form appears.
                let tokens = match q.schema {
                    None => analyze_auto(n, leet).0,
                    Some(_) => analyze_with(n, org, leet),
                };
                if !tokens.is_empty() {
                    let weights = tokens.iter().map(|t| self.weight_of(t)).collect();
                    q_names.push((n.clone(), tokens, weights));
                }
            }
        }
        // Each candidate entity with the names to compare: the names the index retrieved, or
        // all its names when only an identifier brought it in.
        let name_ids = self.candidate_names(&q_names, q, opts.candidates);
        let mut entity_set: Vec<(u32, &[u32])> = Vec::new();
        for group in name_ids
            .chunk_by(|a, b| self.names[*a as usize].entity == self.names[*b as usize].entity)
        {
            entity_set.push((self.names[group[0] as usize].entity, group));
        }
        for id in &q.identifiers {
            if let Some(list) = self.identifiers.get(&id.key()) {
                for ei in list {
                    if !entity_set.iter().any(|(e, _)| e == ei) {
                        entity_set.push((*ei, &[]));
                    }
                }
            }
        }

        let mut results = Vec::new();
        for (ei, names) in entity_set {
            let e = &self.entities[ei as usize];
            let mut feats = Vec::new();
            if let Some(f) = features::identifier(q, e) {
                feats.push(f);
            }
            let id_decided = feats
                .iter()
                .any(|f| f.effect >= features::IDENTIFIER_MATCH_SCORE);
            if let Some(s) = q.schema {
                if !s.compatible(e.schema) && !id_decided {
                    continue;
                }
            }
            let best = self.best_name(ei, names, &q_names);
            if best.is_none() && !id_decided {
                continue;
            }
            feats.extend(features::birth_date(q, e));
            feats.extend(features::country(q, e));
            feats.extend(features::gender(q, e));
            let name_score = best
                .as_ref()
                .map(|(a, _, n)| (a.score, e.names[n.name as usize].kind));
            let score = score::combine(name_score, &mut feats);
            if score < cutoff {
                continue;
            }
            let best = best.map(|b| self.explain_name(ei, &b, &q_names));
            results.push(Match {
                entity_id: e.id.clone(),
                schema: e.schema,
                name: e.caption().to_string(),
                score,
                is_match: score >= opts.threshold,
                explanation: Explanation {
                    name: best,
                    features: feats,
                },
                index: ei,
            });
        }
        results.sort_by(|a, b| {
            b.score
                .partial_cmp(&a.score)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then_with(|| a.entity_id.cmp(&b.entity_id))
        });
        results.truncate(opts.limit);
        results
    }

    /// The best (query name, list name) pair of an entity. Alignments are compared by their
    /// numbers; only the winner is turned into an explanation with texts.
    fn best_name(
        &self,
        ei: u32,
        name_ids: &[u32],
        q_names: &[(String, Vec<Token>, Vec<f64>)],
    ) -> Option<(names::Alignment, usize, &IndexedName)> {
        let (start, end) = self.entity_names[ei as usize];
        let e = &self.entities[ei as usize];
        let org = e.schema != interdict_model::Schema::Person;
        let mut best: Option<(names::Alignment, usize, &IndexedName)> = None;
        let all: Vec<u32> = (start..end).collect();
        let ids = if name_ids.is_empty() {
            &all[..]
        } else {
            name_ids
        };
        for name in ids.iter().map(|i| &self.names[*i as usize]) {
            for (qi, (_, qt, qw)) in q_names.iter().enumerate() {
                let a = names::align(qt, qw, &name.tokens, &name.weights, self.max_weight, org);
                if best.as_ref().is_none_or(|(b, _, _)| a.score > b.score) {
                    best = Some((a, qi, name));
                }
            }
        }
        best
    }

    /// The explanation of a best name pair (built only for results that are returned).
    fn explain_name(
        &self,
        ei: u32,
        (a, qi, name): &(names::Alignment, usize, &IndexedName),
        q_names: &[(String, Vec<Token>, Vec<f64>)],
    ) -> NameExplanation {
        let (qn, qt, _) = &q_names[*qi];
        let n = &self.entities[ei as usize].names[name.name as usize];
        NameExplanation {
            query: qn.clone(),
            matched: n.value.clone(),
            kind: n.kind,
            comparison: a.explain(qt, &name.tokens),
        }
    }

    /// Adds `weight` to every name filed under any of `keys`, once per name: in full for
    /// the first key (the word itself), 0.8 for the others (variants, outlines).
    /// With `by_rarity`, the factor of a key other than the first also falls with the number
    /// of names filed under it, and keys are walked most telling first: for Arabic-script
    /// words, whose keys are coarse consonant outlines, an outline shared by three names says
    /// more than one shared by three hundred (رزق finds Rizq ahead of the many names that
    /// only share the outline of ريمون), where otherwise hundreds of names would tie.
    /// With `open` false, keys filed under more than [`COMMON_KEY`] names only add to names
    /// that other keys already found.
    fn probe(&self, s: &mut Scratch, keys: &[u64], weight: f64, open: bool, by_rarity: bool) {
        s.generation = s.generation.wrapping_add(1);
        if s.generation == 0 {
            s.stamp.iter_mut().for_each(|x| *x = 0);
            s.generation = 1;
        }
        let g = s.generation;
        let mut lists: Vec<(f64, &[u32])> = keys
            .iter()
            .enumerate()
            .filter_map(|(strength, k)| {
                let list = self.postings.get(k)?;
                let factor = match (strength, by_rarity) {
                    (0, _) => 1.0,
                    (_, false) => 0.8,
                    (_, true) => 0.8 * (1.0 - 0.05 * (list.len() as f64).log10()),
                };
                Some((factor, list.as_slice()))
            })
            .collect();
        if by_rarity {
            lists.sort_by(|a, b| b.0.total_cmp(&a.0));
        }
        for (factor, list) in lists {
            if !open && list.len() > COMMON_KEY {
                // Walking thousands of names only to nudge the ones already found is not
                // worth its cost; rarer keys have ranked them.
                continue;
            }
            for &name_id in list {
                let idx = name_id as usize;
                if s.stamp[idx] == g {
                    continue;
                }
                if s.acc[idx] == 0.0 {
                    s.touched.push(name_id);
                }
                s.stamp[idx] = g;
                s.acc[idx] += (weight * factor) as f32;
            }
        }
    }

    /// Looks up the query's keys and returns the best-ranked candidate names, in index order
    /// (so grouped by entity).
    fn candidate_names(
        &self,
        q_names: &[(String, Vec<Token>, Vec<f64>)],
        q: &Query,
        limit: usize,
    ) -> Vec<u32> {
        // Words from Arabic or Hebrew script are known only by their consonants, so each key
        // says less: such queries look wider.
        let abjad = q_names
            .iter()
            .any(|(_, t, _)| t.iter().any(Token::from_abjad));
        let limit = (if abjad { 2 * limit } else { limit }).max(1);
        SCRATCH.with(|cell| {
            let mut s = cell.borrow_mut();
            let n = self.names.len();
            if s.acc.len() != n {
                s.acc = vec![0.0; n];
                s.stamp = vec![0; n];
                s.generation = 0;
            }
            s.touched.clear();
            let mut keys: Vec<u64> = Vec::with_capacity(32);
            let mut buf: Vec<u8> = Vec::with_capacity(64);
            let mut probes: Vec<(Vec<u64>, f64)> = Vec::new();
            for (_, tokens, weights) in q_names {
                // Each query token (and each adjacent pair) is one "probe"; a name gains at most
                // the probe's weight once, from its strongest key (the first one listed).
                for (i, t) in tokens.iter().enumerate() {
                    if !searchable(t) {
                        continue;
                    }
                    keys.clear();
                    keys.push(key(KeyKind::Text, &t.text));
                    if t.from_abjad() && t.abjad.is_empty() {
                        // Hebrew: the outline of its romanisation.
                        keys.extend(outline_key(
                            abjad::starts_with_latin_vowel(&t.text),
                            &t.cons,
                        ));
                    }
                    // An Arabic-script word: the outlines of its readings in other schools
                    // (Persian Morteza for مرتضى, French Djamel for جمال).
                    for o in abjad::outlines(&t.abjad, abjad::LOOKUP_OUTLINES) {
                        for v in abjad::initial_vowel(&t.abjad) {
                            keys.extend(outline_key(*v, &o));
                        }
                    }
                    if t.text.len() >= 4 {
                        keys.push(key(KeyKind::Joined, &t.text));
                    }
                    if t.text.len() >= 4 {
                        keys.push(key(KeyKind::Deletion, &t.text));
                        deletion_keys(t.text.as_bytes(), &mut buf, &mut keys);
                    }
                    if t.skel.len() >= 2 {
                        keys.push(key(KeyKind::Skeleton, &t.skel));
                    }
                    probes.push((keys.clone(), weights[i]));
                    if let Some(next) = tokens.get(i + 1).filter(|n| searchable(n)) {
                        let joined = format!("{}{}", t.text, next.text);
                        let skel = crate::text::phonetic::skeleton(&joined);
                        keys.clear();
                        keys.push(key(KeyKind::Text, &joined));
                        keys.push(key(KeyKind::Deletion, &joined));
                        if skel.len() >= 3 {
                            keys.push(key(KeyKind::Skeleton, &skel));
                        }
                        probes.push((keys.clone(), (weights[i] + weights[i + 1]) * 0.5));
                    }
                }
            }
            // Rarest probes first: they find the candidates; very common keys (thousands of
            // names) then only add weight to names already found, unless too few were.
            probes.sort_by(|a, b| b.1.total_cmp(&a.1));
            for (keys, weight) in &probes {
                let open = abjad || s.touched.len() < 2 * limit;
                self.probe(&mut s, keys, *weight, open, abjad);
            }
            let schema = q.schema;
            let Scratch {
                acc,
                touched,
                ranked,
                ..
            } = &mut *s;
            ranked.clear();
            ranked.extend(
                touched
                    .iter()
                    .filter(|id| {
                        schema.is_none_or(|sc| sc.compatible(self.name_schema[**id as usize]))
                    })
                    .map(|id| (acc[*id as usize], *id)),
            );
            // Reset the accumulators for the next query.
            for id in touched.iter() {
                acc[*id as usize] = 0.0;
            }
            touched.clear();
            if ranked.len() > limit {
                ranked.select_nth_unstable_by(limit - 1, |a, b| b.0.total_cmp(&a.0));
                // For Arabic-script queries, names tied with the last one kept are kept too
                // (up to twice the limit): their keys are coarse consonant outlines, so
                // dozens of names tie, and which of them are scored must not be left to
                // chance (the same person is often listed by several lists under one name).
                // Latin-script keys (words, one-edit variants) rarely tie so widely.
                let cut = ranked[limit - 1].0;
                let most = if abjad { 2 * limit } else { limit };
                let mut keep = limit;
                for i in limit..ranked.len() {
                    if keep == most {
                        break;
                    }
                    if ranked[i].0 >= cut {
                        ranked.swap(keep, i);
                        keep += 1;
                    }
                }
                ranked.truncate(keep);
            }
            // Names that share far less with the query than the best candidate does cannot
            // outscore it; they are not worth aligning.
            let best = ranked.iter().map(|(a, _)| *a).fold(0.0f32, f32::max);
            // Candidate names grouped by entity (names are stored in entity order).
            let mut out: Vec<u32> = ranked
                .iter()
                .filter(|(a, _)| *a >= RELATIVE_FLOOR * best)
                .map(|(_, id)| *id)
                .collect();
            out.sort_unstable();
            out
        })
    }
}

/// Rarity weight of a token: `ln((N+1)/(df+1)) + 1` over the N indexed names, reduced for
/// particles, legal forms and initials, which say little about identity.
fn token_weight(t: &Token, df: u32, n_names: f64) -> f64 {
    let idf = ((n_names + 1.0) / (df as f64 + 1.0)).ln() + 1.0;
    match t.kind {
        TokenKind::Word | TokenKind::Number => idf,
        TokenKind::Particle => 0.3,
        TokenKind::LegalForm => 0.4,
        TokenKind::Initial => idf.min(3.0) * 0.5,
    }
}

/// The weight of a query token. A query word of two or three letters is capped, however
/// rare: it carries little information, and a misspelt particle ("ab" for "al") must not
/// weigh like a unique surname when it finds no partner. (List words keep their weight: a
/// listed "Xu" is a surname, not a typo. Chinese and Korean syllables are not typos either.)
fn query_token_weight(t: &Token, df: u32, n_names: f64) -> f64 {
    let w = token_weight(t, df, n_names);
    if t.kind != TokenKind::Word || t.syllabic() {
        return w;
    }
    match t.text.len() {
        0..=2 => w.min(2.5),
        3 => w.min(4.5),
        _ => w,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use interdict_model::{IdKind, NameKind, Schema};

    fn entity(id: &str, schema: Schema, names: &[&str]) -> Entity {
        let mut e = Entity::new(id, schema, "test", id);
        for (i, n) in names.iter().enumerate() {
            e.add_name(
                n,
                if i == 0 {
                    NameKind::Primary
                } else {
                    NameKind::Alias
                },
            );
        }
        e
    }

    fn sample() -> Index {
        let mut zhao = entity("zhao", Schema::Person, &["ZHAO, Guangzong", "赵光宗"]);
        zhao.birth_dates.push("1985-05-19".parse().unwrap());
        let mut wallet = Identifier::new(IdKind::Crypto, "bc1qexamplewallet");
        wallet.currency = Some("XBT".into());
        zhao.identifiers.push(wallet);
        Index::build(vec![
            zhao,
            entity("ni", Schema::Person, &["NI, Gaobin", "倪高彬"]),
            entity(
                "wuhan",
                Schema::Company,
                &["WUHAN XIAORUIZHI SCIENCE AND TECHNOLOGY COMPANY, LIMITED"],
            ),
            entity("prig", Schema::Person, &["PRIGOZHIN, Yevgeniy Viktorovich"]),
            entity("smith", Schema::Person, &["SMITH, John"]),
        ])
    }

    fn top(idx: &Index, q: &Query) -> Option<String> {
        idx.screen(q, &ScreenOptions::default())
            .first()
            .map(|m| m.entity_id.clone())
    }

    #[test]
    fn finds_variants() {
        let idx = sample();
        for name in [
            "Guangzong Zhao",
            "Zhao Guang-zong",
            "ZHAO Guangzng",
            "赵光宗",
            "ZНAO Guangzong",
        ] {
            assert_eq!(
                top(&idx, &Query::name(name)).as_deref(),
                Some("zhao"),
                "{name}"
            );
        }
        assert_eq!(top(&idx, &Query::name("倪高彬")).as_deref(), Some("ni"));
        assert_eq!(
            top(&idx, &Query::name("Wuhan Xiaoruizhi Sci & Tech Co Ltd")).as_deref(),
            Some("wuhan")
        );
        assert_eq!(
            top(&idx, &Query::name("Евгений Пригожин")).as_deref(),
            Some("prig")
        );
    }

    #[test]
    fn stays_quiet_for_others() {
        let idx = sample();
        assert_eq!(top(&idx, &Query::name("Maria Gonzalez")), None);
        assert_eq!(top(&idx, &Query::name("Zhao Wei")), None);
    }

    #[test]
    fn schema_and_dob_evidence() {
        let idx = sample();
        let q = Query {
            schema: Some(Schema::Company),
            ..Query::name("Guangzong Zhao")
        };
        assert_eq!(top(&idx, &q), None);
        let q = Query {
            birth_dates: vec!["1960-01-01".parse().unwrap()],
            ..Query::name("Guangzong Zhao")
        };
        assert_eq!(
            top(&idx, &q),
            None,
            "a conflicting birth date must push below the threshold"
        );
        let q = Query {
            birth_dates: vec!["1985-05-19".parse().unwrap()],
            ..Query::name("Guangzong Zhao")
        };
        let m = &idx.screen(&q, &ScreenOptions::default())[0];
        assert!(m
            .explanation
            .features
            .iter()
            .any(|f| f.feature == "birth_date" && f.effect > 0.0));
    }

    #[test]
    fn identifier_decides_alone() {
        let idx = sample();
        let q = Query {
            identifiers: vec![Identifier::new(IdKind::Crypto, "bc1qexamplewallet")],
            ..Query::default()
        };
        let m = idx.screen(&q, &ScreenOptions::default());
        assert_eq!(m[0].entity_id, "zhao");
        assert!(m[0].score >= features::IDENTIFIER_MATCH_SCORE);
    }

    #[test]
    fn explanation_names_the_pairs() {
        let idx = sample();
        let m = &idx.screen(&Query::name("Guangzong Zhao"), &ScreenOptions::default())[0];
        let n = m.explanation.name.as_ref().unwrap();
        assert_eq!(n.matched, "ZHAO, Guangzong");
        assert!(n
            .comparison
            .pairs
            .iter()
            .any(|p| p.query == "guangzong" && p.list == "guangzong"));
        assert!(m.explanation.short().contains("guangzong=guangzong"));
    }
}
