//! A deterministic synthetic customer base for tests and benchmarks: persons and companies
//! from several locales and scripts (Latin, Cyrillic, Han, Arabic), with birth dates,
//! countries and some identifiers. The same seed always gives the same subjects.

use interdict_model::{IdKind, Identifier, PartialDate, Schema};

use crate::SubjectInput;

struct Locale {
    country: &'static str,
    given: &'static [&'static str],
    family: &'static [&'static str],
    /// Family name first (as written in the locale).
    family_first: bool,
}

const LOCALES: &[Locale] = &[
    Locale {
        country: "us",
        given: &[
            "James",
            "Mary",
            "Robert",
            "Patricia",
            "John",
            "Jennifer",
            "Michael",
            "Linda",
            "David",
            "Elizabeth",
            "William",
            "Barbara",
            "Richard",
            "Susan",
            "Joseph",
            "Jessica",
            "Thomas",
            "Sarah",
            "Charles",
            "Karen",
            "Daniel",
            "Nancy",
            "Matthew",
            "Betty",
        ],
        family: &[
            "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
            "Anderson", "Taylor", "Moore", "Jackson", "Martin", "Thompson", "White", "Harris",
            "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "Wright", "Scott",
        ],
        family_first: false,
    },
    Locale {
        country: "de",
        given: &[
            "Lukas",
            "Anna",
            "Felix",
            "Lena",
            "Jonas",
            "Lea",
            "Maximilian",
            "Hannah",
            "Paul",
            "Sophie",
            "Leon",
            "Marie",
            "Finn",
            "Johanna",
            "Elias",
            "Clara",
            "Moritz",
            "Greta",
        ],
        family: &[
            "Müller",
            "Schmidt",
            "Schneider",
            "Fischer",
            "Weber",
            "Meyer",
            "Wagner",
            "Becker",
            "Schulz",
            "Hoffmann",
            "Koch",
            "Richter",
            "Klein",
            "Wolf",
            "Schröder",
            "Neumann",
            "Zimmermann",
            "Braun",
        ],
        family_first: false,
    },
    Locale {
        country: "fr",
        given: &[
            "Louis", "Camille", "Hugo", "Chloé", "Lucas", "Manon", "Jules", "Inès", "Arthur",
            "Léa", "Raphaël", "Zoé", "Théo", "Juliette", "Gabriel", "Margaux",
        ],
        family: &[
            "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
            "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "Fournier",
        ],
        family_first: false,
    },
    Locale {
        country: "es",
        given: &[
            "Alejandro",
            "Lucía",
            "Pablo",
            "Martina",
            "Javier",
            "Paula",
            "Carlos",
            "Elena",
            "Sergio",
            "Carmen",
            "Adrián",
            "Sofía",
            "Álvaro",
            "Marta",
            "Diego",
            "Claudia",
        ],
        family: &[
            "García",
            "Fernández",
            "González",
            "Rodríguez",
            "López",
            "Martínez",
            "Sánchez",
            "Pérez",
            "Gómez",
            "Díaz",
            "Moreno",
            "Álvarez",
            "Romero",
            "Navarro",
            "Torres",
            "Ruiz",
        ],
        family_first: false,
    },
    Locale {
        country: "ru",
        given: &[
            "Александр",
            "Мария",
            "Дмитрий",
            "Анна",
            "Максим",
            "Елена",
            "Сергей",
            "Ольга",
            "Андрей",
            "Наталья",
            "Алексей",
            "Татьяна",
            "Михаил",
            "Ирина",
            "Николай",
            "Светлана",
        ],
        family: &[
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
        ],
        family_first: false,
    },
    Locale {
        country: "cn",
        given: &[
            "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟",
            "涛", "明", "超", "秀英", "霞", "平",
        ],
        family: &[
            "王", "李", "张", "刘", "陈", "杨", "黄", "吴", "周", "徐", "孙", "马", "朱", "胡",
            "郭", "何", "林", "罗",
        ],
        family_first: true,
    },
    Locale {
        country: "eg",
        given: &[
            "أحمد",
            "فاطمة",
            "محمود",
            "مريم",
            "يوسف",
            "نور",
            "خالد",
            "سارة",
            "عمر",
            "ليلى",
            "حسن",
            "هدى",
            "طارق",
            "ياسمين",
        ],
        family: &[
            "عبد الله",
            "السيد",
            "إبراهيم",
            "حسين",
            "مصطفى",
            "النجار",
            "الشريف",
            "منصور",
            "سليمان",
            "عثمان",
            "فهمي",
            "رشاد",
        ],
        family_first: false,
    },
    Locale {
        country: "br",
        given: &[
            "João", "Ana", "Pedro", "Beatriz", "Gabriel", "Mariana", "Rafael", "Larissa",
            "Gustavo", "Camila", "Felipe", "Juliana", "Bruno", "Fernanda",
        ],
        family: &[
            "Silva",
            "Santos",
            "Oliveira",
            "Souza",
            "Rodrigues",
            "Ferreira",
            "Alves",
            "Pereira",
            "Lima",
            "Gomes",
            "Costa",
            "Ribeiro",
            "Carvalho",
            "Almeida",
        ],
        family_first: false,
    },
    Locale {
        country: "tr",
        given: &[
            "Mehmet", "Ayşe", "Mustafa", "Fatma", "Emre", "Zeynep", "Burak", "Elif", "Can",
            "Merve", "Kerem", "Selin",
        ],
        family: &[
            "Yılmaz",
            "Kaya",
            "Demir",
            "Şahin",
            "Çelik",
            "Yıldız",
            "Yıldırım",
            "Öztürk",
            "Aydın",
            "Özdemir",
            "Arslan",
            "Doğan",
        ],
        family_first: false,
    },
];

const COMPANY_WORDS: &[&str] = &[
    "Northwind",
    "Bluewater",
    "Evergreen",
    "Silverline",
    "Redstone",
    "Brightpath",
    "Oakridge",
    "Riverside",
    "Summit",
    "Horizon",
    "Keystone",
    "Maplewood",
    "Ironbridge",
    "Goldfield",
    "Clearview",
    "Westgate",
    "Lakeshore",
    "Pinecrest",
    "Harbor",
    "Meadow",
];
const COMPANY_TRADES: &[&str] = &[
    "Logistics",
    "Foods",
    "Textiles",
    "Consulting",
    "Imports",
    "Software",
    "Furniture",
    "Medical Supplies",
    "Bakery",
    "Printing",
    "Auto Parts",
    "Garden Centre",
    "Dental Care",
];
const COMPANY_FORMS: &[&str] = &["Ltd", "LLC", "GmbH", "SARL", "S.L.", "Inc.", "BV", "AG"];

/// SplitMix64: a tiny, well-known deterministic generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

/// `n` synthetic subjects with external ids `{prefix}{0..n}`.
pub fn subjects(n: usize, seed: u64, prefix: &str) -> Vec<SubjectInput> {
    let mut rng = Rng(seed);
    (0..n)
        .map(|i| one(&mut rng, format!("{prefix}{i}")))
        .collect()
}

fn one(rng: &mut Rng, external_id: String) -> SubjectInput {
    let loc = &LOCALES[rng.below(LOCALES.len())];
    let mut s = SubjectInput {
        external_id,
        countries: vec![loc.country.to_string()],
        ..SubjectInput::default()
    };
    if rng.below(100) < 15 {
        s.schema = Some(Schema::Company);
        let name = format!(
            "{} {} {}",
            rng.pick(COMPANY_WORDS),
            rng.pick(COMPANY_TRADES),
            rng.pick(COMPANY_FORMS)
        );
        s.names.push(name);
        if rng.below(3) == 0 {
            s.identifiers.push(Identifier::new(
                IdKind::Registration,
                format!(
                    "{}{:08}",
                    loc.country.to_uppercase(),
                    rng.next() % 100_000_000
                ),
            ));
        }
        return s;
    }
    s.schema = Some(Schema::Person);
    let (g, f) = (rng.pick(loc.given), rng.pick(loc.family));
    let name = if loc.family_first {
        format!("{f}{g}")
    } else if rng.below(4) == 0 {
        // A middle name now and then.
        format!("{g} {} {f}", rng.pick(loc.given))
    } else {
        format!("{g} {f}")
    };
    s.names.push(name);
    let year = 1940 + rng.below(66) as u16;
    let month = 1 + rng.below(12) as u8;
    let day = 1 + rng.below(28) as u8;
    if let Some(d) = PartialDate::new(year, Some(month), Some(day)) {
        s.birth_dates.push(d);
    }
    if rng.below(5) == 0 {
        s.identifiers.push(Identifier::new(
            IdKind::Passport,
            format!("P{:09}", rng.next() % 1_000_000_000),
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn deterministic_and_valid() {
        let a = super::subjects(500, 7, "c");
        assert_eq!(a, super::subjects(500, 7, "c"));
        for s in a {
            s.normalize().unwrap();
        }
    }
}
