//! samlkit-verify: the third step of samlkit's flow (decode → parse → **verify** → lint → render).
//!
//! It takes the one tree that `samlkit-parse` built and decides which elements are covered by a
//! valid XML signature from a key the user trusts. Canonicalization is done here, over that same
//! tree, so the bytes that are hashed are exactly the bytes the claims are read from.
//!
//! Entry points: [`verify_document`] (the XML signatures of one parsed message),
//! [`verify_redirect_signature`] (the detached signature of HTTP-Redirect and SimpleSign),
//! [`xmlenc::decrypt_document`] (encrypted assertions, with the SP's keys) and
//! [`decrypted::verify_decrypted`] (signatures of a document with decrypted parts).
//!
//! The flow of [`verify_document`]:
//!
//! 1. **Trust** ([`trust`]) comes only from the user: every signing key of IdP metadata, given
//!    certificates, or SHA-256 fingerprints. A certificate inside the message is evidence to
//!    report, never trust. With nothing trusted the verdict is "no trust configured", a failure
//!    with a fix, never a skipped check.
//! 2. **Shape** ([`dsig`]): each `ds:Signature` is held to SAML's narrow profile — one
//!    `SignedInfo`, one `Reference` to the ID of the signature's own parent (`ID`, or SAML 1.x's
//!    `AssertionID` / `ResponseID`), that ID unique in the document, the parent a SAML element
//!    where SAML puts it, only enveloped-signature and canonicalization transforms. A
//!    whole-document reference (`URI=""`) is accepted, with a note, only from a signature in the
//!    document element when that element is what SAML signs (federation aggregates use it).
//!    Wrapping, duplicate IDs, look-alike namespaces and comments inside digest values are
//!    refused here, before any cryptography.
//! 3. **Cryptography**: the parent and `SignedInfo` are canonicalized ([`c14n`]) and checked with
//!    OpenSSL ([`algorithms`] lists what is accepted). Each failure names its stage: reference,
//!    digest ("modified after it was signed"), signature value (with the keys tried), untrusted
//!    key, algorithm, or structure.
//! 4. **Report** ([`report`]): per signature the outcome, stage, algorithms, the trusted key that
//!    verified and certificate facts ([`certs`]: expiry at `now`, key size, SHA-1); per SAML
//!    element whether a verified signature covers it. Only the report hands out
//!    [`VerifiedElement`]s, so code that reads claims through them reads only what was signed.
//!    Each finding has a stable code from one table ([`codes`]: family, severity, title,
//!    description). A finding caused by an input the caller did not give names it as a
//!    [`MissingInput`]; the texts say what is missing, and a front end says how to give it.
//!
//! HTTP-Redirect signatures (over the query string, not the XML) are checked by [`redirect`].
//! Encrypted assertions, identifiers and attributes are decrypted with the SP's private keys by
//! [`xmlenc`], which explains each failure and splices the plaintext back into the document.
//! With the `xmlsec` feature, `xmlsec_check` runs libxmlsec1 on the same bytes so disagreements
//! can be reported. Time is always an input (`now`, unix seconds), never read from the clock.

pub mod algorithms;
pub mod c14n;
pub mod certs;
pub mod codes;
pub mod decrypted;
pub mod dsig;
pub mod redirect;
pub mod report;
pub mod trust;
pub mod xmlenc;
#[cfg(feature = "xmlsec")]
pub mod xmlsec_check;

pub use dsig::{verify_document, VerifyOptions};
pub use redirect::{verify_redirect_signature, RedirectSignature, RedirectVerification};
pub use report::{
    CodeFamily, CodeInfo, ElementCoverage, Finding, FindingCode, KeyUsed, MissingInput, Severity,
    SignatureOutcome, SignatureReport, Stage, Verdict, VerificationReport, VerifiedElement,
};
pub use trust::{TrustError, TrustStore};
