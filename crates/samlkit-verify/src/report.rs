//! The result of verifying one document: per signature the outcome and the stage that failed,
//! per SAML element whether a trusted signature covers it, and findings with stable codes.
//!
//! Everything here is `serde::Serialize` so the linter and the CLI's JSON output read the same
//! value. The one thing that is not plain data is [`VerifiedElement`]: only a report can hand
//! one out, so an API that accepts a `VerifiedElement` cannot be given an unverified node.

use std::sync::Arc;

use roxmltree::{Document, Node, NodeId};
use serde::Serialize;

use crate::algorithms::{HashFunction, SignatureAlgorithm};
use crate::certs::CertificateFacts;
pub use crate::codes::{CodeFamily, CodeInfo, FindingCode};

/// A byte range in the XML text, so a caller can show line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl From<std::ops::Range<usize>> for Span {
    fn from(range: std::ops::Range<usize>) -> Self {
        Span {
            start: range.start,
            end: range.end,
        }
    }
}

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

/// An input the caller did not give (or gave wrong), without which a check could not be made.
/// Findings name it so a front end can say how to give it; the library's texts say only what
/// is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MissingInput {
    /// The IdP's current signing keys: its metadata, certificate or certificate fingerprint.
    IdpTrust,
    /// The SP's private key that decrypts what the IdP encrypted for it.
    SpDecryptionKey,
    /// The key of whoever signs a metadata document (its publisher or federation operator).
    MetadataSigner,
    /// The instant to judge a message's validity windows at, when the clock is not the one.
    JudgingInstant,
}

/// One thing the verifier wants the user to know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: FindingCode,
    pub severity: Severity,
    /// What was found, in plain words.
    pub message: String,
    /// How to fix it, where there is something the user can change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// Where in the XML text (absent for findings about the configuration).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    /// The input whose absence (or staleness) this finding is about, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing: Option<MissingInput>,
}

impl Finding {
    pub(crate) fn new(code: FindingCode, severity: Severity, message: impl Into<String>) -> Self {
        Finding {
            code,
            severity,
            message: message.into(),
            fix: None,
            span: None,
            missing: None,
        }
    }

    pub(crate) fn error(code: FindingCode, message: impl Into<String>) -> Self {
        Finding::new(code, Severity::Error, message)
    }

    pub(crate) fn warning(code: FindingCode, message: impl Into<String>) -> Self {
        Finding::new(code, Severity::Warning, message)
    }

    pub(crate) fn info(code: FindingCode, message: impl Into<String>) -> Self {
        Finding::new(code, Severity::Info, message)
    }

    pub(crate) fn at(mut self, span: impl Into<Span>) -> Self {
        self.span = Some(span.into());
        self
    }

    pub(crate) fn with_fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    pub(crate) fn missing(mut self, input: MissingInput) -> Self {
        self.missing = Some(input);
        self
    }
}

/// Where verification of one signature stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    /// The signature's shape or place is outside what SAML allows.
    MalformedStructure,
    /// No element has the referenced ID.
    ReferenceNotFound,
    /// Several elements have the referenced ID.
    ReferenceAmbiguous,
    /// The reference is not `#` + the ID of the signature's own parent (includes `URI=""`).
    ReferenceNotParent,
    /// An algorithm or transform that is unsupported, refused, or too weak.
    UnsupportedAlgorithm,
    /// The signed element was modified after it was signed.
    DigestMismatch,
    /// The signature value does not verify with any key tried.
    SignatureMismatch,
    /// The signature verifies, but only with a key the user does not trust.
    UntrustedKey,
    /// Nothing is trusted, so nothing could be verified.
    NoTrustConfigured,
}

/// The outcome of one signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignatureOutcome {
    Verified,
    Failed,
}

/// The SAML element a signature belongs to (its parent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ElementRef {
    /// Local name, e.g. `Assertion`.
    pub name: String,
    /// Namespace URI, when any.
    pub namespace: Option<String>,
    /// The un-namespaced `ID` attribute, when present.
    pub id: Option<String>,
    pub span: Span,
}

/// Algorithms named by a signature, as written and as understood.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SignatureAlgorithms {
    pub canonicalization: Option<String>,
    pub signature: Option<String>,
    pub digest: Option<String>,
    /// Transform URIs of the reference, in order.
    pub transforms: Vec<String>,
    /// E.g. `RSA-SHA256`, when recognised.
    pub signature_name: Option<String>,
    /// E.g. `SHA-256`, when recognised.
    pub digest_name: Option<String>,
    #[serde(skip)]
    pub(crate) parsed_signature: Option<SignatureAlgorithm>,
    #[serde(skip)]
    pub(crate) parsed_digest: Option<HashFunction>,
}

/// The key that made a signature verify.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyUsed {
    /// Index into [`VerificationReport::trusted_keys`], or `None` when the key is a `KeyInfo`
    /// certificate that matched a trusted fingerprint.
    pub anchor: Option<usize>,
    /// E.g. "metadata signing key 2 of 2, CN=login.example.com, SHA-256 AB:CD:…".
    pub description: String,
}

/// A certificate found in the signature's `KeyInfo`: evidence, never trust by itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyInfoCertificate {
    pub facts: Arc<CertificateFacts>,
    /// True when it is one of the trusted certificates or matches a trusted fingerprint.
    pub trusted: bool,
    /// True when `KeyInfo` held base64 of a PEM file rather than DER.
    pub pem_wrapped: bool,
}

/// Everything known about one `ds:Signature`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignatureReport {
    /// Position among the document's signatures, in document order.
    pub index: usize,
    /// Byte range of the `ds:Signature` element.
    pub location: Span,
    /// The element the signature sits in.
    pub parent: Option<ElementRef>,
    pub reference_uri: Option<String>,
    pub algorithms: SignatureAlgorithms,
    pub outcome: SignatureOutcome,
    /// Where it failed; `None` when verified.
    pub stage: Option<Stage>,
    /// The trusted key that verified it.
    pub verified_by: Option<KeyUsed>,
    /// Descriptions of the keys tried when the signature value did not verify.
    pub keys_tried: Vec<String>,
    pub keyinfo_certificates: Vec<KeyInfoCertificate>,
    pub findings: Vec<Finding>,
    #[serde(skip)]
    pub(crate) signed_node: Option<NodeId>,
    #[serde(skip)]
    pub(crate) signature_node: NodeId,
}

/// Whether a SAML element (Response, Assertion, EntityDescriptor, …) is covered by a verified
/// signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ElementCoverage {
    pub element: ElementRef,
    /// Indexes of the verified signatures that cover it: its own, or an ancestor's.
    pub covered_by: Vec<usize>,
    #[serde(skip)]
    pub(crate) node: NodeId,
}

impl ElementCoverage {
    pub fn is_covered(&self) -> bool {
        !self.covered_by.is_empty()
    }
}

/// A trusted key as the report shows it, next to any untrusted certificate found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrustedKeySummary {
    pub label: String,
    /// Certificate facts, absent for a bare public key.
    pub certificate: Option<Arc<CertificateFacts>>,
    /// Description of a bare public key (algorithm and size).
    pub key: String,
}

/// The verdict on the document as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The message (or every assertion in it) is covered by a verified signature from a
    /// trusted key, and no attack shape was found.
    Verified,
    /// Signatures are present but do not cover the message, or one of them failed. Elements a
    /// verified signature covers are still handed out by [`VerificationReport::verified`]:
    /// their content is authentic even though the message as a whole is not.
    NotVerified,
    /// Trust is configured but the document is not signed.
    NotSigned,
    /// The document has a shape used by attacks; nothing in it is treated as verified.
    Rejected,
    /// No trust was configured: fail closed.
    NoTrustConfigured,
}

/// The result of verifying one document.
#[derive(Debug, Clone, Serialize)]
pub struct VerificationReport<'a, 'i> {
    #[serde(skip)]
    pub(crate) document: &'a Document<'i>,
    pub verdict: Verdict,
    pub signatures: Vec<SignatureReport>,
    pub elements: Vec<ElementCoverage>,
    /// Findings about the document as a whole (per-signature findings are in `signatures`).
    pub findings: Vec<Finding>,
    pub trusted_keys: Arc<[TrustedKeySummary]>,
}

impl<'a, 'i> VerificationReport<'a, 'i> {
    /// The document this report is about.
    pub fn document(&self) -> &'a Document<'i> {
        self.document
    }

    /// All findings: the document's, then each signature's.
    pub fn all_findings(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .chain(self.signatures.iter().flat_map(|sig| sig.findings.iter()))
    }

    /// True when any finding has this code.
    pub fn has_finding(&self, code: FindingCode) -> bool {
        self.all_findings().any(|finding| finding.code == code)
    }

    /// The coverage entry for a SAML element of this document.
    pub fn coverage(&self, node: Node<'a, 'i>) -> Option<&ElementCoverage> {
        if !std::ptr::eq(node.document(), self.document) {
            return None;
        }
        self.elements.iter().find(|entry| entry.node == node.id())
    }

    /// The element as verified, when a trusted signature covers it (itself or an ancestor)
    /// and the document was not rejected. Accepts any node of this document; nodes of another
    /// document, and nodes inside the covering signature itself, are never verified. Claims
    /// that decide a sign-in should also require [`Verdict::Verified`].
    pub fn verified(&self, node: Node<'a, 'i>) -> Option<VerifiedElement<'a, 'i>> {
        if !std::ptr::eq(node.document(), self.document) || self.verdict == Verdict::Rejected {
            return None;
        }
        let element = if node.is_element() {
            node
        } else {
            node.parent_element()?
        };
        // Covered when a verified signature's signed element is this node or an ancestor, and
        // the node is not inside that signature (the enveloped transform left it undigested).
        let signature = self.signatures.iter().find(|sig| {
            sig.outcome == SignatureOutcome::Verified
                && sig.signed_node.is_some_and(|signed| {
                    let mut ancestors = element.ancestors().map(|ancestor| ancestor.id());
                    ancestors.all(|id| id != sig.signature_node)
                        && element.ancestors().any(|ancestor| ancestor.id() == signed)
                })
        })?;
        Some(VerifiedElement {
            node: element,
            signature: signature.index,
            excluded: signature.signature_node,
        })
    }

    /// Every listed SAML element (Response, Assertion, EntityDescriptor, …) that is verified.
    pub fn verified_elements(&self) -> Vec<VerifiedElement<'a, 'i>> {
        self.elements
            .iter()
            .filter_map(|entry| self.verified(self.document.get_node(entry.node)?))
            .collect()
    }

    /// The document element, when verified.
    pub fn verified_root(&self) -> Option<VerifiedElement<'a, 'i>> {
        self.verified(self.document.root_element())
    }
}

/// A node covered by a verified signature from a trusted key. Only a
/// [`VerificationReport`] constructs one, so code that reads claims through this type reads
/// only what was digested.
#[derive(Debug, Clone, Copy)]
pub struct VerifiedElement<'a, 'i> {
    node: Node<'a, 'i>,
    signature: usize,
    /// The enveloped signature, whose content is not covered.
    excluded: NodeId,
}

impl<'a, 'i> VerifiedElement<'a, 'i> {
    /// The verified element.
    pub fn node(&self) -> Node<'a, 'i> {
        self.node
    }

    /// Index of the signature (in [`VerificationReport::signatures`]) that covers it.
    pub fn signature_index(&self) -> usize {
        self.signature
    }

    /// A descendant element of this one: still verified, since the signature covers the
    /// whole subtree except the enveloped signature itself.
    pub fn descendant(&self, node: Node<'a, 'i>) -> Option<VerifiedElement<'a, 'i>> {
        let inside = std::ptr::eq(node.document(), self.node.document())
            && node.is_element()
            && node.ancestors().any(|ancestor| ancestor == self.node)
            && node
                .ancestors()
                .all(|ancestor| ancestor.id() != self.excluded);
        inside.then_some(VerifiedElement {
            node,
            signature: self.signature,
            excluded: self.excluded,
        })
    }
}
