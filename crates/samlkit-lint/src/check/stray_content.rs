//! Identity-bearing and signature-looking content outside the places SAML gives it: the shape
//! of signature-wrapping attacks aimed at service providers that read by XPath or take the
//! first match in document order.
//!
//! SAML puts a Subject only directly in an assertion, a NameID only in that Subject (or one of
//! its SubjectConfirmations), an AttributeStatement only directly in an assertion and an
//! Attribute only in that statement; and a signature's parts only inside a `ds:Signature` that
//! is the child of a signed element. Any such element elsewhere — under the Response, in
//! Extensions, StatusDetail, Advice, `ds:Object` or `ds:KeyInfo`, or in another namespace or
//! none — is reported where it is, whatever namespace it is in, because the readers it targets
//! match by local name. Only the outermost stray element is reported; what it carries is
//! named in the message.

use std::collections::HashSet;

use roxmltree::{Node, NodeId};
use samlkit_parse::xml::ns;

use crate::values::quoted;

use super::*;

/// Local names a reader takes the user's identity from.
const IDENTITY_NAMES: [&str; 5] = [
    "Assertion",
    "Subject",
    "NameID",
    "AttributeStatement",
    "Attribute",
];

/// Local names a verifier takes a signature's values from.
const SIGNATURE_NAMES: [&str; 4] = ["Signature", "SignedInfo", "SignatureValue", "DigestValue"];

/// Most stray elements reported about one message.
const MAX_REPORTED: usize = 20;

pub(super) fn check_stray_content(
    checker: &mut Checker<'_>,
    response: &Response<'_, '_>,
    verification: &VerificationReport<'_, '_>,
) {
    let proper_assertions: HashSet<NodeId> =
        response.assertions.iter().map(|a| a.node.id()).collect();
    let decision = response.assertions.first().map(|a| a.node);
    let document = response.node.document();
    let mut last_stray: Option<Node<'_, '_>> = None;
    let mut reported = 0usize;
    for node in document.root_element().descendants() {
        if !node.is_element()
            || last_stray.is_some_and(|outer| node.ancestors().any(|a| a == outer))
        {
            continue;
        }
        let local = node.tag_name().name();
        let stray = if IDENTITY_NAMES.contains(&local) {
            !identity_well_placed(node, &proper_assertions)
        } else if SIGNATURE_NAMES.contains(&local) {
            !signature_part_well_placed(node)
        } else {
            false
        };
        if !stray {
            continue;
        }
        last_stray = Some(node);
        reported += 1;
        if reported <= MAX_REPORTED {
            // Covered by a signature that verified, or itself the element a verified signature
            // signs where the verifier rejects the document as a whole (a signed assertion
            // hidden in an unsigned one's Advice).
            let covered = verification.verified(node).is_some()
                || verification
                    .coverage(node)
                    .is_some_and(|coverage| coverage.is_covered());
            let claims_covered = decision.is_some_and(|d| verification.verified(d).is_some());
            let coverage = match (covered, claims_covered) {
                (false, _) => Coverage::Unsigned,
                (true, true) => Coverage::SignedWithClaims,
                (true, false) => Coverage::SignedInsideUnsigned,
            };
            checker.push(describe_stray(node, decision, coverage));
        }
    }
    if reported > MAX_REPORTED {
        checker.push(Finding::new(
            Rule::IdentityOutsideSignedAssertion,
            format!(
                "… and {} more stray elements like the ones above",
                reported - MAX_REPORTED
            ),
        ));
    }
}

/// True for an identity element in the place SAML gives it, inside an assertion of the
/// Response (the one the claims are read from, or another the verifier judges).
fn identity_well_placed(node: Node<'_, '_>, proper_assertions: &HashSet<NodeId>) -> bool {
    let local = node.tag_name().name();
    if node.tag_name().namespace() != Some(ns::SAML) {
        return false;
    }
    let parent = node.parent_element();
    let parent_is = |name: &str| parent.is_some_and(|p| xml::is_element(p, ns::SAML, name));
    let in_proper_assertion =
        |n: Option<Node<'_, '_>>| n.is_some_and(|n| proper_assertions.contains(&n.id()));
    match local {
        "Assertion" => proper_assertions.contains(&node.id()),
        "Subject" | "AttributeStatement" => in_proper_assertion(parent),
        "Attribute" => {
            parent_is("AttributeStatement")
                && in_proper_assertion(parent.and_then(|p| p.parent_element()))
        }
        "NameID" => {
            let subject = if parent_is("Subject") {
                parent
            } else if parent_is("SubjectConfirmation") {
                parent.and_then(|p| p.parent_element())
            } else {
                None
            };
            subject.is_some_and(|s| {
                xml::is_element(s, ns::SAML, "Subject") && in_proper_assertion(s.parent_element())
            })
        }
        _ => true,
    }
}

/// True for a signature part where a signature has it: a `ds:Signature` that is not inside
/// another one, and `SignedInfo`, `SignatureValue` and `DigestValue` in their places in it.
fn signature_part_well_placed(node: Node<'_, '_>) -> bool {
    if node.tag_name().namespace() != Some(ns::DS) {
        return false;
    }
    let parent = node.parent_element();
    let parent_is =
        |n: Option<Node<'_, '_>>, name: &str| n.is_some_and(|p| xml::is_element(p, ns::DS, name));
    match node.tag_name().name() {
        // A signature sitting on an element SAML does not sign is the verifier's finding
        // (signature-misplaced); here only one hidden inside another signature.
        "Signature" => !node
            .ancestors()
            .skip(1)
            .any(|a| xml::is_element(a, ns::DS, "Signature")),
        "SignedInfo" | "SignatureValue" => {
            parent_is(parent, "Signature") && signature_part_well_placed(parent.unwrap_or(node))
        }
        "DigestValue" => {
            let signed_info = parent
                .filter(|p| xml::is_element(*p, ns::DS, "Reference"))
                .and_then(|reference| reference.parent_element());
            parent_is(signed_info, "SignedInfo")
                && signed_info
                    .and_then(|s| s.parent_element())
                    .is_some_and(signature_part_well_placed)
        }
        _ => true,
    }
}

/// Where `node` is, as a path of local names from the document element, with its namespace
/// when that is not the one SAML or XML-DSig gives the name.
fn place(node: Node<'_, '_>) -> String {
    let mut names: Vec<&str> = node
        .ancestors()
        .filter(|n| n.is_element())
        .map(|n| n.tag_name().name())
        .collect();
    names.reverse();
    names.join(" › ")
}

fn namespace_note(node: Node<'_, '_>) -> String {
    let expected = if SIGNATURE_NAMES.contains(&node.tag_name().name()) {
        ns::DS
    } else {
        ns::SAML
    };
    match node.tag_name().namespace() {
        None => " in no namespace".to_string(),
        Some(uri) if uri != expected => format!(" in namespace \"{uri}\""),
        Some(_) => String::new(),
    }
}

/// Whether a verified signature covers a stray element, and the claims.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Coverage {
    /// Added where no verified signature reaches (after signing, or in ds:KeyInfo / ds:Object,
    /// which the enveloped signature leaves out): an error.
    Unsigned,
    /// Signed together with the claims (the IdP put it in the assertion's Advice): a warning,
    /// as the IdP vouches for it, but readers by name may still take it.
    SignedWithClaims,
    /// Signed, inside claims no signature covers (a signed assertion hidden in an unsigned
    /// one's Advice): an error.
    SignedInsideUnsigned,
}

/// The finding for one stray element.
fn describe_stray(
    node: Node<'_, '_>,
    decision: Option<Node<'_, '_>>,
    coverage: Coverage,
) -> Finding {
    let local = node.tag_name().name();
    let is_signature_part = SIGNATURE_NAMES.contains(&local);
    let carried = node
        .descendants()
        .find(|n| n.is_element() && matches!(n.tag_name().name(), "NameID" | "NameIdentifier"))
        .map(|name_id| {
            format!(
                " carrying the NameID {}",
                quoted(&xml::text_content(name_id))
            )
        })
        .unwrap_or_default();
    let order = match decision {
        Some(assertion) if node.range().start < assertion.range().start => {
            ", before the assertion the claims are read from in document order"
        }
        Some(assertion) if node.ancestors().any(|a| a == assertion) => {
            ", inside the assertion the claims are read from but outside its Subject and AttributeStatement"
        }
        _ => "",
    };
    let outside = if order.starts_with(", inside") {
        ""
    } else {
        ", outside the verified assertion"
    };
    let message = if is_signature_part {
        format!(
            "<{local}>{} sits at {}{order}, where no signature SAML uses has one; a verifier \
             that looks up <{local}> by name may check this one instead of the real one: \
             signature wrapping",
            namespace_note(node),
            place(node)
        )
    } else if coverage == Coverage::SignedInsideUnsigned {
        format!(
            "the signed <{local}>{carried} sits at {}, where SAML does not put the assertion \
             the claims are read from; the assertion around it is not covered by that \
             signature, so a service provider that checks \"some signature verified\" and then \
             reads the outer one takes unsigned claims: signature wrapping",
            place(node)
        )
    } else {
        format!(
            "<{local}>{}{carried} sits at {}{order}{outside}; a service \
             provider that reads by XPath (//{local}) or takes the first in document order may \
             take it instead of the signed one: signature wrapping. samlkit reads the claims \
             only from the assertion's own Subject and AttributeStatement",
            namespace_note(node),
            place(node)
        )
    };
    let rule = if is_signature_part {
        Rule::SignaturePartOutOfPlace
    } else {
        Rule::IdentityOutsideSignedAssertion
    };
    let (severity, fix) = if coverage == Coverage::SignedWithClaims {
        (
            Severity::Warning,
            "the IdP signed this with the assertion: have it leave identity out of Advice, or \
             make sure the service provider reads the user only from the assertion's own Subject",
        )
    } else {
        (
            Severity::Error,
            "reject this message: no identity provider sends it; someone added this content \
             after signing",
        )
    };
    let message = if coverage == Coverage::SignedWithClaims {
        format!("{message} (the IdP signed it, with the assertion)")
    } else {
        message
    };
    Finding::new(rule, message)
        .severity(severity)
        .expected(if is_signature_part {
            "signature parts only inside a ds:Signature on a signed element"
        } else {
            "identity only in the verified assertion's Subject and AttributeStatement"
        })
        .actual(place(node))
        .fix(fix)
        .at(node.range())
}
