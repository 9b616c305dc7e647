//! Per-language word lists for tags and entities: person titles, organisation words, speech verbs,
//! calendar words, name particles and elided articles, for English, German, French, Spanish,
//! Italian, Portuguese and Catalan. Other languages get the English lists without the calendar.
//!
//! English keeps exactly its own lists; every other language gets its own lists plus the English
//! titles and organisation words (news in any language writes "CEO", "Bank of America"), but its
//! own calendar and particles. The lists are this project's own, from common knowledge of the
//! languages.

use crate::text::{tokenize, Token};
use rustc_hash::FxHashSet as HashSet;
use std::sync::OnceLock;

/// Word lists of one language; every lookup is case-insensitive.
pub(crate) struct Lexicon {
    /// English: the original rules, untouched.
    pub english: bool,
    /// German: every noun is capitalised, so a capital alone is no evidence of a name.
    pub nouns_capitalised: bool,
    titles: HashSet<&'static str>,
    strong_titles: HashSet<&'static str>,
    /// Endings of compound titles ("Bundeskanzler", "Außenministerin").
    title_endings: &'static [&'static str],
    org_words: HashSet<&'static str>,
    /// Endings of compound organisation words ("Zentralbank", "Landgericht").
    org_endings: &'static [&'static str],
    institutions: HashSet<&'static str>,
    place_heads: HashSet<&'static str>,
    speech: HashSet<&'static str>,
    /// Auxiliaries of a spoken past ("a" of "a déclaré", "ha" of "ha detto").
    auxiliaries: HashSet<&'static str>,
    calendar: HashSet<&'static str>,
    particles: HashSet<&'static str>,
    /// Articles that may follow a particle inside a name ("von der Leyen", "de la Cruz").
    particle_articles: HashSet<&'static str>,
    /// Elided articles and particles, apostrophe included ("l'", "dell'").
    elisions: &'static [&'static str],
    /// Words that are no keyphrase in this language beyond its stopwords (non-English only).
    filler: HashSet<&'static str>,
}

/// Runs `f` on the lower-case form of `word`, without allocating for short ASCII words.
fn with_lower<R>(word: &str, f: impl FnOnce(&str) -> R) -> R {
    let bytes = word.as_bytes();
    if bytes.len() <= 32 && bytes.is_ascii() {
        let mut buf = [0u8; 32];
        for (b, c) in buf.iter_mut().zip(bytes) {
            *b = c.to_ascii_lowercase();
        }
        // ASCII stays valid UTF-8.
        f(std::str::from_utf8(&buf[..bytes.len()]).unwrap_or_default())
    } else {
        f(&word.to_lowercase())
    }
}

fn has(set: &HashSet<&'static str>, word: &str) -> bool {
    !set.is_empty() && with_lower(word, |w| set.contains(w))
}

/// A compound ending in one of `endings`, longer than the ending ("Finanzminister").
fn ends_with_any(word: &str, endings: &[&str]) -> bool {
    !endings.is_empty()
        && with_lower(word, |w| {
            endings
                .iter()
                .any(|e| w.len() > e.len() + 2 && w.ends_with(e) && w.is_char_boundary(w.len() - e.len()))
        })
}

impl Lexicon {
    pub fn is_english(&self) -> bool {
        self.english
    }
    pub fn is_title(&self, w: &str) -> bool {
        has(&self.titles, w) || ends_with_any(w, self.title_endings)
    }
    pub fn is_strong_title(&self, w: &str) -> bool {
        has(&self.strong_titles, w) || ends_with_any(w, self.title_endings)
    }
    pub fn is_org_word(&self, w: &str) -> bool {
        has(&self.org_words, w) || ends_with_any(w, self.org_endings)
    }
    pub fn is_institution(&self, w: &str) -> bool {
        has(&self.institutions, w)
    }
    pub fn is_place_head(&self, w: &str) -> bool {
        has(&self.place_heads, w)
    }
    pub fn is_speech(&self, w: &str) -> bool {
        has(&self.speech, w)
    }
    pub fn is_auxiliary(&self, w: &str) -> bool {
        has(&self.auxiliaries, w)
    }
    pub fn is_calendar(&self, w: &str) -> bool {
        has(&self.calendar, w)
    }
    pub fn is_particle(&self, w: &str) -> bool {
        has(&self.particles, w)
    }
    pub fn is_particle_article(&self, w: &str) -> bool {
        has(&self.particle_articles, w)
    }
    /// A word that is no keyphrase here although not a stopword (titles, speech verbs, months).
    pub fn is_filler(&self, lower: &str) -> bool {
        self.filler.contains(lower) || ends_with_any(lower, self.title_endings)
    }

    /// The words of `text`, elided articles taken off ("l'Élysée" is "Élysée").
    pub fn tokenize<'a>(&self, text: &'a str) -> Vec<Token<'a>> {
        let mut tokens = tokenize(text);
        if self.elisions.is_empty() {
            return tokens;
        }
        for t in &mut tokens {
            let Some(pos) = t.text.find(['\'', '\u{2019}']) else {
                continue;
            };
            let apostrophe = if t.text[pos..].starts_with('\'') { 1 } else { 3 };
            let rest = &t.text[pos + apostrophe..];
            if rest.is_empty() {
                continue;
            }
            let prefix = &t.text[..pos];
            let elided = with_lower(prefix, |p| self.elisions.contains(&p));
            if elided {
                t.start += pos + apostrophe;
                t.text = rest;
                t.capitalised = rest.chars().next().is_some_and(char::is_uppercase);
            }
        }
        tokens
    }
}

// English lists: the rules' original ones.

const EN_TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "professor",
    "sir",
    "dame",
    "lord",
    "lady",
    "president",
    "vice",
    "premier",
    "minister",
    "chancellor",
    "senator",
    "sen",
    "rep",
    "representative",
    "congressman",
    "congresswoman",
    "governor",
    "gov",
    "mayor",
    "judge",
    "justice",
    "secretary",
    "gen",
    "general",
    "colonel",
    "col",
    "captain",
    "capt",
    "lieutenant",
    "lt",
    "sergeant",
    "sgt",
    "detective",
    "pope",
    "cardinal",
    "bishop",
    "rev",
    "reverend",
    "father",
    "king",
    "queen",
    "prince",
    "princess",
    "sheikh",
    "ayatollah",
    "ceo",
    "cfo",
    "chairman",
    "chairwoman",
    "founder",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "coach",
    "actor",
    "actress",
    "singer",
    "rapper",
    "star",
    "director",
    "economist",
    "analyst",
    "officer",
    "attorney",
    "lawyer",
    "commissioner",
    "ambassador",
    "envoy",
    "chief",
    "executive",
    "mp",
    "mep",
    "supervisor",
    "councilman",
    "councilwoman",
    "councillor",
    "dean",
    "cmdr",
    "adm",
    "admiral",
    "sheriff",
    "chef",
];

const EN_STRONG_TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "professor",
    "sir",
    "dame",
    "lord",
    "lady",
    "president",
    "premier",
    "minister",
    "chancellor",
    "senator",
    "sen",
    "rep",
    "congressman",
    "congresswoman",
    "governor",
    "gov",
    "mayor",
    "judge",
    "pope",
    "king",
    "queen",
    "prince",
    "princess",
    "sheikh",
    "ayatollah",
    "rev",
    "reverend",
    "sheriff",
];

const EN_ORG_WORDS: &[&str] = &[
    "inc",
    "corp",
    "corporation",
    "co",
    "ltd",
    "llc",
    "plc",
    "ag",
    "gmbh",
    "sa",
    "nv",
    "group",
    "holdings",
    "party",
    "ministry",
    "department",
    "university",
    "college",
    "school",
    "academy",
    "bank",
    "council",
    "agency",
    "committee",
    "commission",
    "association",
    "institute",
    "institution",
    "foundation",
    "federation",
    "union",
    "company",
    "airlines",
    "airways",
    "motors",
    "reserve",
    "court",
    "congress",
    "parliament",
    "senate",
    "assembly",
    "police",
    "army",
    "navy",
    "times",
    "news",
    "post",
    "journal",
    "herald",
    "tribune",
    "telegraph",
    "guardian",
    "gazette",
    "club",
    "league",
    "organization",
    "organisation",
    "authority",
    "board",
    "service",
    "services",
    "fund",
    "exchange",
    "capital",
    "partners",
    "media",
    "network",
    "studios",
    "records",
    "pictures",
    "entertainment",
    "administration",
    "office",
    "church",
    "fc",
    "trust",
    "industries",
    "technologies",
    "systems",
    "pharmaceuticals",
    "labs",
    "laboratories",
    "communications",
    "bureau",
    "cabinet",
    "government",
    "hospital",
    "museum",
    "society",
    "alliance",
    "coalition",
    "front",
    "movement",
    "brigade",
    "brigades",
    "enterprises",
    "securities",
    "financial",
    "insurance",
    "investments",
    "management",
    "software",
    "electronics",
    "telecom",
];

const EN_INSTITUTIONS: &[&str] = &[
    "senate",
    "congress",
    "parliament",
    "pentagon",
    "kremlin",
    "interpol",
    "nato",
];

const EN_PLACE_HEADS: &[&str] = &[
    "county",
    "province",
    "island",
    "islands",
    "valley",
    "river",
    "lake",
    "peninsula",
    "mountains",
    "region",
    "district",
    "strait",
    "gulf",
    "bay",
    "sea",
    "ocean",
    "desert",
];

const EN_SPEECH: &[&str] = &[
    "said",
    "says",
    "told",
    "tells",
    "added",
    "explained",
    "wrote",
    "writes",
    "asked",
    "argued",
    "noted",
    "stated",
    "declared",
    "insisted",
    "warned",
    "announced",
];

const EN_CALENDAR: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thurs",
    "fri",
    "sat",
    "sun",
];

const EN_PARTICLES: &[&str] = &[
    "of", "de", "del", "della", "da", "van", "von", "der", "den", "bin", "al", "la", "le",
];

// German.

const DE_TITLES: &[&str] = &[
    "herr",
    "frau",
    "kanzler",
    "kanzlerin",
    "präsident",
    "präsidentin",
    "präsidenten",
    "minister",
    "ministerin",
    "ministers",
    "ministerpräsident",
    "ministerpräsidentin",
    "bürgermeister",
    "bürgermeisterin",
    "oberbürgermeister",
    "oberbürgermeisterin",
    "abgeordnete",
    "abgeordneten",
    "senator",
    "senatorin",
    "papst",
    "könig",
    "königin",
    "prinz",
    "prinzessin",
    "chef",
    "chefin",
    "vorsitzende",
    "vorsitzender",
    "vorsitzenden",
    "sprecher",
    "sprecherin",
    "botschafter",
    "botschafterin",
    "generalsekretär",
    "generalsekretärin",
    "richter",
    "richterin",
    "trainer",
    "trainerin",
    "kommissar",
    "kommissarin",
    "staatssekretär",
    "staatssekretärin",
    "direktor",
    "direktorin",
    "professor",
    "professorin",
    "pfarrer",
    "bischof",
    "kardinal",
    "general",
    "oberst",
    "leutnant",
];
const DE_STRONG_TITLES: &[&str] = &[
    "herr",
    "frau",
    "kanzler",
    "kanzlerin",
    "präsident",
    "präsidentin",
    "präsidenten",
    "minister",
    "ministerin",
    "ministerpräsident",
    "ministerpräsidentin",
    "bürgermeister",
    "bürgermeisterin",
    "papst",
    "könig",
    "königin",
    "prinz",
    "prinzessin",
];
const DE_TITLE_ENDINGS: &[&str] = &[
    "kanzler",
    "kanzlerin",
    "präsident",
    "präsidentin",
    "präsidenten",
    "minister",
    "ministerin",
    "bürgermeister",
    "bürgermeisterin",
    "chef",
    "chefin",
    "sprecher",
    "sprecherin",
    "vorsitzende",
    "vorsitzender",
    "vorsitzenden",
];
const DE_ORG_WORDS: &[&str] = &[
    "partei",
    "bank",
    "ministerium",
    "universität",
    "hochschule",
    "verband",
    "gericht",
    "kommission",
    "union",
    "stiftung",
    "institut",
    "gesellschaft",
    "konzern",
    "regierung",
    "rat",
    "agentur",
    "amt",
    "behörde",
    "bundesamt",
    "polizei",
    "zeitung",
    "rundfunk",
    "verein",
    "gewerkschaft",
    "akademie",
    "börse",
    "se",
    "kg",
    "ev",
];
const DE_ORG_ENDINGS: &[&str] = &[
    "bank",
    "partei",
    "ministerium",
    "universität",
    "verband",
    "gericht",
    "kommission",
    "stiftung",
    "institut",
    "gesellschaft",
    "konzern",
    "behörde",
    "zeitung",
    "gewerkschaft",
];
const DE_INSTITUTIONS: &[&str] = &[
    "bundestag",
    "bundesrat",
    "bundesregierung",
    "bundesverfassungsgericht",
    "bundesbank",
    "bundeswehr",
    "kreml",
    "landtag",
];
const DE_PLACE_HEADS: &[&str] = &["see", "insel", "inseln", "meer", "fluss", "tal", "gebirge", "region"];
const DE_SPEECH: &[&str] = &[
    "sagte",
    "sagt",
    "sagten",
    "erklärte",
    "erklärt",
    "betonte",
    "betont",
    "meinte",
    "schrieb",
    "warnte",
    "forderte",
    "kritisierte",
    "ergänzte",
    "gesagt",
];
const DE_AUXILIARIES: &[&str] = &["hat", "habe", "hatte"];
const DE_CALENDAR: &[&str] = &[
    "januar",
    "jänner",
    "februar",
    "märz",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "dezember",
    "montag",
    "dienstag",
    "mittwoch",
    "donnerstag",
    "freitag",
    "samstag",
    "sonnabend",
    "sonntag",
    "montags",
    "sonntags",
    "wochenende",
];
const DE_PARTICLES: &[&str] = &["von", "van", "zu", "de", "da", "del", "di", "la", "le", "al", "bin"];
const DE_PARTICLE_ARTICLES: &[&str] = &["der", "den", "dem"];
const DE_FILLER: &[&str] = &[
    "sei",
    "seien",
    "laut",
    "wegen",
    "jahr",
    "jahren",
    "jahres",
    "prozent",
    "uhr",
    "mehr",
    "zudem",
    "bereits",
    "rund",
    "etwa",
    "heute",
    "gestern",
    "morgen",
    "sagte",
    "sagt",
    "erklärte",
    "betonte",
    "dpa",
    "afp",
    "reuters",
];

// French.

const FR_TITLES: &[&str] = &[
    "m",
    "mme",
    "mmes",
    "mlle",
    "monsieur",
    "madame",
    "président",
    "présidente",
    "chancelier",
    "chancelière",
    "ministre",
    "premier",
    "première",
    "maire",
    "député",
    "députée",
    "sénateur",
    "sénatrice",
    "secrétaire",
    "général",
    "générale",
    "pape",
    "roi",
    "reine",
    "prince",
    "princesse",
    "porte",
    "parole",
    "directeur",
    "directrice",
    "patron",
    "patronne",
    "juge",
    "ambassadeur",
    "ambassadrice",
    "commissaire",
    "entraîneur",
    "sélectionneur",
    "chef",
    "cheffe",
    "présidents",
    "dirigeant",
    "dirigeante",
    "candidat",
    "candidate",
];
const FR_STRONG_TITLES: &[&str] = &[
    "m",
    "mme",
    "monsieur",
    "madame",
    "président",
    "présidente",
    "chancelier",
    "chancelière",
    "ministre",
    "maire",
    "pape",
    "roi",
    "reine",
    "prince",
    "princesse",
];
const FR_ORG_WORDS: &[&str] = &[
    "parti",
    "banque",
    "ministère",
    "université",
    "commission",
    "union",
    "conseil",
    "assemblée",
    "sénat",
    "cour",
    "tribunal",
    "fédération",
    "association",
    "fondation",
    "institut",
    "agence",
    "société",
    "groupe",
    "compagnie",
    "syndicat",
    "mouvement",
    "front",
    "rassemblement",
    "gouvernement",
    "école",
    "académie",
    "police",
    "gendarmerie",
    "armée",
    "mairie",
    "préfecture",
    "journal",
    "bourse",
    "palais",
    "sa",
    "sas",
];
const FR_INSTITUTIONS: &[&str] = &["élysée", "matignon", "sénat", "kremlin", "otan", "onu", "bercy", "quai"];
const FR_PLACE_HEADS: &[&str] = &[];
const FR_SPEECH: &[&str] = &[
    "déclaré",
    "dit",
    "affirmé",
    "expliqué",
    "ajouté",
    "souligné",
    "estimé",
    "annoncé",
    "assuré",
    "indiqué",
    "précisé",
    "martelé",
    "prévenu",
    "déclare",
    "affirme",
    "explique",
    "ajoute",
    "souligne",
    "estime",
    "annonce",
    "assure",
    "indique",
    "précise",
    "dénonce",
    "dénoncé",
];
const FR_AUXILIARIES: &[&str] = &["a", "avait", "ont"];
const FR_CALENDAR: &[&str] = &[
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
];
const FR_PARTICLES: &[&str] = &[
    "de", "du", "des", "d", "da", "van", "von", "le", "la", "al", "ben", "bin",
];
const FR_PARTICLE_ARTICLES: &[&str] = &["la", "le", "los", "las", "l"];
const FR_ELISIONS: &[&str] = &[
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu",
];
const FR_FILLER: &[&str] = &[
    "selon",
    "ans",
    "an",
    "année",
    "années",
    "fois",
    "heures",
    "heure",
    "cent",
    "pourcent",
    "euros",
    "également",
    "aussi",
    "ainsi",
    "alors",
    "après",
    "avant",
    "depuis",
    "encore",
    "déjà",
    "très",
    "plus",
    "moins",
    "tout",
    "tous",
    "toute",
    "toutes",
    "aujourd'hui",
    "hier",
    "demain",
    "cette",
    "leurs",
    "entre",
    "contre",
    "sans",
    "sous",
    "vers",
    "chez",
    "dont",
    "où",
    "afp",
    "reuters",
];

// Spanish.

const ES_TITLES: &[&str] = &[
    "sr",
    "sra",
    "señor",
    "señora",
    "don",
    "doña",
    "presidente",
    "presidenta",
    "canciller",
    "ministro",
    "ministra",
    "primer",
    "primera",
    "alcalde",
    "alcaldesa",
    "diputado",
    "diputada",
    "senador",
    "senadora",
    "secretario",
    "secretaria",
    "general",
    "papa",
    "rey",
    "reina",
    "príncipe",
    "princesa",
    "portavoz",
    "director",
    "directora",
    "juez",
    "jueza",
    "embajador",
    "embajadora",
    "comisario",
    "comisaria",
    "entrenador",
    "seleccionador",
    "jefe",
    "jefa",
    "líder",
    "candidato",
    "candidata",
    "consejero",
    "consejera",
    "vicepresidente",
    "vicepresidenta",
];
const ES_STRONG_TITLES: &[&str] = &[
    "sr",
    "sra",
    "señor",
    "señora",
    "don",
    "doña",
    "presidente",
    "presidenta",
    "canciller",
    "ministro",
    "ministra",
    "alcalde",
    "alcaldesa",
    "papa",
    "rey",
    "reina",
    "príncipe",
    "princesa",
];
const ES_ORG_WORDS: &[&str] = &[
    "partido",
    "banco",
    "ministerio",
    "universidad",
    "comisión",
    "unión",
    "consejo",
    "congreso",
    "senado",
    "tribunal",
    "corte",
    "federación",
    "asociación",
    "fundación",
    "instituto",
    "agencia",
    "sociedad",
    "grupo",
    "compañía",
    "sindicato",
    "movimiento",
    "frente",
    "gobierno",
    "escuela",
    "academia",
    "policía",
    "guardia",
    "ejército",
    "ayuntamiento",
    "junta",
    "generalitat",
    "bolsa",
    "palacio",
    "sa",
];
const ES_INSTITUTIONS: &[&str] = &["moncloa", "congreso", "senado", "kremlin", "otan", "onu"];
const ES_SPEECH: &[&str] = &[
    "dijo",
    "afirmó",
    "declaró",
    "explicó",
    "añadió",
    "señaló",
    "aseguró",
    "indicó",
    "subrayó",
    "advirtió",
    "anunció",
    "destacó",
    "dice",
    "afirma",
    "explica",
    "añade",
    "señala",
    "asegura",
    "dicho",
    "afirmado",
    "declarado",
];
const ES_AUXILIARIES: &[&str] = &["ha", "había", "han"];
const ES_CALENDAR: &[&str] = &[
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "setiembre",
    "octubre",
    "noviembre",
    "diciembre",
    "lunes",
    "martes",
    "miércoles",
    "jueves",
    "viernes",
    "sábado",
    "domingo",
];
const ES_PARTICLES: &[&str] = &["de", "del", "da", "van", "von", "la", "al", "bin"];
const ES_PARTICLE_ARTICLES: &[&str] = &["la", "las", "los", "el"];
const ES_FILLER: &[&str] = &[
    "según", "años", "año", "vez", "veces", "horas", "hora", "ciento", "euros", "también", "además", "así", "después",
    "antes", "desde", "todavía", "ya", "muy", "más", "menos", "todo", "todos", "toda", "todas", "hoy", "ayer",
    "mañana", "entre", "contra", "hacia", "efe", "afp", "reuters",
];

// Italian.

const IT_TITLES: &[&str] = &[
    "sig",
    "signor",
    "signore",
    "signora",
    "dott",
    "presidente",
    "premier",
    "cancelliere",
    "ministro",
    "ministra",
    "sindaco",
    "sindaca",
    "deputato",
    "deputata",
    "senatore",
    "senatrice",
    "segretario",
    "segretaria",
    "generale",
    "papa",
    "re",
    "regina",
    "principe",
    "principessa",
    "portavoce",
    "direttore",
    "direttrice",
    "giudice",
    "ambasciatore",
    "commissario",
    "allenatore",
    "ct",
    "capo",
    "leader",
    "candidato",
    "candidata",
    "governatore",
    "vicepremier",
];
const IT_STRONG_TITLES: &[&str] = &[
    "sig",
    "signor",
    "signora",
    "dott",
    "presidente",
    "premier",
    "cancelliere",
    "ministro",
    "ministra",
    "sindaco",
    "sindaca",
    "papa",
    "re",
    "regina",
    "principe",
    "principessa",
];
const IT_ORG_WORDS: &[&str] = &[
    "partito",
    "banca",
    "ministero",
    "università",
    "commissione",
    "unione",
    "consiglio",
    "camera",
    "senato",
    "tribunale",
    "corte",
    "federazione",
    "associazione",
    "fondazione",
    "istituto",
    "agenzia",
    "società",
    "gruppo",
    "compagnia",
    "sindacato",
    "movimento",
    "fronte",
    "governo",
    "scuola",
    "accademia",
    "polizia",
    "esercito",
    "comune",
    "regione",
    "borsa",
    "palazzo",
    "spa",
    "fratelli",
    "lega",
];
const IT_INSTITUTIONS: &[&str] = &[
    "quirinale",
    "farnesina",
    "viminale",
    "senato",
    "cremlino",
    "nato",
    "onu",
];
const IT_SPEECH: &[&str] = &[
    "detto",
    "dichiarato",
    "affermato",
    "spiegato",
    "aggiunto",
    "sottolineato",
    "annunciato",
    "avvertito",
    "dice",
    "afferma",
    "spiega",
    "aggiunge",
    "sottolinea",
    "disse",
];
const IT_AUXILIARIES: &[&str] = &["ha", "aveva", "hanno"];
const IT_CALENDAR: &[&str] = &[
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
    "lunedì",
    "martedì",
    "mercoledì",
    "giovedì",
    "venerdì",
    "sabato",
    "domenica",
];
const IT_PARTICLES: &[&str] = &["di", "de", "del", "della", "dei", "da", "van", "von", "la", "al", "bin"];
const IT_PARTICLE_ARTICLES: &[&str] = &["la", "lo"];
const IT_ELISIONS: &[&str] = &[
    "l", "d", "un", "dell", "dall", "nell", "sull", "all", "coll", "quest", "quell", "c", "s", "m", "t", "v", "n",
    "bell",
];
const IT_FILLER: &[&str] = &[
    "secondo", "anni", "anno", "volta", "volte", "ore", "cento", "euro", "anche", "inoltre", "così", "dopo", "prima",
    "ancora", "già", "molto", "più", "meno", "tutto", "tutti", "tutta", "tutte", "oggi", "ieri", "domani", "tra",
    "fra", "contro", "verso", "ansa", "afp", "reuters",
];

// Portuguese.

const PT_TITLES: &[&str] = &[
    "sr",
    "sra",
    "senhor",
    "senhora",
    "dom",
    "dona",
    "presidente",
    "presidenta",
    "chanceler",
    "ministro",
    "ministra",
    "primeiro",
    "primeira",
    "prefeito",
    "prefeita",
    "deputado",
    "deputada",
    "senador",
    "senadora",
    "secretário",
    "secretária",
    "general",
    "papa",
    "rei",
    "rainha",
    "príncipe",
    "princesa",
    "porta",
    "voz",
    "diretor",
    "diretora",
    "juiz",
    "juíza",
    "embaixador",
    "embaixadora",
    "comissário",
    "treinador",
    "técnico",
    "chefe",
    "líder",
    "candidato",
    "candidata",
    "governador",
    "governadora",
    "vice",
];
const PT_STRONG_TITLES: &[&str] = &[
    "sr",
    "sra",
    "senhor",
    "senhora",
    "dom",
    "presidente",
    "presidenta",
    "chanceler",
    "ministro",
    "ministra",
    "prefeito",
    "prefeita",
    "governador",
    "governadora",
    "papa",
    "rei",
    "rainha",
    "príncipe",
    "princesa",
];
const PT_ORG_WORDS: &[&str] = &[
    "partido",
    "banco",
    "ministério",
    "universidade",
    "comissão",
    "união",
    "conselho",
    "congresso",
    "senado",
    "tribunal",
    "supremo",
    "federação",
    "associação",
    "fundação",
    "instituto",
    "agência",
    "sociedade",
    "grupo",
    "companhia",
    "sindicato",
    "movimento",
    "frente",
    "governo",
    "escola",
    "academia",
    "polícia",
    "exército",
    "câmara",
    "assembleia",
    "prefeitura",
    "bolsa",
    "palácio",
    "sa",
];
const PT_INSTITUTIONS: &[&str] = &[
    "planalto",
    "itamaraty",
    "congresso",
    "senado",
    "kremlin",
    "otan",
    "onu",
    "stf",
];
const PT_SPEECH: &[&str] = &[
    "disse",
    "afirmou",
    "declarou",
    "explicou",
    "acrescentou",
    "destacou",
    "ressaltou",
    "anunciou",
    "alertou",
    "diz",
    "afirma",
    "explica",
    "dito",
    "afirmado",
];
const PT_AUXILIARIES: &[&str] = &["tem", "tinha"];
const PT_CALENDAR: &[&str] = &[
    "janeiro",
    "fevereiro",
    "março",
    "abril",
    "maio",
    "junho",
    "julho",
    "agosto",
    "setembro",
    "outubro",
    "novembro",
    "dezembro",
    "segunda",
    "terça",
    "quarta",
    "quinta",
    "sexta",
    "sábado",
    "domingo",
    "feira",
];
const PT_PARTICLES: &[&str] = &["de", "da", "do", "das", "dos", "van", "von", "al", "bin"];
const PT_PARTICLE_ARTICLES: &[&str] = &["la"];
const PT_FILLER: &[&str] = &[
    "segundo", "anos", "ano", "vez", "vezes", "horas", "hora", "cento", "reais", "também", "além", "assim", "depois",
    "antes", "desde", "ainda", "já", "muito", "mais", "menos", "todo", "todos", "toda", "todas", "hoje", "ontem",
    "amanhã", "entre", "contra", "nesta", "neste", "nessa", "nesse", "afp", "reuters",
];

// Catalan: elisions and a few words; the rest is shared with Spanish.

const CA_ELISIONS: &[&str] = &["l", "d", "s", "n", "m", "t"];

fn set(lists: &[&[&'static str]]) -> HashSet<&'static str> {
    lists.iter().flat_map(|l| l.iter().copied()).collect()
}

/// A language's own lists, with the English titles and organisation words added.
#[allow(clippy::too_many_arguments)]
fn build(
    titles: &[&'static str],
    strong: &[&'static str],
    title_endings: &'static [&'static str],
    org: &[&'static str],
    org_endings: &'static [&'static str],
    institutions: &[&'static str],
    place_heads: &[&'static str],
    speech: &[&'static str],
    auxiliaries: &[&'static str],
    calendar: &[&'static str],
    particles: &[&'static str],
    particle_articles: &[&'static str],
    elisions: &'static [&'static str],
    filler: &[&'static str],
    nouns_capitalised: bool,
) -> Lexicon {
    Lexicon {
        english: false,
        nouns_capitalised,
        titles: set(&[titles, EN_TITLES]),
        strong_titles: set(&[strong, EN_STRONG_TITLES]),
        title_endings,
        org_words: set(&[org, EN_ORG_WORDS]),
        org_endings,
        institutions: set(&[institutions, EN_INSTITUTIONS]),
        place_heads: set(&[place_heads, EN_PLACE_HEADS]),
        speech: set(&[speech, EN_SPEECH]),
        auxiliaries: set(&[auxiliaries]),
        calendar: set(&[calendar]),
        particles: set(&[particles]),
        particle_articles: set(&[particle_articles]),
        elisions,
        // Titles, speech verbs and calendar words are no keyphrases either.
        filler: set(&[filler, titles, speech, calendar, auxiliaries]),
    }
}

/// The lists for an ISO 639-1 code; English for `en` and unknown codes, which keep the English
/// rules as they were.
pub(crate) fn lexicon(code: &str) -> &'static Lexicon {
    macro_rules! cached {
        ($init:expr) => {{
            static CELL: OnceLock<Lexicon> = OnceLock::new();
            CELL.get_or_init(|| $init)
        }};
    }
    match code {
        "de" => cached!(build(
            DE_TITLES,
            DE_STRONG_TITLES,
            DE_TITLE_ENDINGS,
            DE_ORG_WORDS,
            DE_ORG_ENDINGS,
            DE_INSTITUTIONS,
            DE_PLACE_HEADS,
            DE_SPEECH,
            DE_AUXILIARIES,
            DE_CALENDAR,
            DE_PARTICLES,
            DE_PARTICLE_ARTICLES,
            &[],
            DE_FILLER,
            true,
        )),
        "fr" => cached!(build(
            FR_TITLES,
            FR_STRONG_TITLES,
            &[],
            FR_ORG_WORDS,
            &[],
            FR_INSTITUTIONS,
            FR_PLACE_HEADS,
            FR_SPEECH,
            FR_AUXILIARIES,
            FR_CALENDAR,
            FR_PARTICLES,
            FR_PARTICLE_ARTICLES,
            FR_ELISIONS,
            FR_FILLER,
            false,
        )),
        "es" | "gl" => cached!(build(
            ES_TITLES,
            ES_STRONG_TITLES,
            &[],
            ES_ORG_WORDS,
            &[],
            ES_INSTITUTIONS,
            &[],
            ES_SPEECH,
            ES_AUXILIARIES,
            ES_CALENDAR,
            ES_PARTICLES,
            ES_PARTICLE_ARTICLES,
            &[],
            ES_FILLER,
            false,
        )),
        "ca" => cached!(build(
            ES_TITLES,
            ES_STRONG_TITLES,
            &[],
            ES_ORG_WORDS,
            &[],
            ES_INSTITUTIONS,
            &[],
            ES_SPEECH,
            ES_AUXILIARIES,
            ES_CALENDAR,
            ES_PARTICLES,
            ES_PARTICLE_ARTICLES,
            CA_ELISIONS,
            ES_FILLER,
            false,
        )),
        "it" => cached!(build(
            IT_TITLES,
            IT_STRONG_TITLES,
            &[],
            IT_ORG_WORDS,
            &[],
            IT_INSTITUTIONS,
            &[],
            IT_SPEECH,
            IT_AUXILIARIES,
            IT_CALENDAR,
            IT_PARTICLES,
            IT_PARTICLE_ARTICLES,
            IT_ELISIONS,
            IT_FILLER,
            false,
        )),
        "pt" => cached!(build(
            PT_TITLES,
            PT_STRONG_TITLES,
            &[],
            PT_ORG_WORDS,
            &[],
            PT_INSTITUTIONS,
            &[],
            PT_SPEECH,
            PT_AUXILIARIES,
            PT_CALENDAR,
            PT_PARTICLES,
            PT_PARTICLE_ARTICLES,
            &[],
            PT_FILLER,
            false,
        )),
        _ => cached!(Lexicon {
            english: true,
            nouns_capitalised: false,
            titles: set(&[EN_TITLES]),
            strong_titles: set(&[EN_STRONG_TITLES]),
            title_endings: &[],
            org_words: set(&[EN_ORG_WORDS]),
            org_endings: &[],
            institutions: set(&[EN_INSTITUTIONS]),
            place_heads: set(&[EN_PLACE_HEADS]),
            speech: set(&[EN_SPEECH]),
            auxiliaries: HashSet::default(),
            calendar: set(&[EN_CALENDAR]),
            particles: set(&[EN_PARTICLES]),
            particle_articles: HashSet::default(),
            elisions: &[],
            filler: HashSet::default(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words<'a>(code: &str, s: &'a str) -> Vec<&'a str> {
        lexicon(code).tokenize(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn elided_articles_come_off_where_the_language_elides() {
        assert_eq!(
            words("fr", "l'Élysée d’Allemagne jusqu'à aujourd'hui"),
            ["Élysée", "Allemagne", "à", "aujourd'hui"]
        );
        assert_eq!(
            words("it", "dell'Unione un'altra Sant'Angelo"),
            ["Unione", "altra", "Sant'Angelo"]
        );
        assert_eq!(words("en", "O'Brien didn't l'Oréal"), ["O'Brien", "didn't", "l'Oréal"]);
        assert_eq!(words("fr", "O'Brien"), ["O'Brien"]);
        assert_eq!(words("ca", "l'Ajuntament d'Barcelona"), ["Ajuntament", "Barcelona"]);
        assert_eq!(words("es", "l'Ajuntament"), ["l'Ajuntament"]);
        let t = lexicon("fr").tokenize("L'Allemagne");
        assert!(t[0].capitalised && t[0].sentence_start && t[0].start == 2);
    }

    #[test]
    fn compound_titles_and_case() {
        let de = lexicon("de");
        assert!(de.is_title("Bundeskanzler") && de.is_title("Außenministerin") && de.is_title("PRÄSIDENT"));
        assert!(!de.is_title("Kanzleramt"));
        assert!(de.is_org_word("Zentralbank"));
        assert!(!lexicon("en").is_title("bundeskanzler"));
    }
}
