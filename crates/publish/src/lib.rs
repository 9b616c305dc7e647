//! Publishers: render stored items into Hugo posts and JSONL records, written atomically.
//!
//! Rendering is pure (a [`Post`] in, a relative path and the file contents out); [`write_post`] is the only
//! function that touches the disk.
//!
//! ```no_run
//! # fn demo(post: &newsdesk_publish::Post) -> Result<(), newsdesk_publish::PublishError> {
//! use newsdesk_publish::{render_full, write_post};
//! let (relative, contents) = render_full(post);
//! write_post(std::path::Path::new("site"), &relative, &contents)?;
//! # Ok(()) }
//! ```

mod error;
mod html_text;
pub mod hugo;
mod jsonl;
pub mod markdown;
mod post;
pub mod slug;
mod title_tags;
mod urls;
mod write;
pub mod yaml;

pub use error::PublishError;
pub use html_text::{clean_text, strip_tags};
pub use hugo::site::{build_site, existing_site_config, write_site, HugoError, SiteOutcome};
pub use hugo::{post_path, render_full, render_seed, Style, POSTS_DIR};
pub use jsonl::{jsonl_line, jsonl_record, JsonlRecord, DATE_FORMAT};
pub use post::{Article, Coverage, Post, Related, Story};
pub use title_tags::title_tags;
pub use urls::{domain_of, host_of};
pub use write::{remove_stale_temp_files, write_post, write_post_outcome, PostBatch, WriteOutcome};
