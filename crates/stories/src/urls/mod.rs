//! Canonical article URLs: the identity that makes one stored article of many links.

mod amp;
mod canonical;
mod tracking;

pub use canonical::{canonical_url, same_article, url_identity};
pub use tracking::is_tracking_param;
