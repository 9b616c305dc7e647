//! The `batchexecute` exchange: building the `f.req` form value for several ids, and reading the
//! reply, whose entries are matched to ids by their tag.

use std::collections::HashMap;

use serde_json::{json, Value};

use super::page::Signature;

/// The remote procedure that turns a signed article id into its publisher URL.
pub const RPC_ID: &str = "Fbv4je";

/// One id of a batch with the tag its envelope carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope<'a> {
    pub tag: String,
    pub id: &'a str,
    pub signature: &'a Signature,
}

/// The `f.req` value: one `["Fbv4je", <request JSON as a string>, null, <tag>]` per id.
pub fn f_req(envelopes: &[Envelope<'_>]) -> String {
    let calls: Vec<Value> = envelopes
        .iter()
        .map(|e| {
            let inner = json!([
                "garturlreq",
                [
                    [
                        "X",
                        "X",
                        ["X", "X"],
                        null,
                        null,
                        1,
                        1,
                        "US:en",
                        null,
                        1,
                        null,
                        null,
                        null,
                        null,
                        null,
                        0,
                        1
                    ],
                    "X",
                    "X",
                    1,
                    [1, 1, 1],
                    1,
                    1,
                    null,
                    0,
                    0,
                    null,
                    0
                ],
                e.id,
                e.signature.timestamp,
                e.signature.signature
            ]);
            json!([RPC_ID, inner.to_string(), null, e.tag])
        })
        .collect();
    json!([calls]).to_string()
}

/// The form body of the POST.
pub fn form_body(f_req: &str) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .append_pair("f.req", f_req)
        .finish()
}

/// What the reply says for one tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Url(String),
    /// An entry for the tag without a URL; holds what the service sent instead.
    Refused(String),
}

/// Reads a batchexecute reply: the `)]}'` guard, then JSON values (arrays of entries, possibly
/// preceded by chunk lengths). Returns the answers by tag, or why the reply cannot be read: an
/// empty body, no guard, a JSON error, or no `wrb.fr` envelope for [`RPC_ID`] at all (a reply
/// that answers nothing is an error, never an empty result).
pub fn parse_reply(text: &str) -> Result<HashMap<String, Answer>, String> {
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        return Err("empty body".into());
    }
    let rest = trimmed
        .strip_prefix(")]}'")
        .ok_or_else(|| format!("no )]}}' guard at the start; the reply begins `{}`", snippet(trimmed)))?;
    let mut found = Found::default();
    let mut values = serde_json::Deserializer::from_str(rest).into_iter::<Value>();
    let mut parsed_any = false;
    let mut trailing_error = None;
    for value in &mut values {
        match value {
            Ok(v) => {
                parsed_any = true;
                collect(&v, &mut found);
            }
            Err(e) if parsed_any => {
                // Trailing garbage after the entries: keep what was read.
                trailing_error = Some(e);
                break;
            }
            Err(e) => return Err(format!("JSON error after the )]}}' guard: {e}")),
        }
    }
    if !parsed_any {
        return Err("nothing after the )]}' guard".into());
    }
    if found.answers.is_empty() {
        let mut reason = String::from("no wrb.fr envelope");
        if !found.other_rpcs.is_empty() {
            reason.push_str(&format!(" for {RPC_ID} (only for {})", found.other_rpcs.join(", ")));
        }
        if let Some(e) = trailing_error {
            reason.push_str(&format!("; JSON error after the first values: {e}"));
        }
        return Err(reason);
    }
    Ok(found.answers)
}

/// What a walk of the reply found.
#[derive(Default)]
struct Found {
    answers: HashMap<String, Answer>,
    /// Other procedures' envelopes, named in the error when none is ours.
    other_rpcs: Vec<String>,
}

/// The start of a reply that is not the protocol, on one line, for the error message.
fn snippet(text: &str) -> String {
    let head = truncate(text, 60);
    let mut out: String = head.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if head.len() < text.len() {
        out.push('…');
    }
    out
}

/// Walks nested arrays for `["wrb.fr", "Fbv4je", payload, …, tag]` entries.
fn collect(v: &Value, found: &mut Found) {
    let Some(items) = v.as_array() else { return };
    if items.first().and_then(Value::as_str) == Some("wrb.fr") {
        let rpc = items.get(1).and_then(Value::as_str).unwrap_or("?");
        if rpc != RPC_ID {
            if found.other_rpcs.len() < 5 && !found.other_rpcs.iter().any(|r| r == rpc) {
                found.other_rpcs.push(truncate(rpc, 40).to_owned());
            }
            return;
        }
        let Some(tag) = items.last().and_then(Value::as_str) else {
            return;
        };
        found.answers.insert(tag.to_owned(), answer(items));
        return;
    }
    for item in items {
        collect(item, found);
    }
}

fn answer(entry: &[Value]) -> Answer {
    let payload = entry.get(2).and_then(Value::as_str);
    let Some(payload) = payload else {
        // The service puts an error code where the payload would be, e.g. `[3]` at index 5.
        let detail = entry.get(5).filter(|v| !v.is_null()).map(|v| v.to_string());
        return Answer::Refused(detail.map_or("no payload".into(), |d| format!("error {d}")));
    };
    match serde_json::from_str::<Value>(payload) {
        Ok(Value::Array(parts)) if parts.first().and_then(Value::as_str) == Some("garturlres") => {
            match parts.get(1).and_then(Value::as_str) {
                Some(url) if !url.is_empty() => Answer::Url(url.to_owned()),
                _ => Answer::Refused("garturlres without a URL".into()),
            }
        }
        _ => Answer::Refused(format!("unexpected payload {}", truncate(payload, 120))),
    }
}

fn truncate(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sig(sg: &str, ts: i64) -> Signature {
        Signature {
            signature: sg.into(),
            timestamp: ts,
        }
    }

    #[test]
    fn f_req_has_one_envelope_per_id_with_its_tag() {
        let (a, b) = (sig("SIG\"A", 11), sig("SIGB", 22));
        let envs = [
            Envelope {
                tag: "1".into(),
                id: "AU_yqLa",
                signature: &a,
            },
            Envelope {
                tag: "2".into(),
                id: "AU_yqLb",
                signature: &b,
            },
        ];
        let v: Value = serde_json::from_str(&f_req(&envs)).expect("json");
        let calls = v[0].as_array().expect("calls");
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[1][0], "Fbv4je");
        assert_eq!(calls[1][3], "2");
        assert!(calls[1][2].is_null());
        let inner: Value = serde_json::from_str(calls[0][1].as_str().expect("string")).expect("inner json");
        assert_eq!(inner[0], "garturlreq");
        assert_eq!(inner[1][0][7], "US:en");
        assert_eq!(inner[2], "AU_yqLa");
        assert_eq!(inner[3], 11);
        assert_eq!(inner[4], "SIG\"A");
    }

    #[test]
    fn form_body_is_urlencoded() {
        assert_eq!(form_body("[[\"a b\"]]"), "f.req=%5B%5B%22a+b%22%5D%5D");
    }

    #[test]
    fn reply_matched_by_tag_with_length_prefixes() {
        let reply = ")]}'\n\n123\n[[\"wrb.fr\",\"Fbv4je\",\"[\\\"garturlres\\\",\\\"https://b.example/2\\\",1]\",null,null,null,\"2\"],[\"wrb.fr\",\"Fbv4je\",\"[\\\"garturlres\\\",\\\"https://a.example/1\\\",1]\",null,null,null,\"1\"],[\"di\",42]]\n25\n[[\"e\",4,null,null,157]]\n";
        let answers = parse_reply(reply).expect("reply");
        assert_eq!(answers.get("1"), Some(&Answer::Url("https://a.example/1".into())));
        assert_eq!(answers.get("2"), Some(&Answer::Url("https://b.example/2".into())));
    }

    #[test]
    fn refused_entry_and_bad_replies() {
        let reply = ")]}'\n[[\"wrb.fr\",\"Fbv4je\",null,null,null,[3],\"7\"]]";
        let answers = parse_reply(reply).expect("reply");
        assert_eq!(answers.get("7"), Some(&Answer::Refused("error [3]".into())));
        assert!(parse_reply("<html>error</html>").is_err());
        assert!(parse_reply(")]}'\n<html>").is_err());
    }

    #[test]
    fn unreadable_replies_say_why() {
        let reason = |text: &str| parse_reply(text).expect_err("refused");
        assert_eq!(reason(""), "empty body");
        assert_eq!(reason(" \n\t"), "empty body");
        let r = reason("<!doctype html>\n<html><body>Before you continue</body></html>");
        assert!(
            r.starts_with("no )]}' guard") && r.contains("<!doctype html> <html>"),
            "{r}"
        );
        assert_eq!(reason(")]}'\n"), "nothing after the )]}' guard");
        assert!(reason(")]}'\n{bad").starts_with("JSON error after the )]}' guard"));
        assert_eq!(
            reason(")]}'\n12\n[[\"di\",42],[\"af.httprm\",41,\"-1\",5]]"),
            "no wrb.fr envelope"
        );
        let r = reason(")]}'\n[[\"wrb.fr\",\"Xyz12\",\"[]\",null,null,null,\"1\"]]");
        assert_eq!(r, "no wrb.fr envelope for Fbv4je (only for Xyz12)");
        let r = reason(")]}'\n[[\"di\",42]]\n{oops");
        assert!(r.starts_with("no wrb.fr envelope; JSON error"), "{r}");
    }
}
