//! Scoring a listed entity against a query, with an explanation of every part of the score.
//!
//! score = best name score over all (query name, list name) pairs            ([`names`])
//!         × 0.92 when that best name is a weak alias
//!         + the effect of each piece of evidence                           ([`features`])
//! clamped to [0, 1]; an exact strong-identifier match lifts the score to at least
//! [`features::IDENTIFIER_MATCH_SCORE`] on its own.

pub mod distance;
pub mod features;
pub mod names;

use interdict_model::{NameKind, Schema};
use serde::Serialize;

pub use features::Feature;
pub use names::{How, NameComparison, TokenPair};

/// Scores at or above this are matches (alerts). Chosen on the development corpus
/// (`docs/effectiveness.md`): it keeps recall of every positive class ≥ 95 % while holding
/// false positives on unlisted names ≤ 1 %.
pub const DEFAULT_THRESHOLD: f64 = 0.80;

/// Factor applied to a name score when the best-matching list name is a weak alias.
const WEAK_ALIAS_FACTOR: f64 = 0.92;

/// Which names matched, and how.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NameExplanation {
    /// The query name as given.
    pub query: String,
    /// The list name as the list writes it.
    pub matched: String,
    pub kind: NameKind,
    #[serde(flatten)]
    pub comparison: NameComparison,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Explanation {
    /// The best name pair, if any name was compared.
    pub name: Option<NameExplanation>,
    pub features: Vec<Feature>,
}

impl Explanation {
    /// One line for tables and logs: `zhao=zhao(exact) guangzong=guangzong(exact); birth_date +0.06`.
    pub fn short(&self) -> String {
        let mut parts = Vec::new();
        if let Some(n) = &self.name {
            let pairs: Vec<String> = n
                .comparison
                .pairs
                .iter()
                .map(|p| {
                    let how = format!("{:?}", p.how).to_lowercase();
                    format!("{}={}({how} {:.2})", p.query, p.list, p.similarity)
                })
                .collect();
            let mut s = format!("name {:?} ~ {:?} [{}]", n.query, n.matched, pairs.join(" "));
            if !n.comparison.unmatched_query.is_empty() {
                s.push_str(&format!(
                    " unmatched query: {}",
                    n.comparison.unmatched_query.join(" ")
                ));
            }
            parts.push(s);
        }
        for f in &self.features {
            parts.push(format!("{} {:+.2}: {}", f.feature, f.effect, f.detail));
        }
        parts.join("; ")
    }
}

/// One screening result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Match {
    pub entity_id: String,
    pub schema: Schema,
    /// The entity's display name.
    pub name: String,
    pub score: f64,
    /// Score at or above the threshold in force.
    #[serde(rename = "match")]
    pub is_match: bool,
    pub explanation: Explanation,
    /// Position of the entity in its index (for [`crate::Index::entity_at`]).
    #[serde(skip)]
    pub index: u32,
}

/// Combines the best name comparison and the evidence into the final score.
pub(crate) fn combine(name_score: Option<(f64, NameKind)>, features: &mut Vec<Feature>) -> f64 {
    let mut score = 0.0;
    if let Some((s, kind)) = name_score {
        score = s;
        if kind == NameKind::WeakAlias {
            let reduced = s * WEAK_ALIAS_FACTOR;
            features.push(Feature {
                feature: "weak_alias",
                effect: names::round3(reduced - s),
                detail: "best name is a weak (low-quality) alias".into(),
            });
            score = reduced;
        }
    }
    let mut decided = false;
    for f in features.iter() {
        if f.feature == "identifier" && f.effect >= features::IDENTIFIER_MATCH_SCORE {
            decided = true;
        } else if f.feature != "weak_alias" {
            score += f.effect;
        }
    }
    let mut score = score.clamp(0.0, 1.0);
    if decided {
        score = score.max(features::IDENTIFIER_MATCH_SCORE);
    }
    names::round3(score)
}
