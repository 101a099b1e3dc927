//! Second stage: every script to lowercase ASCII words.
//!
//! - Han characters → Mandarin pinyin (`pinyin` crate: correct syllables at ~160 ns/name,
//!   where `any_ascii` runs syllables together and `deunicode` has wrong readings). A run of
//!   2–4 Han characters is a Chinese personal name: family name first, given name joined
//!   (赵光宗 → `zhao guangzong`), as the lists write them.
//! - Hangul → our own romanisation close to the McCune–Reischauer style that DPRK designations
//!   use (조경철 → `jo kyongchol`), computed from the syllable's jamo arithmetically. No crate
//!   offers this: `any_ascii` gives Revised Romanization (`GimJeongEun`), which lists do not use.
//! - Arabic/Persian → a letter-by-letter transcription (consonants and long vowels; short vowels
//!   are not written in the script). Matching relies on phonetic skeletons for these words.
//! - Everything else (Latin diacritics, Cyrillic, Greek, Hebrew, Armenian, Georgian, kana,
//!   Devanagari, …) → `any_ascii`.

use pinyin::ToPinyin;

/// The script a word was written in, before romanisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Script {
    Latin,
    Cyrillic,
    Greek,
    Arabic,
    Hebrew,
    Han,
    Hangul,
    Other,
}

/// A romanised word and the script it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub script: Script,
    /// For Arabic-script words, the letters as written (see [`super::abjad::letters`]);
    /// empty otherwise.
    pub abjad: String,
}

impl Word {
    fn new(text: String, script: Script) -> Word {
        Word {
            text,
            script,
            abjad: String::new(),
        }
    }
}

fn script_of(c: char) -> Script {
    match c as u32 {
        0x0000..=0x024F | 0x1E00..=0x1EFF => Script::Latin,
        0x0370..=0x03FF | 0x1F00..=0x1FFF => Script::Greek,
        0x0400..=0x052F => Script::Cyrillic,
        0x0590..=0x05FF | 0xFB1D..=0xFB4F => Script::Hebrew,
        0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
            Script::Arabic
        }
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F => Script::Han,
        0xAC00..=0xD7A3 => Script::Hangul,
        _ => Script::Other,
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | '`' | 'ʻ' | 'ʼ' | 'ʿ' | 'ʾ' | '´')
}

fn arabic_letter(c: char) -> Option<&'static str> {
    Some(match c {
        'ا' | 'أ' | 'آ' | 'ٱ' => "a",
        'إ' => "i",
        'ب' => "b",
        'ت' => "t",
        'ث' => "th",
        'ج' => "j",
        'ح' => "h",
        'خ' => "kh",
        'د' => "d",
        'ذ' => "dh",
        'ر' => "r",
        'ز' => "z",
        'س' => "s",
        'ش' => "sh",
        'ص' => "s",
        'ض' => "d",
        'ط' => "t",
        'ظ' => "z",
        'ع' | 'ء' | 'ئ' | 'ؤ' => "",
        'غ' => "gh",
        'ف' => "f",
        'ق' => "q",
        'ك' | 'ک' => "k",
        'ل' => "l",
        'م' => "m",
        'ن' => "n",
        'ه' | 'ۀ' | 'ہ' | 'ھ' => "h",
        'و' => "w",
        'ي' | 'ی' | 'ې' => "y",
        'ى' | 'ة' => "a",
        'پ' => "p",
        'چ' => "ch",
        'ژ' => "zh",
        'گ' => "g",
        _ => return None,
    })
}

/// Romanises one Arabic-script word; short-vowel marks and tatweel are dropped.
fn romanize_arabic(word: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = word.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if let Some(s) = arabic_letter(*c) {
            // Word-initial و/ي before a consonant reads as a vowel (u/i); elsewhere the
            // skeleton treats w/y as vowels anyway.
            if i == 0 && (*c == 'ي' || *c == 'ی') {
                out.push('i');
            } else if i == 0 && *c == 'ع' {
                // Initial ain is heard as a vowel: Ali, Omar, Abd.
                out.push('a');
            } else {
                out.push_str(s);
            }
        }
    }
    out
}

const HANGUL_INITIAL: [&str; 19] = [
    "k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p",
    "h",
];
const HANGUL_MEDIAL: [&str; 21] = [
    "a", "ae", "ya", "yae", "o", "e", "yo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we",
    "wi", "yu", "u", "ui", "i",
];
const HANGUL_FINAL: [&str; 28] = [
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p",
    "t", "t", "ng", "t", "t", "k", "t", "p", "t",
];

/// Romanises one precomposed Hangul syllable from its jamo indices.
fn romanize_hangul(c: char) -> String {
    let Some(s) = (c as u32).checked_sub(0xAC00) else {
        return String::new();
    };
    let (i, m, f) = (
        (s / 588) as usize,
        ((s % 588) / 28) as usize,
        (s % 28) as usize,
    );
    match (
        HANGUL_INITIAL.get(i),
        HANGUL_MEDIAL.get(m),
        HANGUL_FINAL.get(f),
    ) {
        (Some(i), Some(m), Some(f)) => format!("{i}{m}{f}"),
        _ => String::new(),
    }
}

/// Korean family names whose usual list spelling differs from the plain romanisation.
fn korean_family_name(syllable: &str) -> &str {
    match syllable {
        "i" => "ri",
        "im" => "rim",
        "yu" => "ryu",
        "no" => "ro",
        "yang" => "ryang",
        other => other,
    }
}

/// Reads leetspeak in a romanised word (the cleaning stage did this for ASCII digits; this
/// catches digits from other scripts) and splits it where letters and digits meet
/// ("383sal" → "383", "sal"; "boeing737" → "boeing", "737").
fn push_word(words: &mut Vec<Word>, t: String, script: Script) {
    let t = if t.bytes().any(|b| b.is_ascii_digit()) {
        super::clean::read_leet(&t)
    } else {
        t
    };
    let b = t.as_bytes();
    let mut start = 0;
    for i in 1..b.len() {
        if b[i].is_ascii_digit() != b[i - 1].is_ascii_digit() {
            words.push(Word::new(t[start..i].to_string(), script));
            start = i;
        }
    }
    words.push(Word::new(t[start..].to_string(), script));
}

/// Splits cleaned text into romanised words.
pub fn romanize(text: &str) -> Vec<Word> {
    let mut words = Vec::new();
    // Current word being built: raw characters of one script class.
    let mut cur = String::new();
    let mut cur_script = Script::Latin;
    let mut syllables: Vec<String> = Vec::new();

    fn flush(words: &mut Vec<Word>, cur: &mut String, script: Script, syllables: &mut Vec<String>) {
        match script {
            Script::Han | Script::Hangul => {
                let n = syllables.len();
                if (2..=4).contains(&n) && script == Script::Han {
                    // Chinese names are listed with the given name written together.
                    words.push(Word::new(syllables[0].clone(), script));
                    words.push(Word::new(syllables[1..].concat(), script));
                } else if (2..=4).contains(&n) {
                    // Korean names are listed with given-name syllables apart as often as
                    // together (Kyong Chol / Kyongchol); alignment joins them when needed.
                    let family = korean_family_name(&syllables[0]).to_string();
                    words.push(Word::new(family, script));
                    for s in &syllables[1..] {
                        words.push(Word::new(s.clone(), script));
                    }
                } else {
                    for s in syllables.drain(..) {
                        words.push(Word::new(s, script));
                    }
                }
                syllables.clear();
            }
            Script::Arabic => {
                let w = std::mem::take(cur);
                let arabic = |text: String, written: &str| Word {
                    text,
                    script,
                    abjad: super::abjad::letters(written),
                };
                // The article al- is written joined to its noun — but Allah (الله, in names
                // such as Abdullah, Khayrallah) is one word.
                if w == "الله" || w == "لله" {
                    words.push(arabic("allah".into(), "الله"));
                } else if let Some(rest) = w.strip_prefix("ال").filter(|r| r.chars().count() >= 2)
                {
                    words.push(arabic("al".into(), "ال"));
                    let t = romanize_arabic(rest);
                    if !t.is_empty() {
                        words.push(arabic(t, rest));
                    }
                } else {
                    let t = romanize_arabic(&w);
                    if !t.is_empty() {
                        words.push(arabic(t, &w));
                    }
                }
            }
            _ => {
                let w = std::mem::take(cur);
                let ascii = any_ascii::any_ascii(&w);
                let mut t = String::with_capacity(ascii.len());
                for ch in ascii.chars() {
                    if ch.is_ascii_alphanumeric() {
                        t.push(ch.to_ascii_lowercase());
                    } else if !t.is_empty() && !is_apostrophe(ch) {
                        // any_ascii may emit separators (e.g. for symbols): split there.
                        push_word(words, std::mem::take(&mut t), script);
                    }
                }
                if !t.is_empty() {
                    push_word(words, t, script);
                }
            }
        }
        cur.clear();
    }

    for c in text.chars() {
        if is_apostrophe(c) {
            continue; // O'Brien → obrien, RA'D → rad
        }
        let is_part =
            c.is_alphanumeric() || ('\u{064B}'..='\u{0652}').contains(&c) || c == '\u{0640}';
        if !is_part && !c.is_alphabetic() {
            // Combining marks (Latin diacritics after NFD-like input) belong to the word.
            if unicode_normalization::char::is_combining_mark(c) {
                continue;
            }
            if !cur.is_empty() || !syllables.is_empty() {
                flush(&mut words, &mut cur, cur_script, &mut syllables);
            }
            continue;
        }
        let s = script_of(c);
        let s = match (c.is_alphabetic(), cur_script) {
            // Digits (any script's) join the word they are in, except runs of syllables.
            (false, Script::Han | Script::Hangul | Script::Arabic) => Script::Latin,
            (false, cur) => cur,
            (true, _) => s,
        };
        let class_change = (!cur.is_empty() || !syllables.is_empty())
            && s != cur_script
            && (matches!(s, Script::Han | Script::Hangul | Script::Arabic)
                || matches!(cur_script, Script::Han | Script::Hangul | Script::Arabic));
        if class_change {
            flush(&mut words, &mut cur, cur_script, &mut syllables);
        }
        cur_script = s;
        match s {
            Script::Han => {
                if let Some(p) = c.to_pinyin() {
                    // Pinyin ü (lü, nü) is written u on lists.
                    syllables.push(p.plain().replace('ü', "u"));
                }
            }
            Script::Hangul => {
                let r = romanize_hangul(c);
                if !r.is_empty() {
                    syllables.push(r);
                }
            }
            _ => cur.push(c),
        }
    }
    if !cur.is_empty() || !syllables.is_empty() {
        flush(&mut words, &mut cur, cur_script, &mut syllables);
    }
    words.retain(|w| !w.text.is_empty());
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        romanize(s).into_iter().map(|w| w.text).collect()
    }

    #[test]
    fn han_names_to_pinyin() {
        assert_eq!(texts("赵光宗"), ["zhao", "guangzong"]);
        assert_eq!(texts("倪高彬"), ["ni", "gaobin"]);
        assert_eq!(romanize("赵光宗")[0].script, Script::Han);
    }

    #[test]
    fn hangul_names() {
        assert_eq!(texts("조경철"), ["jo", "kyong", "chol"]);
        // Voicing inside a name is not marked; the skeleton makes k/g equal.
        assert_eq!(texts("리영길"), ["ri", "yong", "kil"]);
        assert_eq!(texts("김영남"), ["kim", "yong", "nam"]);
    }

    #[test]
    fn arabic_article_and_letters() {
        assert_eq!(texts("حسام سكر"), ["hsam", "skr"]);
        assert_eq!(texts("القطان"), ["al", "qtan"]);
        assert_eq!(texts("خير الله"), ["khyr", "allah"]);
    }

    #[test]
    fn latin_and_cyrillic() {
        assert_eq!(texts("Ángel O'Brien-Smith"), ["angel", "obrien", "smith"]);
        assert_eq!(texts("Пригожин Евгений"), ["prigozhin", "evgeniy"]);
        assert_eq!(texts("Вольга"), ["volga"]);
        assert_eq!(texts("S.A. de C.V."), ["s", "a", "de", "c", "v"]);
    }

    #[test]
    fn mixed_scripts_split() {
        assert_eq!(texts("Zhao赵光宗"), ["zhao", "zhao", "guangzong"]);
    }
}
