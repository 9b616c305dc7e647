//! One module per command group. Each is thin: parse its arguments, call the libraries, print.

pub mod bench;
pub mod extract;
pub mod feeds;
pub mod feeds_parse;
pub mod ingest;
pub mod init;
pub mod migrate;
pub mod publish;
pub mod run;
pub mod search;
pub mod serve;
pub mod stories;
pub mod stories_store;
pub mod worker;
