//! newsdesk: the application. Config, fetcher, store, pipeline, publishers and the CLI that wires them.

pub mod bench;
pub mod cli;
pub mod commands;
pub mod config;
pub mod desk;
pub mod feed_url;
pub mod pipeline;
pub mod serve;
/// The store crate, under the name the application has always used for it.
pub use newsdesk_store as store;
pub mod tagging;
