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

impl From<samlkit_verify::report::Severity> for Severity {
    fn from(severity: samlkit_verify::report::Severity) -> Severity {
        match severity {
            samlkit_verify::report::Severity::Error => Severity::Error,
            samlkit_verify::report::Severity::Warning => Severity::Warning,
            samlkit_verify::report::Severity::Info => Severity::Info,
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
    DuplicateInput = "input/duplicate", Info,
        "the same message was given twice",
        "Two inputs of one run carry the same message (a capture saved as base64 and as XML, \
         say). It is judged once; a second posting to the service provider would be a replay.";

    // ---- xml: the document itself
    TimeNotUtc = "xml/time-not-utc", Warning,
        "a time is not written in UTC",
        "SAML requires every time in UTC with a `Z` suffix (Core 1.3.3). Some service providers \
         reject or misread times with an offset or without a zone.";
    TimeUnreadable = "xml/time-unreadable", Error,
        "a time value cannot be read",
        "A time attribute that is not an xs:dateTime makes the validity window unknown; service \
         providers reject such messages.";
    EncodingMismatch = "xml/encoding-declaration-mismatch", Error,
        "the XML declaration names another encoding than the bytes are in",
        "The document declares one encoding (UTF-16, ISO-8859-1, …) but its bytes are in \
         another (UTF-8). samlkit reads what the bytes are and says so; a service provider that \
         obeys the declaration refuses the message or reads other characters than the IdP \
         signed, so the identity it sees is not the one shown here.";

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
    EncryptedAssertionUnread = "response/encrypted-assertion", Error,
        "the assertion is encrypted and could not be read",
        "The identity provider encrypted the assertion for the service provider. Without the \
         SP's private key (`--sp-key`), or with the wrong one, its claims cannot be checked — \
         and a service provider holding the wrong key cannot read them either.";
    AssertionDecrypted = "response/assertion-decrypted", Info,
        "the assertion was encrypted and has been decrypted",
        "The report checks the decrypted content; this note says which algorithms were used \
         and which key decrypted it.";
    WeakEncryption = "response/weak-encryption", Warning,
        "weak or deprecated encryption algorithms",
        "RSA PKCS#1 v1.5 key transport is open to padding-oracle attacks and 3DES is \
         deprecated; IdPs can use RSA-OAEP and AES-GCM instead.";
    DestinationMismatch = "response/destination-mismatch", Error,
        "Destination is not the ACS URL",
        "The Response's Destination must equal the URL that received it (Core 3.2.2); service \
         providers compare it with their Assertion Consumer Service URL character for character. \
         The severity depends on the profile: under `github`, an ACS URL that does not end in \
         `/saml/consume` is a warning, and so is one that does not end as a profile file's \
         `acs_suffixes` say.";
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
    JudgedWhenIssued = "time/judged-when-issued", Info,
        "an old capture is judged as when it was issued",
        "The message's validity ended long before the system clock (an old capture, not clock \
         skew), so its windows are judged at its IssueInstant; `--now` judges at another \
         instant.";
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
        "The Subject has no NameID, so the service provider cannot tell who signed in. The \
         severity depends on the profile: an error under every service-provider profile, which \
         all identify the user by NameID; a warning under `generic`, where the service provider \
         may read the user from an attribute instead.";
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
         like an e-mail, usually means the wrong source attribute was chosen. The severity \
         depends on the profile: an error under `aws-identity-center`, and under `atlassian` and \
         `aws-identity-center` a NameID that is not an e-mail address is an error whatever its \
         format; a warning otherwise.";
    NameIdMarkup = "nameid/markup-inside", Error,
        "comments or markup inside the NameID",
        "A comment, CDATA section or element inside the NameID splits its text; libraries that \
         read only the first text node then see a different user (comment injection, \
         CVE-2017-11427). samlkit reads, and shows, the whole text.";
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
         sign-in fails (Amazon Q Business shows \"Permission needed\"). The severity depends \
         on the profile: under `atlassian`, a missing given name, surname or display name is a \
         warning (Atlassian fills in the user's profile from them, but signs the user in \
         without).";
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
    ClaimValueMarkup = "claims/value-split-by-markup", Error,
        "a comment or CDATA section splits a claim value",
        "A comment, CDATA section or element inside an AttributeValue splits its text; a \
         library that reads only the first text node sees a different value (comment \
         injection, CVE-2017-11427). samlkit shows the whole value. An error for the attribute \
         the service provider reads the user from (`--user-id-attribute`, or the profile's); a \
         warning for other attributes.";
    ValueWhitespace = "claims/value-surrounding-whitespace", Error,
        "an identity value has leading or trailing whitespace",
        "The IdP signed the value with spaces, tabs or line breaks around it. samlkit shows it \
         exactly as signed; a service provider that compares exactly sees another user than \
         one that trims. An error for the NameID and the user-id attribute, a warning for \
         other attributes.";
    ValueInvisibleCharacter = "claims/value-invisible-character", Error,
        "an identity value holds invisible or control characters",
        "Zero-width spaces, byte-order marks, no-break or ideographic spaces, bidi controls and \
         other control characters look like nothing (or like a plain space) but make the value \
         another string: two users that print alike are different, or one user matches no \
         account. An error for the NameID and the user-id attribute, a warning for other \
         attributes.";
    ValueChangesUnderNfkc = "claims/value-changes-under-nfkc", Error,
        "an identity value changes under Unicode NFKC normalisation",
        "Full-width letters, ligatures and compatibility characters look like plain ones and \
         are folded to them by systems that normalise (NFKC): `ａｄｍｉｎ` becomes `admin`, so \
         the value may match an account it does not equal. An error for the NameID and the \
         user-id attribute, a warning for other attributes.";
    ValueMixedScripts = "claims/value-mixed-scripts", Error,
        "an identity value mixes look-alike scripts",
        "One word mixes letters of several scripts, such as a Cyrillic `а` or Greek `ο` among \
         Latin letters: it looks like another user's identifier and is not (a confusable). \
         An error for the NameID and the user-id attribute, a warning for other attributes.";

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
        "the HTTP-Redirect or SimpleSign signature does not verify",
        "The SigAlg/Signature parameters do not verify with a trusted key over what they sign: \
         the query string as sent (HTTP-Redirect), or the message text with RelayState and \
         SigAlg (HTTP-POST-SimpleSign form).";
    IdentityOutsideSignedAssertion = "signature/identity-outside-signed-assertion", Error,
        "identity-bearing content outside the verified assertion",
        "A Subject, NameID, AttributeStatement, Attribute or Assertion (in any namespace, or \
         none) sits outside the place SAML gives it in the verified assertion: directly under \
         the Response, in Extensions, StatusDetail, Advice, ds:Object or ds:KeyInfo. A service \
         provider that reads by XPath (`//NameID`) or takes the first in document order may \
         take it instead of the signed one: signature wrapping. samlkit reads the claims only \
         from the verified assertion. A warning when the IdP signed it with the assertion (an \
         assertion in the assertion's Advice); an error otherwise.";
    SignaturePartOutOfPlace = "signature/signature-part-out-of-place", Error,
        "signature parts where no signature has them",
        "A Signature, SignedInfo, DigestValue or SignatureValue outside the structure of a \
         signature SAML uses (nested in another signature, in another namespace, or loose in \
         the message): a verifier that looks the value up by name may check this one instead \
         of the real one: signature wrapping.";

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

    // ---- metadata: IdP and SP metadata, alone (`samlkit metadata`) and against the SP's
    // settings and captured samples (`samlkit check`)
    MetadataByteOrderMark = "metadata/byte-order-mark", Error,
        "the metadata file starts with a byte-order mark",
        "The file begins with the UTF-8 byte-order mark (EF BB BF). AWS IAM refuses such metadata \
         (\"Could not parse metadata\"); save it as UTF-8 without BOM.";
    MetadataNotUtf8 = "metadata/not-utf8", Error,
        "the metadata is not UTF-8",
        "The file is UTF-16 or declares another encoding. AWS and many service providers read \
         metadata as UTF-8 only; re-save it as UTF-8 without BOM.";
    MetadataLength = "metadata/length-out-of-bounds", Error,
        "the metadata is too short or too long for the service provider",
        "Amazon Q Business takes the metadata as `metadataXML`, which must be 1,000 to 10,000,000 \
         characters long; a truncated copy or a whole federation aggregate does not fit.";
    MetadataNoEntity = "metadata/no-entity", Error,
        "the EntitiesDescriptor holds no entity",
        "An aggregate without any EntityDescriptor describes nobody: the export or download went \
         wrong.";
    MetadataNestingTooDeep = "metadata/nesting-too-deep", Error,
        "EntitiesDescriptor nested too deeply",
        "EntitiesDescriptor elements nested beyond the limit were not read; real aggregates nest \
         one or two levels.";
    MetadataEntityIdMissing = "metadata/entity-id-missing", Error,
        "an EntityDescriptor has no entityID",
        "entityID is required (Metadata 2.3.2): it is the Issuer an IdP signs with and the \
         Identifier an SP is known by.";
    MetadataEntityIdNotUri = "metadata/entity-id-not-uri", Warning,
        "the entityID is not a URI",
        "An entityID must be an absolute URI of at most 1,024 characters (Metadata 2.3.2); \
         spaces or a missing scheme mean a placeholder was never replaced, and strict service \
         providers refuse it.";
    MetadataDuplicateEntityId = "metadata/duplicate-entity-id", Error,
        "the same entityID appears more than once",
        "Two EntityDescriptors with one entityID make the choice of keys and endpoints \
         ambiguous; consumers keep one of them, not always the one you expect.";
    MetadataNoRole = "metadata/no-role", Error,
        "an entity has no SAML sign-in role",
        "Neither IDPSSODescriptor nor SPSSODescriptor: nobody can sign in with this entity over \
         SAML. (WS-Federation RoleDescriptors, as Entra ID and AD FS publish beside the SAML \
         role, are accepted but are not SAML roles.)";
    MetadataProtocolNotSaml2 = "metadata/protocol-not-saml2", Error,
        "a role does not declare SAML 2.0",
        "protocolSupportEnumeration must list urn:oasis:names:tc:SAML:2.0:protocol for a SAML \
         2.0 role; SAML 2.0 consumers ignore roles that do not.";
    MetadataSsoMissing = "metadata/sso-missing", Error,
        "the IdP role has no SingleSignOnService",
        "Service providers send users to the IdP's SingleSignOnService; without one, \
         SP-initiated sign-in cannot start.";
    MetadataAcsMissing = "metadata/acs-missing", Error,
        "the SP role has no AssertionConsumerService",
        "The IdP posts the Response to an AssertionConsumerService (the Reply URL); without one \
         there is nowhere to send it.";
    MetadataSloMissing = "metadata/slo-missing", Info,
        "no SingleLogoutService",
        "Single logout is optional; without a SingleLogoutService, signing out at one party does \
         not sign the user out at the other.";
    MetadataBindingUnknown = "metadata/binding-unknown", Warning,
        "an endpoint has an unknown or missing Binding",
        "Every endpoint needs a Binding URI that consumers know (HTTP-POST, HTTP-Redirect, \
         HTTP-Artifact, SOAP, PAOS); an endpoint with another one is ignored.";
    MetadataEndpointHttp = "metadata/endpoint-http", Error,
        "an endpoint uses plain http",
        "SAML messages carry credentials; an endpoint over http (outside localhost) exposes \
         them and most service providers and identity providers refuse it.";
    MetadataEndpointBadUrl = "metadata/endpoint-bad-url", Error,
        "an endpoint Location is not an https URL",
        "A Location that is empty, relative, or uses a scheme such as javascript: or file: is \
         either broken or an injection attempt.";
    MetadataAcsIndexDuplicate = "metadata/acs-index-duplicate", Error,
        "two AssertionConsumerServices share an index",
        "AuthnRequests choose the ACS by index; a duplicate index makes the choice ambiguous \
         (Metadata 2.2.3).";
    MetadataAcsIndexInvalid = "metadata/acs-index-invalid", Warning,
        "an AssertionConsumerService has no valid index",
        "index is a required unsigned short on indexed endpoints (Metadata 2.2.3).";
    MetadataAcsMultipleDefaults = "metadata/acs-multiple-defaults", Error,
        "more than one default AssertionConsumerService",
        "At most one AssertionConsumerService may say isDefault=\"true\" (Metadata 2.2.3); \
         with several, which one the IdP posts to is undefined.";
    MetadataSigningKeyMissing = "metadata/signing-key-missing", Error,
        "no signing key",
        "An IdP role needs a KeyDescriptor for signing (use=\"signing\" or no use): the SP \
         verifies every Response with it. An SP that signs its requests needs one too.";
    MetadataKeyInfoNamespace = "metadata/keyinfo-wrong-namespace", Warning,
        "a certificate outside the XML-DSig namespace",
        "The KeyDescriptor's KeyInfo/X509Certificate is not in the XML-DSig namespace; strict \
         consumers do not find the key at all.";
    MetadataCertificateUnreadable = "metadata/certificate-unreadable", Error,
        "a certificate in the metadata cannot be read",
        "An X509Certificate that is not valid base64 DER gives the consumer no key.";
    MetadataCertificateExpired = "metadata/certificate-expired", Error,
        "a certificate in the metadata has expired",
        "Service providers that check certificate validity refuse signatures made with an \
         expired certificate; a new certificate must be created, activated and published.";
    MetadataCertificateNotYetValid = "metadata/certificate-not-yet-valid", Warning,
        "a certificate in the metadata is not valid yet",
        "Its validity starts in the future; usually the next key of a rollover, published early.";
    MetadataCertificateExpiresSoon = "metadata/certificate-expires-soon", Warning,
        "a certificate expires soon",
        "A certificate expires within the warning horizon (--warn-days, default 30 days). \
         `samlkit check` fails on it, so a deployment does not go out with a key about to \
         expire.";
    MetadataWeakRsaKey = "metadata/weak-rsa-key", Warning,
        "an RSA key under 2048 bits",
        "Keys under 2048 bits are weak; AWS IAM refuses keys under 1024 bits outright.";
    MetadataCertificateSha1 = "metadata/certificate-sha1", Warning,
        "a certificate signed with SHA-1",
        "SHA-1 certificate signatures are deprecated and refused by some consumers.";
    MetadataKeyRollover = "metadata/key-rollover", Info,
        "several signing keys: a rollover in progress",
        "The role lists more than one signing certificate, as identity providers do while \
         rolling keys over. Consumers must accept all of them until the old one is removed.";
    MetadataValidUntilPassed = "metadata/valid-until-passed", Error,
        "the metadata's validUntil has passed",
        "Consumers must not use metadata after validUntil (Metadata 2.1.1): a stale download, \
         or a publisher that stopped refreshing it.";
    MetadataCacheDuration = "metadata/cache-duration-absurd", Warning,
        "cacheDuration is unreadable or absurd",
        "cacheDuration must be an xs:duration such as PT6H; zero, negative or longer than a year \
         makes consumers re-read constantly or never.";
    MetadataWantAssertionsSigned = "metadata/want-assertions-signed", Info,
        "the SP wants signed assertions",
        "WantAssertionsSigned=\"true\": the SP verifies a signature on the Assertion itself, so \
         an IdP that signs only the Response is refused.";
    MetadataAuthnRequestsSigned = "metadata/authn-requests-signed", Info,
        "AuthnRequests are signed or must be",
        "AuthnRequestsSigned (SP) or WantAuthnRequestsSigned (IdP): the IdP needs the SP's \
         signing certificate, or unsigned requests are refused (Entra ID: AADSTS76021).";
    MetadataSignatureMissing = "metadata/signature-missing", Error,
        "the metadata is not signed",
        "Trust was configured for the metadata's signature but the file carries none: a \
         stripped signature, or the wrong file.";
    MetadataNotVerified = "metadata/not-verified", Error,
        "the metadata's signature does not verify",
        "No signature from the configured key covers the metadata; its keys and endpoints must \
         not be trusted.";
    MetadataSignatureNotChecked = "metadata/signature-not-checked", Info,
        "the metadata's signature was not checked",
        "The metadata is signed but no key was given to check it with (`samlkit metadata \
         --cert` or `--fingerprint`; in samlkit.toml for `samlkit check`, `[idp] \
         metadata_certs` or `metadata_fingerprints`).";
    MetadataSpEntityIdMismatch = "metadata/sp-entity-id-mismatch", Error,
        "the SP metadata's entityID is not the configured Identifier",
        "The IdP puts its configured Identifier into Audience; an SP whose metadata names \
         another entity ID refuses the assertion (Entra ID: Basic SAML Configuration › \
         Identifier).";
    MetadataSpAcsMismatch = "metadata/sp-acs-mismatch", Error,
        "the configured Reply URL is not an ACS of the SP metadata",
        "The IdP posts to its configured Reply URL; the SP accepts Responses only at the \
         AssertionConsumerService URLs of its metadata (Entra ID: AADSTS50011 on the way in).";
    MetadataSampleKeyNotInMetadata = "metadata/sample-key-not-in-metadata", Error,
        "a sample is signed with a certificate the IdP metadata does not list",
        "The certificate in the sample's KeyInfo is none of the metadata's signing keys: the \
         IdP rolled its key over and the SP holds stale metadata (\"Response signature \
         invalid\").";
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
                    "input",
                    "xml",
                    "response",
                    "assertion",
                    "time",
                    "subject",
                    "nameid",
                    "claims",
                    "signature",
                    "cert",
                    "metadata",
                    "request"
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
