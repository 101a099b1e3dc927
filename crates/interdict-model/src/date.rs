//! Partial dates: lists often know only the year, or the year and month, of a birth date,
//! sometimes only approximately ("circa 1960").

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

use crate::ModelError;

/// A date known to year, year-month or day precision, possibly approximate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartialDate {
    pub year: u16,
    pub month: Option<u8>,
    pub day: Option<u8>,
    /// The list marks the date as approximate ("circa", "approximately").
    pub circa: bool,
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

impl PartialDate {
    pub fn year(year: u16) -> Self {
        PartialDate {
            year,
            month: None,
            day: None,
            circa: false,
        }
    }

    /// Builds a date, checking the calendar. `month`/`day` of 0 mean unknown (as in lists
    /// that write `00/00/1960`).
    pub fn new(year: u16, month: Option<u8>, day: Option<u8>) -> Option<Self> {
        if !(1000..=2999).contains(&year) {
            return None;
        }
        let month = month.filter(|m| *m != 0);
        let day = day.filter(|d| *d != 0);
        if let Some(m) = month {
            if !(1..=12).contains(&m) {
                return None;
            }
        }
        match (month, day) {
            (None, Some(_)) => return None,
            (Some(m), Some(d)) if d > days_in_month(year, m) => return None,
            _ => {}
        }
        Some(PartialDate {
            year,
            month,
            day,
            circa: false,
        })
    }

    pub fn with_circa(mut self, circa: bool) -> Self {
        self.circa = circa;
        self
    }

    /// ISO 8601 at the known precision: `1975`, `1975-04` or `1975-04-21`.
    pub fn to_iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{:02}-{:02}", self.year, m, d),
            (Some(m), None) => format!("{:04}-{:02}", self.year, m),
            _ => format!("{:04}", self.year),
        }
    }

    /// Parses the many ways lists write dates: ISO (`1975-04-21`, `1975-04`, `1975`),
    /// `21 Apr 1975`, `Apr 1975`, `21.04.1975`, `21/04/1975`, `00/00/1975`, optionally prefixed
    /// with `circa`/`c.`/`approximately`, and year ranges `1960 to 1962` / `1960-1962`
    /// (expanded to each year, at most 15). Returns an empty vector for text that is no date.
    pub fn parse_loose(text: &str) -> Vec<PartialDate> {
        let mut t = text.trim().to_ascii_lowercase();
        let mut circa = false;
        for prefix in [
            "circa",
            "approximately",
            "approx.",
            "approx",
            "about",
            "ca.",
            "c.",
        ] {
            if let Some(rest) = t.strip_prefix(prefix) {
                circa = true;
                t = rest.trim().to_string();
                break;
            }
        }
        // Year ranges.
        for sep in [" to ", " - ", "-", "–"] {
            if let Some((a, b)) = t.split_once(sep) {
                if let (Ok(a), Ok(b)) = (a.trim().parse::<u16>(), b.trim().parse::<u16>()) {
                    if (1000..=2999).contains(&a) && a <= b && b - a <= 15 {
                        return (a..=b)
                            .map(|y| PartialDate::year(y).with_circa(circa))
                            .collect();
                    }
                }
            }
        }
        Self::parse_one(&t)
            .map(|d| vec![d.with_circa(circa)])
            .unwrap_or_default()
    }

    fn parse_one(t: &str) -> Option<PartialDate> {
        let t = t.trim().trim_end_matches('.');
        if let Ok(d) = t.parse::<PartialDate>() {
            return Some(d);
        }
        let parts: Vec<&str> = t
            .split([' ', '.', '/', ',', '-'])
            .filter(|p| !p.is_empty())
            .collect();
        let month_of = |p: &str| -> Option<u8> {
            let p = p.get(..3)?;
            MONTHS.iter().position(|m| *m == p).map(|i| i as u8 + 1)
        };
        let num = |p: &str| p.parse::<u16>().ok();
        match parts.as_slice() {
            [y] => PartialDate::new(num(y)?, None, None),
            [m, y] => {
                let month = month_of(m).or_else(|| num(m).map(|v| v as u8))?;
                PartialDate::new(num(y)?, Some(month), None)
            }
            [a, b, c] => {
                if a.len() == 4 {
                    // 1975/04/21
                    let m = num(b)? as u8;
                    PartialDate::new(num(a)?, Some(m), Some(num(c)? as u8))
                } else {
                    let month = month_of(b).or_else(|| num(b).map(|v| v as u8))?;
                    PartialDate::new(num(c)?, Some(month), Some(num(a)? as u8))
                }
            }
            _ => None,
        }
    }
}

impl FromStr for PartialDate {
    type Err = ModelError;
    /// Strict ISO 8601 at year, month or day precision (a time part is ignored).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ModelError::InvalidDate(s.to_string());
        let s = s.trim();
        let s = s.split_once('T').map(|(d, _)| d).unwrap_or(s);
        let mut it = s.split('-');
        let y = it.next().ok_or_else(err)?;
        if y.len() != 4 {
            return Err(err());
        }
        let year: u16 = y.parse().map_err(|_| err())?;
        let month = match it.next() {
            Some(m) if m.len() == 2 => Some(m.parse::<u8>().map_err(|_| err())?),
            Some(_) => return Err(err()),
            None => None,
        };
        let day = match it.next() {
            Some(d) if d.len() == 2 => Some(d.parse::<u8>().map_err(|_| err())?),
            Some(_) => return Err(err()),
            None => None,
        };
        if it.next().is_some() {
            return Err(err());
        }
        PartialDate::new(year, month, day).ok_or_else(err)
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.circa {
            f.write_str("circa ")?;
        }
        f.write_str(&self.to_iso())
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let (circa, rest) = match s.strip_prefix("circa ") {
            Some(r) => (true, r),
            None => (false, s.as_str()),
        };
        rest.parse::<PartialDate>()
            .map(|p| p.with_circa(circa))
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn iso_precision() {
        assert_eq!("1975".parse::<PartialDate>().unwrap().to_iso(), "1975");
        assert_eq!("1975-04".parse::<PartialDate>().unwrap().month, Some(4));
        assert!("1975-02-30".parse::<PartialDate>().is_err());
        assert!("1975-13".parse::<PartialDate>().is_err());
        assert!("75-01-01".parse::<PartialDate>().is_err());
    }

    #[test]
    fn loose_formats() {
        let d = |s: &str| {
            PartialDate::parse_loose(s)
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(d("16 Sep 1952"), ["1952-09-16"]);
        assert_eq!(d("circa 1960"), ["circa 1960"]);
        assert_eq!(d("1960 to 1962"), ["1960", "1961", "1962"]);
        assert_eq!(d("00/00/1960"), ["1960"]);
        assert_eq!(d("04/02/1990"), ["1990-02-04"]);
        assert_eq!(d("Sep 1952"), ["1952-09"]);
        assert_eq!(d("not a date"), Vec::<String>::new());
    }

    proptest! {
        #[test]
        fn iso_round_trip(y in 1000u16..2999, m in 1u8..=12, d in 1u8..=28) {
            let date = PartialDate::new(y, Some(m), Some(d)).unwrap();
            prop_assert_eq!(date.to_iso().parse::<PartialDate>().unwrap(), date);
        }

        #[test]
        fn loose_never_panics(s in ".{0,40}") {
            let _ = PartialDate::parse_loose(&s);
        }
    }
}
