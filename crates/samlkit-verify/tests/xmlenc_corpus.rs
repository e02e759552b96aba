//! Every encrypted message of the third-party corpus (tests/corpus) whose MANIFEST.tsv row
//! names its decryption key in `verify_with`: it decrypts with that key and holds what the
//! upstream test expects (NameID, issuer, attributes…, read from the spliced document), or it
//! fails at the stage the upstream test describes.
//!
//! The list below is checked both ways: a keyed encrypted sample missing from it fails, and so
//! does an entry no longer backed by the manifest.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use roxmltree::{Document, Node};
use samlkit_parse::decode::decode_input;
use samlkit_parse::xml::{self, ns};
use samlkit_parse::{parse_xml, InputError, Limits};
use samlkit_verify::xmlenc::{
    decrypt_document, decrypt_element, encrypted_elements, DecryptionKeys, DecryptionStage,
    EncryptionFindingCode,
};
use samlkit_verify::MissingInput;

/// What the decrypted document must show.
#[derive(Debug)]
enum Expect {
    /// A `saml:NameID` inside an assertion has this value.
    NameId(&'static str),
    /// That NameID also carries this attribute value.
    NameIdAttribute(&'static str, &'static str),
    /// The assertion's `saml:Issuer`.
    AssertionIssuer(&'static str),
    /// An `saml:Audience` of the assertion.
    Audience(&'static str),
    /// An attribute (by `Name`) has this among its values.
    Attribute(&'static str, &'static str),
    /// The assertion's `SubjectConfirmationData InResponseTo`.
    InResponseTo(&'static str),
    /// The decrypted assertion carries its own `ds:Signature`.
    AssertionSigned,
    /// The decrypted assertion equals (element by element, attribute by attribute, text by text)
    /// the one in this corpus file, the upstream test's expected plaintext.
    SameAssertionAs(&'static str),
}

#[derive(Debug)]
enum Outcome {
    /// Decrypts; this many encrypted elements; what the result shows.
    Decrypts(usize, &'static [Expect]),
    /// Fails at this stage, with this in the message.
    Fails(DecryptionStage, &'static str),
    /// The upstream file is not well-formed XML (samlkit parses before decrypting).
    NotWellFormed(&'static str),
    /// Its elements are in no namespace; samlkit matches SAML and XML Encryption elements by
    /// namespace URI, so it finds nothing encrypted and refuses the look-alike element.
    NoNamespace,
}

use Expect::*;
use Outcome::*;

const OKTA_NAMEID: &str = "testuser@testrsc.com";
const RUBY_NAMEID: &str = "_ce3d2948b4cf20146dee0a0b3dd6f69b6cf86f62d7";
const ONELOGIN_AUDIENCE: &str = "https://saml.sp.nope/session/sso/saml/spentityid/rq5jwkvb8z";

const CASES: &[(&str, Outcome)] = &[
    (
        "python3-saml/valid_encrypted_assertion.xml.base64",
        Decrypts(
            1,
            &[
                NameId("_68392312d490db6d355555cfbbd8ec95d746516f60"),
                SameAssertionAs("python3-saml/decrypted_valid_encrypted_assertion.xml"),
            ],
        ),
    ),
    (
        "python3-saml/signed_encrypted_assertion.xml.base64",
        Decrypts(1, &[AssertionIssuer("http://idp.example.com/"), AssertionSigned]),
    ),
    (
        // The Response and the encrypted Assertion are both signed.
        "python3-saml/double_signed_encrypted_assertion.xml.base64",
        Decrypts(1, &[AssertionSigned]),
    ),
    (
        "python3-saml/response_encrypted_nameid.xml.base64",
        Decrypts(
            1,
            &[
                NameId("2de11defd199f8d5bb63f9b7deb265ba5c675c10"),
                NameIdAttribute("SPNameQualifier", "http://stuff.com/endpoints/metadata.php"),
                NameIdAttribute(
                    "Format",
                    "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
                ),
            ],
        ),
    ),
    (
        // EncryptedKey beside the EncryptedData, referenced by ds:RetrievalMethod.
        "ruby-saml/response_with_retrieval_method.xml",
        Decrypts(1, &[AssertionIssuer("http://www.okta.com/exk4jkh2xxJIrTmGP0x7")]),
    ),
    (
        "ruby-saml/unsigned_message_aes256_encrypted_signed_assertion.xml.base64",
        Decrypts(1, &[NameId(RUBY_NAMEID), Attribute("uid", "test"), AssertionSigned]),
    ),
    (
        "ruby-saml/unsigned_message_aes128gcm_encrypted_signed_assertion.xml.base64",
        Decrypts(1, &[NameId(RUBY_NAMEID), Attribute("uid", "test"), AssertionSigned]),
    ),
    (
        "ruby-saml/unsigned_message_des192_encrypted_signed_assertion.xml.base64",
        Decrypts(1, &[NameId(RUBY_NAMEID), Attribute("uid", "test"), AssertionSigned]),
    ),
    (
        "ruby-saml/signed_message_encrypted_signed_assertion.xml.base64",
        Decrypts(
            1,
            &[
                AssertionIssuer("https://idp.example.com/simplesaml/saml2/idp/metadata.php"),
                AssertionSigned,
            ],
        ),
    ),
    (
        // Two EncryptedAttributes inside a plain assertion.
        "ruby-saml/response_encrypted_attrs.xml.base64",
        Decrypts(2, &[Attribute("uid", "test"), Attribute("mail", "test@example.com")]),
    ),
    (
        // A signature-wrapping attack; decryption itself works (xmlsec1 agrees).
        "ruby-saml/invalids/encrypted_new_attack.xml.base64",
        Decrypts(
            1,
            &[AssertionIssuer("https://pitbulk.no-ip.org/simplesaml/saml2/idp/metadata.php")],
        ),
    ),
    (
        "crewjam-saml/TestSPCanHandleOktaSignedResponseEncryptedAssertion_response",
        Decrypts(1, &[NameId(OKTA_NAMEID), Attribute("Username", "FixedValue")]),
    ),
    (
        "crewjam-saml/TestSPCanHandleOktaResponseEncryptedSignedAssertion_response",
        Decrypts(1, &[NameId(OKTA_NAMEID), AssertionSigned]),
    ),
    (
        "crewjam-saml/TestSPCanHandleOktaResponseEncryptedAssertionBothSigned_response",
        Decrypts(1, &[NameId(OKTA_NAMEID), AssertionSigned]),
    ),
    (
        "crewjam-saml/TestSPResponseWithNoIssuer_response",
        Decrypts(1, &[InResponseTo("id-9e61753d64e928af5a7a341a97f420c9")]),
    ),
    (
        "gosaml2/adfs_response_enc.b64",
        Decrypts(1, &[AssertionIssuer("http://fs.spstest2.com/adfs/services/trust")]),
    ),
    (
        // Okta's detached EncryptedKey, a sibling of the EncryptedData.
        "gosaml2/oktaenc_response.b64",
        Decrypts(1, &[AssertionIssuer("http://www.okta.com/exkbb59wb20X96NY20h7")]),
    ),
    (
        "gosaml2/onelogin/olgn09_response_06.b64",
        Decrypts(
            1,
            &[
                AssertionIssuer("https://saml.idp.nope/h9gkjzvb3e"),
                Audience(ONELOGIN_AUDIENCE),
                AssertionSigned,
            ],
        ),
    ),
    (
        // The EncryptedKey's CipherValue was altered; the key given is the one it names.
        "gosaml2/onelogin/olgn09_response_16.b64",
        Fails(
            DecryptionStage::KeyTransport,
            "decryption failed with every key given",
        ),
    ),
    (
        // Encrypted for a different SP certificate.
        "gosaml2/onelogin/olgn09_response_46.b64",
        Fails(
            DecryptionStage::WrongKey,
            "none of the keys given belongs to it",
        ),
    ),
    (
        // No certificate in the EncryptedKey, DigestMethod omitted (SHA-1 by default).
        "gosaml2/pingfed/pfed11_response_05.b64",
        Decrypts(
            1,
            &[
                AssertionIssuer("https://saml.test.nope:9031/eid/sxpmrhbkzn"),
                Audience("https://saml.test.nope/session/sso/saml/spentityid/hp24dqnpvq"),
            ],
        ),
    ),
    (
        "gosaml2/saml.post",
        Decrypts(1, &[AssertionIssuer("https://idp.astuart.co/idp/shibboleth")]),
    ),
    (
        "node-saml/signatures/valid/response.root-signed.assertion-unsigned-encrypted.xml",
        Decrypts(1, &[AssertionIssuer("https://evil-corp.com")]),
    ),
    (
        // The inner signature is broken because the issuer inside was changed after signing.
        "node-saml/signatures/invalid/response.root-signed.assertion-invalidly-signed-encrypted.xml",
        Decrypts(1, &[AssertionSigned, AssertionIssuer("https://hacker-corp.com")]),
    ),
    (
        "samael/response_encrypted.xml",
        NotWellFormed("unknown namespace prefix 'saml'"),
    ),
    ("boxyhq-saml20/certificates/oktaEncResponse.xml", NoNamespace),
    ("boxyhq-saml20/certificates/oneloginEncResponse.xml", NoNamespace),
];

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus")
}

fn read(relative: &str) -> Vec<u8> {
    let path = corpus_dir().join(relative);
    std::fs::read(&path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
}

/// The XML text of a stored message (plain, base64, form body…), via samlkit's decoder.
fn message_xml(relative: &str) -> String {
    let mut messages = decode_input(&read(relative), None, &Limits::default())
        .unwrap_or_else(|err| panic!("{relative} does not decode: {err}"));
    assert!(!messages.is_empty(), "{relative} holds no message");
    messages.swap_remove(0).xml
}

struct Row {
    file: String,
    expectation: String,
    key: String,
}

/// Manifest rows whose `verify_with` names a file of kind `key` and whose message holds an
/// `EncryptedData` element.
fn keyed_encrypted_rows() -> Vec<Row> {
    let manifest = String::from_utf8(read("MANIFEST.tsv")).expect("manifest is UTF-8");
    let rows: Vec<Vec<&str>> = manifest
        .lines()
        .skip(1)
        .map(|line| line.split('\t').collect())
        .collect();
    let key_files: BTreeSet<&str> = rows
        .iter()
        .filter(|cols| cols.get(1) == Some(&"key"))
        .map(|cols| cols[0])
        .collect();
    rows.iter()
        .filter(|cols| cols.len() >= 8)
        .filter_map(|cols| {
            let key = cols[7]
                .split(';')
                .map(str::trim)
                .find(|part| key_files.contains(part))?;
            Some(Row {
                file: cols[0].to_string(),
                expectation: cols[6].to_string(),
                key: key.to_string(),
            })
        })
        .filter(|row| message_xml(&row.file).contains("EncryptedData"))
        .collect()
}

fn keys_from(relative: &str) -> DecryptionKeys {
    let mut keys = DecryptionKeys::new();
    let added = keys
        .add_pem(&read(relative), relative)
        .unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(added, 1, "{relative} holds one key");
    keys
}

/// Algorithm fragments the manifest's structure summary gives, e.g. `aes128-cbc`, `rsa-1_5`
/// from `EncryptedAssertion(aes128-cbc+rsa-1_5)` or `xenc(…)`.
fn manifest_algorithms(expectation: &str) -> Vec<String> {
    ["EncryptedAssertion(", "xenc("]
        .iter()
        .find_map(|marker| {
            let start = expectation.find(marker)? + marker.len();
            let end = start + expectation[start..].find(')')?;
            Some(
                expectation[start..end]
                    .split('+')
                    .map(str::to_string)
                    .collect(),
            )
        })
        .unwrap_or_default()
}

fn inside_assertion(node: Node<'_, '_>) -> bool {
    node.ancestors()
        .any(|a| xml::is_element(a, ns::SAML, "Assertion"))
}

fn text(node: Node<'_, '_>) -> String {
    xml::text_content(node).trim().to_string()
}

fn saml_elements<'a, 'i>(doc: &'a Document<'i>, local: &'static str) -> Vec<Node<'a, 'i>> {
    doc.descendants()
        .filter(|n| xml::is_element(*n, ns::SAML, local) && inside_assertion(*n))
        .collect()
}

/// Elements, attributes and text of a subtree, by namespace URI (prefixes and where
/// namespaces are declared do not matter).
fn shape(node: Node<'_, '_>) -> Vec<String> {
    node.descendants()
        .filter(|n| n.is_element())
        .map(|n| {
            let mut attributes: Vec<String> = n
                .attributes()
                .map(|a| {
                    format!(
                        "{{{}}}{}={}",
                        a.namespace().unwrap_or(""),
                        a.name(),
                        a.value()
                    )
                })
                .collect();
            attributes.sort();
            let own_text: String = n
                .children()
                .filter(|c| c.is_text())
                .filter_map(|c| c.text())
                .collect();
            format!(
                "{{{}}}{} {attributes:?} {:?}",
                n.tag_name().namespace().unwrap_or(""),
                n.tag_name().name(),
                own_text.trim()
            )
        })
        .collect()
}

fn check(doc: &Document<'_>, expect: &Expect) -> Result<(), String> {
    let name_ids = saml_elements(doc, "NameID");
    let found = match expect {
        NameId(value) => name_ids.iter().any(|n| text(*n) == *value),
        NameIdAttribute(name, value) => name_ids
            .iter()
            .any(|n| xml::plain_attribute(*n, name).is_some_and(|a| a.value() == *value)),
        AssertionIssuer(value) => doc
            .descendants()
            .filter(|n| xml::is_element(*n, ns::SAML, "Assertion"))
            .filter_map(|a| xml::child_named(a, ns::SAML, "Issuer"))
            .any(|issuer| text(issuer) == *value),
        Audience(value) => saml_elements(doc, "Audience")
            .iter()
            .any(|n| text(*n) == *value),
        Attribute(name, value) => saml_elements(doc, "Attribute").iter().any(|attribute| {
            xml::plain_attribute(*attribute, "Name").is_some_and(|a| a.value() == *name)
                && xml::children_named(*attribute, ns::SAML, "AttributeValue")
                    .any(|v| text(v) == *value)
        }),
        InResponseTo(value) => saml_elements(doc, "SubjectConfirmationData")
            .iter()
            .any(|n| xml::plain_attribute(*n, "InResponseTo").is_some_and(|a| a.value() == *value)),
        AssertionSigned => doc
            .descendants()
            .filter(|n| xml::is_element(*n, ns::SAML, "Assertion"))
            .any(|a| xml::child_named(a, ns::DS, "Signature").is_some()),
        SameAssertionAs(expected_file) => {
            let expected_text = message_xml(expected_file);
            let expected = parse_xml(&expected_text, &Limits::default())
                .map_err(|err| format!("{expected_file}: {err}"))?;
            let assertion = |d: &Document<'_>| {
                d.descendants()
                    .find(|n| xml::is_element(*n, ns::SAML, "Assertion"))
                    .map(shape)
            };
            let (ours, theirs) = (assertion(doc), assertion(&expected));
            if ours.is_none() || ours != theirs {
                return Err(format!(
                    "decrypted assertion differs from {expected_file}:\n ours:   {ours:?}\n theirs: {theirs:?}"
                ));
            }
            true
        }
    };
    if found {
        Ok(())
    } else {
        Err(format!("{expect:?} not found in the decrypted document"))
    }
}

fn run_case(row: &Row, outcome: &Outcome) -> Result<(), String> {
    let xml_text = message_xml(&row.file);
    let keys = keys_from(&row.key);
    let limits = Limits::default();
    match outcome {
        Decrypts(count, expects) => {
            let result = decrypt_document(&xml_text, &keys, &limits).map_err(|e| e.to_string())?;
            if result.elements.len() != *count {
                return Err(format!(
                    "{} encrypted elements, expected {count}",
                    result.elements.len()
                ));
            }
            let algorithms = manifest_algorithms(&row.expectation);
            if algorithms.is_empty() {
                return Err("the manifest names no encryption algorithms".to_string());
            }
            for element in &result.elements {
                let done = element.result.as_ref().map_err(|f| {
                    format!("{} failed at {}: {}", element.wrapper, f.stage, f.message)
                })?;
                if done.key_label != row.key {
                    return Err(format!(
                        "decrypted with {}, not {}",
                        done.key_label, row.key
                    ));
                }
                for fragment in &algorithms {
                    let named = done.data_algorithm.ends_with(&format!("#{fragment}"))
                        || done.key_transport.ends_with(&format!("#{fragment}"));
                    if !named {
                        return Err(format!(
                            "the manifest says {fragment}, samlkit read {} and {}",
                            done.data_algorithm, done.key_transport
                        ));
                    }
                }
                let codes: Vec<EncryptionFindingCode> =
                    done.findings.iter().map(|f| f.code).collect();
                let weak_transport = algorithms.iter().any(|a| a == "rsa-1_5");
                let weak_cipher = algorithms.iter().any(|a| a == "tripledes-cbc");
                if codes.contains(&EncryptionFindingCode::WeakKeyTransport) != weak_transport
                    || codes.contains(&EncryptionFindingCode::WeakDataCipher) != weak_cipher
                {
                    return Err(format!("findings {codes:?} do not match {algorithms:?}"));
                }
            }
            let doc = parse_xml(&result.text, &limits)
                .map_err(|err| format!("the spliced document does not parse: {err}"))?;
            if !encrypted_elements(&doc).is_empty() {
                return Err("encrypted elements remain after decryption".to_string());
            }
            for expect in *expects {
                check(&doc, expect)?;
            }
            Ok(())
        }
        Fails(stage, fragment) => {
            let result = decrypt_document(&xml_text, &keys, &limits).map_err(|e| e.to_string())?;
            let [element] = result.elements.as_slice() else {
                return Err(format!(
                    "{} encrypted elements, expected 1",
                    result.elements.len()
                ));
            };
            let failure = element
                .result
                .as_ref()
                .err()
                .ok_or("decrypted, but the upstream test expects a failure")?;
            if failure.stage != *stage || !failure.message.contains(fragment) {
                return Err(format!(
                    "failed at {} ({}), expected {stage} with \"{fragment}\"",
                    failure.stage, failure.message
                ));
            }
            if failure.keys_tried.len() != 1 || !failure.keys_tried[0].starts_with(&row.key) {
                return Err(format!("keys tried: {:?}", failure.keys_tried));
            }
            Ok(())
        }
        NotWellFormed(fragment) => match decrypt_document(&xml_text, &keys, &limits) {
            Err(err @ InputError::Malformed { .. }) if err.to_string().contains(fragment) => Ok(()),
            other => Err(format!("expected a malformed-XML error, got {other:?}")),
        },
        NoNamespace => {
            let result = decrypt_document(&xml_text, &keys, &limits).map_err(|e| e.to_string())?;
            if !result.nothing_encrypted() {
                return Err(
                    "found encrypted SAML elements in a document without namespaces".into(),
                );
            }
            let doc = parse_xml(&xml_text, &limits).map_err(|e| e.to_string())?;
            let look_alike = doc
                .descendants()
                .find(|n| n.is_element() && n.tag_name().name() == "EncryptedAssertion")
                .ok_or("no EncryptedAssertion element at all")?;
            let failure = decrypt_element(look_alike, &keys)
                .err()
                .ok_or("a no-namespace EncryptedAssertion was decrypted")?;
            if failure.stage != DecryptionStage::Structure
                || !failure.message.contains("no namespace")
            {
                return Err(format!(
                    "refused with {}: {}",
                    failure.stage, failure.message
                ));
            }
            Ok(())
        }
    }
}

#[test]
fn every_keyed_encrypted_corpus_sample_decrypts_or_fails_as_upstream_expects() {
    let rows = keyed_encrypted_rows();
    let listed: BTreeSet<&str> = CASES.iter().map(|(file, _)| *file).collect();
    let found: BTreeSet<&str> = rows.iter().map(|row| row.file.as_str()).collect();
    assert_eq!(
        found, listed,
        "the keyed encrypted samples of MANIFEST.tsv and this test's list differ"
    );

    let mut failures = Vec::new();
    for (file, outcome) in CASES {
        let row = rows.iter().find(|row| row.file == *file).expect("listed");
        if let Err(problem) = run_case(row, outcome) {
            failures.push(format!("{file}: {problem}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn wrong_recipient_sample_names_the_certificate_it_was_encrypted_for() {
    let xml_text = message_xml("gosaml2/onelogin/olgn09_response_46.b64");
    let keys = keys_from("gosaml2/onelogin/sp.encryption.key");
    let result = decrypt_document(&xml_text, &keys, &Limits::default()).unwrap();
    let failure = result.elements[0].result.as_ref().unwrap_err();
    assert_eq!(failure.stage, DecryptionStage::WrongKey);
    assert_eq!(failure.recipients.len(), 1);
    let recipient = &failure.recipients[0];
    assert!(
        recipient.subject.contains("CN=saml.test.nope"),
        "{recipient:?}"
    );
    assert!(failure.message.contains(&recipient.sha256_fingerprint));
    assert!(failure
        .message
        .contains("gosaml2/onelogin/sp.encryption.key"));
    assert_eq!(failure.missing, Some(MissingInput::SpDecryptionKey));
}

#[test]
fn broken_encrypted_key_sample_is_not_blamed_on_the_key() {
    let xml_text = message_xml("gosaml2/onelogin/olgn09_response_16.b64");
    let keys = keys_from("gosaml2/onelogin/sp.encryption.key");
    let result = decrypt_document(&xml_text, &keys, &Limits::default()).unwrap();
    let failure = result.elements[0].result.as_ref().unwrap_err();
    assert_eq!(failure.stage, DecryptionStage::KeyTransport);
    // The key given is the one the EncryptedKey names, and the message says so.
    assert!(
        failure
            .message
            .contains("belongs to the certificate it names"),
        "{}",
        failure.message
    );
    // No oracle: nothing about why RSA-OAEP failed.
    let lower = failure.message.to_lowercase();
    assert!(!lower.contains("padding") && !lower.contains("oaep decoding"));
}

#[test]
fn keyed_samples_without_a_key_name_the_certificate_to_pass() {
    let xml_text =
        message_xml("crewjam-saml/TestSPCanHandleOktaSignedResponseEncryptedAssertion_response");
    let result = decrypt_document(&xml_text, &DecryptionKeys::new(), &Limits::default()).unwrap();
    let failure = result.elements[0].result.as_ref().unwrap_err();
    assert_eq!(failure.stage, DecryptionStage::NoKey);
    let recipient = &failure.recipients[0];
    assert!(failure.message.starts_with(&format!(
        "this assertion is encrypted for the certificate {}",
        recipient.subject
    )));
    assert!(failure.message.contains(&recipient.sha256_fingerprint));
    assert!(failure.message.contains("no SP decryption key was given"));
    assert_eq!(failure.missing, Some(MissingInput::SpDecryptionKey));
}

/// A Response signed over its EncryptedAssertion, the assertion inside signed too: after
/// decryption the Response's signature keeps the outcome it had on the bytes that arrived (its
/// digest covers the ciphertext, not the plaintext), and the assertion's is checked on the
/// plaintext. Both verify, so the message does.
#[test]
fn both_signatures_of_a_signed_response_with_an_encrypted_signed_assertion_verify() {
    use samlkit_verify::decrypted::verify_decrypted;
    use samlkit_verify::{SignatureOutcome, TrustStore, Verdict, VerifyOptions};
    let cases = [
        (
            "python3-saml/double_signed_encrypted_assertion.xml.base64",
            "python3-saml/certs/idp.crt",
            "python3-saml/certs/sp.key",
        ),
        (
            "crewjam-saml/TestSPCanHandleOktaResponseEncryptedAssertionBothSigned_response",
            "crewjam-saml/TestSPCanHandleOktaSignedResponseEncryptedAssertion_IDPMetadata",
            "crewjam-saml/sp_key.pem",
        ),
    ];
    for (file, trust_file, key_file) in cases {
        let arrived_text = message_xml(file);
        let mut trust = TrustStore::new();
        let trust_bytes = read(trust_file);
        if trust_file.ends_with("IDPMetadata") {
            trust
                .add_idp_metadata(std::str::from_utf8(&trust_bytes).unwrap())
                .unwrap();
        } else {
            trust.add_certificates(&trust_bytes, trust_file).unwrap();
        }
        let limits = Limits::default();
        let decryption = decrypt_document(&arrived_text, &keys_from(key_file), &limits).unwrap();
        assert_eq!(decryption.elements.len(), 1, "{file}");
        let arrived = parse_xml(&arrived_text, &limits).unwrap();
        let decrypted = parse_xml(&decryption.text, &limits).unwrap();
        let options = VerifyOptions { now: 1_583_264_000 };
        let report = verify_decrypted(&arrived, &decrypted, &trust, &options);
        let outcomes: Vec<SignatureOutcome> =
            report.signatures.iter().map(|sig| sig.outcome).collect();
        assert_eq!(
            outcomes,
            [SignatureOutcome::Verified, SignatureOutcome::Verified],
            "{file}"
        );
        assert_eq!(report.verdict, Verdict::Verified, "{file}");
        // The Response's signature is placed where it stands in the decrypted document.
        let response_signature = &report.signatures[0];
        let parent = response_signature.parent.as_ref().unwrap();
        assert_eq!(parent.name, "Response", "{file}");
        let root = decrypted.root_element();
        assert_eq!(parent.span.start, root.range().start, "{file}");
        let location = response_signature.location;
        assert!(
            decryption.text[location.start..location.end].ends_with("Signature>"),
            "{file}"
        );
    }
}

/// A decrypted document that exceeds the caller's limits once the plaintext is spliced in is
/// still handed back: the caller's own parse of it then says which limit, where. Only the
/// arrived text failing to parse is an error of decryption.
#[test]
fn a_decrypted_document_over_the_limits_is_returned_for_the_caller_to_refuse() {
    let file = "python3-saml/valid_encrypted_assertion.xml.base64";
    let arrived = message_xml(file);
    let keys = keys_from("python3-saml/certs/sp.key");
    // The fewest nodes the arrived message parses with.
    let limits = (1..100_000)
        .map(|max_nodes| Limits {
            max_nodes,
            ..Limits::default()
        })
        .find(|limits| parse_xml(&arrived, limits).is_ok())
        .unwrap();
    let decryption = decrypt_document(&arrived, &keys, &limits).unwrap();
    assert_eq!(decryption.elements.len(), 1);
    assert!(decryption.elements[0].result.is_ok());
    assert!(decryption
        .text
        .contains("_68392312d490db6d355555cfbbd8ec95d746516f60"));
    assert!(
        parse_xml(&decryption.text, &limits).is_err(),
        "the assertion adds nodes past the limit"
    );
    // The arrived text itself over the limits is an error.
    let tighter = Limits {
        max_nodes: limits.max_nodes - 1,
        ..Limits::default()
    };
    assert!(decrypt_document(&arrived, &keys, &tighter).is_err());
}

/// A signature matches across the arrived and the decrypted document by its Reference and its
/// whole SignatureValue: a planted copy whose value differs in one character (with the same
/// line breaks) is another signature, and the genuine one keeps its outcome.
#[test]
fn a_planted_signature_differing_in_one_character_is_not_the_genuine_one() {
    use samlkit_verify::decrypted::verify_decrypted;
    use samlkit_verify::{SignatureOutcome, TrustStore, VerifyOptions};
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let arrived_text =
        std::fs::read_to_string(fixtures.join("signed/response_and_assertion_signed.xml")).unwrap();
    let start = arrived_text.find("<ds:Signature").unwrap();
    let end = arrived_text.find("</ds:Signature>").unwrap() + "</ds:Signature>".len();
    let genuine = &arrived_text[start..end];
    let value_start = genuine.find("<ds:SignatureValue>").unwrap() + "<ds:SignatureValue>".len();
    assert!(
        genuine[value_start..].contains('\n'),
        "the value has line breaks, as xmlsec1 writes it"
    );
    let changed = if genuine.as_bytes()[value_start] == b'A' {
        "B"
    } else {
        "A"
    };
    let planted = format!(
        "{}{changed}{}",
        &genuine[..value_start],
        &genuine[value_start + 1..]
    );
    let decrypted_text = format!(
        "{}<samlp:Extensions>{planted}</samlp:Extensions>{}",
        &arrived_text[..end],
        &arrived_text[end..]
    );
    let mut trust = TrustStore::new();
    trust
        .add_certificates(
            &std::fs::read(fixtures.join("keys/idp.crt.pem")).unwrap(),
            "idp.crt.pem",
        )
        .unwrap();
    let limits = Limits::default();
    let arrived = parse_xml(&arrived_text, &limits).unwrap();
    let decrypted = parse_xml(&decrypted_text, &limits).unwrap();
    let report = verify_decrypted(
        &arrived,
        &decrypted,
        &trust,
        &VerifyOptions { now: 1_767_225_600 },
    );
    let response_signature = report
        .signatures
        .iter()
        .find(|sig| sig.location.start == start)
        .expect("the Response's signature");
    assert_eq!(response_signature.outcome, SignatureOutcome::Verified);
    assert_eq!(report.signatures.len(), 3);
}
