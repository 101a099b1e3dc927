//! Arabic-script words against Latin spellings, letter by letter.
//!
//! An Arabic or Persian word writes its consonants and long vowels; how a list spells it in
//! Latin letters depends on the language and the transliteration school behind the list:
//! ض is `d` in Arabic (Ramadan) and `z` in Persian (Ramazan, Morteza), و is `w` or a vowel in
//! Arabic and `v` in Persian (Vahid), ق is `q`, `k`, `g` (Egyptian, Gulf) or `gh` (Persian
//! Naghdi), ج is `j`, `g` (Egyptian Gamal) or `dj` (French Djamel), ش is `sh` or `ch` (French
//! Chaouki), ژ is `zh` or `j` (Persian -nejad). A single romanisation cannot be right for every
//! list, so a word keeps its Arabic letters ([`letters`]) and is compared with a Latin word's
//! consonant outline ([`super::phonetic::consonants`]) by an edit distance in which each Arabic
//! letter may stand for any of its known Latin spellings ([`distance`]). The table is ours,
//! built from the standard transliteration systems (ALA-LC, BGN/PCGN for Persian, French
//! usage in the Maghreb) and the dialect pronunciations above; no crate offers such a
//! comparison (transliteration crates produce one spelling, which is the problem).
//!
//! The candidate index needs strings, not a distance: [`outlines`] lists the Latin outlines a
//! word most plausibly has (the usual reading and readings that differ in one or two letters).

/// The Latin consonant spellings an Arabic-script letter may have, as
/// [`super::phonetic::consonants`] writes them (vowels, `w` and `y` dropped; `q` and `c` as
/// `k`, so French `ch` is `kh`). The first entry is the usual reading. `""` means the letter
/// may leave no consonant (a long vowel, ain, hamza, a silent final h).
fn spellings(c: char, initial: bool, last: bool) -> &'static [&'static str] {
    match c {
        'ا' | 'ى' | 'ع' | 'ء' | 'ئ' | 'ؤ' | 'ي' => &[""],
        'ة' => &["", "t"],
        'ب' => &["b"],
        'پ' => &["p", "b"],
        'ت' | 'ط' => &["t"],
        'ث' => &["th", "s", "t"],
        'ج' => &["j", "g", "dj", "dzh"],
        // Russian-school lists write ح as kh (Mukhammad); a final one is often silent.
        'ح' if last => &["h", "", "kh"],
        'ح' => &["h", "kh"],
        'خ' => &["kh", "h"],
        'د' => &["d"],
        'ذ' => &["dh", "z", "d"],
        'ر' => &["r"],
        'ز' => &["z"],
        'س' | 'ص' => &["s"],
        'ش' => &["sh", "kh", "s"],
        'ض' => &["d", "z", "dh"],
        'ظ' => &["z", "dh", "d"],
        'غ' => &["gh", "g"],
        'ف' => &["f"],
        'ق' => &["k", "gh", "g"],
        'ك' => &["k"],
        'گ' => &["g"],
        'ل' => &["l"],
        'م' => &["m"],
        'ن' => &["n"],
        'ه' if last || initial => &["h", ""],
        'ه' => &["h"],
        'و' => &["", "v"],
        'چ' => &["kh", "tkh"],
        'ژ' => &["zh", "j", "z"],
        _ => &[""],
    }
}

/// The letters of an Arabic-script word that [`distance`] compares, with the letter forms
/// that spell the same sound unified (أ إ آ ٱ → ا, ی ې → ي, ک → ك, ۀ ہ ھ → ه). Marks,
/// tatweel and letters outside the table are dropped.
pub fn letters(word: &str) -> String {
    word.chars()
        .filter_map(|c| {
            Some(match c {
                'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
                'ی' | 'ې' => 'ي',
                'ک' => 'ك',
                'ۀ' | 'ہ' | 'ھ' => 'ه',
                'ا' | 'ى' | 'ع' | 'ء' | 'ئ' | 'ؤ' | 'ي' | 'ة' | 'ب' | 'پ' | 'ت' | 'ط' | 'ث'
                | 'ج' | 'ح' | 'خ' | 'د' | 'ذ' | 'ر' | 'ز' | 'س' | 'ص' | 'ش' | 'ض' | 'ظ' | 'غ'
                | 'ف' | 'ق' | 'ك' | 'گ' | 'ل' | 'م' | 'ن' | 'ه' | 'و' | 'چ' | 'ژ' => c,
                _ => return None,
            })
        })
        .collect()
}

/// Letters the article al- assimilates to ("sun letters": al-Rahman is said ar-Rahman,
/// and written Abderrahmane, Ezzedine, Nasruddin in Latin).
pub fn is_sun_letter(c: char) -> bool {
    matches!(
        c,
        'ت' | 'ث' | 'د' | 'ذ' | 'ر' | 'ز' | 'س' | 'ش' | 'ص' | 'ض' | 'ط' | 'ظ' | 'ل' | 'ن'
    )
}

/// Whether a Latin spelling can begin and end as the Arabic word does: [`starts_agree`] and
/// [`ends_agree`].
pub fn edges_agree(letters: &str, latin: &str) -> bool {
    starts_agree(letters, latin) && ends_agree(letters, latin)
}

fn latin_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// Whether a romanised word starts with a vowel letter (a e i o u; not y or w): the mark
/// that outline keys and outline comparisons carry (Ahmed `Ahmd` is not Hamid `hmd`).
pub fn starts_with_latin_vowel(text: &str) -> bool {
    text.bytes().next().is_some_and(latin_vowel)
}

/// A word starting with alif, ain or hamza is spelt with a vowel first (Ali, Omar, Ibrahim),
/// one starting with a consonant is not (Ikram is not Karimi); initial ي reads as y or a
/// vowel (Yusuf, Isa), initial و as w, v or a vowel (Walid, Vahid, Usama).
pub fn starts_agree(letters: &str, latin: &str) -> bool {
    let (Some(first), Some(lf)) = (letters.chars().next(), latin.bytes().next()) else {
        return true;
    };
    match first {
        'ا' | 'ى' | 'ع' | 'ء' | 'ئ' | 'ؤ' => latin_vowel(lf),
        'ي' => latin_vowel(lf) || lf == b'y',
        'و' => latin_vowel(lf) || matches!(lf, b'w' | b'v'),
        _ => !latin_vowel(lf) && !matches!(lf, b'y' | b'w'),
    }
}

/// Whether the Latin spelling of a word may start with a vowel (`true`) or a consonant
/// (`false`), by its first Arabic letter, as [`starts_agree`] judges it.
pub fn initial_vowel(letters: &str) -> &'static [bool] {
    match letters.chars().next() {
        Some('ا' | 'ى' | 'ع' | 'ء' | 'ئ' | 'ؤ') => &[true],
        Some('ي' | 'و') | None => &[true, false],
        Some(_) => &[false],
    }
}

/// A final ي, ى, ا or ة is a vowel, so the Latin spelling ends in one (or in the h or t of
/// -ah, -at): Mohammadi is not Mohamed; Osama, Osamah and Hikmat end as their Arabic does.
pub fn ends_agree(letters: &str, latin: &str) -> bool {
    let mut rev = letters.chars().rev();
    let long_vowel_end = matches!(rev.next(), Some('ي' | 'ى' | 'ا' | 'ة')) && rev.next().is_some();
    !long_vowel_end
        || latin
            .bytes()
            .next_back()
            .is_some_and(|b| latin_vowel(b) || matches!(b, b'y' | b'h' | b't'))
}

/// Longest word (in letters or Latin consonants) that [`distance`] compares; longer pairs
/// are reported as far apart. Real name parts, even three written together, are shorter.
const MAX_LEN: usize = 24;

/// Edit distance between an Arabic-script word (its [`letters`]) and a Latin consonant
/// outline, where an Arabic letter matching any of its spellings costs nothing and a
/// substituted, missing or extra letter costs one.
pub fn distance(letters: &str, latin_cons: &str) -> usize {
    bounded_distance(letters, latin_cons, usize::MAX)
}

/// [`distance`], or any value above `max` as soon as the distance is known to exceed it.
pub fn bounded_distance(letters: &str, latin_cons: &str, max: usize) -> usize {
    let mut a = ['\0'; MAX_LEN];
    let mut n = 0;
    for c in letters.chars() {
        if n == MAX_LEN {
            return usize::MAX;
        }
        a[n] = c;
        n += 1;
    }
    let l = latin_cons.as_bytes();
    let m = l.len();
    if m > MAX_LEN {
        return usize::MAX;
    }
    const W: usize = MAX_LEN + 1;
    let mut d = [[u8::MAX; W]; W];
    d[0][0] = 0;
    let relax = |d: &mut [[u8; W]; W], i: usize, j: usize, v: u8| {
        if v < d[i][j] {
            d[i][j] = v;
        }
    };
    // Row by row; every move goes right or down, so row i is final when it is reached.
    for i in 0..=n {
        let row_min = d[i][..=m].iter().copied().min().unwrap_or(u8::MAX);
        if usize::from(row_min) > max {
            return max.saturating_add(1);
        }
        let options = if i < n {
            spellings(a[i], i == 0, i + 1 == n)
        } else {
            &[]
        };
        let silent = options.contains(&"");
        // The Arabic letter may be left out for free if it may be silent, or if it repeats
        // the letter before it (الله: the Latin outline writes a double letter once).
        let repeated = i > 0 && i < n && a[i] == a[i - 1];
        let skip_cost = u8::from(!(silent || repeated));
        for j in 0..=m {
            let here = d[i][j];
            if here == u8::MAX {
                continue;
            }
            if j < m {
                relax(&mut d, i, j + 1, here + 1); // an extra Latin letter
            }
            if i == n {
                continue;
            }
            relax(&mut d, i + 1, j, here + skip_cost);
            if j < m {
                relax(&mut d, i + 1, j + 1, here + 1); // substituted
            }
            for o in options.iter().filter(|o| !o.is_empty()) {
                if l[j..].starts_with(o.as_bytes()) {
                    relax(&mut d, i + 1, j + o.len(), here);
                }
                // The outline drops a word's final h (Saleh/Salih, Sheikh → shk).
                if i + 1 == n && o.ends_with('h') {
                    let stem = &o.as_bytes()[..o.len() - 1];
                    if l[j..] == *stem {
                        relax(&mut d, i + 1, m, here);
                    }
                }
            }
        }
    }
    usize::from(d[n][m]).min(max.saturating_add(1))
}

/// The number of letters of a word that must appear as Latin consonants (those that cannot
/// be silent): the length of its outline, for judging how telling a match is.
pub fn consonant_count(letters: &str) -> usize {
    let n = letters.chars().count();
    letters
        .chars()
        .enumerate()
        .filter(|(i, c)| !spellings(*c, *i == 0, i + 1 == n).contains(&""))
        .count()
}

/// How many [`outlines`] of an Arabic-script query word the candidate index looks up.
pub const LOOKUP_OUTLINES: usize = 12;

/// The Latin consonant outlines a word most plausibly has, for index lookups: the usual
/// reading first, then readings that differ in one letter, then in two, at most `cap`.
pub fn outlines(letters: &str, cap: usize) -> Vec<String> {
    let a: Vec<char> = letters.chars().collect();
    let n = a.len();
    let opts: Vec<&[&str]> = a
        .iter()
        .enumerate()
        .map(|(i, c)| spellings(*c, i == 0, i + 1 == n))
        .collect();
    let build = |choice: &[usize]| -> String {
        let mut s = String::new();
        for (o, k) in opts.iter().zip(choice) {
            s.push_str(o[*k]);
        }
        // As the outline of a Latin word: an h that ends the word is dropped (the last
        // letter's spelling ends in h; after a silent letter the Latin word ends in a vowel).
        let last_h = opts
            .last()
            .zip(choice.last())
            .is_some_and(|(o, k)| o[*k].ends_with('h'));
        if s.len() > 1 && last_h {
            s.pop();
        }
        s
    };
    let mut out: Vec<String> = Vec::new();
    let push = |s: String, out: &mut Vec<String>| {
        if out.len() < cap && !out.contains(&s) {
            out.push(s);
        }
    };
    let mut choice = vec![0usize; n];
    push(build(&choice), &mut out);
    let ambiguous: Vec<usize> = (0..n).filter(|i| opts[*i].len() > 1).collect();
    for &i in &ambiguous {
        for k in 1..opts[i].len() {
            choice[i] = k;
            push(build(&choice), &mut out);
        }
        choice[i] = 0;
    }
    for (x, &i) in ambiguous.iter().enumerate() {
        for &j in &ambiguous[x + 1..] {
            for k in 1..opts[i].len() {
                for h in 1..opts[j].len() {
                    choice[i] = k;
                    choice[j] = h;
                    push(build(&choice), &mut out);
                }
            }
            choice[i] = 0;
            choice[j] = 0;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::phonetic::consonants;

    fn d(arabic: &str, latin: &str) -> usize {
        distance(&letters(arabic), &consonants(&latin.to_lowercase()))
    }

    #[test]
    fn readings_of_several_schools_cost_nothing() {
        assert_eq!(d("مرتضی", "Morteza"), 0); // Persian ض
        assert_eq!(d("رمضان", "Ramadan"), 0); // Arabic ض
        assert_eq!(d("وحید", "Vahid"), 0); // Persian و
        assert_eq!(d("نقدی", "Naghdi"), 0);
        assert_eq!(d("نقدی", "Naqdi"), 0);
        assert_eq!(d("جمال", "Gamal"), 0);
        assert_eq!(d("جمال", "Djamel"), 0);
        assert_eq!(d("نژاد", "nejad"), 0);
        assert_eq!(d("صالح", "Saleh"), 0); // final h dropped from the outline
        assert_eq!(d("شيخ", "Sheikh"), 0);
        assert_eq!(d("محمد", "Mukhammad"), 0);
        assert_eq!(d("ثناء", "Sana"), 0);
        assert_eq!(d("نجيبالله", "Najibullah"), 0); // a double letter written once
        assert_eq!(d("مددی", "Madadi"), 0);
    }

    #[test]
    fn different_letters_cost() {
        assert_eq!(d("حسن", "Hussein"), 0);
        assert_eq!(d("حسن", "Hassan"), 0);
        assert_eq!(d("حسن", "Husam"), 1);
        assert!(d("كريم", "Kamil") >= 1);
        assert!(d("سالم", "Karimi") >= 2);
        assert_eq!(distance(&"ب".repeat(40), "b"), usize::MAX);
    }

    #[test]
    fn letters_unify_forms() {
        assert_eq!(letters("أحمد"), letters("احمد"));
        assert_eq!(letters("علی"), letters("علي"));
        assert_eq!(letters("کریم"), letters("كريم"));
        assert_eq!(consonant_count(&letters("علي")), 1);
    }

    #[test]
    fn first_and_last_letters_must_agree() {
        let agree = |a: &str, l: &str| edges_agree(&letters(a), l);
        assert!(agree("علي", "ali") && agree("عمر", "omar") && !agree("كريم", "ikram"));
        assert!(agree("وحيد", "vahid") && agree("وليد", "walid") && agree("يوسف", "yusuf"));
        assert!(!agree("يسنا", "sani") && !agree("حسن", "ahsan"));
        assert!(agree("محمدي", "mohammadi") && !agree("محمدي", "mohamed"));
        assert!(agree("اسامة", "osama") && agree("اسامة", "usamah"));
    }

    #[test]
    fn outlines_start_with_the_usual_reading() {
        let o = outlines(&letters("مرتضی"), 16);
        assert_eq!(o[0], "mrtd");
        assert!(o.contains(&"mrtz".to_string()));
        // Every outline is at distance 0 from its own word.
        for s in &o {
            assert_eq!(distance(&letters("مرتضی"), s), 0, "{s}");
        }
        assert!(outlines(&letters("ذضظثقجش"), 8).len() == 8);
    }

    use proptest::prelude::*;

    proptest! {
        /// Any Arabic-script word: every outline it offers the index is one the comparison
        /// accepts at distance 0, and the comparison never panics on any Latin outline.
        #[test]
        fn outlines_agree_with_distance(
            word in "[\u{0621}-\u{064A}\u{067E}\u{0686}\u{0698}\u{06A9}\u{06AF}\u{06CC}]{1,12}",
            latin in "[a-z]{0,30}",
        ) {
            let l = letters(&word);
            for o in outlines(&l, LOOKUP_OUTLINES) {
                prop_assert_eq!(distance(&l, &o), 0, "{} {}", word, o);
            }
            let d = bounded_distance(&l, &latin, 1);
            prop_assert!(d <= 2 || d == usize::MAX);
            let _ = edges_agree(&l, &latin);
        }

        /// Arabic-script names against Latin ones through the whole alignment (joins
        /// included): no panic, scores in [0, 1].
        #[test]
        fn alignment_of_arabic_names_is_bounded(
            ar in "[\u{0621}-\u{064A}\u{06CC} ]{1,30}",
            latin in "[a-zA-Z -]{1,40}",
        ) {
            let (q, n) = (crate::text::analyze(&ar, false), crate::text::analyze(&latin, false));
            let (qw, nw) = (vec![5.0; q.len()], vec![5.0; n.len()]);
            for (a, aw, b, bw) in [(&q, &qw, &n, &nw), (&n, &nw, &q, &qw)] {
                let c = crate::score::names::compare(a, aw, b, bw, 10.0, false);
                prop_assert!((0.0..=1.0).contains(&c.score));
            }
        }
    }
}
