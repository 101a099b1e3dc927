//! Names of a listed party, by kind.

use serde::{Deserialize, Serialize};

/// How a list presents a name. Weight in matching follows this kind: a weak alias (a nickname
/// or a "low quality" a.k.a.) is evidence of identity only together with other evidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameKind {
    Primary,
    Alias,
    WeakAlias,
    Previous,
    /// The name as written in its original, non-Latin script (e.g. 赵光宗).
    OriginalScript,
}

impl NameKind {
    /// The FollowTheMoney property that holds names of this kind.
    pub fn ftm_property(self) -> &'static str {
        match self {
            NameKind::Primary => "name",
            NameKind::Alias | NameKind::OriginalScript => "alias",
            NameKind::WeakAlias => "weakAlias",
            NameKind::Previous => "previousName",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Name {
    pub value: String,
    pub kind: NameKind,
    /// Language or script tag the list gives, if any (e.g. "ru", "zh", "ar").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

impl Name {
    pub fn new(value: impl Into<String>, kind: NameKind) -> Self {
        Name {
            value: value.into(),
            kind,
            lang: None,
        }
    }
}

/// True when the text contains letters and none of them is Latin (or a Latin-script
/// compatibility form). Used to tell an original-script name from a Latin alias.
pub fn is_non_latin(text: &str) -> bool {
    let mut letters = 0usize;
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        let cp = c as u32;
        let latin = cp < 0x0250 // Basic Latin .. Latin Extended-B
            || (0x1E00..=0x1EFF).contains(&cp) // Latin Extended Additional
            || (0xFF21..=0xFF5A).contains(&cp); // fullwidth Latin
        if latin {
            return false;
        }
    }
    letters > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_detection() {
        assert!(is_non_latin("赵光宗"));
        assert!(is_non_latin("Пригожин Евгений"));
        assert!(!is_non_latin("Zhao Guangzong"));
        assert!(!is_non_latin("Ñandú"));
        assert!(!is_non_latin("1234"));
    }
}
