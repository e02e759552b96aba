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
    /// explained (in parallel), not where the run's messages are judged in order. None when
    /// the caller knows no other input can hold the same message (a run of one input, whose
    /// postings are told apart by their labels): then content is never compared.
    pub content: Option<ContentFingerprint>,
}

/// What makes two messages "the same message": their XML with whitespace between tags and
/// around the document ignored, so a pretty-printed copy of a capture counts as the same.
///
/// The fingerprint is a GMAC (AES-GCM over the kept bytes as authenticated data, nothing
/// encrypted) under a key drawn at random for each run and never shown: without the key, no
/// one can make two different messages share a fingerprint (GHASH collides with probability
/// about length/2^128 for messages not chosen with knowledge of the key), and it takes a
/// third of the time of SHA-256, which was the largest cost of `explain` after the RSA
/// verify. Should AES-GCM be unavailable, SHA-256 of the same bytes is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContentFingerprint([u8; 32]);

impl ContentFingerprint {
    /// The kept bytes are fed in runs between the skipped whitespace, found from each `>` (other
    /// text is not looked at byte by byte).
    pub fn of(xml: &str) -> ContentFingerprint {
        let bytes = xml.trim_ascii().as_bytes();
        let runs = || kept_runs(bytes);
        if let Some(tag) = gmac(runs()) {
            let mut fingerprint = [0; 32];
            fingerprint[..16].copy_from_slice(&tag);
            return ContentFingerprint(fingerprint);
        }
        let mut hasher = openssl::sha::Sha256::new();
        runs().for_each(|run| hasher.update(run));
        ContentFingerprint(hasher.finish())
    }
}

/// The document without the whitespace between a `>` and the next `<`, as consecutive slices.
fn kept_runs(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut kept_from = 0;
    let mut closes = memchr::memchr_iter(b'>', bytes);
    std::iter::from_fn(move || {
        if kept_from > bytes.len() {
            return None;
        }
        for close in closes.by_ref() {
            let run_start = close + 1;
            let run_end = bytes[run_start..]
                .iter()
                .position(|b| !b.is_ascii_whitespace())
                .map_or(bytes.len(), |n| run_start + n);
            if run_end > run_start && bytes.get(run_end) == Some(&b'<') {
                let run = &bytes[kept_from..run_start];
                kept_from = run_end;
                return Some(run);
            }
        }
        let last = &bytes[kept_from..];
        kept_from = bytes.len() + 1;
        Some(last)
    })
}

/// GMAC of the runs, taken together, under the run's random key; None if AES-GCM is not
/// available (a restricted OpenSSL build).
fn gmac<'b>(runs: impl Iterator<Item = &'b [u8]>) -> Option<[u8; 16]> {
    use openssl::cipher::Cipher;
    use openssl::cipher_ctx::CipherCtx;
    static KEY: std::sync::OnceLock<Option<([u8; 16], [u8; 12])>> = std::sync::OnceLock::new();
    thread_local! {
        // Keyed once per thread; each message only restarts it with the nonce.
        static KEYED: std::cell::RefCell<Option<CipherCtx>> = const { std::cell::RefCell::new(None) };
    }
    let key_and_nonce = KEY.get_or_init(|| {
        let mut key = [0; 16];
        let mut nonce = [0; 12];
        // From the kernel directly: starting OpenSSL's random generator costs more than
        // explaining a message.
        getrandom::fill(&mut key).ok()?;
        getrandom::fill(&mut nonce).ok()?;
        Some((key, nonce))
    });
    let (key, nonce) = key_and_nonce.as_ref()?;
    KEYED.with_borrow_mut(|keyed| {
        if keyed.is_none() {
            let mut ctx = CipherCtx::new().ok()?;
            ctx.encrypt_init(Some(Cipher::aes_128_gcm()), Some(key), None)
                .ok()?;
            *keyed = Some(ctx);
        }
        let ctx = keyed.as_mut()?;
        ctx.encrypt_init(None, None, Some(nonce)).ok()?;
        // GCM hashes its additional data as one stream whatever the pieces, and counts its
        // length.
        for run in runs {
            ctx.cipher_update(run, None).ok()?;
        }
        ctx.cipher_final(&mut [0; 16]).ok()?;
        let mut tag = [0; 16];
        ctx.tag(&mut tag).ok()?;
        Some(tag)
    })
}

/// Where an assertion ID was first seen.
#[derive(Debug)]
struct FirstSeen {
    label: String,
    capture: String,
    content: Option<ContentFingerprint>,
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
            other_input && first.content.is_some() && first.content == content
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
    use super::{gmac, kept_runs, ContentFingerprint};

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

    #[test]
    fn the_kept_runs_are_the_document_without_whitespace_between_tags() {
        let joined = |xml: &str| -> String {
            kept_runs(xml.as_bytes())
                .map(|run| std::str::from_utf8(run).unwrap())
                .collect()
        };
        assert_eq!(joined("<a>\n <b>x y</b>\t</a>"), "<a><b>x y</b></a>");
        assert_eq!(joined("<a> x </a>"), "<a> x </a>");
        assert_eq!(joined("<a/>  "), "<a/>  ");
        assert_eq!(joined(""), "");
        assert_eq!(kept_runs(b"<a>\n<b/>\n</a>").count(), 3);
        // A compact document is fed whole, in one piece.
        assert_eq!(kept_runs(b"<a><b/>x</a>").count(), 1);
    }

    /// OpenSSL's AES-GCM takes the pieces as one stream: where the runs split does not matter,
    /// their bytes do. (Without AES-GCM the fingerprint falls back to SHA-256.)
    #[test]
    fn the_gmac_reads_the_runs_as_one_stream() {
        let whole = gmac([b"<a><b>x</b></a>".as_slice()].into_iter()).expect("AES-GCM");
        let pieces = gmac([b"<a>".as_slice(), b"<b>x</b>", b"</a>"].into_iter());
        assert_eq!(pieces, Some(whole));
        let other = gmac([b"<a><b>y</b></a>".as_slice()].into_iter());
        assert_ne!(other, Some(whole));
    }

    #[test]
    fn any_change_of_content_changes_the_fingerprint() {
        let message = "<Response ID=\"_1\"><Assertion ID=\"_a\">x</Assertion></Response>";
        let fingerprint = content_fingerprint(message);
        assert_eq!(fingerprint, content_fingerprint(message));
        for at in 0..message.len() {
            let mut changed = message.as_bytes().to_vec();
            changed[at] ^= 0x01;
            let changed = String::from_utf8(changed).unwrap();
            assert_ne!(fingerprint, content_fingerprint(&changed), "byte {at}");
        }
        // One byte more or fewer, including at the end.
        assert_ne!(fingerprint, content_fingerprint(&format!("{message}x")));
        assert_ne!(
            fingerprint,
            content_fingerprint(&message[..message.len() - 1])
        );
    }
}
