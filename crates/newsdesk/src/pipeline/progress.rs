//! Progress: indicatif bars per stage on a terminal, nothing (the tracing logs speak) otherwise.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::Mutex;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Progress {
    multi: Option<MultiProgress>,
    /// One bar per stage for the whole run; batches add to its length.
    bars: Mutex<HashMap<String, ProgressBar>>,
}

impl Progress {
    pub fn new() -> Progress {
        let multi = std::io::stderr()
            .is_terminal()
            .then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr()));
        Progress {
            multi,
            bars: Mutex::default(),
        }
    }

    /// The bar of one stage, grown by `len` more items; hidden when stderr is not a terminal.
    pub fn bar(&self, stage: &str, len: usize) -> ProgressBar {
        tracing::info!(stage, items = len, "stage batch");
        let Some(multi) = &self.multi else {
            return ProgressBar::hidden();
        };
        let mut bars = self.bars.lock().unwrap_or_else(|p| p.into_inner());
        let bar = bars.entry(stage.to_string()).or_insert_with(|| {
            let bar = multi.add(ProgressBar::new(0));
            let style = ProgressStyle::with_template("{prefix:>16} [{bar:30}] {pos}/{len} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> ");
            bar.set_style(style);
            bar.set_prefix(stage.to_string());
            bar
        });
        bar.inc_length(len as u64);
        bar.clone()
    }

    /// A bar over `total_bytes` of input (0 when unknown) whose message the caller writes: archive ingest
    /// shows records per second, articles kept and records skipped by reason there. Hidden when stderr is
    /// not a terminal.
    pub fn bytes_bar(&self, stage: &str, total_bytes: u64) -> ProgressBar {
        let Some(multi) = &self.multi else {
            return ProgressBar::hidden();
        };
        let bar = multi.add(ProgressBar::new(total_bytes));
        let template = if total_bytes > 0 {
            "{prefix:>16} [{bar:30}] {bytes}/{total_bytes} {elapsed} {msg}"
        } else {
            "{prefix:>16} {bytes} {elapsed} {msg}"
        };
        let style = ProgressStyle::with_template(template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        bar.set_prefix(stage.to_string());
        bar
    }

    pub fn finish(&self) {
        if let Some(multi) = &self.multi {
            let _ = multi.clear();
        }
    }
}

impl Default for Progress {
    fn default() -> Self {
        Progress::new()
    }
}
