//! Online story clustering.

mod article;
mod clusterer;
mod config;
mod features;
mod members;
mod story;

pub use article::Article;
pub use clusterer::Clusterer;
pub use config::ClusterConfig;
pub use story::{Assignment, Evidence, Story};
