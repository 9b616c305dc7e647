//! Named entities: people, places and organisations, found by rules over capitalised words.
//!
//! Candidates are runs of capitalised words inside sentences ("Bank of England", "Barack Obama"),
//! joined by a few lower-case particles (of, de, van, …). A word that only opens a sentence is no
//! evidence, so a run starting a sentence loses its first word when that is a common word ("The",
//! "But"), and a lone sentence-opening word counts only if the document uses it as a name elsewhere.
//! A run is typed by the first rule that fits:
//! 1. a title or honorific before it or at its start (Mr, Dr, President, Minister, CEO, actress …): person;
//! 2. an organisation word in it (Inc, Corp, Ltd, Party, Ministry, University, Bank, Council, …): organisation;
//! 3. the whole run in the embedded gazetteer of countries, capitals, cities and regions
//!    (`data/places.txt`), or ending in County, Province, Island, …: place;
//! 4. two or three words starting with a common given name (`data/first_names.txt`), or two or three
//!    words followed by said/told/says …: person;
//! 5. a short acronym (NATO, ECB): organisation.
//!
//! Anything else stays untyped. A single word that is the surname of a person found in the document
//! ("Obama" after "Barack Obama") counts for that person. In Title Case headlines capitals say
//! nothing, so there only gazetteer places, names found in the text and "Given-name Surname" pairs
//! are taken.

use crate::text::{stopwords, tokenize, Stopwords, Token};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::Serialize;
use std::sync::OnceLock;

/// Longest run of capitalised words taken as one name.
const MAX_RUN: usize = 6;

/// What kind of thing a name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// A person.
    Person,
    /// A country, city, region or other place.
    Place,
    /// A company, party, ministry, university, agency, newspaper, …
    Organization,
}

/// The named entities of an article, each list ranked (most mentioned first, title mentions
/// counting double), as written in the article.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Entities {
    /// People.
    pub people: Vec<String>,
    /// Places.
    pub places: Vec<String>,
    /// Organisations.
    pub organizations: Vec<String>,
}

impl Entities {
    /// The kind of a name, when it is one of these entities (compared without case).
    pub fn kind_of(&self, name: &str) -> Option<EntityKind> {
        let same = |list: &Vec<String>| list.iter().any(|e| e.eq_ignore_ascii_case(name));
        if same(&self.people) {
            Some(EntityKind::Person)
        } else if same(&self.places) {
            Some(EntityKind::Place)
        } else if same(&self.organizations) {
            Some(EntityKind::Organization)
        } else {
            None
        }
    }

    /// No entity found.
    pub fn is_empty(&self) -> bool {
        self.people.is_empty() && self.places.is_empty() && self.organizations.is_empty()
    }
}

fn word_set(data: &'static str) -> HashSet<String> {
    data.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.to_lowercase())
        .collect()
}

fn places() -> &'static HashSet<String> {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| word_set(include_str!("../../data/places.txt")))
}

fn first_names() -> &'static HashSet<String> {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| word_set(include_str!("../../data/first_names.txt")))
}

/// Titles and honorifics that put a person's name after them.
const PERSON_TITLES: &[&str] = &[
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

/// Titles that make the single word after them a person ("President Obama", "Mr. Tavares").
const STRONG_TITLES: &[&str] = &[
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

/// Words that make a run an organisation's name.
const ORG_WORDS: &[&str] = &[
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

/// Organisation words that name an institution on their own.
const INSTITUTIONS: &[&str] = &[
    "senate",
    "congress",
    "parliament",
    "pentagon",
    "kremlin",
    "interpol",
    "nato",
];

/// Last words of a run that make it a place.
const PLACE_HEADS: &[&str] = &[
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

/// Verbs of speech after a name: "Jane Doe said".
const SPEECH: &[&str] = &[
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

/// Months and days, and their abbreviations.
const CALENDAR: &[&str] = &[
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

/// Lower-case words allowed inside a name: "Bank of England", "Ludwig van Beethoven".
const PARTICLES: &[&str] = &[
    "of", "de", "del", "della", "da", "van", "von", "der", "den", "bin", "al", "la", "le",
];

/// NATO, ECB, IMF: two to five capital letters (tickers with digits and shouted words are not).
fn is_acronym(word: &str) -> bool {
    let n = word.chars().count();
    (2..=5).contains(&n) && word.chars().all(char::is_uppercase)
}

/// Acronyms of common things rather than organisations.
const COMMON_ACRONYMS: &[&str] = &[
    "tv", "dna", "iv", "llc", "ceo", "cfo", "cto", "gdp", "am", "pm", "ok", "hiv", "aids", "usb", "pc", "id", "it",
    "ai", "hd", "led", "gps", "suv", "ipo", "etf", "faq", "atm", "rss", "cd", "dvd", "usd", "eur", "gbp", "mph", "vs",
    "ad", "bc", "diy", "lol", "omg", "vip", "asap", "rip", "ii", "iii", "vi", "gb", "mb", "kb", "tb", "ghz", "mhz",
    "lte", "app", "ceos", "inc", "ltd", "co", "plc", "corp", "nyse", "et", "pt", "gmt", "utc", "est", "pst", "ufo",
    "vr", "ar", "hq", "pr", "ps", "rv", "mri", "ct", "er", "icu", "ptsd", "adhd", "std", "lgbt", "q1", "q2", "q3",
    "q4", "eps", "yoy", "cpi", "ppi", "api", "os", "ui", "ux", "seo", "sem", "ppc", "roi", "hr", "ip", "ac", "dc",
    "qr", "llm", "pdf", "html", "css", "url", "ssl", "vpn", "kpi", "crm", "erp", "saas", "ram", "cpu", "gpu", "ssd",
    "hdd", "lcd", "oled", "nft", "rbi", "era", "mvp", "pet", "usa", "faqs", "ceo", "coo",
];

/// An acronym that names an organisation (not "TV", "GDP", "CEO").
fn is_org_acronym(word: &str) -> bool {
    is_acronym(word) && !lower_in(word, COMMON_ACRONYMS)
}

fn is_capitalised_word(t: &Token<'_>) -> bool {
    t.capitalised && t.text.chars().any(char::is_alphabetic)
}

/// One name found, before ranking.
struct Found {
    text: String,
    kind: Option<EntityKind>,
    in_title: bool,
}

/// Named entities of an article. `language` picks the stopwords that tell a sentence-opening common
/// word from a name (English when `None`); the gazetteer and titles are English.
pub fn extract_entities(title: &str, text: &str, language: Option<&str>) -> Entities {
    let stop = stopwords(language.unwrap_or("en"));
    let mut found: Vec<Found> = Vec::new();
    scan(text, false, stop, &mut found);
    let title_tokens = tokenize(title);
    if is_title_case(&title_tokens, stop) {
        scan_title_case(&title_tokens, &found_names(&found), &mut found);
    } else {
        scan(title, true, stop, &mut found);
    }
    rank(found)
}

/// Names typed in `found`, by lower-case text.
fn found_names(found: &[Found]) -> HashMap<String, EntityKind> {
    found
        .iter()
        .filter_map(|f| f.kind.map(|k| (f.text.to_lowercase(), k)))
        .collect()
}

/// Most content words capitalised: a Title Case headline, whose capitals say nothing.
fn is_title_case(tokens: &[Token<'_>], stop: &Stopwords) -> bool {
    let (mut content, mut caps) = (0, 0);
    for t in tokens.iter().skip(1) {
        if stop.contains(&t.text.to_lowercase()) || !t.text.chars().any(char::is_alphabetic) {
            continue;
        }
        content += 1;
        if t.capitalised {
            caps += 1;
        }
    }
    content >= 3 && caps * 10 >= content * 7
}

/// Whether the word is in the (lower-case ASCII) list, ignoring case, without allocating.
fn lower_in(word: &str, list: &[&str]) -> bool {
    list.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// Runs of capitalised words in running text, typed.
fn scan(part: &str, in_title: bool, stop: &Stopwords, found: &mut Vec<Found>) {
    let tokens = tokenize(part);
    // Words the part writes in lower case: capitalised at a sentence start they are no name.
    let lower_words: HashSet<&str> = tokens
        .iter()
        .filter(|t| !t.capitalised && t.text.len() > 3)
        .map(|t| t.text)
        .collect();
    let mut i = 0;
    while i < tokens.len() {
        if !is_capitalised_word(&tokens[i]) {
            i += 1;
            continue;
        }
        // The run: capitalised words, particles between two of them, no punctuation in between.
        let mut j = i + 1;
        while j < tokens.len() && j - i < MAX_RUN + 2 && !tokens[j].phrase_break {
            if is_capitalised_word(&tokens[j]) {
                j += 1;
            } else if lower_in(tokens[j].text, PARTICLES)
                && tokens
                    .get(j + 1)
                    .is_some_and(|n| is_capitalised_word(n) && !n.phrase_break)
            {
                j += 2;
            } else {
                break;
            }
        }
        let end = j;
        let mut start = i;
        let mut opens_sentence = tokens[i].sentence_start;
        // A common word opening the sentence is not part of the name ("The", "But", "Officials").
        while start < end && tokens[start].sentence_start && is_common_opener(tokens[start].text, stop, &lower_words) {
            start += 1;
        }
        // "Shares of Galp Energia" opening a sentence: the opener and its particle go, unless the
        // opener is an organisation or place word ("Bank of England", "Gulf of Mexico").
        if start == i
            && tokens[start].sentence_start
            && start + 2 < end
            && lower_in(tokens[start + 1].text, PARTICLES)
            && !lower_in(tokens[start].text, ORG_WORDS)
            && !lower_in(tokens[start].text, PLACE_HEADS)
            && !lower_in(tokens[start].text, PERSON_TITLES)
        {
            start += 2;
        }
        let mut kind = None;
        // A title before the run: "actress Lindsay Lohan", "Mr. Tavares" (the dot is no sentence end).
        if start == i && i > 0 && lower_in(tokens[i - 1].text, PERSON_TITLES) {
            let prev = &tokens[i - 1];
            let between = part.get(prev.start + prev.text.len()..tokens[i].start).unwrap_or("");
            if !tokens[i].phrase_break || (lower_in(prev.text, STRONG_TITLES) && between.trim() == ".") {
                kind = Some(EntityKind::Person);
                opens_sentence = false;
            }
        }
        // A title inside the run: what follows it is the person ("Finance Minister Maria Albuquerque",
        // "Bank of England Governor Mark Carney"), what precedes it the body they serve. Not when
        // the run is an organisation's name ("General Motors") or the title a weak one and no
        // name follows ("Star Wars").
        let has_org_word = tokens[start..end].iter().any(|t| lower_in(t.text, ORG_WORDS));
        if let Some(k) = (start..end).rev().find(|&k| lower_in(tokens[k].text, PERSON_TITLES)) {
            let mut first = k;
            while first > start && lower_in(tokens[first - 1].text, PERSON_TITLES) {
                first -= 1;
            }
            let mut rest = k + 1;
            while rest + 1 < end && lower_in(tokens[rest].text, PARTICLES) {
                rest += 2;
            }
            let rest_len = end.saturating_sub(rest);
            let strong = tokens[first..=k].iter().any(|t| lower_in(t.text, STRONG_TITLES));
            let named = rest_len >= 2 || (rest_len == 1 && first_names().contains(&tokens[rest].text.to_lowercase()));
            let org_after = tokens[rest.min(end)..end].iter().any(|t| lower_in(t.text, ORG_WORDS));
            if (1..=3).contains(&rest_len) && (strong || named) && !org_after {
                if first > start {
                    let body = &tokens[start..first];
                    let body_text = body.iter().map(|t| t.text).collect::<Vec<_>>().join(" ");
                    let body_lower = body_text.to_lowercase();
                    if let Some(k) = classify(body, &body_lower, false).filter(|k| *k != EntityKind::Person) {
                        found.push(Found {
                            text: body_text,
                            kind: Some(k),
                            in_title,
                        });
                    }
                }
                start = rest;
                kind = Some(EntityKind::Person);
            } else if rest_len == 0 && !has_org_word {
                // Only titles: "the Prime Minister".
                i = end.max(i + 1);
                continue;
            }
        }
        // Trailing particles cannot end a name.
        // Month and day names are capitalised but name nothing here ("On Monday", "March 10").
        while start < end && lower_in(tokens[start].text, CALENDAR) {
            start += 1;
        }
        let mut stop_at = end;
        while stop_at > start
            && (lower_in(tokens[stop_at - 1].text, PARTICLES) || lower_in(tokens[stop_at - 1].text, CALENDAR))
        {
            stop_at -= 1;
        }
        if stop_at <= start {
            i = end.max(i + 1);
            continue;
        }
        // Nor can particles start one ("March of Dimes" after the month went).
        while start < stop_at && lower_in(tokens[start].text, PARTICLES) {
            start += 1;
        }
        if stop_at <= start {
            i = end.max(i + 1);
            continue;
        }
        let mut words = &tokens[start..stop_at];
        // "Bill Cheney of John Hancock Financial Services": a person of an organisation or place.
        if let Some(p) = words.iter().position(|w| w.text == "of") {
            let (left, right) = (&words[..p], &words[p + 1..]);
            let person_like = kind == Some(EntityKind::Person)
                || left
                    .first()
                    .is_some_and(|w| first_names().contains(&w.text.to_lowercase()));
            if kind != Some(EntityKind::Organization) && (2..=3).contains(&left.len()) && person_like {
                let right_text = right.iter().map(|t| t.text).collect::<Vec<_>>().join(" ");
                let right_lower = right_text.to_lowercase();
                if let Some(k) = classify(right, &right_lower, false).filter(|k| *k != EntityKind::Person) {
                    found.push(Found {
                        text: right_text,
                        kind: Some(k),
                        in_title,
                    });
                    words = left;
                    kind = Some(EntityKind::Person);
                }
            }
        }
        let end_of_name = start + words.len();
        let next = tokens.get(end_of_name).filter(|t| !t.phrase_break);
        let followed_by_speech = next.is_some_and(|t| lower_in(t.text, SPEECH));
        let whole = words.iter().map(|t| t.text).collect::<Vec<_>>().join(" ");
        let whole_lower = whole.to_lowercase();
        let titled = kind.is_some();
        let mut kind = kind.or_else(|| classify(words, &whole_lower, followed_by_speech));
        // A line of capitalised words on its own is a heading ("Best College Essays"), not a name,
        // unless it is a known place or a title said whose name it is.
        let heading = words.len() >= 2
            && tokens[start].sentence_start
            && tokens.get(end_of_name).is_none_or(|t| t.sentence_start);
        if heading && !titled && kind != Some(EntityKind::Place) {
            kind = None;
        }
        // A shouted common word ("ALL", "STEP") is no acronym: the text writes it in lower case.
        if words.len() == 1
            && kind == Some(EntityKind::Organization)
            && is_acronym(words[0].text)
            && (stop.contains(&whole_lower) || lower_words.contains(whole_lower.as_str()))
        {
            kind = None;
        }
        // A person is named without the title ("Lt Garcia said" is Garcia).
        if kind == Some(EntityKind::Person) {
            while words.len() > 1 && lower_in(words[0].text, PERSON_TITLES) {
                words = &words[1..];
            }
        }
        let text = words.iter().map(|t| t.text).collect::<Vec<_>>().join(" ");
        let n = words.len();
        // A lone word opening a sentence is only a name if the document says so elsewhere.
        let single_at_start = n == 1 && opens_sentence && start == i;
        found.push(Found {
            text,
            kind: if single_at_start && kind != Some(EntityKind::Place) && !is_acronym(&lower_case_free(words)) {
                None
            } else {
                kind
            },
            in_title,
        });
        i = end.max(i + 1);
    }
}

/// A capitalised sentence opener that is a common word: a stopword, a word the text also writes
/// in lower case, or one with a verb or adverb ending ("Considering", "Shares", "Recently").
fn is_common_opener(word: &str, stop: &Stopwords, lower_words: &HashSet<&str>) -> bool {
    let lower = word.to_lowercase();
    if stop.contains(&lower) || lower_words.contains(lower.as_str()) {
        return true;
    }
    lower.len() > 4 && (lower.ends_with("ing") || lower.ends_with("ed") || lower.ends_with("ly"))
}

/// The run's only word as written (for the acronym test).
fn lower_case_free(words: &[Token<'_>]) -> String {
    words.first().map(|w| w.text.to_string()).unwrap_or_default()
}

/// The kind of a run of capitalised words without a title before it.
fn classify(words: &[Token<'_>], lower: &str, followed_by_speech: bool) -> Option<EntityKind> {
    let n = words.len();
    // An organisation word with a name ("Bank of England", "Apple Inc"); alone only the
    // institutions that are names by themselves ("Senate", "Parliament").
    if (n >= 2 && words.iter().any(|w| lower_in(w.text, ORG_WORDS)))
        || (n == 1 && lower_in(words[0].text, INSTITUTIONS))
    {
        return Some(EntityKind::Organization);
    }
    if places().contains(lower) || (n >= 2 && words.last().is_some_and(|w| lower_in(w.text, PLACE_HEADS))) {
        return Some(EntityKind::Place);
    }
    if (2..=3).contains(&n)
        && words.iter().all(|w| !is_acronym(w.text))
        && (first_names().contains(&words[0].text.to_lowercase()) || followed_by_speech)
    {
        return Some(EntityKind::Person);
    }
    if n == 1 && is_org_acronym(words[0].text) {
        return Some(EntityKind::Organization);
    }
    None
}

/// Title Case headlines: gazetteer places (longest first), names already found in the text, and
/// "Given-name Surname" pairs.
fn scan_title_case(tokens: &[Token<'_>], known: &HashMap<String, EntityKind>, found: &mut Vec<Found>) {
    let mut i = 0;
    while i < tokens.len() {
        let mut matched = 0;
        for n in (1..=4).rev() {
            if i + n > tokens.len() || tokens[i + 1..i + n].iter().any(|t| t.phrase_break) {
                continue;
            }
            if !tokens[i..i + n].iter().all(is_capitalised_word) {
                continue;
            }
            let text = tokens[i..i + n].iter().map(|t| t.text).collect::<Vec<_>>().join(" ");
            let lower = text.to_lowercase();
            let kind = known.get(&lower).copied().or_else(|| {
                if places().contains(&lower) {
                    Some(EntityKind::Place)
                } else if n == 2 && first_names().contains(&tokens[i].text.to_lowercase()) {
                    Some(EntityKind::Person)
                } else if n == 1 && is_org_acronym(tokens[i].text) && !places().contains(&lower) {
                    Some(EntityKind::Organization)
                } else {
                    None
                }
            });
            if kind.is_some() {
                found.push(Found {
                    text,
                    kind,
                    in_title: true,
                });
                matched = n;
                break;
            }
        }
        i += matched.max(1);
    }
}

/// Groups the mentions, resolves surnames and sentence-opening words, ranks each kind.
fn rank(found: Vec<Found>) -> Entities {
    // Typed names by lower-case text, with a count and first position.
    let mut typed: HashMap<String, (EntityKind, String, f32, usize)> = HashMap::default();
    for (pos, f) in found.iter().enumerate() {
        if let Some(kind) = f.kind {
            let e = typed
                .entry(f.text.to_lowercase())
                .or_insert((kind, f.text.clone(), 0.0, pos));
            e.2 += if f.in_title { 2.0 } else { 1.0 };
        }
    }
    // The most frequent typing of a name wins over a stray other one: count kinds per name.
    let mut kinds: HashMap<String, HashMap<EntityKind, u32>> = HashMap::default();
    for f in &found {
        if let Some(k) = f.kind {
            *kinds.entry(f.text.to_lowercase()).or_default().entry(k).or_insert(0) += 1;
        }
    }
    for (name, e) in typed.iter_mut() {
        if let Some(best) = kinds.get(name).and_then(|m| {
            m.iter()
                .max_by_key(|(k, c)| (**c, **k == EntityKind::Person))
                .map(|(k, _)| *k)
        }) {
            e.0 = best;
        }
    }
    // Surnames and given names of people: "Obama" counts for "Barack Obama".
    let mut part_of: HashMap<String, String> = HashMap::default();
    for (name, e) in &typed {
        if e.0 == EntityKind::Person {
            let parts: Vec<&str> = name.split(' ').collect();
            if parts.len() >= 2 {
                if let Some(last) = parts.last() {
                    part_of.entry((*last).to_string()).or_insert_with(|| name.clone());
                }
            }
        }
    }
    for f in &found {
        let lower = f.text.to_lowercase();
        // A surname wins over the gazetteer: "Albuquerque told reporters" after "Maria Albuquerque".
        let target = if !lower.contains(' ') && f.kind != Some(EntityKind::Organization) {
            part_of.get(&lower).cloned()
        } else {
            None
        };
        if let Some(full) = target {
            if let Some(e) = typed.get_mut(&full) {
                e.2 += if f.in_title { 2.0 } else { 1.0 };
            }
        }
    }
    // Single words that are surnames of a longer name were counted into it.
    typed.retain(|name, e| !(e.0 != EntityKind::Organization && !name.contains(' ') && part_of.contains_key(name)));
    let mut all: Vec<(EntityKind, String, f32, usize)> = typed.into_values().collect();
    all.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.3.cmp(&b.3)));
    let mut out = Entities::default();
    for (kind, text, _, _) in all {
        match kind {
            EntityKind::Person => out.people.push(text),
            EntityKind::Place => out.places.push(text),
            EntityKind::Organization => out.organizations.push(text),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gazetteer_loads() {
        assert!(places().contains("ukraine"));
        assert!(places().contains("new york"));
        assert!(first_names().contains("barack"));
        assert!(!places().contains("# places"));
    }
}
