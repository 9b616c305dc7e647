//! The named fields of a WARC record header.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};

/// What a record holds (`WARC-Type`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RecordType {
    Warcinfo,
    Response,
    Resource,
    Request,
    Metadata,
    Revisit,
    Conversion,
    Continuation,
    /// A type this reader does not know, as written (lower case); also an absent `WARC-Type` (empty).
    Other(String),
}

impl RecordType {
    pub fn parse(s: &str) -> RecordType {
        match s.trim().to_ascii_lowercase().as_str() {
            "warcinfo" => RecordType::Warcinfo,
            "response" => RecordType::Response,
            "resource" => RecordType::Resource,
            "request" => RecordType::Request,
            "metadata" => RecordType::Metadata,
            "revisit" => RecordType::Revisit,
            "conversion" => RecordType::Conversion,
            "continuation" => RecordType::Continuation,
            other => RecordType::Other(other.to_string()),
        }
    }
}

/// A record header: the version line and the named fields in file order. Field names are matched without
/// regard to case, as the standard says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    /// `WARC/1.0`, `WARC/1.1`, …
    pub version: String,
    pub fields: Vec<(String, String)>,
}

impl Header {
    /// The first field named `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn record_type(&self) -> RecordType {
        RecordType::parse(self.get("WARC-Type").unwrap_or_default())
    }

    /// `WARC-Target-URI`, without the angle brackets some writers put around it (the WARC 1.0 grammar did).
    pub fn target_uri(&self) -> Option<&str> {
        let uri = self.get("WARC-Target-URI")?.trim();
        let uri = uri.strip_prefix('<').and_then(|u| u.strip_suffix('>')).unwrap_or(uri);
        Some(uri).filter(|u| !u.is_empty())
    }

    /// `WARC-Date`: RFC 3339 (WARC 1.1 allows fractions of a second); a date and time without an offset is UTC.
    pub fn date(&self) -> Option<DateTime<FixedOffset>> {
        parse_date(self.get("WARC-Date")?)
    }

    pub fn record_id(&self) -> Option<&str> {
        self.get("WARC-Record-ID").map(str::trim).filter(|s| !s.is_empty())
    }

    /// `Content-Length`: the size of the block, in bytes.
    pub fn content_length(&self) -> Option<u64> {
        self.get("Content-Length")?.trim().parse().ok()
    }

    /// `Content-Type` of the block (`application/http; msgtype=response` for an HTTP response).
    pub fn content_type(&self) -> Option<&str> {
        self.get("Content-Type")
    }

    pub fn payload_digest(&self) -> Option<&str> {
        self.get("WARC-Payload-Digest")
    }

    /// `WARC-Truncated`: why the crawler cut the block short (`length`, `time`, …), when it did.
    pub fn truncated(&self) -> Option<&str> {
        self.get("WARC-Truncated")
    }
}

fn parse_date(s: &str) -> Option<DateTime<FixedOffset>> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d);
    }
    let utc = FixedOffset::east_opt(0)?;
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y%m%d%H%M%S"] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, format) {
            return Some(d.and_utc().with_timezone(&utc));
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc().with_timezone(&utc))
}

/// Parse the field lines of a header (everything after the version line, without the blank line).
/// Continuation lines (starting with a space or a tab) extend the field before them; a line without a colon
/// is ignored, as a field it cannot be.
pub(crate) fn parse_fields(lines: &[String]) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = Vec::with_capacity(lines.len());
    for line in lines {
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = fields.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
            continue;
        }
        if let Some((name, value)) = line.split_once(':') {
            let name = name.trim();
            if !name.is_empty() {
                fields.push((name.to_string(), value.trim().to_string()));
            }
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(lines: &[&str]) -> Header {
        let lines: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        Header {
            version: "WARC/1.0".into(),
            fields: parse_fields(&lines),
        }
    }

    #[test]
    fn fields_are_found_without_regard_to_case() {
        let h = header(&[
            "warc-type: Response",
            "WARC-Target-URI: <https://example.com/a?b=1>",
            "Content-Length:  42 ",
            "WARC-Record-ID: <urn:uuid:1234>",
            "X-Long: first",
            "  second",
            "no colon here",
        ]);
        assert_eq!(h.record_type(), RecordType::Response);
        assert_eq!(h.target_uri(), Some("https://example.com/a?b=1"));
        assert_eq!(h.content_length(), Some(42));
        assert_eq!(h.record_id(), Some("<urn:uuid:1234>"));
        assert_eq!(h.get("x-long"), Some("first second"));
        assert_eq!(h.fields.len(), 5);
        assert_eq!(
            header(&["WARC-Type: odd"]).record_type(),
            RecordType::Other("odd".into())
        );
    }

    #[test]
    fn dates_in_the_forms_writers_use() {
        for (raw, want) in [
            ("2024-05-01T10:00:00Z", "2024-05-01T10:00:00+00:00"),
            ("2024-05-01T10:00:00.123456Z", "2024-05-01T10:00:00.123456+00:00"),
            ("2024-05-01T10:00:00", "2024-05-01T10:00:00+00:00"),
            ("20240501100000", "2024-05-01T10:00:00+00:00"),
            ("2024-05-01", "2024-05-01T00:00:00+00:00"),
        ] {
            let d = parse_date(raw).unwrap_or_else(|| panic!("{raw} parses"));
            assert_eq!(d.to_rfc3339(), want, "{raw}");
        }
        assert!(parse_date("yesterday").is_none());
        assert!(parse_date("2024-13-45T99:00:00Z").is_none());
    }
}
