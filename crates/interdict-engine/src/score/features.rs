//! Evidence beyond the name. Each feature is one function that compares a query with a listed
//! entity and returns what it adds to or removes from the name score, with a sentence saying
//! why; `None` when there is nothing to compare.

use interdict_model::{Entity, IdKind, Identifier, PartialDate};
use serde::Serialize;

use crate::Query;

/// One piece of evidence in an explanation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Feature {
    /// `birth_date`, `country`, `gender`, `identifier`, `weak_alias`, …
    pub feature: &'static str,
    /// What it added to (positive) or removed from (negative) the score.
    pub effect: f64,
    pub detail: String,
}

/// Score given to any result with an exactly matching strong identifier.
pub const IDENTIFIER_MATCH_SCORE: f64 = 0.99;

fn date_agreement(q: &PartialDate, e: &PartialDate) -> (f64, &'static str) {
    let tolerance = if q.circa || e.circa { 2 } else { 0 };
    let dy = (q.year as i32 - e.year as i32).abs();
    if dy > tolerance.max(1) {
        return (-0.30, "conflicts with");
    }
    if dy > tolerance {
        // One year apart: a common data-entry error, but not agreement.
        return (-0.06, "is a year off");
    }
    match ((q.month, q.day), (e.month, e.day)) {
        ((Some(qm), Some(qd)), (Some(em), Some(ed))) if dy == 0 => {
            if qm == em && qd == ed {
                (0.06, "equals")
            } else if qm == ed && qd == em {
                (0.02, "equals with day and month swapped")
            } else if qm == em {
                (-0.04, "differs in the day from")
            } else {
                (-0.10, "differs in month and day from")
            }
        }
        ((Some(qm), _), (Some(em), _)) if dy == 0 && qm != em => {
            (-0.08, "differs in the month from")
        }
        _ if dy == 0 => (0.03, "agrees (to the known precision) with"),
        _ => (0.0, "is within the stated approximation of"),
    }
}

/// Birth dates: the best agreement between any query date and any listed date.
pub fn birth_date(q: &Query, e: &Entity) -> Option<Feature> {
    if q.birth_dates.is_empty() || e.birth_dates.is_empty() {
        return None;
    }
    let mut best: Option<(f64, String)> = None;
    for qd in &q.birth_dates {
        for ed in &e.birth_dates {
            let (effect, verb) = date_agreement(qd, ed);
            if best.as_ref().is_none_or(|(b, _)| effect > *b) {
                best = Some((effect, format!("birth date {qd} {verb} listed {ed}")));
            }
        }
    }
    best.map(|(effect, detail)| Feature {
        feature: "birth_date",
        effect,
        detail,
    })
}

/// Countries: the query's countries against the entity's nationalities, citizenships,
/// countries and address countries.
pub fn country(q: &Query, e: &Entity) -> Option<Feature> {
    if q.countries.is_empty() {
        return None;
    }
    let listed: Vec<&str> = e
        .nationalities
        .iter()
        .chain(&e.citizenships)
        .chain(&e.countries)
        .map(String::as_str)
        .chain(e.addresses.iter().filter_map(|a| a.country.as_deref()))
        .collect();
    if listed.is_empty() {
        return None;
    }
    let shared: Vec<&str> = q
        .countries
        .iter()
        .map(String::as_str)
        .filter(|c| listed.contains(c))
        .collect();
    Some(if shared.is_empty() {
        Feature {
            feature: "country",
            effect: -0.08,
            detail: format!(
                "query country {} not among listed {}",
                q.countries.join(", "),
                listed.join(", ")
            ),
        }
    } else {
        Feature {
            feature: "country",
            effect: 0.03,
            detail: format!("country {} agrees", shared.join(", ")),
        }
    })
}

/// Gender: only a disagreement is evidence.
pub fn gender(q: &Query, e: &Entity) -> Option<Feature> {
    match (q.gender, e.gender) {
        (Some(a), Some(b)) if a != b => Some(Feature {
            feature: "gender",
            effect: -0.15,
            detail: format!(
                "query gender {} differs from listed {}",
                a.as_str(),
                b.as_str()
            ),
        }),
        _ => None,
    }
}

/// Kinds whose exact match identifies a party on its own. Phone numbers and websites are
/// shared too often (switchboards, hosting) to decide alone.
fn decisive(kind: IdKind) -> bool {
    !matches!(kind, IdKind::Phone | IdKind::Website | IdKind::Other)
}

fn kinds_compatible(a: IdKind, b: IdKind) -> bool {
    a == b
        || matches!(a, IdKind::Other | IdKind::NationalId)
            && !matches!(b, IdKind::Crypto | IdKind::Email)
        || matches!(b, IdKind::Other | IdKind::NationalId)
            && !matches!(a, IdKind::Crypto | IdKind::Email)
}

/// Identifiers: an exact match of a strong identifier decides the result.
pub fn identifier(q: &Query, e: &Entity) -> Option<Feature> {
    let mut weak: Option<Feature> = None;
    for qi in &q.identifiers {
        let key = qi.key();
        if key.len() < 4 {
            continue;
        }
        for ei in &e.identifiers {
            if !kinds_compatible(qi.kind, ei.kind)
                || Identifier::match_key(qi.kind, &ei.value) != key
            {
                continue;
            }
            let currency = ei
                .currency
                .as_deref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default();
            let detail = format!(
                "{} {}{} equals listed {}",
                qi.kind.as_str(),
                qi.value,
                currency,
                ei.kind.as_str()
            );
            if decisive(qi.kind) && decisive(ei.kind) {
                return Some(Feature {
                    feature: "identifier",
                    effect: IDENTIFIER_MATCH_SCORE,
                    detail,
                });
            }
            weak = Some(Feature {
                feature: "identifier",
                effect: 0.05,
                detail,
            });
        }
    }
    weak
}

#[cfg(test)]
mod tests {
    use super::*;
    use interdict_model::Schema;

    fn person() -> Entity {
        let mut e = Entity::new("t-1", Schema::Person, "t", "1");
        e.birth_dates.push("1985-05-19".parse().unwrap());
        e.nationalities.push("cn".into());
        e.gender = Some(interdict_model::Gender::Male);
        let mut w = Identifier::new(IdKind::Crypto, "bc1qxyz0123");
        w.currency = Some("XBT".into());
        e.identifiers.push(w);
        e
    }

    fn q_dob(d: &str) -> Query {
        Query {
            birth_dates: PartialDate::parse_loose(d),
            ..Query::default()
        }
    }

    #[test]
    fn birth_dates() {
        let e = person();
        assert!(birth_date(&q_dob("1985-05-19"), &e).unwrap().effect > 0.0);
        assert!(birth_date(&q_dob("1985"), &e).unwrap().effect > 0.0);
        assert!(birth_date(&q_dob("1985-19-05"), &e).is_none_or(|f| f.effect >= 0.0));
        assert!(birth_date(&q_dob("1961-01-01"), &e).unwrap().effect <= -0.3);
        assert!(birth_date(&q_dob("circa 1987"), &e).unwrap().effect >= 0.0);
        assert!(birth_date(&Query::default(), &e).is_none());
    }

    #[test]
    fn countries_and_gender() {
        let e = person();
        let mut q = Query::default();
        q.add_country("China");
        assert!(country(&q, &e).unwrap().effect > 0.0);
        let mut q = Query::default();
        q.add_country("Peru");
        assert!(country(&q, &e).unwrap().effect < 0.0);
        let q = Query {
            gender: Some(interdict_model::Gender::Female),
            ..Query::default()
        };
        assert!(gender(&q, &e).unwrap().effect < 0.0);
    }

    #[test]
    fn identifiers_decide() {
        let e = person();
        let q = Query {
            identifiers: vec![Identifier::new(IdKind::Crypto, "bc1qxyz0123")],
            ..Query::default()
        };
        let f = identifier(&q, &e).unwrap();
        assert_eq!(f.effect, IDENTIFIER_MATCH_SCORE);
        assert!(f.detail.contains("XBT"));
        let q = Query {
            identifiers: vec![Identifier::new(IdKind::Crypto, "BC1QXYZ0123")],
            ..Query::default()
        };
        assert!(
            identifier(&q, &e).is_none(),
            "base58/bech32 addresses are case-sensitive here"
        );
    }
}
