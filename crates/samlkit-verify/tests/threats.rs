//! One test per attack class of docs/threats.md: each asserts that the document is denied its
//! verdict, the stage of the failing signature, and the finding that names the shape.
//! Fixtures come from the third-party corpus (tests/corpus) and from
//! tests/fixtures/generate.py (xmlsec1 + openssl).

mod common;

use common::*;
use samlkit_parse::xml::{self, ns};
use samlkit_verify::{
    verify_document, FindingCode, MissingInput, Severity, SignatureOutcome, Stage, TrustStore,
    Verdict, VerificationReport, VerifyOptions,
};

fn fixture(name: &str) -> String {
    String::from_utf8(read(&fixtures_dir().join(name))).unwrap()
}

fn corpus(name: &str) -> String {
    decode_message(&read(&corpus_dir().join(name)))
}

fn idp_trust() -> TrustStore {
    let mut trust = TrustStore::new();
    trust
        .add_certificates(
            &read(&fixtures_dir().join("keys/idp.crt.pem")),
            "idp.crt.pem",
        )
        .unwrap();
    trust
}

fn trust_from(path: &std::path::Path) -> TrustStore {
    let mut trust = TrustStore::new();
    add_trust_file(&mut trust, path);
    trust
}

/// SHA-256 of the certificate (CN=sp.example.com) boxyhq/saml20's tests pin inline for their
/// idp.example.com samples, as a user would pin it with `--idp-fingerprint`.
const BOXYHQ_IDP_SHA256: &str = "19a4fff2e8fcc7f3ea5046348dbf1d81320654d1f712028cc97933cb1247fc99";
/// SHA-256 of the poc.securesaml.com certificate boxyhq/saml20's digestValueComment test pins.
const POC_SECURESAML_SHA256: &str =
    "2f6ebb93d2a175c5ce6974213cb5ac2e39040526bfc499f0d9aaefe4e03403c8";

/// Trust given as a pinned SHA-256 fingerprint, as the user passes it.
fn fingerprint_trust(sha256: &str) -> TrustStore {
    let mut trust = TrustStore::new();
    trust.add_fingerprint(sha256).unwrap();
    trust
}

/// The document is denied its verdict, and the report says why: a rejected document hands out
/// no verified element; any other denial has a failed signature or an uncovered message.
fn assert_denied(report: &VerificationReport<'_, '_>) {
    assert_ne!(report.verdict, Verdict::Verified, "{:?}", codes(report));
    if report.verdict == Verdict::Rejected {
        assert!(
            report.verified_elements().is_empty(),
            "a rejected document hands out no verified element"
        );
    } else {
        let failed = report
            .signatures
            .iter()
            .any(|sig| sig.outcome == SignatureOutcome::Failed);
        assert!(
            failed || report.verified_root().is_none(),
            "denied ({:?}) although every signature verified and the message is covered",
            report.verdict
        );
    }
}

// --- Signature wrapping (XSW1–9, pysaml2, boxyhq) --------------------------------------------

#[test]
fn crewjam_xsw_permutations_are_rejected_naming_the_shape() {
    let trust_one = corpus_dir().join("crewjam-saml/TestSPCanHandleOneloginResponse_IDPMetadata");
    let trust_rest = corpus_dir()
        .join("crewjam-saml/TestServiceProviderCanHandleSignedAssertionsResponse_IDPMetadata");
    for name in [
        "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine",
    ] {
        let xml = corpus(&format!(
            "crewjam-saml/TestXswPermutation{name}IsRejected_response"
        ));
        let trust = trust_from(if matches!(name, "One" | "Two") {
            &trust_one
        } else {
            &trust_rest
        });
        verify_with(&xml, &trust, |report| {
            assert_eq!(
                report.verdict,
                Verdict::Rejected,
                "XSW {name}: {:?}",
                codes(report)
            );
            assert!(report.verified_elements().is_empty(), "XSW {name}");
            let shape = codes(report).into_iter().any(|code| {
                matches!(
                    code,
                    FindingCode::ElementMisplaced
                        | FindingCode::DuplicateId
                        | FindingCode::MultipleAssertions
                        | FindingCode::ReferenceNotParent
                )
            });
            assert!(
                shape,
                "XSW {name}: no finding names the wrapping: {:?}",
                codes(report)
            );
        });
    }
}

#[test]
fn pysaml2_and_boxyhq_wrapping_is_rejected_although_the_signature_math_holds() {
    let pysaml2 = corpus_dir().join("pysaml2/idp.xml");
    for file in [
        "pysaml2/xsw/signed-xsw-assertion-wrapper.xml",
        "pysaml2/xsw/signed-xsw-assertion-extensions.xml",
        "pysaml2/xsw/signed-xsw-assertion-assertion.xml",
    ] {
        verify_with(&corpus(file), &trust_from(&pysaml2), |report| {
            assert_eq!(report.verdict, Verdict::Rejected, "{file}");
            assert!(
                codes(report).contains(&FindingCode::ElementMisplaced),
                "{file}"
            );
            // The forged assertion where a naive reader looks is not verified.
            let root = report.document().root_element();
            let direct = xml::children_named(root, ns::SAML, "Assertion");
            assert!(
                direct
                    .into_iter()
                    .all(|node| report.verified(node).is_none()),
                "{file}"
            );
        });
    }
    for file in [
        "boxyhq-saml20/attacks/wrapping/saml20.wrapped.invalidAssertion2.xml",
        "boxyhq-saml20/attacks/wrapping/saml20.wrapped.invalidExtensions2.xml",
        "boxyhq-saml20/attacks/wrapping/saml20.wrapped.invalidResponse1.xml",
    ] {
        let trust = fingerprint_trust(BOXYHQ_IDP_SHA256);
        verify_with(&corpus(file), &trust, |report| {
            assert_eq!(report.verdict, Verdict::Rejected, "{file}");
            assert!(
                codes(report).contains(&FindingCode::ElementMisplaced),
                "{file}"
            );
        });
    }
}

#[test]
fn a_signed_assertion_moved_into_subject_confirmation_data_is_rejected() {
    verify_with(
        &fixture("threats/assertion_in_subject_confirmation_data.xml"),
        &idp_trust(),
        |report| {
            assert_eq!(report.verdict, Verdict::Rejected);
            let misplaced = report
                .all_findings()
                .find(|f| f.code == FindingCode::ElementMisplaced)
                .expect("names the misplaced assertion");
            assert!(
                misplaced.message.contains("SubjectConfirmationData"),
                "{}",
                misplaced.message
            );
            assert_eq!(report.signatures[0].stage, Some(Stage::MalformedStructure));
        },
    );
}

#[test]
fn an_assertion_hidden_in_ds_object_is_rejected() {
    let trust = trust_from(&corpus_dir().join("samael/idp_2_metadata_public.pem"));
    verify_with(
        &corpus("samael/object_attack_response.xml"),
        &trust,
        |report| {
            assert_eq!(report.verdict, Verdict::Rejected);
            assert!(codes(report).contains(&FindingCode::ObjectOrManifest));
            assert!(codes(report).contains(&FindingCode::ElementMisplaced));
        },
    );
}

// --- Comment injection -----------------------------------------------------------------------

#[test]
fn comment_in_nameid_is_read_whole_and_flagged() {
    let xml = fixture("threats/comment_in_nameid.xml");
    let document = samlkit_parse::parse_xml(&xml, &Default::default()).unwrap();
    let report = verify_document(&document, &idp_trust(), &VerifyOptions { now: NOW });
    // The IdP signed the whole value; the comment does not change the canonical form.
    assert_eq!(report.verdict, Verdict::Verified);
    let name_id = document
        .descendants()
        .find(|node| xml::is_element(*node, ns::SAML, "NameID"))
        .unwrap();
    let verified = report
        .verified(name_id)
        .expect("covered by the assertion's signature");
    assert_eq!(
        xml::text_content(verified.node()),
        "admin@samlkit.test.evil.example"
    );
    let finding = report
        .all_findings()
        .find(|f| f.code == FindingCode::CommentInSignedText)
        .expect("the comment is flagged");
    assert_eq!(finding.severity, Severity::Warning);
    assert!(
        finding.message.contains("admin@samlkit.test.evil.example"),
        "{}",
        finding.message
    );
}

#[test]
fn comment_in_digest_value_is_rejected_before_cryptography() {
    verify_with(
        &fixture("threats/comment_in_digest_value.xml"),
        &idp_trust(),
        |report| {
            assert_denied(report);
            assert_eq!(report.signatures[0].stage, Some(Stage::MalformedStructure));
            assert!(codes(report).contains(&FindingCode::MarkupInSignatureData));
        },
    );
    // Third-party samples of the same shape (xml-crypto, boxyhq / poc.securesaml.com).
    let trust = trust_from(&corpus_dir().join("xml-crypto/feide_public.pem"));
    verify_with(
        &corpus("xml-crypto/valid_saml_with_digest_comment.xml"),
        &trust,
        |report| {
            assert_eq!(report.signatures[0].stage, Some(Stage::MalformedStructure));
            assert!(codes(report).contains(&FindingCode::MarkupInSignatureData));
        },
    );
    let xml = corpus("boxyhq-saml20/digestValueComment.xml");
    verify_with(&xml, &fingerprint_trust(POC_SECURESAML_SHA256), |report| {
        assert_denied(report);
        assert!(codes(report).contains(&FindingCode::MarkupInSignatureData));
    });
}

// --- DTD / XXE --------------------------------------------------------------------------------

#[test]
fn doctype_is_refused_by_the_parser_before_anything_else() {
    for xml in [
        fixture("threats/doctype_entity.xml"),
        corpus("ruby-saml/attackxee.xml"),
    ] {
        let err = samlkit_parse::parse_xml(&xml, &Default::default()).unwrap_err();
        assert!(err.to_string().contains("DOCTYPE"), "{err}");
    }
}

// --- Duplicate IDs ----------------------------------------------------------------------------

#[test]
fn a_duplicated_referenced_id_is_ambiguous_and_rejected() {
    verify_with(
        &fixture("threats/duplicate_id.xml"),
        &idp_trust(),
        |report| {
            assert_eq!(report.verdict, Verdict::Rejected);
            assert_eq!(report.signatures[0].stage, Some(Stage::ReferenceAmbiguous));
            assert!(codes(report).contains(&FindingCode::DuplicateId));
            assert!(codes(report).contains(&FindingCode::ReferenceAmbiguous));
        },
    );
    let trust = trust_from(&corpus_dir().join("xml-crypto/feide_public.pem"));
    verify_with(
        &corpus("xml-crypto/valid_saml_signature_wrapping.xml"),
        &trust,
        |report| {
            assert_eq!(report.verdict, Verdict::Rejected);
            assert!(codes(report).contains(&FindingCode::DuplicateId));
        },
    );
}

// --- Reference to another element / "" ---------------------------------------------------------

#[test]
fn a_reference_to_a_sibling_or_child_is_rejected() {
    verify_with(
        &fixture("threats/reference_to_sibling.xml"),
        &idp_trust(),
        |report| {
            assert_denied(report);
            assert_eq!(report.signatures[0].stage, Some(Stage::ReferenceNotParent));
            let finding = report
                .all_findings()
                .find(|f| f.code == FindingCode::ReferenceNotParent)
                .unwrap();
            assert!(finding.message.contains("Assertion"), "{}", finding.message);
        },
    );
}

#[test]
fn a_whole_document_reference_on_the_document_element_verifies_with_a_note() {
    // URI="" from the Response's own signature, the Response being the document element: the
    // document is exactly the signed element.
    verify_with(
        &fixture("threats/reference_empty_uri.xml"),
        &idp_trust(),
        |report| {
            assert_eq!(report.verdict, Verdict::Verified, "{:?}", codes(report));
            let note = report
                .all_findings()
                .find(|f| f.code == FindingCode::ReferenceWholeDocument)
                .expect("a note about the whole-document reference");
            assert_eq!(note.severity, Severity::Info);
            assert!(
                note.message.contains("has URI=\"\"")
                    && note.message.contains("SAML asks for URI=\"#_0b9c8d7e"),
                "{}",
                note.message
            );
        },
    );
    // No URI attribute at all (dex), said as such.
    let xml = decode_message(&read(&interop_dir().join("dex/good-resp.xml")));
    let mut trust = TrustStore::new();
    trust
        .add_fingerprint(&pinned_keyinfo_fingerprint(&xml, None).unwrap())
        .unwrap();
    verify_with(&xml, &trust, |report| {
        assert_eq!(report.verdict, Verdict::Verified, "{:?}", codes(report));
        assert!(report
            .all_findings()
            .any(|f| f.code == FindingCode::ReferenceWholeDocument
                && f.message.contains("has no URI attribute")
                && !f.message.contains("URI=\"\"")));
    });
}

#[test]
fn a_whole_document_reference_below_the_document_element_is_rejected() {
    verify_with(
        &fixture("threats/reference_empty_uri_on_assertion.xml"),
        &idp_trust(),
        |report| {
            assert_denied(report);
            assert_eq!(report.signatures[0].stage, Some(Stage::ReferenceNotParent));
            let finding = report
                .all_findings()
                .find(|f| f.code == FindingCode::ReferenceWholeDocument)
                .expect("reference-whole-document");
            assert_eq!(finding.severity, Severity::Error);
            assert!(
                finding.message.contains("not in the document element"),
                "{}",
                finding.message
            );
        },
    );
}

#[test]
fn xpointer_and_quote_injection_references_are_rejected() {
    let trust = trust_from(&corpus_dir().join("xml-crypto/feide_public.pem"));
    verify_with(&corpus("xml-crypto/id_with_quotes.xml"), &trust, |report| {
        assert_denied(report);
        assert!(codes(report).contains(&FindingCode::ReferenceNotSameDocument));
    });
}

// --- Several assertions -----------------------------------------------------------------------

#[test]
fn an_unsigned_assertion_beside_a_signed_one_is_rejected() {
    verify_with(
        &fixture("threats/unsigned_assertion_beside_signed.xml"),
        &idp_trust(),
        |report| {
            // The genuine signature verifies, but the document is refused as a whole.
            assert_eq!(report.signatures[0].stage, None);
            assert_eq!(report.verdict, Verdict::Rejected);
            assert!(codes(report).contains(&FindingCode::MultipleAssertions));
            assert!(report.verified_elements().is_empty());
        },
    );
    let trust = trust_from(&corpus_dir().join("ruby-saml/certificates/certificate1"));
    verify_with(
        &corpus("python3-saml/response4.xml.base64"),
        &trust,
        |report| {
            assert_eq!(report.verdict, Verdict::Rejected);
            assert!(codes(report).contains(&FindingCode::MultipleAssertions));
        },
    );
}

// --- Certificate from KeyInfo trusted ---------------------------------------------------------

#[test]
fn an_attacker_certificate_in_keyinfo_is_reported_next_to_the_trusted_one() {
    verify_with(
        &fixture("threats/attacker_cert_in_keyinfo.xml"),
        &idp_trust(),
        |report| {
            assert_denied(report);
            let sig = &report.signatures[0];
            assert_eq!(sig.stage, Some(Stage::UntrustedKey));
            let carried = &sig.keyinfo_certificates[0];
            assert!(!carried.trusted);
            assert!(carried.facts.subject.contains("CN=attacker.example"));
            let finding = sig
                .findings
                .iter()
                .find(|f| f.code == FindingCode::UntrustedKey)
                .unwrap();
            // The attacker's subject, validity and SHA-256, and the trusted key, side by side.
            assert!(
                finding.message.contains("CN=attacker.example"),
                "{}",
                finding.message
            );
            assert!(finding.message.contains(&carried.facts.sha256_fingerprint));
            assert!(finding.message.contains(&carried.facts.not_after_utc));
            assert!(
                finding.message.contains("CN=login.samlkit.test"),
                "{}",
                finding.message
            );
            assert_eq!(report.trusted_keys.len(), 1);
        },
    );
    let trust = trust_from(&corpus_dir().join("node-saml/cert.pem"));
    let xml = corpus(
        "node-saml/signatures/invalid/response.root-resigned-by-attacker-assertion-unsigned-attackers-cert-at-keyinfo.xml",
    );
    verify_with(&xml, &trust, |report| {
        assert_eq!(report.signatures[0].stage, Some(Stage::UntrustedKey));
    });
}

#[test]
fn a_keyinfo_certificate_never_becomes_trust_without_a_matching_fingerprint() {
    // Trust configured as an unrelated fingerprint: the message's own certificate is not used.
    let mut trust = TrustStore::new();
    trust.add_fingerprint(&"AB".repeat(32)).unwrap();
    verify_with(&fixture("signed/entra_response.xml"), &trust, |report| {
        assert_eq!(report.signatures[0].stage, Some(Stage::UntrustedKey));
    });
    // The IdP certificate's fingerprint, taken from the certificate file as a user copies it,
    // makes the matching KeyInfo certificate the key, and says so.
    let xml = fixture("signed/entra_response.xml");
    let idp_cert = read(&fixtures_dir().join("keys/idp.crt.pem"));
    let idp_cert = openssl::x509::X509::from_pem(&idp_cert).unwrap();
    let sha256: String = openssl::sha::sha256(&idp_cert.to_der().unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    verify_with(&xml, &fingerprint_trust(&sha256), |report| {
        assert_eq!(report.verdict, Verdict::Verified);
        let key = report.signatures[0].verified_by.as_ref().unwrap();
        assert_eq!(key.anchor, None);
        assert!(
            key.description.contains("matching a trusted fingerprint"),
            "{}",
            key.description
        );
    });
}

#[test]
fn an_attacker_signed_response_around_a_genuine_assertion_is_not_verified() {
    verify_with(
        &fixture("threats/attacker_signed_response_around_idp_assertion.xml"),
        &idp_trust(),
        |report| {
            assert_eq!(report.verdict, Verdict::NotVerified);
            let response_sig = report
                .signatures
                .iter()
                .find(|s| s.parent.as_ref().unwrap().name == "Response")
                .unwrap();
            assert_eq!(response_sig.stage, Some(Stage::UntrustedKey));
            // The genuine assertion is still covered, the Response around it is not.
            assert!(report.verified(report.document().root_element()).is_none());
            let assertion = report
                .elements
                .iter()
                .find(|e| e.element.name == "Assertion")
                .unwrap();
            assert!(assertion.is_covered());
        },
    );
}

// --- Signature stripped -----------------------------------------------------------------------

#[test]
fn a_stripped_signature_is_not_verified_when_trust_is_configured() {
    verify_with(
        &fixture("threats/signature_stripped.xml"),
        &idp_trust(),
        |report| {
            assert_eq!(report.verdict, Verdict::NotSigned);
            let finding = report
                .findings
                .iter()
                .find(|f| f.code == FindingCode::NotSigned)
                .unwrap();
            assert_eq!(finding.severity, Severity::Error);
            assert!(report.verified_root().is_none());
        },
    );
    // ssoready's Okta sample with the assertion's signature removed.
    let trust = trust_from(&corpus_dir().join("ssoready/assertions/okta/metadata.xml"));
    verify_with(
        &corpus("ssoready/bad-assertions/unsigned-assertion/assertion.xml"),
        &trust,
        |report| {
            assert_denied(report);
        },
    );
}

#[test]
fn no_trust_configured_fails_closed_with_a_fix() {
    verify_with(
        &fixture("signed/entra_response.xml"),
        &TrustStore::new(),
        |report| {
            assert_eq!(report.verdict, Verdict::NoTrustConfigured);
            assert_eq!(report.signatures[0].stage, Some(Stage::NoTrustConfigured));
            assert!(report.verified_root().is_none() && report.verified_elements().is_empty());
            let finding = report
                .findings
                .iter()
                .find(|f| f.code == FindingCode::NoTrustConfigured)
                .unwrap();
            assert_eq!(finding.missing, Some(MissingInput::IdpTrust));
            let fix = finding.fix.as_deref().unwrap();
            for input in ["metadata", "certificate", "fingerprint"] {
                assert!(fix.contains(input), "{fix}");
            }
        },
    );
}

// --- Algorithm confusion ----------------------------------------------------------------------

#[test]
fn hmac_signatures_are_refused_when_trust_is_a_certificate() {
    let trust = trust_from(&corpus_dir().join("pysaml2/idp.xml"));
    for file in [
        "pysaml2/xmlsec1-keydata/signed-response-with-hmac.xml",
        "pysaml2/xmlsec1-keydata/signed-assertion-with-hmac.xml",
    ] {
        verify_with(&corpus(file), &trust, |report| {
            assert_denied(report);
            assert_eq!(
                report.signatures[0].stage,
                Some(Stage::UnsupportedAlgorithm),
                "{file}"
            );
            assert!(codes(report).contains(&FindingCode::HmacRefused), "{file}");
        });
    }
}

#[test]
fn sha1_verifies_with_a_deprecation_warning() {
    verify_with(
        &fixture("signed/alg_rsa-sha1_sha1_exc.xml"),
        &idp_trust(),
        |report| {
            assert_eq!(report.verdict, Verdict::Verified);
            let warnings: Vec<_> = report
                .all_findings()
                .filter(|f| f.code == FindingCode::Sha1Deprecated)
                .collect();
            assert_eq!(warnings.len(), 2, "signature algorithm and digest");
            assert!(warnings.iter().all(|f| f.severity == Severity::Warning));
        },
    );
}

#[test]
fn unknown_algorithms_fail_at_the_algorithm_stage() {
    let trust = trust_from(&corpus_dir().join("ssoready/assertions/okta/metadata.xml"));
    for file in [
        "ssoready/bad-assertions/bad-signature-algorithm/assertion.xml",
        "ssoready/bad-assertions/bad-digest-algorithm/assertion.xml",
    ] {
        verify_with(&corpus(file), &trust, |report| {
            let assertion_sig = report
                .signatures
                .iter()
                .find(|s| s.parent.as_ref().unwrap().name == "Assertion")
                .unwrap();
            assert_eq!(
                assertion_sig.stage,
                Some(Stage::UnsupportedAlgorithm),
                "{file}"
            );
            assert!(assertion_sig
                .findings
                .iter()
                .any(|f| f.code == FindingCode::UnsupportedAlgorithm));
        });
    }
}

// --- Transform abuse --------------------------------------------------------------------------

#[test]
fn xpath_and_xslt_transforms_are_refused() {
    for (file, name) in [
        ("threats/xpath_transform.xml", "XPath"),
        ("threats/xslt_transform.xml", "XSLT"),
    ] {
        verify_with(&fixture(file), &idp_trust(), |report| {
            assert_denied(report);
            assert_eq!(
                report.signatures[0].stage,
                Some(Stage::UnsupportedAlgorithm),
                "{file}"
            );
            // Named as what it is, however many transforms surround it.
            let finding = report
                .all_findings()
                .find(|f| f.code == FindingCode::TransformXpathOrXslt)
                .unwrap_or_else(|| panic!("{file}: {:?}", codes(report)));
            assert!(
                finding.message.contains(&format!("an {name} transform")),
                "{}",
                finding.message
            );
            assert!(!codes(report).contains(&FindingCode::TooManyTransforms));
        });
    }
    let trust = trust_from(&corpus_dir().join("node-saml/cert.pem"));
    verify_with(
        &corpus(
            "node-saml/signatures/invalid/response.root-signed-transforms.assertion-unsigned.xml",
        ),
        &trust,
        |report| {
            assert_eq!(
                report.signatures[0].stage,
                Some(Stage::UnsupportedAlgorithm)
            );
            assert!(codes(report).contains(&FindingCode::TooManyTransforms));
        },
    );
}

#[test]
fn a_manifest_inside_the_signature_is_refused() {
    verify_with(
        &fixture("threats/manifest_in_signature.xml"),
        &idp_trust(),
        |report| {
            assert_denied(report);
            assert_eq!(report.signatures[0].stage, Some(Stage::MalformedStructure));
            assert!(codes(report).contains(&FindingCode::ObjectOrManifest));
        },
    );
}

#[test]
fn several_references_or_signed_infos_are_refused() {
    verify_with(
        &fixture("threats/two_references.xml"),
        &idp_trust(),
        |report| {
            assert_eq!(report.signatures[0].stage, Some(Stage::MalformedStructure));
            assert!(codes(report).contains(&FindingCode::MultipleReferences));
        },
    );
    let trust = trust_from(&corpus_dir().join("xml-crypto/saml_external_ns.pem"));
    verify_with(
        &corpus("xml-crypto/saml_multiple_signed_info_nodes.xml"),
        &trust,
        |report| {
            assert!(codes(report).contains(&FindingCode::MultipleSignedInfo));
        },
    );
}

// --- Namespace confusion ----------------------------------------------------------------------

#[test]
fn an_assertion_in_a_lookalike_namespace_is_not_an_assertion() {
    verify_with(
        &fixture("threats/lookalike_namespace.xml"),
        &idp_trust(),
        |report| {
            assert_eq!(report.verdict, Verdict::Rejected);
            let finding = report
                .findings
                .iter()
                .find(|f| f.code == FindingCode::LookalikeNamespace)
                .unwrap();
            assert!(
                finding
                    .message
                    .contains("urn:oasis:names:tc:SAML:2.0:assertion:"),
                "{}",
                finding.message
            );
            // Its signature does not count: the parent is not a SAML element.
            assert_eq!(report.signatures[0].stage, Some(Stage::MalformedStructure));
            assert!(report
                .elements
                .iter()
                .all(|e| e.element.name != "Assertion"));
        },
    );
}

// --- C14N quirks ------------------------------------------------------------------------------

#[test]
fn inclusive_namespaces_prefix_lists_are_honoured_and_abuses_refused() {
    // A genuine PrefixList ("#default xs xsi") with redundant declarations in the content.
    verify_with(
        &fixture("signed/inclusive_namespaces.xml"),
        &idp_trust(),
        |report| {
            assert_eq!(report.verdict, Verdict::Verified, "{:?}", codes(report));
        },
    );
    verify_with(
        &fixture("threats/inclusive_namespaces_on_inclusive_c14n.xml"),
        &idp_trust(),
        |report| {
            assert_denied(report);
            assert!(codes(report).contains(&FindingCode::InclusiveNamespacesInvalid));
        },
    );
    verify_with(
        &fixture("threats/inclusive_namespaces_bad_prefix.xml"),
        &idp_trust(),
        |report| {
            assert_denied(report);
            assert!(codes(report).contains(&FindingCode::InclusiveNamespacesInvalid));
        },
    );
    // Third-party sample signed with a PrefixList.
    let trust = trust_from(&corpus_dir().join("xml-crypto/signature_with_inclusivenamespaces.pem"));
    verify_with(
        &corpus("ruby-saml/inclusive_namespaces.xml"),
        &trust,
        |report| {
            assert_eq!(report.verdict, Verdict::Verified);
        },
    );
}

// --- Parser differentials ---------------------------------------------------------------------

#[test]
fn the_digested_bytes_reparse_to_the_verified_node() {
    use samlkit_verify::c14n::{canonicalize_subtree, C14nMethod, C14nOptions};
    let xml = fixture("threats/comment_in_nameid.xml");
    let document = samlkit_parse::parse_xml(&xml, &Default::default()).unwrap();
    let report = verify_document(&document, &idp_trust(), &VerifyOptions { now: NOW });
    let assertion = report
        .verified_elements()
        .into_iter()
        .find(|e| e.node().tag_name().name() == "Assertion")
        .unwrap();
    let signature = assertion
        .node()
        .children()
        .find(|n| xml::is_element(*n, ns::DS, "Signature"))
        .unwrap();
    let mut canonical = Vec::new();
    canonicalize_subtree(
        assertion.node(),
        &C14nOptions {
            method: C14nMethod::Exclusive10,
            inclusive_prefixes: &[],
            exclude: Some(signature.id()),
        },
        &mut canonical,
    )
    .unwrap();
    let text = String::from_utf8(canonical).unwrap();
    let reparsed = roxmltree::Document::parse(&text).unwrap();
    let name_of = |doc: &roxmltree::Document<'_>| {
        let node = doc
            .descendants()
            .find(|n| xml::is_element(*n, ns::SAML, "NameID"))
            .unwrap();
        xml::text_content(node).into_owned()
    };
    assert_eq!(name_of(&reparsed), name_of(&document));
    // Every leaf of the assertion outside the signature reads the same from the digested bytes
    // as from the tree the claims come from.
    let leaves = |root: roxmltree::Node<'_, '_>| -> Vec<String> {
        root.descendants()
            .filter(|n| n.is_element() && !n.children().any(|c| c.is_element()))
            .filter(|n| {
                !n.ancestors()
                    .any(|a| xml::is_element(a, ns::DS, "Signature"))
            })
            .map(|n| format!("{}={}", n.tag_name().name(), xml::text_content(n)))
            .collect()
    };
    let from_tree = leaves(assertion.node());
    assert!(from_tree.len() > 50);
    assert_eq!(leaves(reparsed.root_element()), from_tree);
}

// --- Modified after signing -------------------------------------------------------------------

#[test]
fn a_modified_assertion_fails_at_the_digest_naming_the_element() {
    verify_with(
        &fixture("threats/modified_after_signing.xml"),
        &idp_trust(),
        |report| {
            assert_eq!(report.verdict, Verdict::NotVerified);
            assert_eq!(report.signatures[0].stage, Some(Stage::DigestMismatch));
            let finding = report
                .all_findings()
                .find(|f| f.code == FindingCode::DigestMismatch)
                .unwrap();
            assert!(
                finding
                    .message
                    .contains("<Assertion> was edited after it was signed"),
                "{}",
                finding.message
            );
        },
    );
}

#[test]
fn a_signature_on_a_non_saml_element_is_refused() {
    let trust = trust_from(&corpus_dir().join("python3-saml/certs/idp.crt"));
    verify_with(
        &corpus("ruby-saml/invalids/response_invalid_signed_element.xml.base64"),
        &trust,
        |report| {
            assert_eq!(report.verdict, Verdict::NotVerified);
            assert_eq!(report.signatures[0].stage, Some(Stage::MalformedStructure));
            assert!(report.signatures[0]
                .findings
                .iter()
                .any(|f| f.code == FindingCode::SignatureMisplaced));
        },
    );
}

// --- Resource use ----------------------------------------------------------------------------

#[test]
fn repeated_hostile_shapes_are_reported_a_bounded_number_of_times() {
    // 20,000 assertions sharing one ID, each in its own look-alike namespace, with comments
    // splitting their text: linear work, and a bounded list of findings.
    let mut xml = String::from(
        r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="r">"#,
    );
    for i in 0..20_000 {
        xml.push_str(&format!(
            r#"<a:Assertion xmlns:a="urn:oasis:names:tc:SAML:2.0:assertion:{i}" ID="same">x<!---->y</a:Assertion>"#
        ));
    }
    xml.push_str("</samlp:Response>");
    let started = std::time::Instant::now();
    verify_with(&xml, &idp_trust(), |report| {
        assert_eq!(report.verdict, Verdict::Rejected);
        for code in [
            FindingCode::DuplicateId,
            FindingCode::LookalikeNamespace,
            FindingCode::CommentInSignedText,
        ] {
            let count = report.findings.iter().filter(|f| f.code == code).count();
            assert!((1..=21).contains(&count), "{code}: {count}");
        }
    });
    assert!(
        started.elapsed().as_secs() < 30,
        "took {:?}",
        started.elapsed()
    );
}

// --- Texts that name the real shape ------------------------------------------------------------

#[test]
fn a_signed_assertion_in_a_forged_assertions_advice_is_named() {
    verify_with(
        &fixture("threats/signed_assertion_in_forged_advice.xml"),
        &idp_trust(),
        |report| {
            assert_eq!(report.verdict, Verdict::Rejected, "{:?}", codes(report));
            let finding = report
                .all_findings()
                .find(|f| f.code == FindingCode::SignedAssertionInUnsignedAdvice)
                .unwrap_or_else(|| panic!("{:?}", codes(report)));
            assert!(finding.message.contains("<Advice>"), "{}", finding.message);
            assert!(report.verified_elements().is_empty());
        },
    );
}

#[test]
fn signed_info_is_counted_per_signature() {
    // The smuggled assertion's signature sits inside the outer signature's KeyInfo; its
    // SignedInfo is its own, not a second one of the outer signature.
    verify_with(
        &fixture("threats/signed_assertion_in_keyinfo.xml"),
        &idp_trust(),
        |report| {
            assert_eq!(report.verdict, Verdict::Rejected);
            assert!(
                !codes(report).contains(&FindingCode::MultipleSignedInfo),
                "{:?}",
                codes(report)
            );
            assert_eq!(report.signatures[0].stage, None);
            let misplaced = report
                .all_findings()
                .find(|f| f.code == FindingCode::ElementMisplaced)
                .expect("element-misplaced");
            assert!(
                misplaced.message.contains("<ds:KeyInfo>"),
                "{}",
                misplaced.message
            );
        },
    );
}

#[test]
fn a_response_wrapped_in_another_is_named_where_it_was_moved() {
    // XSW1: the original Response is moved into the forged Response's signature; its assertion
    // sits in a proper Response, the Response itself does not.
    let trust =
        trust_from(&corpus_dir().join("crewjam-saml/TestSPCanHandleOneloginResponse_IDPMetadata"));
    verify_with(
        &corpus("crewjam-saml/TestXswPermutationOneIsRejected_response"),
        &trust,
        |report| {
            let messages: Vec<&str> = report
                .all_findings()
                .filter(|f| f.code == FindingCode::ElementMisplaced)
                .map(|f| f.message.as_str())
                .collect();
            assert!(!messages.is_empty(), "{:?}", codes(report));
            for message in &messages {
                assert!(
                    !message.contains("sits inside <samlp:Response>, where SAML never"),
                    "{message}"
                );
            }
            assert!(
                messages
                    .iter()
                    .any(|m| m.contains("which itself sits inside")),
                "{messages:?}"
            );
        },
    );
}

// --- SAML 1.x and WS-Federation ---------------------------------------------------------------

#[test]
fn saml11_assertions_verify_over_assertion_id_bare_and_in_ws_federation() {
    for file in [
        "signed/saml11_assertion.xml",
        "signed/wsfed_saml11_rstr.xml",
        "signed/wsfed_saml20_rstr.xml",
    ] {
        verify_with(&fixture(file), &idp_trust(), |report| {
            assert_eq!(
                report.verdict,
                Verdict::Verified,
                "{file}: {:?}",
                codes(report)
            );
            assert_eq!(report.verified_elements().len(), 1, "{file}");
        });
    }
    verify_with(
        &fixture("threats/saml11_attribute_edited.xml"),
        &idp_trust(),
        |report| {
            assert_eq!(report.verdict, Verdict::NotVerified);
            assert_eq!(report.signatures[0].stage, Some(Stage::DigestMismatch));
        },
    );
    // ADFS posts the RSTR inside a RequestSecurityTokenResponseCollection (WS-Trust 1.3);
    // the token it carries is the message.
    let rstr = fixture("signed/wsfed_saml20_rstr.xml");
    let collection = format!(
        r#"<t:RequestSecurityTokenResponseCollection xmlns:t="http://schemas.xmlsoap.org/ws/2005/02/trust">{rstr}</t:RequestSecurityTokenResponseCollection>"#
    );
    verify_with(&collection, &idp_trust(), |report| {
        assert_eq!(report.verdict, Verdict::Verified, "{:?}", codes(report));
    });
    // Two responses in one collection: which token is the message? Neither is verified.
    let two = format!(
        r#"<t:RequestSecurityTokenResponseCollection xmlns:t="http://schemas.xmlsoap.org/ws/2005/02/trust">{rstr}{rstr}</t:RequestSecurityTokenResponseCollection>"#
    );
    verify_with(&two, &idp_trust(), |report| {
        assert_ne!(report.verdict, Verdict::Verified, "{:?}", codes(report));
    });
}

#[test]
fn saml1_namespaces_are_not_look_alikes() {
    for file in [
        "cpp-opensaml/SAML1Response.xml",
        "cpp-opensaml/SAML1Assertion.xml",
        "santuario/test-assertion.xml",
    ] {
        let xml = decode_message(&read(&interop_dir().join(file)));
        let mut trust = TrustStore::new();
        trust
            .add_fingerprint(&pinned_keyinfo_fingerprint(&xml, None).unwrap())
            .unwrap();
        verify_with(&xml, &trust, |report| {
            assert_eq!(
                report.verdict,
                Verdict::Verified,
                "{file}: {:?}",
                codes(report)
            );
            assert!(!codes(report).contains(&FindingCode::LookalikeNamespace));
        });
    }
}

/// `xml` with the element `<ds:{local}>…</ds:{local}>` cut out and put back right before
/// `<ds:{before}`; panics when either is missing, so a changed fixture cannot make the test
/// pass without moving anything.
fn move_element_before(xml: &str, local: &str, before: &str) -> String {
    let open = format!("<ds:{local}");
    let close = format!("</ds:{local}>");
    let start = xml.find(&open).expect("element to move");
    let tag_end = xml[start..].find('>').expect("its start tag") + start + 1;
    let end = if xml[..tag_end].ends_with("/>") {
        tag_end
    } else {
        xml[start..].find(&close).expect("its end tag") + start + close.len()
    };
    let element = &xml[start..end];
    let rest = format!("{}{}", &xml[..start], &xml[end..]);
    let at = rest
        .find(&format!("<ds:{before}"))
        .expect("element to move it before");
    format!("{}{element}{}", &rest[..at], &rest[at..])
}

// XML-DSig's schema fixes the order of a signature's parts; xmlsec1 refuses any other. A
// verifier that accepts what another refuses gives an attacker a gap between the two, so the
// order is required even where the signature math still holds (SignatureValue moved).
#[test]
fn a_signature_whose_parts_are_out_of_schema_order_is_rejected() {
    let genuine = fixture("signed/entra_response.xml");
    verify_with(&genuine, &idp_trust(), |report| {
        assert_eq!(report.verdict, Verdict::Verified, "{:?}", codes(report));
    });
    for (local, before) in [
        ("SignatureValue", "SignedInfo"),
        ("KeyInfo", "SignatureValue"),
        ("SignatureMethod", "CanonicalizationMethod"),
        ("Reference", "SignatureMethod"),
    ] {
        let moved = move_element_before(&genuine, local, before);
        assert_ne!(moved, genuine);
        verify_with(&moved, &idp_trust(), |report| {
            assert_denied(report);
            let out_of_order = report
                .all_findings()
                .find(|f| f.code == FindingCode::MalformedSignature)
                .unwrap_or_else(|| panic!("{local} before {before}: {:?}", codes(report)));
            assert!(
                out_of_order
                    .message
                    .contains(&format!("<{before}> comes after <{local}>")),
                "{}",
                out_of_order.message
            );
        });
    }
}

/// The checks above raise alarms; a genuine response must raise none of them. A verifier that
/// warns on every response (every text "split by a comment", every signed message "carries no
/// signature") teaches its users to ignore the warning that matters.
#[test]
fn a_genuine_signed_response_draws_no_warning_or_error() {
    verify_with(
        &fixture("signed/entra_response.xml"),
        &idp_trust(),
        |report| {
            assert_eq!(report.verdict, Verdict::Verified);
            let alarms: Vec<FindingCode> = report
                .all_findings()
                .filter(|finding| finding.severity >= Severity::Warning)
                .map(|finding| finding.code)
                .collect();
            assert!(alarms.is_empty(), "{alarms:?}");
        },
    );
    // Without trust the signature cannot be checked: that is what is reported, not that the
    // signed response is unsigned.
    verify_with(
        &fixture("signed/entra_response.xml"),
        &TrustStore::new(),
        |report| {
            let found = codes(report);
            assert!(found.contains(&FindingCode::NoTrustConfigured), "{found:?}");
            assert!(!found.contains(&FindingCode::NotSigned), "{found:?}");
        },
    );
}

/// Only text interrupted by a comment is the comment-injection shape: a comment between
/// elements, or text with no comment in it, is ordinary XML.
#[test]
fn a_comment_between_elements_is_not_comment_injection() {
    let genuine = fixture("signed/entra_response.xml");
    // A comment or processing instruction beside the Response's child elements (outside any
    // text), one of which (Issuer) has text of its own.
    for markup in ["<!-- a note -->", "<!---->", "<?samlkit note?>"] {
        let with_markup = genuine.replacen("<Assertion ", &format!("{markup}<Assertion "), 1);
        assert_ne!(with_markup, genuine, "the fixture has an Assertion");
        let document = samlkit_parse::parse_xml(&with_markup, &Default::default()).unwrap();
        let report = verify_document(&document, &idp_trust(), &VerifyOptions { now: NOW });
        let found = codes(&report);
        assert!(
            !found.contains(&FindingCode::CommentInSignedText),
            "{markup}: {found:?}"
        );
    }
}

/// One assertion that no signature covers is an unsigned response, not the CVE-2022-41912
/// shape (several assertions, some unsigned): it is not reported as such.
#[test]
fn a_single_uncovered_assertion_is_not_called_one_of_several() {
    let mut trust = TrustStore::new();
    trust
        .add_certificates(
            &read(&fixtures_dir().join("keys/attacker.crt.pem")),
            "attacker.crt.pem",
        )
        .unwrap();
    verify_with(&fixture("signed/entra_response.xml"), &trust, |report| {
        assert_ne!(report.verdict, Verdict::Verified);
        let found = codes(report);
        assert!(
            !found.contains(&FindingCode::MultipleAssertions),
            "{found:?}"
        );
    });
}

/// What `inspect` says about where each signature sits: nothing for a signature where SAML
/// puts one, and the reason for any other place.
#[test]
fn signature_placement_is_described_for_display() {
    use samlkit_verify::dsig::signature_misplacement;
    let misplacement = |xml: &str| {
        let document = samlkit_parse::parse_xml(xml, &Default::default()).unwrap();
        let signature = document
            .descendants()
            .find(|node| node.tag_name().name() == "Signature")
            .unwrap();
        signature_misplacement(signature)
    };
    const DS: &str = r#"xmlns:ds="http://www.w3.org/2000/09/xmldsig#""#;
    const SAML: &str = r#"xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion""#;
    const SAMLP: &str = r#"xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol""#;
    // In the Response, and in an assertion of a Response: where SAML puts them.
    assert_eq!(
        misplacement(&format!(
            r#"<samlp:Response {SAMLP} {DS} ID="_r"><ds:Signature/></samlp:Response>"#
        )),
        None
    );
    assert_eq!(
        misplacement(&format!(
            r#"<samlp:Response {SAMLP} {SAML} {DS} ID="_r"><saml:Assertion ID="_a"><ds:Signature/></saml:Assertion></samlp:Response>"#
        )),
        None
    );
    // The document element itself.
    let text = misplacement(&format!(r#"<ds:Signature {DS}/>"#)).unwrap();
    assert!(text.starts_with("it is the document element"), "{text}");
    // In an element SAML does not sign.
    let text = misplacement(&format!(
        r#"<samlp:Response {SAMLP} {SAML} {DS} ID="_r"><saml:Subject><ds:Signature/></saml:Subject></samlp:Response>"#
    ))
    .unwrap();
    assert!(text.contains("which SAML does not sign"), "{text}");
    // A signed assertion moved into the Response's Extensions: the assertion is the link.
    let text = misplacement(&format!(
        r#"<samlp:Response {SAMLP} {SAML} {DS} ID="_r"><samlp:Extensions><saml:Assertion ID="_a"><ds:Signature/></saml:Assertion></samlp:Extensions></samlp:Response>"#
    ))
    .unwrap();
    assert!(
        text.starts_with("the signed <saml:Assertion> sits inside <samlp:Extensions>"),
        "{text}"
    );
    // A signed Response hidden inside another Response's Extensions, with its assertion: the
    // Response is the link that breaks.
    let text = misplacement(&format!(
        r#"<samlp:Response {SAMLP} {SAML} {DS} ID="_outer"><samlp:Extensions><samlp:Response ID="_inner"><saml:Assertion ID="_a"><ds:Signature/></saml:Assertion></samlp:Response></samlp:Extensions></samlp:Response>"#
    ))
    .unwrap();
    assert!(text.contains("which sits inside"), "{text}");
}

/// WS-Federation carries its assertion in RequestedSecurityToken, in an RSTR that is the
/// document element or sits in a collection that is. The signed assertion anywhere else in that
/// shape is out of place.
#[test]
fn a_ws_federation_token_is_verified_only_in_its_slot() {
    let rstr = fixture("signed/wsfed_saml20_rstr.xml");
    let trust_ns = r#"xmlns:t="http://schemas.xmlsoap.org/ws/2005/02/trust""#;
    let cases = [
        (
            "another RSTR child",
            rstr.replace("RequestedSecurityToken", "RequestedProofToken"),
        ),
        (
            "an RSTR under an unknown document element",
            format!("<wrapper>{rstr}</wrapper>"),
        ),
        (
            "a collection that is not the document element",
            format!(
                "<wrapper><t:RequestSecurityTokenResponseCollection {trust_ns}>{rstr}</t:RequestSecurityTokenResponseCollection></wrapper>"
            ),
        ),
    ];
    for (shape, xml) in cases {
        assert_ne!(xml, rstr, "{shape}");
        verify_with(&xml, &idp_trust(), |report| {
            assert_refused_with(report, FindingCode::ElementMisplaced, shape);
        });
    }
}

/// A signed assertion hidden in an unsigned assertion's Conditions is out of place; it is not
/// the Advice shape and is not reported as such.
#[test]
fn a_signed_assertion_in_conditions_is_misplaced_not_advice() {
    let genuine = fixture("signed/entra_response.xml");
    let start = genuine.find("<Assertion ").unwrap();
    let end = genuine.find("</Assertion>").unwrap() + "</Assertion>".len();
    let signed = &genuine[start..end];
    let forged = format!(
        r#"{}<Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion" ID="_attacker" Version="2.0" IssueInstant="2025-06-02T09:14:07Z"><Issuer>https://sts.windows.net/9188040d-6c67-4c5b-b112-36a304b66dad/</Issuer><Conditions>{signed}</Conditions></Assertion>{}"#,
        &genuine[..start],
        &genuine[end..]
    );
    verify_with(&forged, &idp_trust(), |report| {
        assert_eq!(report.verdict, Verdict::Rejected, "{:?}", codes(report));
        let found = codes(report);
        assert!(found.contains(&FindingCode::ElementMisplaced), "{found:?}");
        assert!(
            !found.contains(&FindingCode::SignedAssertionInUnsignedAdvice),
            "{found:?}"
        );
    });
}
