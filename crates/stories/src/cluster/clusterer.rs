//! Online story clustering.
//!
//! Each article is turned into weighted terms (stemmed title words, names boosted, URL slug and lead
//! words weaker), weighted again by their rarity (IDF, learned online from the articles seen). It joins
//! the story whose centroid and recent members are most similar (cosine) if that reaches the
//! threshold, else starts one. Small stories need more (a margin, and two shared terms to join a
//! story of one article), and so do the first articles of a stream, whose IDF is still a guess (the
//! threshold starts higher and comes down as articles are counted): a story's first articles decide
//! what joins it later, so a wrong early join costs more than a late one.
//! Candidate stories come from an inverted index over terms with capped posting lists, only the best
//! few are scored, and stories older than the time window are dropped: the work per article depends on
//! the article and the caps, not on the size of the archive.
//!
//! An article that reaches the threshold for two stories bridges them: if the two centroids are also
//! alike, the smaller story is folded into the bigger one and its id stays an alias (articles already
//! assigned keep the id they were given; the store need not be rewritten).
//!
//! Links are stronger evidence than words: an article whose URL or related-coverage link (Google News)
//! already belongs to a story joins that story.

use super::article::Article;
use super::config::ClusterConfig;
use super::features::{article_terms, FeatureWeights, Terms};
use super::members::{term_key, Members};
use super::story::{Assignment, Evidence, Story};
use crate::near_dup::fnv1a_str;
use crate::urls::url_identity;
use rustc_hash::FxHashMap as HashMap;

/// A story key and its similarity to the article.
type Scored = (u64, f32);

/// Articles between two sweeps of expired stories.
const PRUNE_EVERY: u64 = 1024;

/// Article ids, URLs and folded-in story ids a story keeps in memory, most recent first to stay. A story
/// that goes on for weeks keeps getting members and never expires; matching needs only its recent
/// history (the store keeps every member), so the clusterer's memory does not grow with the archive.
const KEPT_HISTORY: usize = 512;

/// Cuts a list back to its newest `KEPT_HISTORY` entries once it holds twice that many (amortized
/// O(1) per push); returns what was cut.
fn trim_oldest<T>(v: &mut Vec<T>) -> Vec<T> {
    if v.len() > 2 * KEPT_HISTORY {
        v.drain(..v.len() - KEPT_HISTORY).collect()
    } else {
        Vec::new()
    }
}

#[derive(Debug)]
struct StoryState {
    story: Story,
    /// Summed raw term weights of the members.
    terms: HashMap<u64, f32>,
    size: f32,
    headline_score: f32,
    urls: Vec<String>,
    /// Ids of stories folded into this one.
    aliases: Vec<String>,
    last_seq: u64,
    /// Recent members' heaviest terms, IDF-weighted when they joined.
    members: Members,
    /// Centroid norm, and the document count and story size it was computed at (IDF drifts slowly).
    norm_cache: Option<(f32, f32, f32)>,
}

/// Groups articles into stories as they arrive. See the module documentation for the method.
#[derive(Debug)]
pub struct Clusterer {
    config: ClusterConfig,
    df: HashMap<u64, f32>,
    docs: f32,
    seq: u64,
    stories: HashMap<u64, StoryState>,
    by_id: HashMap<String, u64>,
    postings: HashMap<u64, Vec<u64>>,
    /// Entries over all posting lists. A list holds a story only under a term of its centroid.
    index_entries: usize,
    urls: HashMap<String, u64>,
    next_key: u64,
    latest_date: Option<i64>,
    since_prune: u64,
}

impl Default for Clusterer {
    fn default() -> Self {
        Self::new(ClusterConfig::default())
    }
}

impl Clusterer {
    /// A clusterer with the given settings and no stories.
    pub fn new(config: ClusterConfig) -> Self {
        // Sized for twice the cap up front: a hash table kept full while terms come and go doubles once
        // it has filled with deleted slots, which made memory jump long after the cap was reached. At
        // most half full, it cleans itself in place instead. (Bounded, for configurations without a cap.)
        let df_slots = config.max_df_terms.saturating_mul(2).min(1 << 20);
        Self {
            df: HashMap::with_capacity_and_hasher(df_slots, Default::default()),
            config,
            docs: 0.0,
            seq: 0,
            stories: HashMap::default(),
            by_id: HashMap::default(),
            postings: HashMap::default(),
            index_entries: 0,
            urls: HashMap::default(),
            next_key: 0,
            latest_date: None,
            since_prune: 0,
        }
    }

    /// The settings in use.
    pub fn config(&self) -> &ClusterConfig {
        &self.config
    }

    /// Assigns an article to a story, starting one if none is close enough.
    pub fn assign(&mut self, article: &Article) -> Assignment {
        let terms = self.prepare(article);
        let mut merged = None;
        let (target, similarity, evidence) = match self.link_evidence(article) {
            Some((key, ev)) => (Some(key), 1.0, ev),
            None => match self.best_story(&terms, article.date) {
                Some(((key, sim), second)) if sim >= self.config.threshold => {
                    // An article close to two stories bridges them: they are one story told twice.
                    let key = match second {
                        Some((other, s2)) if s2 >= self.config.threshold && self.may_merge(key, other) => {
                            let (kept, folded) = self.merge_stories(key, other);
                            merged = folded;
                            kept
                        }
                        _ => key,
                    };
                    (Some(key), sim, Evidence::Similarity)
                }
                Some(((_, sim), _)) => (None, sim, Evidence::NewStory),
                None => (None, 0.0, Evidence::NewStory),
            },
        };
        let (key, new_story) = match target {
            Some(key) => (key, false),
            None => (self.create_story(self.fresh_story_id(&article.id), article), true),
        };
        self.add_member(key, article, &terms, if new_story { 0.0 } else { similarity });
        self.maybe_prune();
        self.enforce_caps(key);
        Assignment {
            story_id: self.stories.get(&key).map(|s| s.story.id.clone()).unwrap_or_default(),
            new_story,
            similarity: if new_story { 0.0 } else { similarity },
            evidence,
            merged,
        }
    }

    /// Preloads an article whose story is already known (from the store, at startup), so that new
    /// articles can join the stories of before. Feed the recent articles, oldest first.
    pub fn restore(&mut self, article: &Article, story_id: &str) {
        let terms = self.prepare(article);
        let key = match self.by_id.get(story_id) {
            Some(&key) => key,
            None => self.create_story(story_id.to_string(), article),
        };
        self.add_member(key, article, &terms, 0.0);
        self.maybe_prune();
        self.enforce_caps(key);
    }

    /// A story by id, while it is within the time window.
    pub fn story(&self, id: &str) -> Option<&Story> {
        self.by_id.get(id).and_then(|k| self.stories.get(k)).map(|s| &s.story)
    }

    /// Stories in memory (those within the time window), in no particular order.
    pub fn stories(&self) -> impl Iterator<Item = &Story> {
        self.stories.values().map(|s| &s.story)
    }

    /// Number of stories in memory.
    pub fn len(&self) -> usize {
        self.stories.len()
    }

    /// Whether no story is in memory.
    pub fn is_empty(&self) -> bool {
        self.stories.is_empty()
    }

    /// Entries of the inverted index (story keys over all terms), at most `max_index_entries`.
    pub fn index_entries(&self) -> usize {
        self.postings.values().map(Vec::len).sum()
    }

    /// Terms whose document frequency is remembered, at most `max_df_terms`.
    pub fn df_terms(&self) -> usize {
        self.df.len()
    }

    /// Drops stories last updated before `cutoff` (Unix seconds). Done automatically as dated
    /// articles arrive; call it to age stories when articles have no dates.
    pub fn expire_before(&mut self, cutoff: i64) {
        let dead: Vec<u64> = self
            .stories
            .iter()
            .filter(|(_, s)| s.story.last_updated.is_some_and(|d| d < cutoff))
            .map(|(&k, _)| k)
            .collect();
        for key in dead {
            self.remove_story(key);
        }
    }

    /// Forgets a story: its ids, URLs and index entries (a posting list holds a story only under
    /// the terms of its centroid, so those are the lists to look at).
    fn remove_story(&mut self, key: u64) {
        let Some(s) = self.stories.remove(&key) else { return };
        self.by_id.remove(&s.story.id);
        for alias in &s.aliases {
            if self.by_id.get(alias) == Some(&key) {
                self.by_id.remove(alias);
            }
        }
        for u in s.urls {
            if self.urls.get(&u) == Some(&key) {
                self.urls.remove(&u);
            }
        }
        for t in s.terms.keys() {
            self.unindex(*t, key);
        }
    }

    /// Takes a story off one term's posting list.
    fn unindex(&mut self, term: u64, key: u64) {
        if let Some(keys) = self.postings.get_mut(&term) {
            if let Some(pos) = keys.iter().position(|&k| k == key) {
                keys.swap_remove(pos);
                self.index_entries -= 1;
                if keys.is_empty() {
                    self.postings.remove(&term);
                }
            }
        }
    }

    /// Keeps the stories, the index and the document frequencies within their caps: the stories
    /// updated longest ago go first (never `current`, the one just updated).
    fn enforce_caps(&mut self, current: u64) {
        let max_stories = self.config.max_stories.max(1);
        if self.stories.len() > max_stories {
            // Down to 1/32 below the cap at once, so that the sort is rare.
            let target = max_stories - max_stories / 32;
            self.evict_oldest_until(current, |c| c.stories.len() <= target);
        }
        if self.index_entries > self.config.max_index_entries {
            let target = self.config.max_index_entries - self.config.max_index_entries / 8;
            self.evict_oldest_until(current, |c| c.index_entries <= target);
        }
        if self.df.len() > self.config.max_df_terms {
            self.shrink_df();
        }
    }

    /// Drops the stories updated longest ago, oldest first, until `done`.
    fn evict_oldest_until(&mut self, current: u64, done: impl Fn(&Self) -> bool) {
        let mut by_age: Vec<(u64, u64)> = self
            .stories
            .iter()
            .filter(|(&k, _)| k != current)
            .map(|(&k, s)| (s.last_seq, k))
            .collect();
        by_age.sort_unstable();
        for (_, key) in by_age {
            if done(self) {
                break;
            }
            self.remove_story(key);
        }
    }

    /// Forgets the terms seen at most once (an unknown term counts as seen once: no weight
    /// changes), then halves the frequencies early while the table is still above seven eighths of
    /// its cap.
    fn shrink_df(&mut self) {
        let target = self.config.max_df_terms - self.config.max_df_terms / 8;
        loop {
            self.df.retain(|_, v| *v > 1.0);
            if self.df.len() <= target {
                break;
            }
            self.decay_df();
        }
    }

    fn weights(&self) -> FeatureWeights {
        FeatureWeights {
            title: self.config.title_weight,
            entity_boost: self.config.entity_boost,
            slug: self.config.slug_weight,
            lead: self.config.lead_weight,
            bigram: self.config.bigram_weight,
            number: self.config.number_weight,
        }
    }

    /// Terms of the article; counts them into the document frequencies.
    fn prepare(&mut self, article: &Article) -> Terms {
        let language = article.language.as_deref().unwrap_or("en");
        let terms = article_terms(
            &article.title,
            article.url.as_deref(),
            article.text.as_deref(),
            language,
            &self.weights(),
        );
        for &(t, _) in &terms {
            *self.df.entry(t).or_insert(0.0) += 1.0;
        }
        self.docs += 1.0;
        self.seq += 1;
        if self.config.df_half_life > 0 && self.seq.is_multiple_of(self.config.df_half_life) {
            self.decay_df();
        }
        if let Some(d) = article.date {
            self.latest_date = Some(self.latest_date.map_or(d, |l| l.max(d)));
        }
        terms
    }

    fn decay_df(&mut self) {
        self.docs /= 2.0;
        self.df.retain(|_, v| {
            *v /= 2.0;
            *v >= 0.25
        });
        for s in self.stories.values_mut() {
            s.norm_cache = None;
        }
    }

    /// The threshold, raised while few articles are counted.
    fn base_threshold(&self) -> f32 {
        let warmup = self.config.warmup_docs.max(0.0);
        self.config.threshold
            + if warmup > 0.0 {
                self.config.warmup_margin * warmup / (self.docs + warmup)
            } else {
                0.0
            }
    }

    fn idf(&self, term: u64) -> f32 {
        let df = self.df.get(&term).copied().unwrap_or(1.0).max(1.0);
        (1.0 + self.docs / df).ln().powf(self.config.idf_power)
    }

    fn link_evidence(&self, article: &Article) -> Option<(u64, Evidence)> {
        if let Some(key) = article
            .url
            .as_deref()
            .and_then(|u| url_identity(u).ok())
            .and_then(|u| self.urls.get(&u))
        {
            return Some((*key, Evidence::SameUrl));
        }
        article
            .related
            .iter()
            .filter_map(|u| url_identity(u).ok())
            .find_map(|u| self.urls.get(&u).copied())
            .map(|k| (k, Evidence::RelatedCoverage))
    }

    fn is_expired(&self, story: &StoryState, date: Option<i64>) -> bool {
        match (date, story.story.last_updated) {
            (Some(d), Some(last)) => last < d - self.config.window_secs,
            _ => false,
        }
    }

    /// The most similar candidate story that the article may join (similarity at least the
    /// threshold, plus the margin of small stories), and the second one.
    fn best_story(&mut self, terms: &Terms, date: Option<i64>) -> Option<(Scored, Option<Scored>)> {
        let weighted: Vec<(u64, f32)> = terms.iter().map(|&(t, w)| (t, w * self.idf(t))).collect();
        let norm_a = weighted.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm_a == 0.0 {
            return None;
        }
        let keyed: Vec<(u32, f32)> = weighted.iter().map(|&(t, w)| (term_key(t), w)).collect();
        // Candidate retrieval: stories sharing terms, ranked by the weight of what they share.
        let mut shared: HashMap<u64, f32> = HashMap::default();
        for &(t, w) in &weighted {
            if let Some(keys) = self.postings.get(&t) {
                for &k in keys {
                    *shared.entry(k).or_insert(0.0) += w;
                }
            }
        }
        let mut candidates: Vec<(u64, f32)> = shared.into_iter().collect();
        candidates.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        candidates.truncate(self.config.max_candidates);

        // Document frequencies learned from few articles make every word look rare: the threshold
        // starts higher and comes down as articles are counted.
        let threshold = self.base_threshold();
        let mut best: Option<(u64, f32)> = None;
        let mut second: Option<(u64, f32)> = None;
        for (key, _) in candidates {
            let Some(norm_c) = self.centroid_norm(key, date) else {
                continue;
            };
            let Some(story) = self.stories.get(&key) else { continue };
            let mut shared_terms = 0usize;
            let dot: f32 = weighted
                .iter()
                .filter_map(|&(t, w)| {
                    story.terms.get(&t).map(|&c| {
                        shared_terms += 1;
                        w * c * self.idf(t)
                    })
                })
                .sum::<f32>()
                / story.size;
            // Two headlines sharing one word are no story yet, however rare the word looks: early in
            // the stream every word looks rare.
            if story.size <= 1.0 && shared_terms < self.config.min_shared_terms {
                continue;
            }
            let centroid_cos = if norm_c > 0.0 { dot / (norm_a * norm_c) } else { 0.0 };
            let cos = if self.config.member_top_k == 0 || story.members.is_empty() {
                centroid_cos
            } else {
                let share = self.config.centroid_share;
                share * centroid_cos
                    + (1.0 - share) * story.members.top_cosine(&keyed, norm_a, self.config.member_top_k)
            };
            // A story of one or two headlines is joined on stronger evidence than a big one: two
            // titles sharing one common word are not one story yet.
            if cos < threshold + self.config.small_story_margin / story.size.max(1.0) {
                continue;
            }
            if best.is_none_or(|(_, b)| cos > b) {
                second = best;
                best = Some((key, cos));
            } else if second.is_none_or(|(_, b)| cos > b) {
                second = Some((key, cos));
            }
        }
        best.map(|b| (b, second))
    }

    /// Whether two stories an article bridges are one: their centroids are alike, or the smaller
    /// is a fragment (a sub-thread that started on its own) somewhat like the other.
    fn may_merge(&mut self, a: u64, b: u64) -> bool {
        if self.config.merge_threshold <= 0.0 {
            return false;
        }
        let cos = self.centroid_cosine(a, b);
        if cos >= self.config.merge_threshold {
            return true;
        }
        let smaller = match (self.stories.get(&a), self.stories.get(&b)) {
            (Some(x), Some(y)) => x.size.min(y.size),
            _ => return false,
        };
        smaller <= self.config.fragment_size as f32 && cos >= self.config.fragment_merge_threshold
    }

    /// Cosine of two stories' centroids under current IDF.
    fn centroid_cosine(&mut self, a: u64, b: u64) -> f32 {
        let (Some(na), Some(nb)) = (self.centroid_norm(a, None), self.centroid_norm(b, None)) else {
            return 0.0;
        };
        let (Some(sa), Some(sb)) = (self.stories.get(&a), self.stories.get(&b)) else {
            return 0.0;
        };
        let (small, big) = if sa.terms.len() <= sb.terms.len() {
            (sa, sb)
        } else {
            (sb, sa)
        };
        let dot: f32 = small
            .terms
            .iter()
            .filter_map(|(t, &x)| big.terms.get(t).map(|&y| x * y * self.idf(*t).powi(2)))
            .sum::<f32>()
            / (sa.size * sb.size);
        if na > 0.0 && nb > 0.0 {
            dot / (na * nb)
        } else {
            0.0
        }
    }

    /// Folds one story into the other (the smaller into the bigger); returns the surviving key and the
    /// id of the story folded in (None when nothing was folded). The absorbed story's id stays an alias
    /// of the survivor, so lookups by either id find it.
    fn merge_stories(&mut self, a: u64, b: u64) -> (u64, Option<String>) {
        let (Some(sa), Some(sb)) = (self.stories.get(&a), self.stories.get(&b)) else {
            return (a, None);
        };
        let (keep, gone) = if sa.size >= sb.size { (a, b) } else { (b, a) };
        let Some(g) = self.stories.remove(&gone) else {
            return (a, None);
        };
        let folded = Some(g.story.id.clone());
        for &t in g.terms.keys() {
            if self.postings.contains_key(&t) {
                self.unindex(t, gone);
                self.index(t, keep);
            }
        }
        for u in &g.urls {
            self.urls.insert(u.clone(), keep);
        }
        self.by_id.insert(g.story.id.clone(), keep);
        for alias in &g.aliases {
            self.by_id.insert(alias.clone(), keep);
        }
        let max_members = self.config.max_members;
        let max_terms = self.config.max_story_terms;
        let Some(k) = self.stories.get_mut(&keep) else {
            return (keep, folded);
        };
        for (t, w) in g.terms {
            *k.terms.entry(t).or_insert(0.0) += w;
        }
        let trimmed = trim_terms(&mut k.terms, max_terms);
        k.size += g.size;
        k.norm_cache = None;
        k.last_seq = k.last_seq.max(g.last_seq);
        k.members.append(g.members, max_members);
        k.urls.extend(g.urls);
        k.aliases.push(g.story.id);
        k.aliases.extend(g.aliases);
        k.story.articles.extend(g.story.articles);
        for o in g.story.outlets {
            if !k.story.outlets.contains(&o) {
                k.story.outlets.push(o);
            }
        }
        k.story.first_seen = match (k.story.first_seen, g.story.first_seen) {
            (Some(x), Some(y)) => Some(x.min(y)),
            (x, y) => x.or(y),
        };
        k.story.last_updated = match (k.story.last_updated, g.story.last_updated) {
            (Some(x), Some(y)) => Some(x.max(y)),
            (x, y) => x.or(y),
        };
        for t in trimmed {
            self.unindex(t, keep);
        }
        self.forget_old_history(keep);
        (keep, folded)
    }

    /// Puts a story on a term's posting list (once); a list over `max_postings` forgets the story
    /// updated longest ago.
    fn index(&mut self, term: u64, key: u64) {
        let keys = self.postings.entry(term).or_default();
        if keys.contains(&key) {
            return;
        }
        keys.push(key);
        self.index_entries += 1;
        if keys.len() > self.config.max_postings {
            let stories = &self.stories;
            if let Some((pos, _)) = keys
                .iter()
                .enumerate()
                .min_by_key(|(_, k)| stories.get(k).map_or(0, |s| s.last_seq))
            {
                keys.swap_remove(pos);
                self.index_entries -= 1;
            }
        }
    }

    /// Norm of a story's centroid under current IDF, cached while the document count moves less
    /// than 5% and a big story grows less than 10%. `None` for a story gone or outside the window.
    fn centroid_norm(&mut self, key: u64, date: Option<i64>) -> Option<f32> {
        let story = self.stories.get(&key)?;
        if self.is_expired(story, date) {
            return None;
        }
        if let Some((norm, at, size_at)) = story.norm_cache {
            // A big story's centroid moves little with one more member; a small one's a lot.
            let size_ok = story.size == size_at || (size_at >= 10.0 && story.size <= size_at * 1.1);
            if self.docs <= at * 1.05 && size_ok {
                return Some(norm);
            }
        }
        let size = story.size;
        let norm = story
            .terms
            .iter()
            .map(|(&t, &c)| {
                let w = c / size * self.idf(t);
                w * w
            })
            .sum::<f32>()
            .sqrt();
        let docs = self.docs;
        if let Some(s) = self.stories.get_mut(&key) {
            s.norm_cache = Some((norm, docs, size));
        }
        Some(norm)
    }

    fn fresh_story_id(&self, article_id: &str) -> String {
        let mut h = crate::near_dup::mix_hash(fnv1a_str(article_id));
        loop {
            let id = format!("{h:016x}");
            if !self.by_id.contains_key(&id) {
                return id;
            }
            h = crate::near_dup::mix_hash(h);
        }
    }

    fn create_story(&mut self, id: String, article: &Article) -> u64 {
        let key = self.next_key;
        self.next_key += 1;
        let story = Story {
            id: id.clone(),
            headline: article.title.clone(),
            articles: Vec::new(),
            outlets: Vec::new(),
            first_seen: None,
            last_updated: None,
        };
        self.stories.insert(
            key,
            StoryState {
                story,
                terms: HashMap::default(),
                size: 0.0,
                headline_score: 0.0,
                urls: Vec::new(),
                aliases: Vec::new(),
                last_seq: self.seq,
                norm_cache: None,
                members: Members::default(),
            },
        );
        self.by_id.insert(id, key);
        key
    }

    fn add_member(&mut self, key: u64, article: &Article, terms: &Terms, similarity: f32) {
        let max_terms = self.config.max_story_terms;
        let seq = self.seq;
        let mut new_terms = Vec::new();
        let trimmed: Vec<u64>;
        let mut links = Vec::new();
        if let Some(u) = article.url.as_deref().and_then(|u| url_identity(u).ok()) {
            links.push(u);
        }
        links.extend(article.related.iter().filter_map(|u| url_identity(u).ok()));
        // A member is remembered by its heaviest terms only: they decide similarity, and the
        // comparison cost per member stays small when articles come with long leads.
        let member: Vec<(u64, f32)> = terms.iter().map(|&(t, w)| (t, w * self.idf(t))).collect();
        let max_members = self.config.max_members;
        {
            let Some(s) = self.stories.get_mut(&key) else { return };
            s.members.push(&member, max_members);
            for &(t, w) in terms {
                let slot = s.terms.entry(t).or_insert_with(|| {
                    new_terms.push(t);
                    0.0
                });
                *slot += w;
            }
            s.size += 1.0;
            s.last_seq = seq;
            trimmed = trim_terms(&mut s.terms, max_terms);
            if !trimmed.is_empty() {
                new_terms.retain(|t| s.terms.contains_key(t));
            }
            if s.story.articles.is_empty() || similarity > s.headline_score {
                s.story.headline = article.title.clone();
                s.headline_score = similarity;
            }
            s.story.articles.push(article.id.clone());
            if let Some(src) = article.source.as_deref().map(str::trim).filter(|x| !x.is_empty()) {
                if !s.story.outlets.iter().any(|o| o == src) {
                    s.story.outlets.push(src.to_string());
                }
            }
            if let Some(d) = article.date {
                s.story.first_seen = Some(s.story.first_seen.map_or(d, |f| f.min(d)));
                s.story.last_updated = Some(s.story.last_updated.map_or(d, |l| l.max(d)));
            }
            s.urls.extend(links.iter().cloned());
        }
        for u in links {
            self.urls.insert(u, key);
        }
        self.forget_old_history(key);
        for t in trimmed {
            self.unindex(t, key);
        }
        for t in new_terms {
            self.index(t, key);
        }
    }

    /// Cuts a story's remembered article ids, URLs and aliases back to the newest ones; the URLs and
    /// aliases cut stop leading to it.
    fn forget_old_history(&mut self, key: u64) {
        let Some(s) = self.stories.get_mut(&key) else { return };
        trim_oldest(&mut s.story.articles);
        let urls = trim_oldest(&mut s.urls);
        let aliases = trim_oldest(&mut s.aliases);
        for u in urls {
            if self.urls.get(&u) == Some(&key) {
                self.urls.remove(&u);
            }
        }
        for a in aliases {
            if self.by_id.get(&a) == Some(&key) {
                self.by_id.remove(&a);
            }
        }
    }

    fn maybe_prune(&mut self) {
        self.since_prune += 1;
        if self.since_prune < PRUNE_EVERY {
            return;
        }
        self.since_prune = 0;
        if let Some(latest) = self.latest_date {
            self.expire_before(latest - self.config.window_secs);
        }
    }
}

/// Cuts a centroid back to its `max_terms` heaviest terms once it holds twice that many; returns
/// the terms cut.
fn trim_terms(terms: &mut HashMap<u64, f32>, max_terms: usize) -> Vec<u64> {
    if terms.len() <= 2 * max_terms {
        return Vec::new();
    }
    let mut weights: Vec<f32> = terms.values().copied().collect();
    weights.sort_unstable_by(|a, b| b.total_cmp(a));
    let floor = weights[max_terms];
    let cut: Vec<u64> = terms.iter().filter(|(_, &w)| w <= floor).map(|(&t, _)| t).collect();
    terms.retain(|_, w| *w > floor);
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The counted index entries are the real ones, and a posting list names a story only under a
    /// term of its centroid (what `remove_story` relies on), through merges, trims and evictions.
    #[test]
    fn index_bookkeeping_holds() {
        let mut c = Clusterer::new(ClusterConfig {
            max_stories: 40,
            max_index_entries: 1_500,
            max_df_terms: 2_000,
            max_story_terms: 20,
            merge_threshold: 0.05,
            ..ClusterConfig::default()
        });
        let mut x = 7u64;
        for i in 0..2_000u64 {
            x = crate::near_dup::mix_hash(x);
            let story = x % 60;
            let title = format!("Topic{story} Topic{} word{} word{}", story / 3, x % 700, (x >> 20) % 90);
            let mut a = Article::new(format!("t{i}"), title);
            a.text = Some(format!(
                "lead{} lead{} lead{story}",
                (x >> 8) % 3_000,
                (x >> 30) % 3_000
            ));
            c.assign(&a);
            let real: usize = c.postings.values().map(Vec::len).sum();
            assert_eq!(c.index_entries, real, "after article {i}");
            for (t, keys) in &c.postings {
                assert!(!keys.is_empty());
                for k in keys {
                    assert!(c.stories.get(k).is_some_and(|s| s.terms.contains_key(t)), "article {i}");
                }
            }
        }
    }
}
