//! Knobs of the clusterer, with defaults measured on real headline data.

/// Settings of a [`crate::Clusterer`].
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterConfig {
    /// Cosine similarity to a story's centroid from which an article joins it.
    pub threshold: f32,
    /// Stories not updated for this long (seconds, by article dates) are not joined and are dropped
    /// from memory. Articles without dates do not age stories.
    pub window_secs: i64,
    /// Stories scored in full per article, chosen by shared rare terms.
    pub max_candidates: usize,
    /// Stories remembered per term in the inverted index (the most recently updated ones).
    pub max_postings: usize,
    /// Terms kept per story centroid (the heaviest ones).
    pub max_story_terms: usize,
    /// Weight of a title word.
    pub title_weight: f32,
    /// Factor for names (capitalised words inside a sentence, acronyms).
    pub entity_boost: f32,
    /// Weight of a word of the URL slug.
    pub slug_weight: f32,
    /// Weight of a word of the lead.
    pub lead_weight: f32,
    /// Similarity to a story mixes the centroid cosine (this share) with the mean cosine to the
    /// `member_top_k` most similar recent members (the rest): big stories with varied headlines stay
    /// reachable without letting one stray member pull in a different story.
    pub centroid_share: f32,
    /// Members averaged in the member part of the similarity.
    pub member_top_k: usize,
    /// Recent members kept per story for that comparison (64; 32 loses .005 of F1 on shuffled
    /// orders, 128 gains nothing). A member is its 24 heaviest terms at 4 bytes each (a 24-bit term
    /// key and an 8-bit weight), all members of a story in one buffer that never grows past
    /// `max_members` × 24 terms: at most 64 × 24 × 4 = 6,144 bytes per story, 12.3 MB at
    /// `max_stories` (2,000), plus 64 bytes of member lengths per story.
    pub max_members: usize,
    /// Exponent of the IDF weight: above 1 lets rare words (names) dominate common ones.
    pub idf_power: f32,
    /// Weight of a pair of adjacent title words, as a term of its own (0 to disable).
    pub bigram_weight: f32,
    /// Articles after which document frequencies are halved, so term rarity follows recent news.
    pub df_half_life: u64,
    /// An article that reaches the threshold for two stories bridges them: the two merge when their
    /// centroids' cosine reaches this (0: never). Articles already assigned keep their story id,
    /// which stays an alias of the merged story.
    pub merge_threshold: f32,
    /// A story of `n` articles is joined from `threshold + small_story_margin / n`: one or two
    /// headlines sharing a single common word are weak evidence (they would seed a story with the
    /// wrong article), while a big story's centroid is diffuse and needs the plain threshold.
    pub small_story_margin: f32,
    /// Stories of at most this many articles are fragments: a sub-thread of a story that started
    /// on its own. An article bridging a fragment and another story folds it in when their
    /// centroids' cosine reaches `fragment_merge_threshold` (lower than `merge_threshold`).
    pub fragment_size: usize,
    /// See `fragment_size`.
    pub fragment_merge_threshold: f32,
    /// Factor for numbers in the title and the slug ("100", "2014"): they are shared by unrelated
    /// headlines ("$100 million", "100 percent") more often than names are.
    pub number_weight: f32,
    /// Stories kept in memory at most; beyond it the story updated longest ago is dropped, as if it
    /// had left the time window. The window alone bounds nothing when articles come fast (a busy desk
    /// sees thousands of stories a week) or have no dates. 2,000 stories are a few days of a busy
    /// world feed: a story that no article joined while 2,000 others were started or updated is over.
    /// The memory a story holds is bounded by the other caps (terms, members, history), so this bounds
    /// the clusterer's memory together with the two caps below (the members at most 12.4 MB, see
    /// `max_members`).
    pub max_stories: usize,
    /// Entries of the inverted index (story keys over all terms) at most. Each story is indexed
    /// under the terms of its centroid (up to twice `max_story_terms`), so long leads could make
    /// the index the biggest structure; beyond this, the stories updated longest ago are dropped
    /// until the index is back to seven eighths of it. 200,000 entries hold 2,000 stories of 100
    /// distinct terms, what real articles with leads give; normal data never reaches it before
    /// `max_stories`.
    pub max_index_entries: usize,
    /// Terms whose document frequency is remembered at most. Every new name or word adds one, and
    /// halving (`df_half_life`) forgets a term seen once only after three half-lives; beyond this
    /// cap, the terms seen at most once are forgotten first (an unknown term counts as seen once,
    /// so they change no weight), then frequencies are halved early. 200,000 terms (a 4.5 MB table,
    /// sized to stay below the next doubling of the hash map) are the vocabulary of a week or two
    /// of news.
    pub max_df_terms: usize,
    /// An article joins a story of a single article only when it shares at least this many terms
    /// with it (title words, word pairs, slug and lead words): two headlines sharing one word are no
    /// story yet, however rare that word looks early in the stream.
    pub min_shared_terms: usize,
    /// Document frequencies learned from few articles make every word look rare (in the first
    /// hundred articles "rise" or "music" weigh like a name), so the threshold starts higher by
    /// `warmup_margin × warmup_docs / (docs + warmup_docs)`, `docs` the articles counted so far:
    /// +0.05 at 100 articles, +0.009 at 1,000. A restart that restores recent articles is past it.
    pub warmup_margin: f32,
    /// See `warmup_margin` (0: no warm-up).
    pub warmup_docs: f32,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        Self {
            threshold: 0.10,
            window_secs: 7 * 24 * 3600,
            max_candidates: 16,
            max_postings: 128,
            max_story_terms: 200,
            title_weight: 1.0,
            entity_boost: 1.0,
            slug_weight: 1.0,
            lead_weight: 0.3,
            df_half_life: 50_000,
            bigram_weight: 0.5,
            idf_power: 0.5,
            centroid_share: 0.5,
            member_top_k: 3,
            max_members: 64,
            merge_threshold: 0.3,
            small_story_margin: 0.05,
            fragment_size: 3,
            fragment_merge_threshold: 0.1,
            number_weight: 0.5,
            max_stories: 2_000,
            max_index_entries: 200_000,
            max_df_terms: 200_000,
            min_shared_terms: 2,
            warmup_margin: 0.1,
            warmup_docs: 100.0,
        }
    }
}
