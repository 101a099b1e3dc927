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

use rapidfuzz::distance::osa;
use serde::Serialize;

use crate::text::{Token, TokenKind};

/// Pairs below this similarity are not made.
const MIN_PAIR_SIM: f64 = 0.62;
/// Cost of unmatched list tokens, relative (see module docs).
const LIST_COVERAGE_WEIGHT: f64 = 0.22;
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
        return if q.kind == n.kind && q.text == n.text {
            (1.0, How::LegalForm)
        } else {
            (0.0, How::LegalForm)
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
    let sim = text_similarity(
        &q.text,
        &q.skel,
        &n.text,
        &n.skel,
        q.transliterated() || n.transliterated(),
    );
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

/// Similarity of two romanised strings (tokens or tokens written together).
pub fn text_similarity(
    a: &str,
    a_skel: &str,
    b: &str,
    b_skel: &str,
    cross_script: bool,
) -> (f64, How) {
    let max_len = a.len().max(b.len());
    if max_len == 0 {
        return (0.0, How::Fuzzy);
    }
    let dist = osa::distance(a.chars(), b.chars());
    // Edits allowed grow with length: none for 1–3 letters, one up to 7, two beyond.
    let allowed = match max_len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    };
    let edit_sim = 1.0 - dist as f64 / max_len as f64;
    let fuzzy = if dist <= allowed {
        edit_sim.max(0.75)
    } else {
        edit_sim * 0.8
    };
    let skel_equal = a_skel.len() >= 2 && a_skel == b_skel;
    let phonetic = if cross_script {
        if skel_equal {
            0.92
        } else if a_skel.len() >= 2 && b_skel.len() >= 2 {
            let d = osa::distance(a_skel.chars(), b_skel.chars());
            let l = a_skel.len().max(b_skel.len());
            if d == 1 && l >= 3 {
                0.8
            } else {
                0.0
            }
        } else {
            0.0
        }
    } else if skel_equal && edit_sim >= 0.5 {
        0.86
    } else {
        0.0
    };
    if phonetic > fuzzy {
        (phonetic, How::Phonetic)
    } else {
        (fuzzy, How::Fuzzy)
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

struct Candidate {
    sim: f64,
    how: How,
    q: (usize, usize),
    n: (usize, usize),
}

fn joined(tokens: &[Token], i: usize) -> Option<(String, String)> {
    let (a, b) = (tokens.get(i)?, tokens.get(i + 1)?);
    if a.kind != TokenKind::Word || b.kind != TokenKind::Word {
        return None;
    }
    let text = format!("{}{}", a.text, b.text);
    let skel = crate::text::phonetic::skeleton(&text);
    Some((text, skel))
}

/// Compares a query name with a list name. `qw`/`nw` are the tokens' rarity weights.
/// `org` enables organisation-only rules (abbreviations).
pub fn compare(
    q: &[Token],
    qw: &[f64],
    n: &[Token],
    nw: &[f64],
    max_weight: f64,
    org: bool,
) -> NameComparison {
    let mut cands: Vec<Candidate> = Vec::with_capacity(q.len() * n.len() + 4);
    for (i, qt) in q.iter().enumerate() {
        for (j, nt) in n.iter().enumerate() {
            let (sim, how) = token_similarity(qt, nt, org);
            if sim >= MIN_PAIR_SIM {
                cands.push(Candidate {
                    sim,
                    how,
                    q: (i, i),
                    n: (j, j),
                });
            }
        }
    }
    // Joined tokens, both directions. Only tried for words of 3+ letters joined into 6+.
    for (i, qt) in q.iter().enumerate() {
        if qt.kind != TokenKind::Word || qt.text.len() < 6 {
            continue;
        }
        for j in 0..n.len().saturating_sub(1) {
            if let Some((text, skel)) = joined(n, j) {
                let (sim, _) =
                    text_similarity(&qt.text, &qt.skel, &text, &skel, qt.transliterated());
                if sim >= MIN_PAIR_SIM {
                    cands.push(Candidate {
                        sim: sim * 0.97,
                        how: How::Joined,
                        q: (i, i),
                        n: (j, j + 1),
                    });
                }
            }
        }
    }
    for (j, nt) in n.iter().enumerate() {
        if nt.kind != TokenKind::Word || nt.text.len() < 6 {
            continue;
        }
        for i in 0..q.len().saturating_sub(1) {
            if let Some((text, skel)) = joined(q, i) {
                let cross = q[i].transliterated();
                let (sim, _) = text_similarity(&text, &skel, &nt.text, &nt.skel, cross);
                if sim >= MIN_PAIR_SIM {
                    cands.push(Candidate {
                        sim: sim * 0.97,
                        how: How::Joined,
                        q: (i, i + 1),
                        n: (j, j),
                    });
                }
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

    let mut q_used = vec![false; q.len()];
    let mut n_used = vec![false; n.len()];
    let mut q_sim = vec![0.0; q.len()];
    let mut q_weight: Vec<f64> = qw.to_vec();
    let mut n_sim = vec![0.0; n.len()];
    let mut pairs = Vec::new();
    for c in cands {
        let qs = c.q.0..=c.q.1;
        let ns = c.n.0..=c.n.1;
        if qs.clone().any(|i| q_used[i]) || ns.clone().any(|j| n_used[j]) {
            continue;
        }
        let list_weight: f64 = ns.clone().map(|j| nw[j]).sum();
        let q_len = (c.q.1 - c.q.0 + 1) as f64;
        for i in qs.clone() {
            q_used[i] = true;
            q_sim[i] = c.sim;
            // A matched query token weighs what its list partner weighs: the list knows how
            // common the name part is, a typo'd query token does not.
            q_weight[i] = list_weight / q_len;
        }
        for j in ns.clone() {
            n_used[j] = true;
            n_sim[j] = c.sim;
        }
        pairs.push(TokenPair {
            query: qs.map(|i| q[i].text.as_str()).collect::<Vec<_>>().join(" "),
            list: ns.map(|j| n[j].text.as_str()).collect::<Vec<_>>().join(" "),
            how: c.how,
            similarity: round3(c.sim),
            weight: round3(list_weight),
        });
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
    let score = query_coverage
        * (1.0 - LIST_COVERAGE_WEIGHT * (1.0 - list_coverage))
        * (0.55 + 0.45 * confidence);
    NameComparison {
        score: round3(score.clamp(0.0, 1.0)),
        query_coverage: round3(query_coverage),
        list_coverage: round3(list_coverage),
        evidence: round3(n_matched),
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
    fn dropped_middle_name_costs_little() {
        let s = cmp("Joel BENITES", "Joel Alberto BENITES").score;
        assert!(s > 0.85, "{s}");
    }
}
