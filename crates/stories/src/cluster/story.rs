//! A story: the articles of several outlets about one event.

use serde::Serialize;

/// What the pipeline stores about a story.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Story {
    /// Stable id chosen by the clusterer (or given back at restore).
    pub id: String,
    /// The headline that best represents the story: the member title most similar to the story when
    /// it joined (the first title until a more central one arrives).
    pub headline: String,
    /// Article ids, in arrival order: the most recent 512 to 1,024 once a story grows past that (a
    /// long-running story must not grow memory without bound; the store keeps every member).
    pub articles: Vec<String>,
    /// Distinct outlets, in order of first appearance.
    pub outlets: Vec<String>,
    /// Earliest article date (Unix seconds), when any article had one.
    pub first_seen: Option<i64>,
    /// Latest article date (Unix seconds), when any article had one.
    pub last_updated: Option<i64>,
}

/// Why an article went where it went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// Nothing close enough: the article started a story.
    NewStory,
    /// Its URL was already in the story (the same article reached again).
    SameUrl,
    /// Its URL or one of its related-coverage links belongs to the story.
    RelatedCoverage,
    /// Its words are close enough to the story's.
    Similarity,
    /// Preloaded with a known story id.
    Restored,
}

/// The clusterer's answer for one article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assignment {
    /// The story joined or started.
    pub story_id: String,
    /// Whether the article started the story.
    pub new_story: bool,
    /// Similarity to the story (0 for a new story, 1 for link evidence).
    pub similarity: f32,
    /// Why.
    pub evidence: Evidence,
    /// A story this article bridged to `story_id` and that was folded into it: its earlier articles now
    /// belong to `story_id` too, and its id is an alias of it.
    pub merged: Option<String>,
}
