//! The rules: one stable kebab-case code each, grouped by area, with the text that documents
//! them. Codes never change meaning; new rules are added, old ones are never renumbered.

use serde::Serialize;

/// How much a finding matters. An error means sign-in fails (or must not be trusted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Static facts about a rule: its code, default severity, and its documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RuleInfo {
    pub code: &'static str,
    pub severity: Severity,
    pub title: &'static str,
    /// What the rule checks and why it matters for sign-in.
    pub description: &'static str,
}

macro_rules! rules {
    ($( $variant:ident = $code:literal, $severity:ident, $title:literal, $description:literal; )*) => {
        /// Every rule samlkit can report.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Rule { $( $variant, )* }

        impl Rule {
            /// All rules in declaration order (a test snapshots the list).
            pub const ALL: &'static [Rule] = &[ $( Rule::$variant, )* ];

            pub fn info(self) -> RuleInfo {
                match self {
                    $( Rule::$variant => RuleInfo {
                        code: $code,
                        severity: Severity::$severity,
                        title: $title,
                        description: $description,
                    }, )*
                }
            }
        }
    };
}

impl Rule {
    pub fn code(self) -> &'static str {
        self.info().code
    }

    pub fn from_code(code: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|rule| rule.code() == code)
    }

    /// The area of the code (`claims`, `signature`, …).
    pub fn area(self) -> &'static str {
        self.code().split('/').next().unwrap_or("")
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

rules! {
    // ---- input: how the message arrived
    ResponseOverRedirect = "input/response-over-redirect", Error,
        "a SAML Response sent with the HTTP-Redirect binding",
        "The Web SSO profile forbids delivering a Response by HTTP-Redirect (SAML Profiles 4.1.2): \
         service providers expect it in an HTTP-POST form to their Assertion Consumer Service.";

    // ---- xml: the document itself
    TimeNotUtc = "xml/time-not-utc", Warning,
        "a time is not written in UTC",
        "SAML requires every time in UTC with a `Z` suffix (Core 1.3.3). Some service providers \
         reject or misread times with an offset or without a zone.";
    TimeUnreadable = "xml/time-unreadable", Error,
        "a time value cannot be read",
        "A time attribute that is not an xs:dateTime makes the validity window unknown; service \
         providers reject such messages.";

    // ---- response: the Response envelope
    StatusNotSuccess = "response/status-not-success", Error,
        "the identity provider answered with an error status",
        "The Response's StatusCode is not Success: the identity provider refused the sign-in \
         before issuing an assertion. The StatusMessage (and any AADSTS code in it) says why.";
    ErrorWithAssertions = "response/error-status-with-assertions", Warning,
        "an error Response carries assertions",
        "A Response whose status is not Success must not contain assertions (Core 3.2.2.2); \
         service providers ignore them or refuse the message.";
    NoAssertion = "response/no-assertion", Error,
        "the Response carries no assertion",
        "A successful Web SSO Response must carry at least one assertion about the user \
         (Profiles 4.1.4.2); without one nobody can be signed in.";
    EncryptedAssertionUnread = "response/encrypted-assertion", Warning,
        "the assertion is encrypted and could not be read",
        "The identity provider encrypted the assertion for the service provider. Without the \
         SP's private key (`--sp-key`) its claims cannot be checked.";
    DestinationMismatch = "response/destination-mismatch", Error,
        "Destination is not the ACS URL",
        "The Response's Destination must equal the URL that received it (Core 3.2.2); service \
         providers compare it with their Assertion Consumer Service URL character for character.";
    DestinationMissing = "response/destination-missing", Warning,
        "a signed Response has no Destination",
        "SAML requires Destination on signed messages sent by POST (Bindings 3.5.5.2); many \
         service providers reject a Response without it.";
    InResponseToMismatch = "response/in-response-to-mismatch", Error,
        "InResponseTo does not match the request",
        "The Response answers a different AuthnRequest than the one the service provider sent: \
         a stale browser tab, a replayed POST, or two sign-ins crossing.";
    UnsolicitedResponse = "response/unsolicited", Info,
        "IdP-initiated (unsolicited) Response",
        "The Response carries no InResponseTo: it was started at the identity provider (a portal \
         tile), not by the service provider. Service providers that allow only SP-initiated \
         sign-in refuse it.";
    IssuerMismatch = "response/issuer-mismatch", Error,
        "the issuer is not the identity provider in the metadata",
        "The Issuer must equal the entityID of the IdP metadata the service provider holds; a \
         different one usually means metadata from another tenant or app, or http vs https.";
    IssuerMissing = "response/issuer-missing", Warning,
        "the Response has no Issuer",
        "A Response that is signed, or whose assertion is encrypted, must name its Issuer \
         (Profiles 4.1.4.2).";
    IssuerFormat = "response/issuer-format", Error,
        "the Issuer has a Format other than entity",
        "The Issuer of a Web SSO Response and assertion must omit Format or use \
         `urn:oasis:names:tc:SAML:2.0:nameid-format:entity` (Profiles 4.1.4.2).";
    VersionNot20 = "response/version", Error,
        "Version is not 2.0",
        "SAML 2.0 service providers accept only Version=\"2.0\" (Core 3.2.2).";
    AuthorizationNotSaml = "response/sign-in-ok-check-authorization", Info,
        "the SAML is fine; a remaining refusal is authorization",
        "Everything the service provider reads from SAML is in order. If it still refuses the \
         user (Amazon Q Business: \"Permissions needed… 403\"), the cause is on the service \
         provider's side: subscription, group or role permissions, not SAML.";
    ReplayedAssertion = "response/replayed-assertion", Error,
        "the same assertion ID appears in several messages",
        "A bearer assertion may be used once (Profiles 4.1.4.5); a service provider refuses an \
         assertion ID it has already seen (a replayed or re-posted sign-in).";

    // ---- assertion
    AssertionIssuerMismatch = "assertion/issuer-mismatch", Error,
        "the assertion's issuer is not the identity provider",
        "The assertion's Issuer must equal the IdP's entityID (and the Response's Issuer).";
    AssertionIssuerMissing = "assertion/issuer-missing", Error,
        "the assertion has no Issuer",
        "Every assertion must name its Issuer (Core 2.3.3).";
    AudienceMismatch = "assertion/audience-mismatch", Error,
        "the audience is not this service provider",
        "The AudienceRestriction must contain the service provider's entity ID (the Identifier \
         configured at the IdP); otherwise the assertion is meant for someone else.";
    AudienceMissing = "assertion/audience-missing", Error,
        "no AudienceRestriction",
        "Every bearer assertion must carry an AudienceRestriction naming the service provider \
         (Profiles 4.1.4.2).";
    AudienceEmpty = "assertion/audience-empty", Error,
        "an Audience element is empty",
        "An empty <Audience/> matches no service provider; the IdP's Identifier setting is \
         probably blank.";
    NoAuthnStatement = "assertion/no-authn-statement", Error,
        "the assertion has no AuthnStatement",
        "A Web SSO assertion must say how and when the user authenticated (Profiles 4.1.4.2).";
    Placeholder = "assertion/unreplaced-placeholder", Error,
        "a value still holds a placeholder",
        "A value such as `{audience}` or `<ACS URL>` was copied from documentation and never \
         replaced with the real one.";

    // ---- time
    NotYetValid = "time/not-yet-valid", Error,
        "the assertion is not valid yet",
        "Conditions NotBefore is later than the service provider's clock (plus its allowed skew). \
         Entra ID and AD FS put NotBefore at the issue instant with no buffer, so a service \
         provider whose clock is slightly behind refuses the assertion.";
    Expired = "time/expired", Error,
        "the assertion has expired",
        "Conditions NotOnOrAfter has passed: the assertion was used too late (a stale form \
         re-posted, or a clock that runs ahead).";
    ConfirmationExpired = "time/confirmation-expired", Error,
        "the bearer confirmation has expired",
        "SubjectConfirmationData NotOnOrAfter has passed: the assertion was delivered too late.";
    SessionExpired = "time/session-expired", Warning,
        "the session the IdP granted has ended",
        "AuthnStatement SessionNotOnOrAfter has passed: the service provider must not start a \
         session from this assertion.";
    IssuedInFuture = "time/issued-in-future", Warning,
        "issued in the future",
        "IssueInstant is later than the service provider's clock beyond the allowed skew: the \
         clocks differ.";
    IssuedLongAgo = "time/issued-long-ago", Warning,
        "issued long ago",
        "IssueInstant is older than service providers usually accept for a fresh sign-in.";
    WindowInverted = "time/window-inverted", Error,
        "NotBefore is not before NotOnOrAfter",
        "The validity window is empty: no instant satisfies it (Core 2.5.1.2).";

    // ---- subject and confirmation
    SubjectMissing = "subject/missing", Error,
        "the assertion has no Subject",
        "A Web SSO assertion must name its subject and how it is confirmed (Profiles 4.1.4.2).";
    NoBearerConfirmation = "subject/no-bearer-confirmation", Error,
        "no bearer SubjectConfirmation",
        "Browser sign-in needs a SubjectConfirmation with Method bearer and its data \
         (Profiles 4.1.4.2).";
    RecipientMismatch = "subject/recipient-mismatch", Error,
        "Recipient is not the ACS URL",
        "The bearer confirmation's Recipient must equal the service provider's Assertion \
         Consumer Service URL (the Reply URL configured at the IdP).";
    RecipientMissing = "subject/recipient-missing", Error,
        "the bearer confirmation has no Recipient",
        "SubjectConfirmationData must carry Recipient (Profiles 4.1.4.2).";
    ConfirmationNotOnOrAfterMissing = "subject/not-on-or-after-missing", Error,
        "the bearer confirmation has no NotOnOrAfter",
        "SubjectConfirmationData must limit the assertion's life with NotOnOrAfter \
         (Profiles 4.1.4.2).";
    ConfirmationNotBefore = "subject/not-before-present", Warning,
        "the bearer confirmation has a NotBefore",
        "A bearer SubjectConfirmationData must not carry NotBefore (Profiles 4.1.4.2); strict \
         service providers refuse it.";
    ConfirmationInResponseToMismatch = "subject/in-response-to-mismatch", Error,
        "the confirmation answers another request",
        "SubjectConfirmationData InResponseTo must equal the ID of the AuthnRequest the service \
         provider sent.";
    ConfirmationCount = "subject/confirmation-count", Error,
        "not exactly one SubjectConfirmation",
        "The service provider requires exactly one SubjectConfirmation.";

    // ---- NameID
    NameIdMissing = "nameid/missing", Error,
        "no NameID",
        "The Subject has no NameID, so the service provider cannot tell who signed in.";
    NameIdEmpty = "nameid/empty", Error,
        "the NameID is empty",
        "The NameID element has no value: the IdP's source attribute for it is empty for this \
         user.";
    NameIdFormat = "nameid/format", Error,
        "the NameID format is not what the service provider needs",
        "Service providers match users by NameID and often require one format (Amazon Q Business \
         needs unspecified, IAM Identity Center emailAddress, GitHub persistent).";
    NameIdValue = "nameid/value-does-not-fit-format", Warning,
        "the NameID value does not fit its format",
        "An emailAddress NameID that is not an e-mail address, or a persistent one that looks \
         like an e-mail, usually means the wrong source attribute was chosen.";
    NameIdMarkup = "nameid/markup-inside", Error,
        "comments or markup inside the NameID",
        "A comment or element inside the NameID splits its text; libraries that read only the \
         first text node then see a different user (comment injection, CVE-2017-11427). \
         samlkit reads the whole text.";
    NameIdSpNameQualifier = "nameid/sp-name-qualifier-mismatch", Warning,
        "SPNameQualifier is not this service provider",
        "A NameID's SPNameQualifier must echo the service provider's entity ID.";
    NameIdEncrypted = "nameid/encrypted", Info,
        "the NameID is encrypted",
        "The Subject carries an EncryptedID; pass the SP's private key to read it.";

    // ---- claims (attributes)
    ClaimMissing = "claims/required-missing", Error,
        "a required claim is missing",
        "The service provider reads the user from an attribute with an exact Name; without it \
         sign-in fails (Amazon Q Business shows \"Permission needed\").";
    ClaimEmpty = "claims/empty-value", Error,
        "a claim has an empty value",
        "An attribute the service provider needs is present but empty or whitespace: the user's \
         source attribute at the IdP is blank.";
    ClaimMultipleValues = "claims/multiple-values", Error,
        "several values where one is expected",
        "The service provider takes exactly one value from this attribute.";
    ClaimValueFormat = "claims/value-format", Error,
        "a claim value has the wrong shape",
        "The value does not have the shape the service provider needs (an e-mail address, an \
         ARN pair, a session name).";
    ClaimDuplicate = "claims/duplicate-attribute", Warning,
        "the same attribute appears twice",
        "Two Attribute elements share a Name; service providers keep one of them, not always \
         the one you expect.";
    GroupsOverage = "claims/groups-overage", Warning,
        "the groups claim was replaced by a link (Entra ID overage)",
        "The user is in more groups than Entra ID puts in a SAML token (150); it sends \
         `groups.link` instead and the service provider sees no groups.";
    EncryptedAttribute = "claims/encrypted-attribute", Info,
        "an attribute is encrypted",
        "EncryptedAttribute elements cannot be read without the SP's private key.";
    PrincipalTagNeedsTagSession = "claims/principal-tag-needs-tag-session", Info,
        "session tags need sts:TagSession",
        "PrincipalTag attributes make AWS call sts:TagSession; the role's trust policy must \
         allow it or AssumeRoleWithSAML fails with \"Not authorized\".";

    // ---- signature
    ClaimsNotVerified = "signature/claims-not-verified", Error,
        "the claims are not covered by a verified signature",
        "Nothing that decides sign-in may be trusted unless a signature from a key you trust \
         covers it. Service providers refuse such a message (\"Response signature invalid\").";
    ResponseNotSigned = "signature/response-not-signed", Error,
        "the service provider needs a signed Response",
        "This service provider verifies the signature on the Response element; an IdP that \
         signs only the assertion is refused.";
    AssertionNotSigned = "signature/assertion-not-signed", Error,
        "the service provider needs a signed assertion",
        "This service provider (WantAssertionsSigned) verifies the signature on the Assertion \
         itself; a signature only on the Response is not enough.";
    RedirectSignatureFailed = "signature/redirect-signature-failed", Error,
        "the HTTP-Redirect signature does not verify",
        "The SigAlg/Signature query parameters do not verify over the query string with a \
         trusted key.";

    // ---- request (AuthnRequest from the SP)
    RequestAcsMismatch = "request/acs-mismatch", Error,
        "the AuthnRequest asks for an ACS URL the IdP does not know",
        "The AssertionConsumerServiceURL in the request must be one of the Reply URLs configured \
         at the IdP, exactly (Entra ID: AADSTS50011).";
    RequestIssuerMismatch = "request/issuer-mismatch", Error,
        "the AuthnRequest's Issuer is not the configured Identifier",
        "The IdP looks the application up by the request's Issuer (Entra ID: AADSTS700016).";
    RequestIdStartsWithDigit = "request/id-starts-with-digit", Error,
        "the AuthnRequest ID starts with a digit",
        "An xs:ID must not start with a digit; Entra ID refuses it (AADSTS7500529).";
    RequestHasSubject = "request/has-subject", Warning,
        "the AuthnRequest carries a Subject",
        "Entra ID does not support a Subject in the request (AADSTS900236).";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case_and_grouped() {
        let mut seen = std::collections::HashSet::new();
        for rule in Rule::ALL {
            let code = rule.code();
            assert!(seen.insert(code), "duplicate code {code}");
            let (area, name) = code.split_once('/').expect("area/name");
            assert!(
                [
                    "input", "xml", "response", "assertion", "time", "subject", "nameid",
                    "claims", "signature", "cert", "metadata", "request"
                ]
                .contains(&area),
                "{code}"
            );
            assert!(name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
            assert_eq!(Rule::from_code(code), Some(*rule));
        }
    }
}
