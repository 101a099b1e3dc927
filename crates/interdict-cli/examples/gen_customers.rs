//! Generates synthetic customer rows for screening benchmarks, deterministically.
//!
//! `cargo run --release --example gen_customers -- [ROWS] [OUT.csv]` (default 1 000 000 rows
//! to stdout). Columns: `id,name,dob,country`. Names come from the `fake` crate in several
//! locales (English, French, German, Italian, Portuguese, Dutch, Turkish, Arabic, Chinese,
//! Japanese) plus small built-in Cyrillic and Greek name tables; about half the rows carry a
//! birth date and about half a country. One row in 500 is a variant of a publicly designated
//! name, so that a run produces some alerts.

use std::io::{BufWriter, Write};

use fake::faker::name::raw::{FirstName, LastName, Name};
use fake::locales::{AR_SA, DE_DE, EN, FR_FR, IT_IT, JA_JP, NL_NL, PT_BR, TR_TR, ZH_CN};
use fake::rand::rngs::StdRng;
use fake::rand::SeedableRng;
use fake::Fake;

const CYRILLIC_FIRST: &[&str] = &[
    "Александр",
    "Сергей",
    "Дмитрий",
    "Андрей",
    "Алексей",
    "Михаил",
    "Иван",
    "Николай",
    "Ольга",
    "Елена",
    "Татьяна",
    "Наталья",
    "Ирина",
    "Светлана",
    "Анна",
    "Мария",
];
const CYRILLIC_LAST: &[&str] = &[
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
];
const GREEK_FIRST: &[&str] = &[
    "Γιώργος",
    "Δημήτρης",
    "Κωνσταντίνος",
    "Γιάννης",
    "Νίκος",
    "Παναγιώτης",
    "Μαρία",
    "Ελένη",
    "Αικατερίνη",
    "Βασιλική",
    "Σοφία",
    "Αναστασία",
];
const GREEK_LAST: &[&str] = &[
    "Παπαδόπουλος",
    "Βλάχος",
    "Αγγελόπουλος",
    "Νικολάου",
    "Γεωργίου",
    "Παπαδάκης",
    "Οικονόμου",
    "Μακρής",
    "Καραγιάννης",
    "Δημητρίου",
];
/// Publicly designated names (and spelling variants) seeded among the customers.
const DESIGNATED: &[&str] = &[
    "ZHAO Guangzong",
    "Guangzong Zhao",
    "NI Gaobin",
    "Gaobin Ni",
    "赵光宗",
    "倪高彬",
    "Wuhan Xiaoruizhi Science and Technology Co Ltd",
    "Yevgeniy Prigozhin",
    "Evgeny Prigozhin",
    "Пригожин Евгений Викторович",
    "Kim Jong Un",
    "Ali Khamenei",
    "Bashar al-Assad",
    "Ramzan Kadyrov",
    "Hassan Nasrallah",
];
const COUNTRIES: &[&str] = &[
    "us",
    "gb",
    "de",
    "fr",
    "it",
    "es",
    "nl",
    "br",
    "tr",
    "sa",
    "ae",
    "cn",
    "jp",
    "ru",
    "ua",
    "gr",
    "ir",
    "in",
    "pk",
    "ng",
    "Germany",
    "France",
    "United Kingdom",
    "Russia",
];

fn pick<'a>(rng: &mut StdRng, items: &[&'a str]) -> &'a str {
    items[(0..items.len()).fake_with_rng::<usize, _>(rng)]
}

fn name(rng: &mut StdRng) -> String {
    let r: u32 = (0..1000).fake_with_rng(rng);
    if r < 2 {
        return pick(rng, DESIGNATED).to_string();
    }
    match r % 16 {
        0..=2 => Name(EN).fake_with_rng(rng),
        3 => Name(FR_FR).fake_with_rng(rng),
        4 => Name(DE_DE).fake_with_rng(rng),
        5 => Name(IT_IT).fake_with_rng(rng),
        6 => Name(PT_BR).fake_with_rng(rng),
        7 => Name(NL_NL).fake_with_rng(rng),
        8 => Name(TR_TR).fake_with_rng(rng),
        9 => format!(
            "{} {}",
            FirstName(AR_SA).fake_with_rng::<String, _>(rng),
            LastName(AR_SA).fake_with_rng::<String, _>(rng)
        ),
        10 => Name(ZH_CN).fake_with_rng(rng),
        11 => Name(JA_JP).fake_with_rng(rng),
        12 | 13 => format!("{} {}", pick(rng, CYRILLIC_FIRST), pick(rng, CYRILLIC_LAST)),
        14 => format!("{} {}", pick(rng, GREEK_FIRST), pick(rng, GREEK_LAST)),
        _ => format!(
            "{} {}",
            FirstName(EN).fake_with_rng::<String, _>(rng),
            LastName(DE_DE).fake_with_rng::<String, _>(rng)
        ),
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let rows: u64 = args
        .next()
        .and_then(|s| s.replace('_', "").parse().ok())
        .unwrap_or(1_000_000);
    let out: Box<dyn Write> = match args.next() {
        Some(p) => Box::new(std::fs::File::create(p)?),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut w = BufWriter::with_capacity(1 << 16, out);
    let mut rng = StdRng::seed_from_u64(20_240_325);
    writeln!(w, "id,name,dob,country")?;
    for i in 1..=rows {
        let n = name(&mut rng);
        let dob = if (0..2u32).fake_with_rng::<u32, _>(&mut rng) == 0 {
            let y: u32 = (1940..2006).fake_with_rng(&mut rng);
            match (0..3u32).fake_with_rng::<u32, _>(&mut rng) {
                0 => format!("{y}"),
                _ => format!(
                    "{y}-{:02}-{:02}",
                    (1..13u32).fake_with_rng::<u32, _>(&mut rng),
                    (1..29u32).fake_with_rng::<u32, _>(&mut rng)
                ),
            }
        } else {
            String::new()
        };
        let country = if (0..2u32).fake_with_rng::<u32, _>(&mut rng) == 0 {
            pick(&mut rng, COUNTRIES)
        } else {
            ""
        };
        writeln!(w, "C{i:08},{},{dob},{}", csv_field(&n), csv_field(country))?;
    }
    w.flush()
}
