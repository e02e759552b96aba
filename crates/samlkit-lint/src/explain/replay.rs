//! Replay: the same assertion ID in two messages of one run. A service provider accepts an
//! assertion once, so a second posting of it fails — but the same capture given twice (saved
//! as base64 and as XML, say) is one sign-in, not a replay.

use std::collections::HashMap;

use crate::report::{Finding, Report};
use crate::rules::Rule;

/// One message as the tracker sees it.
#[derive(Debug, Clone, Copy)]
pub struct ReplayInput<'a> {
    /// How the report names the message (`capture.har, request 3`).
    pub label: &'a str,
    /// The input the message was read from: two postings within one capture (a HAR, a
    /// SAML-tracer export) are a replay even when they are byte for byte the same.
    pub capture: &'a str,
    /// [`ContentFingerprint::of`] the message's XML text, taken where the message was
    /// explained (in parallel), not where the run's messages are judged in order.
    pub content: ContentFingerprint,
}

/// What makes two messages "the same message": their XML with whitespace between tags and
/// around the document ignored, so a pretty-printed copy of a capture counts as the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContentFingerprint([u8; 32]);

impl ContentFingerprint {
    /// SHA-256 of the kept bytes, fed in runs between the skipped whitespace (found from
    /// each `>`, so other text is not looked at byte by byte).
    pub fn of(xml: &str) -> ContentFingerprint {
        let bytes = xml.trim_ascii().as_bytes();
        let mut hasher = openssl::sha::Sha256::new();
        let mut kept_from = 0;
        for close in memchr::memchr_iter(b'>', bytes) {
            let run_start = close + 1;
            let run_end = bytes[run_start..]
                .iter()
                .position(|b| !b.is_ascii_whitespace())
                .map_or(bytes.len(), |n| run_start + n);
            if run_end > run_start && bytes.get(run_end) == Some(&b'<') {
                hasher.update(&bytes[kept_from..run_start]);
                kept_from = run_end;
            }
        }
        hasher.update(&bytes[kept_from..]);
        ContentFingerprint(hasher.finish())
    }
}

/// Where an assertion ID was first seen.
#[derive(Debug)]
struct FirstSeen {
    label: String,
    capture: String,
    content: ContentFingerprint,
}

/// Remembers the assertion IDs of the messages judged so far. The caller passes one tracker
/// across all inputs of a run, in input order, so "first seen in" is well defined.
#[derive(Debug, Default)]
pub struct ReplayTracker {
    /// Assertion ID → every distinct posting of it seen so far, first first.
    first_seen: HashMap<String, Vec<FirstSeen>>,
}

impl ReplayTracker {
    pub fn new() -> ReplayTracker {
        ReplayTracker::default()
    }

    /// Notes the report's assertion ID; when the ID was seen before, adds the replay finding
    /// (same capture, or different content) or the duplicate-input note (the same message from
    /// another input) to the report. Returns true for a replay.
    pub fn judge(&mut self, input: &ReplayInput<'_>, report: &mut Report) -> bool {
        let Some(id) = report.facts.assertion_id.as_deref() else {
            return false;
        };
        let content = input.content;
        let seen = self.first_seen.entry(id.to_string()).or_default();
        let same_message = seen.iter().find(|first| {
            // The same input named twice has the same label; two postings inside one
            // capture have different labels.
            let other_input = first.capture != input.capture || first.label == input.label;
            other_input && first.content == content
        });
        if let Some(first) = same_message {
            report.add(duplicate_input(&first.label));
            return false;
        }
        if let Some(first) = seen.first() {
            report.add(replayed_assertion(id, &first.label));
        }
        let replayed = !seen.is_empty();
        seen.push(FirstSeen {
            label: input.label.to_string(),
            capture: input.capture.to_string(),
            content,
        });
        replayed
    }
}

fn duplicate_input(first_seen_in: &str) -> Finding {
    Finding::new(
        Rule::DuplicateInput,
        format!("this is the same message as {first_seen_in}; it is judged once"),
    )
}

fn replayed_assertion(assertion_id: &str, first_seen_in: &str) -> Finding {
    Finding::new(
        Rule::ReplayedAssertion,
        format!("the assertion ID `{assertion_id}` was already used by {first_seen_in}"),
    )
    .expected("a fresh assertion for each sign-in")
    .actual(assertion_id)
    .fix("start a new sign-in; never re-post a captured Response")
}

#[cfg(test)]
mod tests {
    use super::ContentFingerprint;

    fn content_fingerprint(xml: &str) -> ContentFingerprint {
        ContentFingerprint::of(xml)
    }

    #[test]
    fn whitespace_between_tags_does_not_change_the_fingerprint() {
        let compact = "<a><b>x y</b></a>";
        let pretty = "<a>\n  <b>x y</b>\n</a>\n";
        assert_eq!(content_fingerprint(compact), content_fingerprint(pretty));
        assert_eq!(
            content_fingerprint(compact),
            content_fingerprint("\r\n<a>\r\n\t<b>x y</b></a>")
        );
        assert_ne!(
            content_fingerprint(compact),
            content_fingerprint("<a><b> x y</b></a>")
        );
        assert_ne!(
            content_fingerprint(compact),
            content_fingerprint("<a><b>x  y</b></a>")
        );
    }
}
