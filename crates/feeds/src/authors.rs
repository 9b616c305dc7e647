//! Author strings as feeds write them (`jdoe@example.com (John Doe)`, `John Doe <jdoe@example.com>`,
//! `mailto:` links, plain names) reduced to a display name.

/// The person's name, or the e-mail address when that is all there is; `None` for blank input.
pub(crate) fn author_name(raw: &str) -> Option<String> {
    let raw = crate::entities::collapse_whitespace(raw);
    if raw.is_empty() {
        return None;
    }
    let Some((start, end)) = find_email(&raw) else {
        return Some(raw);
    };
    let email = raw[start..end].trim_start_matches("mailto:").to_string();
    let mut name = format!("{}{}", &raw[..start], &raw[end..]);
    for empty in ["()", "<>", "[]"] {
        name = name.replace(empty, "");
    }
    let name = name
        .trim()
        .trim_matches(|c| matches!(c, '(' | ')' | '<' | '>' | '"' | ',' | '-'))
        .trim();
    if name.is_empty() {
        Some(email)
    } else {
        Some(name.to_string())
    }
}

/// The byte range of the first e-mail address (with an optional `mailto:`) in `s`.
fn find_email(s: &str) -> Option<(usize, usize)> {
    let at = s.find('@')?;
    let is_part = |c: char| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '+' | '%');
    let start = s[..at]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_part(*c))
        .last()
        .map(|(i, _)| i)?;
    let end = s[at + 1..]
        .char_indices()
        .find(|(_, c)| !is_part(*c))
        .map_or(s.len(), |(i, _)| at + 1 + i);
    let domain = &s[at + 1..end];
    if !domain.contains('.') {
        return None;
    }
    let start = if s[..start].ends_with("mailto:") {
        start - 7
    } else {
        start
    };
    Some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_then_name_in_parentheses() {
        assert_eq!(author_name("jdoe@example.com (John Doe)").as_deref(), Some("John Doe"));
    }

    #[test]
    fn name_then_email_in_angle_brackets() {
        assert_eq!(author_name("John Doe <jdoe@example.com>").as_deref(), Some("John Doe"));
        assert_eq!(
            author_name("\"Doe, John\" <mailto:jdoe@example.com>").as_deref(),
            Some("Doe, John")
        );
    }

    #[test]
    fn email_only_and_plain_names() {
        assert_eq!(author_name(" jdoe@example.com ").as_deref(), Some("jdoe@example.com"));
        assert_eq!(author_name("Jane  Roe").as_deref(), Some("Jane Roe"));
        assert_eq!(author_name("@handle").as_deref(), Some("@handle"));
        assert_eq!(author_name("  "), None);
    }
}
