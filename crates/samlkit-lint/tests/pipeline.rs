//! The whole flow through the library, as a Rust program calls it: `samlkit_lint::explain` on a
//! decoded message, replay across messages, and a gate's policy on metadata. Reports are
//! snapshotted as JSON (tests/snapshots), so a change to any finding shows in review.

mod common;

use common::*;
use samlkit_lint::explain::{
    ContentFingerprint, ExplainError, MetadataKeys, ReplayInput, ReplayTracker,
};
use samlkit_lint::idp::Idp;
use samlkit_lint::metadata::{lint_metadata, MetadataOptions};
use samlkit_lint::{Policy, Rule, Severity, Verdict};
use samlkit_parse::decode::Binding;
use samlkit_parse::model::{ExpectedKind, SamlMessage};
use samlkit_parse::{parse_xml, read_message, InputError, Limits};

#[test]
fn the_entra_sample_passes_for_amazon_q() {
    let explained = explain_file("samples/entra-response.xml", &amazon_q());
    assert_eq!(explained.report.verdict, Verdict::Pass);
    assert!(explained.report.signature.verified);
    assert_eq!(explained.decrypted_xml, None);
    insta::assert_snapshot!("entra_sample_amazon_q", json(&explained.report));
}

#[test]
fn a_missing_email_claim_fails_with_a_fix() {
    let explained = explain_file(
        "tests/fixtures/scenarios/q-email-claim-missing.xml",
        &amazon_q(),
    );
    assert_eq!(explained.report.verdict, Verdict::Fail);
    assert!(explained.report.has(Rule::ClaimMissing));
    insta::assert_snapshot!("q_email_claim_missing", json(&explained.report));
}

#[test]
fn a_response_sent_in_a_url_is_an_error_of_the_binding() {
    let mut decoded = decoded("samples/entra-response.xml");
    let setup = amazon_q();
    let posted = samlkit_lint::explain(&decoded, &setup).unwrap();
    assert!(!posted.report.has(Rule::ResponseOverRedirect));
    decoded.binding = Some(Binding::HttpRedirect);
    let redirected = samlkit_lint::explain(&decoded, &setup).unwrap();
    assert_eq!(redirected.report.verdict, Verdict::Fail);
    let finding = redirected
        .report
        .findings
        .iter()
        .find(|f| f.is(Rule::ResponseOverRedirect))
        .expect("the binding finding");
    assert_eq!(finding.severity, Severity::Error);
    assert_eq!(finding.actual.as_deref(), Some("HTTP-Redirect"));
}

#[test]
fn an_encrypted_assertion_is_unread_without_the_key_and_judged_with_it() {
    const ENCRYPTED: &str = "tests/fixtures/scenarios/q-encrypted.xml";
    let without = explain_file(ENCRYPTED, &amazon_q());
    assert_eq!(without.report.verdict, Verdict::Fail);
    assert_eq!(without.decrypted_xml, None);
    let unread: Vec<_> = without
        .report
        .findings
        .iter()
        .filter(|f| f.is(Rule::EncryptedAssertionUnread))
        .collect();
    // One finding from decryption, which says why, replaces the linter's generic one.
    assert_eq!(unread.len(), 1, "{:#?}", without.report.findings);
    assert!(unread[0]
        .message
        .contains("is encrypted for the service provider"));
    assert!(unread[0]
        .message
        .contains("readable without the key: issuer"));
    assert!(unread[0].location.is_some());

    let mut setup = amazon_q();
    setup.keys = sp_keys();
    let with = explain_file(ENCRYPTED, &setup);
    assert_eq!(
        with.report.verdict,
        Verdict::Pass,
        "{:#?}",
        with.report.findings
    );
    assert!(with.report.has(Rule::AssertionDecrypted));
    assert!(!with.report.has(Rule::EncryptedAssertionUnread));
    let decrypted = with.decrypted_xml.expect("the decrypted text");
    assert!(decrypted.contains("alice@contoso.example"));
    assert!(!decrypted.contains("EncryptedAssertion"));
}

#[test]
fn replay_is_judged_across_messages_in_order() {
    let setup = amazon_q();
    let mut tracker = ReplayTracker::new();
    let mut first = explain_file("samples/entra-response.xml", &setup).report;
    let mut second = first.clone();
    let mut again = first.clone();
    // Posted twice within one capture: a replay.
    let posting = |label| ReplayInput {
        label,
        capture: "capture.har",
        content: Some(ContentFingerprint::of("<Response/>")),
    };
    assert!(!tracker.judge(&posting("capture.har, request 1"), &mut first));
    assert!(tracker.judge(&posting("capture.har, request 4"), &mut second));
    // The same message from another input: a duplicate, not a replay.
    let copy = ReplayInput {
        label: "copy.xml",
        capture: "copy.xml",
        content: Some(ContentFingerprint::of("<Response/>\n")),
    };
    assert!(!tracker.judge(&copy, &mut again));
    assert!(again.has(Rule::DuplicateInput));
    assert!(!again.has(Rule::ReplayedAssertion));
    // Without a fingerprint, content is never compared: a posting is never a duplicate.
    let mut unfingerprinted = first.clone();
    let mut tracker_without = ReplayTracker::new();
    let without = |label| ReplayInput {
        label,
        capture: label,
        content: None,
    };
    assert!(!tracker_without.judge(&without("a.xml"), &mut first.clone()));
    assert!(tracker_without.judge(&without("b.xml"), &mut unfingerprinted));
    assert!(!unfingerprinted.has(Rule::DuplicateInput));
    assert_eq!(first.verdict, Verdict::Pass);
    assert_eq!(second.verdict, Verdict::Fail);
    let replayed = second
        .findings
        .iter()
        .find(|f| f.is(Rule::ReplayedAssertion))
        .expect("the replay finding");
    assert!(replayed
        .message
        .ends_with("was already used by capture.har, request 1"));
    assert_eq!(
        replayed.actual.as_deref(),
        first.facts.assertion_id.as_deref()
    );
}

#[test]
fn a_signing_certificate_missing_from_the_metadata_is_named() {
    let mut setup = amazon_q();
    setup.metadata_keys = Some(MetadataKeys {
        fingerprints: vec!["00:11".into()],
        idp: Idp::ENTRA_ID,
    });
    let report = explain_file("samples/entra-response.xml", &setup).report;
    let finding = report
        .findings
        .iter()
        .find(|f| f.is(Rule::MetadataSampleKeyNotInMetadata))
        .expect("the cross-check finding");
    assert_eq!(finding.expected.as_deref(), Some("SHA-256 00:11"));
    assert!(finding.location.is_some() && finding.span.is_some());
    assert_eq!(report.verdict, Verdict::Fail);
}

#[test]
fn what_cannot_be_explained_says_why_in_a_typed_error() {
    let setup = amazon_q();
    match samlkit_lint::explain(&decoded(METADATA), &setup) {
        Err(ExplainError::Metadata(InputError::WrongKind { expected, .. })) => {
            assert_eq!(expected, "a SAMLResponse")
        }
        other => panic!("metadata must be refused as metadata: {other:?}"),
    }
    let mut expecting_requests = amazon_q();
    expecting_requests.expect = Some(ExpectedKind::Request);
    let refused =
        samlkit_lint::explain(&decoded("samples/entra-response.xml"), &expecting_requests);
    assert!(matches!(
        refused,
        Err(ExplainError::Unreadable(InputError::WrongKind { .. }))
    ));
    let not_xml = decoded_bytes(b"<Response><unclosed></Response>");
    let err = samlkit_lint::explain(&not_xml, &setup).unwrap_err();
    assert!(
        err.to_string().starts_with("malformed XML at line 1"),
        "{err}"
    );
}

#[test]
fn an_authn_request_is_linted_without_verification() {
    let explained = explain_file(
        "tests/fixtures/scenarios/authn-request-acs-mismatch.xml",
        &amazon_q(),
    );
    assert_eq!(explained.report.facts.kind, "authn-request");
    insta::assert_snapshot!("authn_request_acs_mismatch", json(&explained.report));
}

#[test]
fn a_gate_policy_raises_expiring_certificates_and_replaces_a_fix() {
    let text = String::from_utf8(read(METADATA)).unwrap();
    let doc = parse_xml(&text, &Limits::default()).unwrap();
    let Ok(SamlMessage::Metadata(metadata)) = read_message(&doc) else {
        panic!("the sample is metadata");
    };
    let mut options = MetadataOptions::new(now());
    // Every certificate of the sample expires within this many days.
    options.warn_days = 100_000;
    let plain = lint_metadata(None, &metadata, None, &options);
    let expiring = |report: &samlkit_lint::metadata::MetadataReport| {
        report
            .all_findings()
            .filter(|f| f.is(Rule::MetadataCertificateExpiresSoon))
            .map(|f| (f.severity, f.message.clone(), f.fix.clone()))
            .collect::<Vec<_>>()
    };
    let before = expiring(&plain);
    assert!(!before.is_empty());
    assert!(before
        .iter()
        .all(|(severity, ..)| *severity == Severity::Warning));

    options.policy = Policy::new()
        .raise(
            Rule::MetadataCertificateExpiresSoon,
            Severity::Error,
            " (the gate fails on it)",
        )
        .fix(
            Rule::MetadataSignatureNotChecked,
            "set the signer in the config",
        )
        .drop(Rule::MetadataSloMissing);
    let gated = lint_metadata(None, &metadata, None, &options);
    let after = expiring(&gated);
    assert_eq!(after.len(), before.len());
    for ((_, message, fix), (severity, raised, raised_fix)) in before.iter().zip(&after) {
        assert_eq!(*severity, Severity::Error);
        assert_eq!(raised, &format!("{message} (the gate fails on it)"));
        assert_eq!(raised_fix, fix);
    }
    assert_eq!(gated.verdict, Verdict::Fail);
    assert!(gated.errors > plain.errors);
    assert!(!gated.has(Rule::MetadataSloMissing));
    let unchecked: Vec<_> = gated
        .all_findings()
        .filter(|f| f.is(Rule::MetadataSignatureNotChecked))
        .collect();
    assert!(!unchecked.is_empty());
    assert!(unchecked
        .iter()
        .all(|f| f.fix.as_deref() == Some("set the signer in the config")));
}
