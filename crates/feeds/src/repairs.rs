//! The log of faults found in a document and how they were repaired.

/// Collects repair notes, one per kind of fault, counting repeats.
#[derive(Debug, Default)]
pub(crate) struct Repairs {
    notes: Vec<(String, usize)>,
    /// Whether any fault was one that a strict XML parser would reject.
    strict_failure: Option<String>,
    /// HTML entities decoded without a DTD, reported together in one note.
    entities: Vec<String>,
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
        if !self.entities.iter().any(|e| e == reference) {
            self.entities.push(reference.to_string());
        }
    }

    /// Records a fix that a strict parser would also have survived (e.g. a byte order mark).
    pub(crate) fn info(&mut self, note: impl Into<String>) {
        self.add(note.into());
    }

    fn add(&mut self, note: String) {
        match self.notes.iter_mut().find(|(n, _)| *n == note) {
            Some((_, count)) => *count += 1,
            None => self.notes.push((note, 1)),
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
