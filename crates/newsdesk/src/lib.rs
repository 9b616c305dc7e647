//! newsdesk: the application. Config, fetcher, store, pipeline, publishers and the CLI that wires them.

pub mod bench;
pub mod cli;
pub mod commands;
pub mod config;
pub mod desk;
pub mod feed_url;
pub mod opml;
pub mod pipeline;
pub mod serve;
pub mod store;
pub mod tagging;
