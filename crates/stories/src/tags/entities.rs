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
//! The words of these rules are per language (`lang.rs`): German, French, Spanish, Italian and
//! Portuguese have their own, and German, which capitalises every noun, types a run only on that
//! evidence (a capital alone is none) and otherwise takes the known names inside it.
//!
//! Anything else stays untyped. A single word that is the surname of a person found in the document
//! ("Obama" after "Barack Obama") counts for that person. In Title Case headlines capitals say
//! nothing, so there only gazetteer places, names found in the text and "Given-name Surname" pairs
//! are taken.

use super::lang::{lexicon, Lexicon};
use crate::text::{stopwords, Stopwords, Token};
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

/// A lower-case word that is a given name or a one-word place of the gazetteer.
pub(crate) fn is_known_name_word(lower: &str) -> bool {
    first_names().contains(lower) || places().contains(lower)
}

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
/// word from a name and the titles, organisation words, speech verbs, months and elided articles of
/// `lang.rs` (English when `None`); German names need more than a capital (see the README).
pub fn extract_entities(title: &str, text: &str, language: Option<&str>) -> Entities {
    let code = language.unwrap_or("en");
    let stop = stopwords(code);
    let lex = lexicon(code);
    let mut found: Vec<Found> = Vec::new();
    scan(text, false, stop, lex, &mut found);
    let title_tokens = lex.tokenize(title);
    if is_title_case(&title_tokens, stop) {
        scan_title_case(&title_tokens, &found_names(&found), lex, &mut found);
    } else {
        scan(title, true, stop, lex, &mut found);
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
fn scan(part: &str, in_title: bool, stop: &Stopwords, lex: &Lexicon, found: &mut Vec<Found>) {
    let tokens = lex.tokenize(part);
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
            } else if lex.is_particle(tokens[j].text)
                && tokens
                    .get(j + 1)
                    .is_some_and(|n| is_capitalised_word(n) && !n.phrase_break)
            {
                j += 2;
            } else if lex.is_particle(tokens[j].text)
                && tokens
                    .get(j + 1)
                    .is_some_and(|a| lex.is_particle_article(a.text) && !a.phrase_break)
                && tokens
                    .get(j + 2)
                    .is_some_and(|n| is_capitalised_word(n) && !n.phrase_break && !is_acronym(n.text))
            {
                // "Ursula von der Leyen", "José de la Cruz" (not "Schmidt von der CDU").
                j += 3;
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
            && lex.is_particle(tokens[start + 1].text)
            && !lex.is_org_word(tokens[start].text)
            && !lex.is_place_head(tokens[start].text)
            && !lex.is_title(tokens[start].text)
        {
            start += 2;
        }
        let mut kind = None;
        // A title before the run: "actress Lindsay Lohan", "Mr. Tavares" (the dot is no sentence end).
        if start == i && i > 0 && lex.is_title(tokens[i - 1].text) {
            let prev = &tokens[i - 1];
            let between = part.get(prev.start + prev.text.len()..tokens[i].start).unwrap_or("");
            if !tokens[i].phrase_break || (lex.is_strong_title(prev.text) && between.trim() == ".") {
                kind = Some(EntityKind::Person);
                opens_sentence = false;
            }
        }
        // Other languages put an adjective between: "le chancelier allemand Friedrich Merz", "il
        // presidente francese Emmanuel Macron"; and a speech verb before the name: "a déclaré Merz",
        // "dijo Sánchez", "sagte Merz".
        let mut after_speech = false;
        let mut appositive = false;
        if !lex.english && start == i && i > 0 && kind.is_none() && !tokens[i].phrase_break {
            let prev = &tokens[i - 1];
            if i > 1
                && !prev.capitalised
                && !prev.phrase_break
                && !stop.contains(&prev.text.to_lowercase())
                && lex.is_title(tokens[i - 2].text)
            {
                kind = Some(EntityKind::Person);
                opens_sentence = false;
            } else if lex.is_speech(prev.text) {
                // Not in German, where a speech verb also comes before its object ("forderte
                // Gespräche"); a surname said there counts through the full name found elsewhere.
                after_speech = !lex.nouns_capitalised;
            } else if tokens[i].phrase_break && !tokens[i].sentence_start {
                // An apposition after the office: "el presidente del Gobierno, Pedro Sánchez,".
                let mut k = i;
                while k > 0 && i - k < 6 {
                    k -= 1;
                    if lex.is_title(tokens[k].text) {
                        appositive = true;
                        break;
                    }
                    if tokens[k].phrase_break {
                        break;
                    }
                }
            }
        }
        // A title inside the run: what follows it is the person ("Finance Minister Maria Albuquerque",
        // "Bank of England Governor Mark Carney"), what precedes it the body they serve. Not when
        // the run is an organisation's name ("General Motors") or the title a weak one and no
        // name follows ("Star Wars").
        let has_org_word = tokens[start..end].iter().any(|t| lex.is_org_word(t.text));
        if let Some(k) = (start..end).rev().find(|&k| lex.is_title(tokens[k].text)) {
            let mut first = k;
            while first > start && lex.is_title(tokens[first - 1].text) {
                first -= 1;
            }
            let mut rest = k + 1;
            while rest + 1 < end && lex.is_particle(tokens[rest].text) {
                rest += 2;
            }
            let rest_len = end.saturating_sub(rest);
            let strong = tokens[first..=k].iter().any(|t| lex.is_strong_title(t.text));
            let named = rest_len >= 2 || (rest_len == 1 && first_names().contains(&tokens[rest].text.to_lowercase()));
            let org_after = tokens[rest.min(end)..end].iter().any(|t| lex.is_org_word(t.text));
            if (1..=3).contains(&rest_len) && (strong || named) && !org_after {
                if first > start {
                    let body = &tokens[start..first];
                    let body_text = body.iter().map(|t| t.text).collect::<Vec<_>>().join(" ");
                    push_office(body, body_text, lex, in_title, found);
                }
                start = rest;
                kind = Some(EntityKind::Person);
            } else if rest_len == 0 && !has_org_word {
                // Only titles: "the Prime Minister".
                if lex.nouns_capitalised {
                    scan_known(&tokens[k + 1..end], lex, in_title, found);
                }
                i = end.max(i + 1);
                continue;
            }
        }
        // Trailing particles cannot end a name.
        // Month and day names are capitalised but name nothing here ("On Monday", "March 10").
        while start < end && lex.is_calendar(tokens[start].text) {
            start += 1;
        }
        let mut stop_at = end;
        while stop_at > start
            && (lex.is_particle(tokens[stop_at - 1].text) || lex.is_calendar(tokens[stop_at - 1].text))
        {
            stop_at -= 1;
        }
        if stop_at <= start {
            i = end.max(i + 1);
            continue;
        }
        // Nor can particles start one ("March of Dimes" after the month went).
        while start < stop_at && lex.is_particle(tokens[start].text) {
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
                if let Some(k) = classify(right, &right_lower, false, lex).filter(|k| *k != EntityKind::Person) {
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
        // "ministro dell'Economia Giancarlo Giorgetti", "presidente del Consiglio Giorgia Meloni":
        // a given name inside the run starts the person; what precedes it is the office.
        if !lex.english && words.len() >= 3 {
            let given = |w: &Token<'_>| first_names().contains(&w.text.to_lowercase());
            if let Some(k) = (1..words.len()).find(|&k| given(&words[k])) {
                let body = &words[..k];
                if (2..=3).contains(&(words.len() - k))
                    && !given(&words[k - 1])
                    && !body.iter().any(|w| lex.is_particle(w.text))
                    && !words[k..].iter().any(|w| lex.is_org_word(w.text))
                {
                    push_office(body, join(part, body, lex), lex, in_title, found);
                    start += k;
                    words = &words[k..];
                    kind = Some(EntityKind::Person);
                }
            }
        }
        let end_of_name = start + words.len();
        let next = tokens.get(end_of_name).filter(|t| !t.phrase_break);
        let followed_by_speech = next.is_some_and(|t| lex.is_speech(t.text))
            || (next.is_some_and(|t| lex.is_auxiliary(t.text))
                && tokens
                    .get(end_of_name + 1)
                    .is_some_and(|t| !t.phrase_break && lex.is_speech(t.text)));
        let whole = join(part, words, lex);
        let whole_lower = whole.to_lowercase();
        let titled = kind.is_some();
        let mut kind = kind.or_else(|| classify(words, &whole_lower, followed_by_speech, lex));
        if kind.is_none()
            && (after_speech || (appositive && words.len() >= 2))
            && words.len() <= 3
            && !words.iter().any(|w| is_acronym(w.text))
        {
            kind = Some(EntityKind::Person);
        }
        // German: a descriptive noun before a name says what it is ("Autokonzern Volkswagen",
        // "Gewerkschaft IG Metall"), but is no part of it (unless the rest is a place:
        // "Universität Hamburg").
        if lex.nouns_capitalised
            && words.len() >= 2
            && words.len() <= 4
            && kind == Some(EntityKind::Organization)
            && lex.is_org_word(words[0].text)
            && !words[1..]
                .iter()
                .any(|w| lex.is_org_word(w.text) || lex.is_particle(w.text))
        {
            let rest_lower = join(part, &words[1..], lex).to_lowercase();
            if !places().contains(&rest_lower) {
                start += 1;
                words = &words[1..];
            }
        }
        // Where capitals do not mark names alone (German nouns), a run holds more than its name
        // ("Hauptstadt Berlin"): the known names inside it count.
        if kind.is_none() && lex.nouns_capitalised {
            scan_known(words, lex, in_title, found);
        }
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
            while words.len() > 1 && lex.is_title(words[0].text) {
                words = &words[1..];
            }
        }
        let text = join(part, words, lex);
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

/// The words of a name as shown: an elided article inside it stays ("Banca d'Italia", "Ministère
/// de l'Intérieur"); the first word goes without it ("Élysée").
/// What precedes a person's title or given name in a run ("Bank of England" of "Bank of England
/// Governor Mark Carney"): kept as an entity of its own when it is a place or an organisation.
fn push_office(body: &[Token<'_>], text: String, lex: &Lexicon, in_title: bool, found: &mut Vec<Found>) {
    let lower = text.to_lowercase();
    if let Some(kind) = classify(body, &lower, false, lex).filter(|k| *k != EntityKind::Person) {
        found.push(Found {
            text,
            kind: Some(kind),
            in_title,
        });
    }
}

fn join(part: &str, words: &[Token<'_>], lex: &Lexicon) -> String {
    let mut out = String::new();
    for (n, w) in words.iter().enumerate() {
        if n > 0 {
            out.push(' ');
            if !lex.english {
                let before = &part[..w.start];
                let trimmed = before.trim_end_matches(['\'', '\u{2019}']);
                if trimmed.len() < before.len() {
                    let from = trimmed.trim_end_matches(char::is_alphabetic).len();
                    out.push_str(&part[from..w.start]);
                }
            }
        }
        out.push_str(w.text);
    }
    out
}

/// German nouns that no name ends like ("Regierung", "Wirtschaft", "Freiheit").
fn common_noun_ending(word: &str) -> bool {
    let lower = word.to_lowercase();
    [
        "ung", "heit", "keit", "schaft", "tion", "tät", "ismus", "nis", "tum", "chen", "lung",
    ]
    .iter()
    .any(|e| lower.ends_with(e))
}

/// Known names inside a run no rule typed as a whole: the longest gazetteer place (German
/// genitive "Deutschlands" is "Deutschland"), a given name and the word after it, an organisation
/// acronym.
fn scan_known(words: &[Token<'_>], lex: &Lexicon, in_title: bool, found: &mut Vec<Found>) {
    let mut i = 0;
    while i < words.len() {
        let mut matched = 0;
        for n in (1..=4.min(words.len() - i)).rev() {
            let span = &words[i..i + n];
            if !span.iter().all(is_capitalised_word) {
                continue;
            }
            let text = span.iter().map(|t| t.text).collect::<Vec<_>>().join(" ");
            let lower = text.to_lowercase();
            let (kind, text) = if places().contains(&lower) {
                (Some(EntityKind::Place), text)
            } else if n == 1
                && lex.nouns_capitalised
                && lower.len() > 4
                && lower.ends_with('s')
                && places().contains(&lower[..lower.len() - 1])
            {
                // the genitive `s` is cut as a character: no byte offset into outside text
                (
                    Some(EntityKind::Place),
                    text.strip_suffix(['s', 'S']).unwrap_or(&text).to_string(),
                )
            } else if n == 2 && first_names().contains(&span[0].text.to_lowercase()) && !lex.is_title(span[1].text) {
                (Some(EntityKind::Person), text)
            } else if n == 1 && (is_org_acronym(span[0].text) || lex.is_institution(span[0].text)) {
                (Some(EntityKind::Organization), text)
            } else {
                (None, text)
            };
            if kind.is_some() {
                found.push(Found { text, kind, in_title });
                matched = n;
                break;
            }
        }
        i += matched.max(1);
    }
}

/// The run's only word as written (for the acronym test).
fn lower_case_free(words: &[Token<'_>]) -> String {
    words.first().map(|w| w.text.to_string()).unwrap_or_default()
}

/// The kind of a run of capitalised words without a title before it.
fn classify(words: &[Token<'_>], lower: &str, followed_by_speech: bool, lex: &Lexicon) -> Option<EntityKind> {
    let n = words.len();
    // An organisation word with a name ("Bank of England", "Apple Inc"); alone only the
    // institutions that are names by themselves ("Senate", "Parliament").
    if (n >= 2 && words.iter().any(|w| lex.is_org_word(w.text))) || (n == 1 && lex.is_institution(words[0].text)) {
        return Some(EntityKind::Organization);
    }
    if places().contains(lower) || (n >= 2 && words.last().is_some_and(|w| lex.is_place_head(w.text))) {
        return Some(EntityKind::Place);
    }
    if (2..=3).contains(&n)
        && words.iter().all(|w| !is_acronym(w.text))
        && (first_names().contains(&words[0].text.to_lowercase())
            || (followed_by_speech && !(lex.nouns_capitalised && words.iter().any(|w| common_noun_ending(w.text)))))
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
fn scan_title_case(tokens: &[Token<'_>], known: &HashMap<String, EntityKind>, lex: &Lexicon, found: &mut Vec<Found>) {
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
                } else if n == 2
                    && first_names().contains(&tokens[i].text.to_lowercase())
                    && !lex.is_title(tokens[i + 1].text)
                {
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
            // "Lula" of "Luiz Inácio Lula da Silva": middle names of four words or more.
            if parts.len() >= 4 {
                for middle in &parts[1..parts.len() - 1] {
                    if middle.chars().count() > 3 {
                        part_of.entry((*middle).to_string()).or_insert_with(|| name.clone());
                    }
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
