//! The verifier's codes in one table: for each, the kebab-case code, the family it is reported
//! under (`signature/…` or `cert/…`), the severity the catalogue lists, a title and the
//! description the rules page shows. A code added without its entry does not compile.
//!
//! The severity here is the one the catalogue shows. A few codes are emitted at another severity
//! in some situations; their description says when (each `Finding` carries the severity it was
//! emitted with).

use std::fmt;

use serde::{Serialize, Serializer};

use crate::report::Severity;

/// The area a verifier code is reported under: `signature/…` or `cert/…`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CodeFamily {
    /// The XML signature itself: its shape, reference, algorithms and value.
    Signature,
    /// The certificates: the ones trusted and the ones the message carries.
    Cert,
}

impl CodeFamily {
    pub fn as_str(self) -> &'static str {
        match self {
            CodeFamily::Signature => "signature",
            CodeFamily::Cert => "cert",
        }
    }
}

/// Static facts about a verifier code: the row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CodeInfo {
    /// The kebab-case code, e.g. `digest-mismatch`.
    pub code: &'static str,
    pub family: CodeFamily,
    /// The severity the catalogue lists.
    pub severity: Severity,
    pub title: &'static str,
    /// What the code means and why it matters, for the rules page.
    pub description: &'static str,
}

/// The code with its family prefix, as a literal: `signature/digest-mismatch`.
macro_rules! qualified_code {
    (Signature, $code:literal) => {
        concat!("signature/", $code)
    };
    (Cert, $code:literal) => {
        concat!("cert/", $code)
    };
}

macro_rules! finding_codes {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, $family:ident, $severity:ident,
        $title:literal, $description:literal; )*) => {
        /// Stable codes of everything the verifier can report. Codes never change meaning; new
        /// ones are added at the end.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum FindingCode { $( $(#[$doc])* $variant, )* }

        impl FindingCode {
            /// Every code, in declaration order (a test snapshots this list).
            pub const ALL: &'static [FindingCode] = &[ $( FindingCode::$variant, )* ];

            /// The code's row of the table.
            pub fn info(self) -> CodeInfo {
                match self {
                    $( FindingCode::$variant => CodeInfo {
                        code: $code,
                        family: CodeFamily::$family,
                        severity: Severity::$severity,
                        title: $title,
                        description: $description,
                    }, )*
                }
            }

            /// The code with its family, as the linter reports it: `signature/digest-mismatch`.
            pub fn qualified(self) -> &'static str {
                match self {
                    $( FindingCode::$variant => qualified_code!($family, $code), )*
                }
            }
        }
    };
}

impl FindingCode {
    /// The kebab-case code as it appears in JSON and SARIF output.
    pub fn as_str(self) -> &'static str {
        self.info().code
    }

    /// Codes that describe an attack shape: any of them denies the document its verdict even
    /// when some signature verified.
    pub fn rejects_document(self) -> bool {
        matches!(
            self,
            FindingCode::ElementMisplaced
                | FindingCode::LookalikeNamespace
                | FindingCode::DuplicateId
                | FindingCode::MultipleAssertions
                | FindingCode::SignedAssertionInUnsignedAdvice
        )
    }
}

impl fmt::Display for FindingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for FindingCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

finding_codes! {
    /// No certificate, metadata or fingerprint was given, so nothing can be verified.
    NoTrustConfigured = "no-trust-configured", Signature, Error,
        "no trusted key configured",
        "Nothing was given to verify signatures with, so nothing in the message is treated as \
         authentic. Give the IdP's metadata, its signing certificate or that certificate's SHA-256 \
         fingerprint.";
    /// Trust is configured but the document carries no signature at all.
    NotSigned = "not-signed", Signature, Error,
        "the message is not signed",
        "Trust is configured but the message carries no signature at all: a stripped signature, or \
         an IdP configured not to sign.";
    /// A `ds:Signature` whose parent is not an element SAML signs.
    SignatureMisplaced = "signature-misplaced", Signature, Error,
        "a signature in a place SAML does not sign",
        "A ds:Signature whose parent is not a Response, Assertion or metadata element does not \
         count.";
    /// A SAML element (Assertion, Response, EntityDescriptor, …) where SAML never puts one,
    /// such as inside `Extensions`, `SubjectConfirmationData` or `ds:Object`: the shape of
    /// signature-wrapping attacks.
    ElementMisplaced = "element-misplaced", Signature, Error,
        "a SAML element where SAML never puts one",
        "An Assertion or Response inside Extensions, SubjectConfirmationData or ds:Object is the \
         shape of signature-wrapping attacks; the document is rejected.";
    /// A required part of the signature is missing or repeated, or something foreign is inside.
    MalformedSignature = "malformed-signature", Signature, Error,
        "a malformed signature",
        "A required part of the signature is missing or repeated, or something foreign is inside \
         it.";
    /// More than one `SignedInfo`.
    MultipleSignedInfo = "multiple-signed-info", Signature, Error,
        "several SignedInfo elements",
        "A signature must have exactly one SignedInfo; more is an attack shape.";
    /// More than one `Reference` in `SignedInfo`.
    MultipleReferences = "multiple-references", Signature, Error,
        "several References",
        "A SAML signature covers exactly one element through one Reference.";
    /// A `ds:Object` or `ds:Manifest` inside the signature.
    ObjectOrManifest = "object-or-manifest", Signature, Error,
        "ds:Object or ds:Manifest inside the signature",
        "SAML signatures carry neither; they are used to smuggle content past naive verifiers.";
    /// A comment, processing instruction or element inside `DigestValue` or `SignatureValue`
    /// (CVE-2025-29775).
    MarkupInSignatureData = "markup-in-signature-data", Signature, Error,
        "markup inside DigestValue or SignatureValue",
        "A comment or element inside these values lets some libraries read a different value than \
         was checked (CVE-2025-29775); rejected.";
    /// `DigestValue` or `SignatureValue` is not base64.
    InvalidBase64 = "invalid-base64", Signature, Error,
        "DigestValue or SignatureValue is not base64",
        "The value cannot be decoded, so the signature cannot be checked.";
    /// An element in a namespace that imitates a SAML or XML-DSig namespace.
    LookalikeNamespace = "lookalike-namespace", Signature, Error,
        "a look-alike namespace",
        "An element in a namespace that imitates SAML's or XML-DSig's is not what it pretends to \
         be; the document is rejected.";
    /// Two elements carry the same ID (CVE-2024-45409).
    DuplicateId = "duplicate-id", Signature, Error,
        "two elements share an ID",
        "Duplicate IDs let a signature cover one element while the claims are read from another \
         (CVE-2024-45409); rejected.";
    /// A response carries several assertions and not every one is covered by a signature.
    MultipleAssertions = "multiple-assertions", Signature, Error,
        "several assertions, not all signed",
        "A Response with more than one assertion where not every one is covered by a signature is \
         the shape of wrapping attacks; rejected.";
    /// `Reference URI=""` (or no URI): the whole document, not the signed element.
    ReferenceWholeDocument = "reference-whole-document", Signature, Error,
        "the signature references the whole document",
        "URI=\"\" (or no URI) signs the whole document, where SAML asks for #ID of the signed \
         element. Accepted, as info, when the signature sits directly in the document element \
         and that element is what SAML signs (a metadata EntitiesDescriptor or \
         EntityDescriptor, a Response, an Assertion, a SAML 1.x Response or Request): the \
         document is then exactly that element. Refused otherwise.";
    /// A reference that is not a bare `#id` (XPointer, external URL).
    ReferenceNotSameDocument = "reference-not-same-document", Signature, Error,
        "the reference is not a same-document #ID",
        "XPointer expressions and external URLs are refused.";
    /// No element has the referenced ID.
    ReferenceNotFound = "reference-not-found", Signature, Error,
        "no element has the referenced ID",
        "The signature points at an ID that is not in the document.";
    /// Several elements have the referenced ID.
    ReferenceAmbiguous = "reference-ambiguous", Signature, Error,
        "several elements have the referenced ID",
        "The signature's reference is ambiguous; rejected.";
    /// The reference points at an element other than the signature's own parent.
    ReferenceNotParent = "reference-not-parent", Signature, Error,
        "the signature covers another element than its parent",
        "A signature counts only for the element it sits in; one that references a sibling or \
         child covers nothing the claims are read from.";
    /// The signed element has no `ID` attribute.
    SignedElementWithoutId = "signed-element-without-id", Signature, Error,
        "the signed element has no ID",
        "The parent of the signature has no ID attribute to reference.";
    /// A transform other than enveloped-signature and canonicalization.
    TransformNotAllowed = "transform-not-allowed", Signature, Error,
        "a transform other than enveloped-signature and canonicalization",
        "XPath, XSLT, base64 and other transforms are refused: they let the signed bytes differ \
         from what is read.";
    /// More transforms than enveloped-signature plus one canonicalization.
    TooManyTransforms = "too-many-transforms", Signature, Error,
        "too many transforms",
        "SAML needs enveloped-signature plus one canonicalization; more is refused.";
    /// An `InclusiveNamespaces` element where it does not belong or with a bad prefix list.
    InclusiveNamespacesInvalid = "inclusive-namespaces-invalid", Signature, Error,
        "invalid InclusiveNamespaces",
        "An InclusiveNamespaces PrefixList in the wrong place or with a bad prefix.";
    /// An algorithm samlkit does not implement or does not recognise.
    UnsupportedAlgorithm = "unsupported-algorithm", Signature, Error,
        "an unsupported algorithm",
        "The signature, digest or canonicalization algorithm is not one samlkit implements.";
    /// An HMAC "signature" while trust is a certificate or public key (key confusion).
    HmacRefused = "hmac-refused", Signature, Error,
        "an HMAC signature with a certificate as trust",
        "HMAC keyed with a public certificate is a key-confusion attack; refused.";
    /// A DSA signature (deprecated).
    DsaDeprecated = "dsa-deprecated", Signature, Warning,
        "a DSA signature",
        "DSA is deprecated for XML signatures.";
    /// SHA-1 used as digest or inside the signature algorithm (deprecated).
    Sha1Deprecated = "sha1-deprecated", Signature, Warning,
        "SHA-1 in the signature",
        "SHA-1 is deprecated; Entra ID and most IdPs can sign with SHA-256.";
    /// An algorithm URI no specification defines, accepted because its meaning is clear.
    NonStandardAlgorithmUri = "non-standard-algorithm-uri", Signature, Info,
        "a non-standard algorithm URI",
        "An algorithm URI no specification defines, accepted because its meaning is unambiguous.";
    /// The digest of the signed element differs from `DigestValue`: modified after signing.
    DigestMismatch = "digest-mismatch", Signature, Error,
        "the signed element was modified after it was signed",
        "The digest of the signed element differs from DigestValue: the XML was edited (or \
         re-formatted) after signing.";
    /// `SignatureValue` does not verify with any trusted key.
    SignatureMismatch = "signature-mismatch", Signature, Error,
        "the signature value does not verify",
        "SignatureValue does not verify with any trusted key: the IdP signs with a key you do not \
         have, or the signature was altered.";
    /// The signature verifies only with a key that is not trusted (e.g. the certificate the
    /// message carries in `KeyInfo`).
    UntrustedKey = "untrusted-key", Signature, Error,
        "signed with an untrusted key",
        "The signature verifies only with a key you did not configure (such as the certificate \
         inside the message): usually metadata that is stale after a certificate rollover.";
    /// The message's `KeyInfo` carries a certificate that is not among the trusted ones.
    KeyInfoCertificateNotTrusted = "keyinfo-certificate-not-trusted", Cert, Warning,
        "the message's certificate is not a trusted one",
        "The certificate in KeyInfo is not among the trusted ones; compare its fingerprint with \
         your metadata's. Reported as a warning when the signature does not verify, and as info \
         when the signature verified with a trusted key and the message's certificate was ignored.";
    /// A `KeyInfo` certificate holding base64 of a whole PEM file instead of DER.
    KeyInfoPemWrapped = "keyinfo-pem-wrapped", Cert, Info,
        "KeyInfo holds a PEM file, not DER",
        "The X509Certificate element contains base64 of a whole PEM file; tolerated, but unusual.";
    /// A certificate whose validity ended before `now`.
    CertificateExpired = "certificate-expired", Cert, Warning,
        "a certificate has expired",
        "A signing certificate whose validity has ended; many service providers refuse it, and \
         rollover is overdue.";
    /// A certificate whose validity starts after `now`.
    CertificateNotYetValid = "certificate-not-yet-valid", Cert, Warning,
        "a certificate is not yet valid",
        "A signing certificate whose validity starts in the future.";
    /// An RSA key shorter than 2048 bits.
    WeakRsaKey = "weak-rsa-key", Cert, Warning,
        "an RSA key under 2048 bits",
        "Short RSA keys are weak; AWS requires at least 1024 bits and most guidance 2048.";
    /// A certificate itself signed with SHA-1.
    CertificateSha1Signature = "certificate-sha1-signature", Cert, Warning,
        "a certificate signed with SHA-1",
        "SHA-1 certificate signatures are deprecated.";
    /// A comment or processing instruction splits the text of a signed element (the shape of
    /// comment-injection attacks, CVE-2017-11427..11430).
    CommentInSignedText = "comment-in-signed-text", Signature, Warning,
        "a comment splits signed text",
        "A comment or processing instruction inside a signed element's text is the shape of \
         comment-injection attacks (CVE-2017-11427).";
    /// A `KeyInfo` certificate that could not be read.
    KeyInfoCertificateUnreadable = "keyinfo-certificate-unreadable", Cert, Warning,
        "a KeyInfo certificate cannot be read",
        "The certificate in KeyInfo is not valid base64 DER.";
    /// A verified assertion inside the Advice of an assertion no signature covers.
    SignedAssertionInUnsignedAdvice = "signed-assertion-in-unsigned-advice", Signature, Error,
        "a signed assertion inside an unsigned assertion's Advice",
        "A signed assertion nested in the Advice of an unsigned one lends its signature to claims \
         the IdP never made; the document is rejected.";
    /// An XPath, XPath Filter 2.0 or XSLT transform in a reference.
    TransformXpathOrXslt = "transform-xpath-or-xslt", Signature, Error,
        "an XPath or XSLT transform",
        "XPath and XSLT transforms let a signature cover different bytes from the element the \
         claims are read from, and run expressions chosen by the sender; refused.";
}
