//! The log of faults found in a document and how they were repaired.

use std::collections::{HashMap, HashSet};

/// Distinct notes listed; further kinds are only counted. A hostile document can make a note per
/// element (a stray end tag of a new name each time), and the list is shown to people.
const MAX_NOTES: usize = 100;

/// Collects repair notes, one per kind of fault, counting repeats.
#[derive(Debug, Default)]
pub(crate) struct Repairs {
    notes: Vec<(String, usize)>,
    /// Where each note is in `notes`, so that a repeat costs a lookup rather than a search.
    index: HashMap<String, usize>,
    /// Faults of kinds past [`MAX_NOTES`].
    unlisted: usize,
    /// Whether any fault was one that a strict XML parser would reject.
    strict_failure: Option<String>,
    /// HTML entities decoded without a DTD, reported together in one note.
    entities: Vec<String>,
    entities_seen: HashSet<String>,
}

impl Repairs {
    /// Records a fault that a strict parser would reject.
    pub(crate) fn fault(&mut self, note: impl Into<String>) {
        let note = note.into();
        if self.strict_failure.is_none() {
            self.strict_failure = Some(note.clone());
        }
        self.add(note);
    }

    /// Records an HTML entity (`&nbsp;`) that XML does not define and a DTD did not declare.
    pub(crate) fn html_entity(&mut self, reference: &str) {
        if self.strict_failure.is_none() {
            self.strict_failure = Some(format!("undeclared entity {reference}"));
        }
        if !self.entities_seen.contains(reference) {
            self.entities_seen.insert(reference.to_string());
            self.entities.push(reference.to_string());
        }
    }

    /// Records a fix that a strict parser would also have survived (e.g. a byte order mark).
    pub(crate) fn info(&mut self, note: impl Into<String>) {
        self.add(note.into());
    }

    fn add(&mut self, note: String) {
        if let Some(&i) = self.index.get(&note) {
            self.notes[i].1 += 1;
        } else if self.notes.len() < MAX_NOTES {
            self.index.insert(note.clone(), self.notes.len());
            self.notes.push((note, 1));
        } else {
            self.unlisted += 1;
        }
    }

    pub(crate) fn strict_failure(&self) -> Option<&str> {
        self.strict_failure.as_deref()
    }

    pub(crate) fn into_notes(self) -> Vec<String> {
        let mut notes: Vec<String> = self
            .notes
            .into_iter()
            .map(|(note, count)| {
                if count > 1 {
                    format!("{note} ({count} times)")
                } else {
                    note
                }
            })
            .collect();
        if self.unlisted > 0 {
            notes.push(format!("{} more repairs of other kinds not listed", self.unlisted));
        }
        if !self.entities.is_empty() {
            notes.push(format!(
                "HTML entities decoded without a DTD: {}",
                self.entities.join(" ")
            ));
        }
        notes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_are_counted_once_per_note() {
        let mut r = Repairs::default();
        r.fault("bare '&' kept as text");
        r.fault("bare '&' kept as text");
        r.info("byte order mark removed");
        assert_eq!(r.strict_failure(), Some("bare '&' kept as text"));
        assert_eq!(
            r.into_notes(),
            vec!["bare '&' kept as text (2 times)", "byte order mark removed"]
        );
    }

    #[test]
    fn html_entities_share_one_note() {
        let mut r = Repairs::default();
        r.html_entity("&nbsp;");
        r.html_entity("&hellip;");
        r.html_entity("&nbsp;");
        assert_eq!(r.strict_failure(), Some("undeclared entity &nbsp;"));
        assert_eq!(
            r.into_notes(),
            vec!["HTML entities decoded without a DTD: &nbsp; &hellip;"]
        );
    }

    #[test]
    fn info_alone_is_not_a_strict_failure() {
        let mut r = Repairs::default();
        r.info("byte order mark removed");
        assert_eq!(r.strict_failure(), None);
    }
}
