//! First stage of name analysis: make the text say what a human reader sees.
//!
//! - removes invisible and format characters (zero-width space/joiners, soft hyphen, BOM,
//!   bidi controls, variation selectors), which evasive senders slip into names;
//! - applies NFKC, which folds fullwidth letters, mathematical alphanumerics (𝐕), circled
//!   letters (Ⓟ), ligatures and Arabic presentation forms to their plain letters;
//! - folds Cyrillic and Greek look-alike letters to Latin when they sit inside Latin text
//!   ("JОNES" with a Cyrillic О), but leaves wholly Cyrillic/Greek names for transliteration;
//! - reads leetspeak inside words ("D3nis", "Vl@dimir", "$0ciedade").
//!
//! The confusable table is our own, limited to letters that render identically in common
//! fonts; general crates (decancer, unicode-security) either normalise far more aggressively
//! (~1.8 µs/name) or only produce comparison skeletons, not readable text.

use unicode_normalization::UnicodeNormalization;

/// True for characters that render as nothing (or only affect layout) and so must not
/// separate or alter a name.
pub fn is_invisible(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x115F | 0x1160 | 0x17B4 | 0x17B5
        | 0x180B..=0x180F | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F
        | 0x3164 | 0xFE00..=0xFE0F | 0xFEFF | 0xFFA0 | 0x1D173..=0x1D17A
        | 0xE0000..=0xE0FFF)
        || (c.is_control() && !c.is_whitespace())
}

/// Cyrillic and Greek letters that look like a Latin letter.
fn confusable(c: char) -> Option<char> {
    Some(match c {
        'А' | 'Α' => 'A',
        'В' | 'Β' => 'B',
        'С' | 'Ϲ' => 'C',
        'Е' | 'Ε' => 'E',
        'Н' | 'Η' => 'H',
        'І' | 'Ι' | 'Ӏ' => 'I',
        'Ј' => 'J',
        'К' | 'Κ' => 'K',
        'М' | 'Μ' => 'M',
        'Ν' => 'N',
        'О' | 'Ο' => 'O',
        'Р' | 'Ρ' => 'P',
        'Ѕ' => 'S',
        'Т' | 'Τ' => 'T',
        'Х' | 'Χ' => 'X',
        'У' | 'Υ' | 'Ү' => 'Y',
        'Ζ' => 'Z',
        'а' | 'α' => 'a',
        'в' => 'b',
        'с' | 'ϲ' => 'c',
        'ԁ' => 'd',
        'е' => 'e',
        'һ' => 'h',
        'і' | 'ι' => 'i',
        'ј' => 'j',
        'к' | 'κ' => 'k',
        'м' => 'm',
        'н' => 'h',
        'о' | 'ο' | 'σ' => 'o',
        'р' | 'ρ' => 'p',
        'ԛ' => 'q',
        'ѕ' => 's',
        'т' | 'τ' => 't',
        'υ' | 'ս' => 'u',
        'ν' => 'v',
        'ԝ' => 'w',
        'х' | 'χ' => 'x',
        'у' | 'γ' => 'y',
        _ => return None,
    })
}

fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || (c.is_alphabetic() && ('\u{00C0}'..='\u{024F}').contains(&c))
}

fn is_cyrillic_or_greek(c: char) -> bool {
    ('\u{0370}'..='\u{052F}').contains(&c)
}

/// Symbols used as letters, and the letters they stand for.
fn leet_symbol(c: char) -> Option<char> {
    Some(match c {
        '@' => 'a',
        '$' => 's',
        '!' => 'i',
        '|' => 'l',
        _ => return None,
    })
}

/// Digits used as letters, and the letters they stand for.
fn leet_digit(c: char) -> Option<char> {
    Some(match c {
        '0' => 'o',
        '1' => 'i',
        '3' => 'e',
        '4' => 'a',
        '5' => 's',
        '7' => 't',
        '8' => 'b',
        _ => return None,
    })
}

/// Reads leetspeak in one word: letter-like symbols (@ $ ! |) in a word of two or more
/// letters, and runs of digits with a letter on both sides (D3nis, Gh30rghe, $0ciedade).
/// Digits at the start or end of a word are numbers (7Karnes, 383Sal, A1).
pub fn read_leet(word: &str) -> String {
    read_leet_with(word, Leet::Inner)
}

/// [`read_leet`] with a choice of reading for digits at a word's edge.
pub fn read_leet_with(word: &str, leet: Leet) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    let letters = chars
        .iter()
        .filter(|c| c.is_alphabetic() || leet_symbol(**c).is_some())
        .count();
    if letters < 2 {
        return word.to_string();
    }
    for c in chars.iter_mut() {
        if let Some(l) = leet_symbol(*c) {
            *c = l;
        }
    }
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        let before = start > 0 && chars[start - 1].is_alphabetic();
        let after = i < chars.len() && chars[i].is_alphabetic();
        let inside = (before && after) || (leet == Leet::All && (before || after));
        if inside && chars[start..i].iter().all(|c| leet_digit(*c).is_some()) {
            for c in &mut chars[start..i] {
                *c = leet_digit(*c).unwrap_or(*c);
            }
        }
    }
    chars.into_iter().collect()
}

/// Runs the first stage on a raw name. The output is still in its original script(s).
pub fn clean(raw: &str) -> String {
    clean_with(raw, Leet::Inner)
}

/// How much of a word's digits to read as letters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Leet {
    /// Digits between letters only (D3nis); digits at a word's edge are numbers (7Karnes).
    Inner,
    /// Also digits at a word's edge (1van, Musez1): the second reading of an ambiguous query.
    All,
}

/// Whether a name has digits at the edge of a word of letters, which [`Leet::Inner`] and
/// [`Leet::All`] read differently.
pub fn has_edge_digits(raw: &str) -> bool {
    raw.split(|c: char| !c.is_alphanumeric() && leet_symbol(c).is_none())
        .any(|w| {
            let b: Vec<char> = w.chars().collect();
            let letters = b.iter().filter(|c| c.is_alphabetic()).count();
            letters >= 1
                && b.len() >= 2
                && (b[0].is_ascii_digit() || b[b.len() - 1].is_ascii_digit())
                && b.iter()
                    .filter(|c| c.is_ascii_digit())
                    .all(|c| leet_digit(*c).is_some())
        })
}

/// [`clean`] with a choice of leetspeak reading.
pub fn clean_with(raw: &str, leet: Leet) -> String {
    let visible: String = raw.chars().filter(|c| !is_invisible(*c)).collect();
    let nfkc: String = visible.nfkc().collect();

    // Look-alike letters are read in the script of the text around them. Count per name…
    let (mut latin, mut other) = (0usize, 0usize);
    for c in nfkc.chars() {
        if is_latin_letter(c) {
            latin += 1;
        } else if is_cyrillic_or_greek(c) {
            other += 1;
        }
    }
    let mut out = String::with_capacity(nfkc.len());
    for word in nfkc.split_inclusive(char::is_whitespace) {
        // …and per word.
        let (mut w_latin, mut w_other, mut w_all_confusable) = (0usize, 0usize, true);
        for c in word.chars() {
            if is_latin_letter(c) {
                w_latin += 1;
            } else if is_cyrillic_or_greek(c) {
                w_other += 1;
                w_all_confusable &= confusable(c).is_some();
            }
        }
        let mixed = w_latin > 0 && w_other > 0;
        // A Cyrillic word with a few Latin look-alikes (Belarusian names written with a Latin
        // "i", ПОНОМАРEНКО): the Latin letters are Cyrillic.
        let to_cyrillic = mixed && (w_other > w_latin || (w_other == w_latin && other > latin));
        // A Latin word with Cyrillic/Greek look-alikes (JОNES), or a word made only of
        // look-alikes in a mostly Latin name: those letters are Latin.
        let to_latin =
            !to_cyrillic && w_other > 0 && (mixed || (w_all_confusable && latin > other));
        let folded: String = word
            .chars()
            .map(|c| {
                if to_latin {
                    confusable(c).unwrap_or(c)
                } else if to_cyrillic {
                    latin_to_cyrillic(c).unwrap_or(c)
                } else {
                    c
                }
            })
            .collect();
        out.push_str(&read_leet_with(&folded, leet));
    }
    out
}

/// Latin letters that look like a Cyrillic one (the reverse of [`confusable`]).
fn latin_to_cyrillic(c: char) -> Option<char> {
    Some(match c {
        'A' => 'А',
        'B' => 'В',
        'C' => 'С',
        'E' => 'Е',
        'H' => 'Н',
        'I' => 'І',
        'K' => 'К',
        'M' => 'М',
        'O' => 'О',
        'P' => 'Р',
        'T' => 'Т',
        'X' => 'Х',
        'Y' => 'У',
        'a' => 'а',
        'c' => 'с',
        'e' => 'е',
        'i' => 'і',
        'o' => 'о',
        'p' => 'р',
        'x' => 'х',
        'y' => 'у',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_vanish() {
        assert_eq!(
            clean("A\u{200B}bu Mahdi AL\u{FEFF}-MUHANDIS"),
            "Abu Mahdi AL-MUHANDIS"
        );
        assert_eq!(clean("TECH\u{200D}NOLOGY"), "TECHNOLOGY");
        assert_eq!(clean("Pu\u{00AD}tin"), "Putin");
    }

    #[test]
    fn compatibility_forms_fold() {
        assert_eq!(clean("ＰＵＴＩＮ"), "PUTIN");
        assert_eq!(clean("𝐕𝐥𝐚𝐝𝐢𝐦𝐢𝐫"), "Vladimir");
    }

    #[test]
    fn homoglyphs_inside_latin_text() {
        assert_eq!(
            clean("SALLY-ANNЕ FRANCES JОNES"),
            "SALLY-ANNE FRANCES JONES"
        );
        assert_eq!(clean("Farhan МAНFUD"), "Farhan MAHFUD");
        // A wholly Cyrillic name is left for transliteration.
        assert_eq!(clean("Олег НИЛОВ"), "Олег НИЛОВ");
        // Latin look-alikes inside Cyrillic words are Cyrillic.
        assert_eq!(clean("Васiльевiч ПОНОМАРEНКО"), "Васільевіч ПОНОМАРЕНКО");
    }

    #[test]
    fn leetspeak_inside_words() {
        assert_eq!(clean("D3nis Vl@dimirovich"), "Denis Vladimirovich");
        assert_eq!(clean("$0ciedade"), "sociedade");
        assert_eq!(clean("R@-82012"), "Ra-82012");
        // Numbers that are numbers stay.
        assert_eq!(clean("Unit 8200"), "Unit 8200");
        assert_eq!(clean("A1 Group"), "A1 Group");
        assert_eq!(clean("7KARNES"), "7KARNES");
        assert_eq!(clean("DEBBIYE 383SAL"), "DEBBIYE 383SAL");
        // The second reading for digits at a word's edge.
        assert!(
            has_edge_digits("1van Kirov")
                && !has_edge_digits("D3nis")
                && !has_edge_digits("Unit 8200")
        );
        assert_eq!(clean_with("1van Musez1", Leet::All), "ivan Musezi");
    }
}
