//! The federation rules: one stable kebab-case code each, prefixed with its rule set, with the
//! rule set's own reference, the summary phrase for counts over an aggregate, the text that
//! documents it and the fix. Codes never change meaning; new rules are added, never renumbered.

use serde::Serialize;

use crate::rules::Severity;

/// Static facts about a federation rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FederationRuleInfo {
    pub code: &'static str,
    pub severity: Severity,
    /// Where the rule set states the requirement (a check number, a rule file, a section).
    pub reference: &'static str,
    pub title: &'static str,
    /// Completes "N entities …" in the per-rule summary of an aggregate.
    pub summary: &'static str,
    pub description: &'static str,
    pub fix: &'static str,
}

macro_rules! federation_rules {
    ($( $variant:ident = $code:literal, $severity:ident, $reference:literal,
        $title:literal, $summary:literal, $description:literal, $fix:literal; )*) => {
        /// Every rule of the federation rule sets.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum FederationRule { $( $variant, )* }

        impl FederationRule {
            /// All rules in declaration order.
            pub const ALL: &'static [FederationRule] = &[ $( FederationRule::$variant, )* ];

            pub fn info(self) -> FederationRuleInfo {
                match self {
                    $( FederationRule::$variant => FederationRuleInfo {
                        code: $code,
                        severity: Severity::$severity,
                        reference: $reference,
                        title: $title,
                        summary: $summary,
                        description: $description,
                        fix: $fix,
                    }, )*
                }
            }
        }
    };
}

impl FederationRule {
    pub fn code(self) -> &'static str {
        self.info().code
    }

    pub fn from_code(code: &str) -> Option<FederationRule> {
        FederationRule::ALL
            .iter()
            .copied()
            .find(|rule| rule.code() == code)
    }
}

federation_rules! {
    // ---- eduGAIN metadata validator: the aggregate (checks A1–A7)
    EdugainRootNotEntities = "edugain/root-not-entities-descriptor", Error,
        "eduGAIN validator A1; SAML Metadata 2.3",
        "the document root is not an EntitiesDescriptor",
        "documents whose root is not an EntitiesDescriptor",
        "A federation feed is an aggregate: its root element must be md:EntitiesDescriptor. A \
         lone EntityDescriptor is metadata of one entity, not a feed eduGAIN accepts.",
        "publish the feed with an md:EntitiesDescriptor root that holds the entities";
    EdugainNamespaceMissing = "edugain/namespace-missing", Error,
        "eduGAIN validator A2; eduGAIN Metadata Profile 1.3",
        "a required namespace is not declared on the root",
        "documents missing a namespace declaration",
        "The eduGAIN metadata profile requires the md, mdrpi, mdui and shibmd namespaces \
         (urn:oasis:names:tc:SAML:2.0:metadata, urn:oasis:names:tc:SAML:metadata:rpi, \
         urn:oasis:names:tc:SAML:metadata:ui, urn:mace:shibboleth:metadata:1.0) to be declared \
         on the aggregate's root element.",
        "declare the missing namespace on the root EntitiesDescriptor (xmlns:mdui=\"urn:oasis:names:tc:SAML:metadata:ui\" and so on)";
    EdugainPublicationInfo = "edugain/publication-info-missing", Error,
        "eduGAIN validator A3; eduGAIN Metadata Profile 3",
        "no mdrpi:PublicationInfo with publisher and creationInstant",
        "documents without complete PublicationInfo",
        "The aggregate's Extensions must carry mdrpi:PublicationInfo with the publisher and \
         creationInstant attributes, so consumers know who published it and when.",
        "add <mdrpi:PublicationInfo publisher=\"https://your-federation.example/\" creationInstant=\"2026-01-01T00:00:00Z\"/> to the root's md:Extensions";
    EdugainCreationInstant = "edugain/creation-instant-invalid", Error,
        "eduGAIN validator A4; MDRPI 2.2.1",
        "creationInstant is unreadable or in the future",
        "documents with a bad creationInstant",
        "PublicationInfo's creationInstant must be an xs:dateTime in UTC and must not point to \
         the future: a clock that runs ahead, or a hand-edited feed.",
        "let the aggregator write creationInstant from a correct UTC clock";
    EdugainValidUntilMissing = "edugain/valid-until-missing", Error,
        "eduGAIN validator A5; SAML Metadata 2.3.1",
        "the aggregate's validUntil is missing, unreadable or past",
        "documents without a usable validUntil",
        "The root EntitiesDescriptor must carry validUntil, readable as a time and not in the \
         past: consumers must refuse metadata after it, and a feed without one can be \
         replayed forever.",
        "have the aggregator set validUntil on the root EntitiesDescriptor (eduGAIN: 5 to 28 days after creationInstant) and re-sign the feed";
    EdugainValidityWindow = "edugain/valid-until-window", Error,
        "eduGAIN validator A6; eduGAIN Metadata Profile 3",
        "validUntil is outside the federation's window after creationInstant",
        "documents whose validity window is out of bounds",
        "validUntil must lie within the federation's window after creationInstant (eduGAIN: \
         5 to 28 days; the validator's page writes \"120 hours\" and \"2304 hours (28 days)\", \
         samlkit follows the 28 days of the eduGAIN profile; `--validity-window MIN-MAX` sets \
         another window in days): too short and consumers run out of valid metadata between \
         refreshes, too long and a compromised feed stays usable.",
        "configure the aggregator's validity interval within the window (eduGAIN: between 5 and 28 days)";
    EdugainCacheDuration = "edugain/cache-duration-out-of-range", Warning,
        "eduGAIN Metadata Profile (cacheDuration)",
        "cacheDuration is not between one and six hours",
        "documents with an out-of-range cacheDuration",
        "When the aggregate carries cacheDuration, the eduGAIN profile asks for a value between \
         one hour (PT1H) and six hours (PT6H), so changes and revocations reach consumers \
         within the day.",
        "set cacheDuration=\"PT6H\" (or another value from PT1H to PT6H) on the root";
    EdugainSchema = "edugain/schema-invalid", Error,
        "eduGAIN validator A7; saml-schema-metadata-2.0.xsd and the mdrpi, mdui, mdattr, shibmd schemas",
        "the metadata breaks a rule of the SAML metadata schemas",
        "entities that are not schema-valid",
        "The feed must validate against the SAML metadata schema and its extension schemas. \
         samlkit checks what the schemas require of these elements itself (no maintained Rust \
         XSD validator is good enough, see the note at the top of this section): the order of \
         an EntityDescriptor's, Organization's and ContactPerson's children and the ones they \
         require (OrganizationName, OrganizationDisplayName, OrganizationURL), a role on every \
         entity, required attributes \
         (protocolSupportEnumeration, Binding, Location, index, registrationAuthority, \
         xml:lang on localized names), the contactType enumeration, xs:boolean and \
         xs:unsignedShort values, and positive Logo sizes.",
        "correct the element or attribute the message names; schema-invalid entities are dropped by eduGAIN and by strict consumers";

    // ---- eduGAIN metadata validator: each entity (checks E1–E9 and warnings)
    EdugainEntityIdInvalid = "edugain/entity-id-invalid", Error,
        "eduGAIN validator E1; SAML Core 1.3.2",
        "the entityID has spaces or does not start with http://, https:// or urn:",
        "entities with an invalid entityID",
        "An entityID must contain no space characters and start with http://, https:// or urn:.",
        "register the entity under an absolute https:// URL (or a urn:) without spaces";
    EdugainEntityIdDuplicate = "edugain/entity-id-duplicate", Error,
        "eduGAIN validator E1",
        "the entityID is not unique within the feed",
        "entities whose entityID appears twice",
        "Every entityID must be unique within a feed; consumers keep one of the copies, not \
         always the one you expect.",
        "remove the stale copy, or give the entities distinct entityIDs";
    EdugainRegistrationInfo = "edugain/registration-info-missing", Error,
        "eduGAIN validator E2; eduGAIN Metadata Profile 3",
        "no mdrpi:RegistrationInfo with a registrationAuthority",
        "entities without RegistrationInfo",
        "Every entity must say which federation registered it: mdrpi:RegistrationInfo in the \
         entity's Extensions with registrationAuthority set to the value the federation \
         registered with the eduGAIN Operations Team.",
        "have the registrar add <mdrpi:RegistrationInfo registrationAuthority=\"https://your-federation.example/\"> to the entity's md:Extensions";
    EdugainRegistrationAuthority = "edugain/registration-authority-not-allowed", Error,
        "eduGAIN validator E2",
        "the registrationAuthority is not one the feed may carry",
        "entities with a foreign registrationAuthority",
        "The registrationAuthority must match the value registered for the federation that \
         publishes the feed (given with --registration-authority). Another value means the \
         entity was copied from another federation's feed.",
        "register the entity with your own federation, or drop the copy from your feed";
    EdugainRegistrationPolicy = "edugain/registration-policy-missing", Warning,
        "eduGAIN Metadata Profile 3; MDRPI 2.1.1",
        "RegistrationInfo has no RegistrationPolicy",
        "entities without a RegistrationPolicy",
        "RegistrationInfo should link the registration practice statement it was registered \
         under with an mdrpi:RegistrationPolicy (xml:lang=\"en\").",
        "add <mdrpi:RegistrationPolicy xml:lang=\"en\">https://your-federation.example/policy</mdrpi:RegistrationPolicy> to RegistrationInfo";
    EdugainRegistrationInfoRepeated = "edugain/registration-info-repeated", Error,
        "eduGAIN validator E8; MDRPI 2.1",
        "mdrpi:RegistrationInfo appears more than once",
        "entities with several RegistrationInfo elements",
        "An entity has exactly one registrar; two RegistrationInfo elements in its Extensions \
         leave it ambiguous which federation is responsible.",
        "keep the one RegistrationInfo of the federation that registered the entity";
    EdugainContactEmpty = "edugain/contact-empty", Error,
        "eduGAIN validator E3; SAML Metadata 2.3.2.2",
        "a ContactPerson element is empty",
        "entities with an empty contact detail",
        "GivenName, SurName, EmailAddress, TelephoneNumber and Company, when present in a \
         ContactPerson, must not be empty.",
        "fill in the contact detail, or remove the empty element";
    EdugainOrganizationEmpty = "edugain/organization-empty", Error,
        "eduGAIN validator E4/E5; SAML Metadata 2.3.2.1",
        "an Organization element is empty",
        "entities with an empty Organization detail",
        "OrganizationName, OrganizationDisplayName and OrganizationURL, when present, must not \
         be empty.",
        "fill in the organization's name, display name and URL";
    EdugainNoTechnicalContact = "edugain/no-technical-or-support-contact", Error,
        "eduGAIN validator E6; eduGAIN Metadata Profile 3",
        "no technical or support contact",
        "entities without a technical or support contact",
        "Each entity must list a ContactPerson with contactType technical or support, so \
         partners can reach someone when sign-in breaks.",
        "add <md:ContactPerson contactType=\"technical\"> with a GivenName and a mailto: EmailAddress";
    EdugainEmailNotMailto = "edugain/email-not-mailto", Warning,
        "eduGAIN validator E7; SAML Metadata 2.3.2.2",
        "an EmailAddress does not start with mailto:",
        "entities with an e-mail address without mailto:",
        "EmailAddress is an anyURI: an e-mail address must be written as a mailto: URI.",
        "write the address as mailto:someone@example.org";
    EdugainEntityAttributesRepeated = "edugain/entity-attributes-repeated", Error,
        "eduGAIN validator E9; MDAttr 2.3",
        "mdattr:EntityAttributes appears more than once",
        "entities with several EntityAttributes elements",
        "An Extensions element may hold one mdattr:EntityAttributes; consumers read only one \
         of several, and entity categories or Sirtfi in the other are lost.",
        "merge the attributes into a single mdattr:EntityAttributes";
    EdugainEntityAttributesInRole = "edugain/entity-attributes-in-role", Error,
        "MDAttr 2.3 (eduGAIN validator E9)",
        "mdattr:EntityAttributes inside a role's Extensions",
        "entities with EntityAttributes in a role",
        "EntityAttributes belong to the EntityDescriptor's (or EntitiesDescriptor's) \
         Extensions; inside an IDPSSODescriptor or SPSSODescriptor they are ignored, so the \
         categories they carry never apply.",
        "move the mdattr:EntityAttributes to the EntityDescriptor's md:Extensions";
    EdugainUiInfoMissing = "edugain/mdui-missing", Warning,
        "eduGAIN Metadata Profile (mdui); MDUI 2.1",
        "the IdP or SP role has no mdui:UIInfo",
        "entities without mdui:UIInfo",
        "Discovery services and consent screens show users the mdui:UIInfo of an IdP or SP \
         role: without it they show a bare entityID.",
        "add <mdui:UIInfo> with DisplayName, Description and Logo to the role's md:Extensions";
    EdugainDisplayNameEnglish = "edugain/mdui-display-name-not-english", Warning,
        "eduGAIN Metadata Profile (mdui); ukf-meta mdui_dn_en_present.xsl",
        "no English mdui:DisplayName",
        "entities without an English DisplayName",
        "Interfederated entities are shown to users in every country; the profile asks for an \
         mdui:DisplayName with xml:lang=\"en\".",
        "add <mdui:DisplayName xml:lang=\"en\">…</mdui:DisplayName>";
    EdugainDescriptionMissing = "edugain/mdui-description-missing", Warning,
        "eduGAIN Metadata Profile (mdui)",
        "no mdui:Description",
        "entities without a Description",
        "mdui:Description tells users what the service is before they sign in to it.",
        "add <mdui:Description xml:lang=\"en\">…</mdui:Description>";
    EdugainLogo = "edugain/mdui-logo", Warning,
        "eduGAIN Metadata Profile (mdui); ukf-meta check_mdui.xsl",
        "no mdui:Logo, or a logo not served over https",
        "entities without an https Logo",
        "Discovery services show the mdui:Logo; one fetched over http breaks mixed-content \
         pages, and one that is missing leaves users guessing.",
        "add <mdui:Logo height=\"…\" width=\"…\">https://…</mdui:Logo>";
    EdugainAttributeValue = "edugain/attribute-value-whitespace", Warning,
        "eduGAIN validator (warnings); MDAttr",
        "an entity attribute value has surrounding whitespace or is repeated",
        "entities with untidy entity attribute values",
        "Entity attribute values are compared as exact strings: a category value with a space \
         or a line break around it does not match, and a repeated value is a copy-paste slip.",
        "write each value once, without surrounding whitespace";
    EdugainScopeRegexp = "edugain/scope-regexp", Warning,
        "eduGAIN validator (warnings); shibmd Scope schema",
        "a shibmd:Scope without a regexp attribute, or a regular expression scope",
        "entities with an unclear shibmd:Scope",
        "shibmd:Scope must say whether it is a regular expression with regexp=\"false\" or \
         regexp=\"true\"; many consumers refuse regular expression scopes, which let an IdP \
         assert scoped attributes for domains it does not own.",
        "write <shibmd:Scope regexp=\"false\">example.org</shibmd:Scope>";

    // ---- the UK federation's ukf-meta rules: endpoints and text
    UkfLocationNotHttps = "ukf/location-not-https", Error,
        "ukf-meta mdx/_rules/check_misc.xsl",
        "an endpoint Location does not start with https://",
        "entities with a non-https endpoint",
        "Every endpoint's Location must start with https://: SAML messages carry credentials.",
        "serve the endpoint over https and publish the https:// URL";
    UkfLocationSpace = "ukf/location-space", Error,
        "ukf-meta mdx/_rules/check_misc.xsl",
        "an endpoint Location contains a space",
        "entities with a space in an endpoint",
        "A URL has no spaces; one in a Location is a typing mistake and the endpoint cannot be \
         reached as written.",
        "remove the space (or write it as %20 in the path only if the server really expects it)";
    UkfLocationPercent = "ukf/location-url-encoded", Error,
        "ukf-meta mdx/_rules/check_misc.xsl",
        "an endpoint Location contains %",
        "entities with a URL-encoded endpoint",
        "A % in a Location is the sign of a URL that was URL-encoded instead of XML-escaped; \
         consumers then call the wrong address.",
        "write the URL as is, escaping only & as &amp; in the XML";
    UkfLocationInvalid = "ukf/location-invalid-url", Error,
        "ukf-meta mdx/_rules/check_saml2meta.xsl",
        "an endpoint Location is not a valid URL",
        "entities with an invalid endpoint URL",
        "A Location must be an absolute URL with a host.",
        "publish the complete https:// URL of the endpoint";
    UkfBindingSpace = "ukf/binding-space", Error,
        "ukf-meta mdx/_rules/check_misc.xsl",
        "a Binding contains a space",
        "entities with a space in a Binding",
        "A Binding is a URI compared character for character; with a space in it no consumer \
         recognises it and the endpoint is ignored.",
        "copy the binding URI exactly, e.g. urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
    UkfIndexDuplicate = "ukf/index-duplicate", Error,
        "ukf-meta mdx/_rules/check_saml2meta.xsl; SAML Metadata 2.2.3",
        "two AssertionConsumerService or ArtifactResolutionService endpoints share an index",
        "entities with a duplicate endpoint index",
        "Indexed endpoints are chosen by index; two with one index in a role make the choice \
         ambiguous.",
        "give every indexed endpoint of the role its own index";
    UkfEmptyLang = "ukf/empty-lang", Error,
        "ukf-meta mdx/_rules/check_misc.xsl",
        "an empty xml:lang attribute",
        "entities with an empty xml:lang",
        "xml:lang=\"\" is not schema-valid (some SAML stacks write it); consumers that match \
         the user's language skip the element.",
        "write the language, e.g. xml:lang=\"en\"";
    UkfDisplayNameLineBreak = "ukf/display-name-line-break", Error,
        "ukf-meta mdx/_rules/check_misc.xsl",
        "a display name contains a line break",
        "entities with a line break in a display name",
        "OrganizationDisplayName and mdui:DisplayName are shown on one line in discovery \
         services; a line break in them is a formatting slip.",
        "write the display name on one line";

    // ---- saml2int (Kantara SAML V2.0 Interoperability Deployment Profile)
    Saml2intSpHttpPost = "saml2int/sp-no-http-post-acs", Error,
        "saml2int (SAML2Int 9.1); ukf-meta check_saml2int.xsl",
        "the SP has no HTTP-POST AssertionConsumerService",
        "SPs without an HTTP-POST ACS",
        "Identity providers return Responses with the HTTP-POST binding; an SP that lists no \
         HTTP-POST AssertionConsumerService cannot receive them.",
        "add <md:AssertionConsumerService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" Location=\"https://…\" index=\"…\"/>";
    Saml2intIdpSigningKey = "saml2int/idp-no-signing-key", Error,
        "saml2int (SAML2Int 9.1); ukf-meta check_saml2int.xsl",
        "the IdP has no embedded signing key",
        "IdPs without a signing key",
        "Responses must be signed, so an IdP role needs a KeyDescriptor with use=\"signing\" (or \
         no use) holding an X509 certificate.",
        "publish the IdP's signing certificate in a <md:KeyDescriptor use=\"signing\">";
    Saml2intSpNameIdFormats = "saml2int/sp-excludes-nameid-formats", Error,
        "saml2int (SAML2Int 6); ukf-meta check_saml2int.xsl",
        "the SP lists NameID formats but neither persistent nor transient",
        "SPs excluding both persistent and transient NameIDs",
        "An SP that lists NameIDFormat elements excludes every format it does not list; one \
         that excludes both persistent and transient cannot work with deployments following \
         the profile.",
        "list urn:oasis:names:tc:SAML:2.0:nameid-format:persistent or …:transient, or remove the NameIDFormat elements";
    Saml2intIdpTransient = "saml2int/idp-excludes-transient", Error,
        "saml2int (SAML2Int 6); ukf-meta check_saml2int.xsl",
        "the IdP lists NameID formats without transient",
        "IdPs excluding transient NameIDs",
        "An IdP that lists NameIDFormat elements must include transient, which every SP may \
         ask for.",
        "add <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</md:NameIDFormat>";
    Saml2intNameFormat = "saml2int/attribute-name-format", Error,
        "saml2int (SAML2Int 7); ukf-meta check_saml2int.xsl",
        "an Attribute's NameFormat is missing or not uri",
        "entities with a non-uri attribute NameFormat",
        "Attributes are named by URI: NameFormat must be \
         urn:oasis:names:tc:SAML:2.0:attrname-format:uri.",
        "set NameFormat=\"urn:oasis:names:tc:SAML:2.0:attrname-format:uri\" and name the attribute by its URI (urn:oid:…)";

    // ---- SIRTFI v1 and v2 (REFEDS)
    SirtfiNotAsserted = "sirtfi/not-asserted", Info,
        "REFEDS Sirtfi; Guide for Federation Participants",
        "the entity does not assert Sirtfi",
        "entities not asserting Sirtfi",
        "The entity attribute urn:oasis:names:tc:SAML:attribute:assurance-certification does \
         not hold https://refeds.org/sirtfi: partners cannot rely on the entity taking part in \
         federated security incident response.",
        "after the Sirtfi self-assessment, add the assurance-certification entity attribute with https://refeds.org/sirtfi (and https://refeds.org/sirtfi2) and a security contact";
    SirtfiNoSecurityContact = "sirtfi/no-security-contact", Error,
        "REFEDS Sirtfi; Security Contact Metadata Extension Schema",
        "Sirtfi is asserted without a security contact",
        "Sirtfi entities without a security contact",
        "An entity that asserts Sirtfi must list a security contact: a ContactPerson with \
         contactType=\"other\" and \
         remd:contactType=\"http://refeds.org/metadata/contactType/security\".",
        "add <md:ContactPerson contactType=\"other\" xmlns:remd=\"http://refeds.org/metadata\" remd:contactType=\"http://refeds.org/metadata/contactType/security\"> with GivenName and a mailto: EmailAddress";
    SirtfiContactIncomplete = "sirtfi/security-contact-incomplete", Error,
        "REFEDS Security Contact Metadata Extension Schema",
        "the security contact lacks GivenName or EmailAddress",
        "entities with an incomplete security contact",
        "GivenName and EmailAddress are mandatory for a Sirtfi security contact.",
        "give the security contact a GivenName (e.g. Security Response Team) and a mailto: EmailAddress";
    SirtfiContactType = "sirtfi/security-contact-type", Error,
        "REFEDS Security Contact Metadata Extension Schema",
        "the security contact's contactType is not other",
        "entities whose security contact is not contactType other",
        "The REFEDS security contact is a ContactPerson with contactType=\"other\" refined by \
         remd:contactType; consumers look for exactly that pair.",
        "set contactType=\"other\" on the security ContactPerson";
    SirtfiValueUnknown = "sirtfi/value-unknown", Warning,
        "REFEDS Sirtfi v1 and v2 (the assurance-certification values)",
        "an assurance-certification value that is almost a Sirtfi value",
        "entities with a misspelt Sirtfi value",
        "Only https://refeds.org/sirtfi and https://refeds.org/sirtfi2 assert Sirtfi; consumers \
         compare the value character for character, so http://, a trailing slash or another \
         spelling asserts nothing.",
        "write the value exactly as https://refeds.org/sirtfi (and https://refeds.org/sirtfi2)";
    SirtfiV2WithoutV1 = "sirtfi/v2-without-v1", Error,
        "REFEDS Sirtfi v2; Guide for Federation Participants step 3",
        "Sirtfi v2 is asserted without Sirtfi v1",
        "entities asserting Sirtfi v2 alone",
        "Sirtfi v2 compliance implies v1: the assurance-certification attribute must hold both \
         https://refeds.org/sirtfi and https://refeds.org/sirtfi2, so consumers that know only \
         v1 still see it.",
        "add the value https://refeds.org/sirtfi next to https://refeds.org/sirtfi2";

    // ---- REFEDS Research and Scholarship
    RandsNoRequestedAttributes = "rands/sp-no-requested-attributes", Error,
        "REFEDS R&S 5 (attribute release)",
        "an R&S SP requests no attributes",
        "R&S SPs requesting no attributes",
        "An IdP releases R&S attributes that the SP requests in its metadata; an R&S SP with \
         no md:RequestedAttribute may receive nothing at all.",
        "list the R&S attributes the service needs as <md:RequestedAttribute> in an AttributeConsumingService";
    RandsSpMetadata = "rands/sp-metadata-incomplete", Error,
        "REFEDS R&S 4.3 (registration criteria)",
        "an R&S SP lacks DisplayName, InformationURL or a technical contact",
        "R&S SPs with incomplete metadata",
        "The R&S registration criteria require the SP's metadata to carry mdui:DisplayName, \
         mdui:InformationURL and a technical contact.",
        "add the missing mdui:DisplayName, mdui:InformationURL or technical ContactPerson";
    RandsOutsideBundle = "rands/requested-attribute-outside-bundle", Info,
        "REFEDS R&S 5 (attribute bundle)",
        "an R&S SP requests an attribute outside the R&S bundle",
        "R&S SPs requesting attributes outside the bundle",
        "R&S obliges identity providers to release the bundle only: a shared user identifier \
         (eduPersonPrincipalName, eduPersonTargetedID, eduPersonUniqueId, subject-id or \
         pairwise-id), the person's name (displayName, givenName, sn), mail and \
         eduPersonScopedAffiliation. Anything else the SP requests may not arrive.",
        "do not rely on the attribute arriving through R&S; ask the identity providers for it separately";
    RandsCategoryOnIdp = "rands/category-on-non-sp", Warning,
        "REFEDS R&S 2 (syntax)",
        "the R&S entity category on an entity without an SP role",
        "non-SP entities in the R&S category",
        "The entity category http://macedir.org/entity-category with the R&S value belongs to \
         service providers; an IdP declares support with http://macedir.org/entity-category-support.",
        "for an IdP, use the attribute name http://macedir.org/entity-category-support";

    // ---- InCommon Baseline Expectations
    IncommonTechnicalContact = "incommon/no-technical-contact", Error,
        "InCommon Baseline Expectations (metadata health check)",
        "no technical contact with an e-mail address",
        "entities without a technical contact",
        "Baseline Expectations require at least one technical contact with an e-mail address.",
        "add <md:ContactPerson contactType=\"technical\"> with a mailto: EmailAddress";
    IncommonAdministrativeContact = "incommon/no-administrative-contact", Error,
        "InCommon Baseline Expectations (metadata health check)",
        "no administrative contact with an e-mail address",
        "entities without an administrative contact",
        "Baseline Expectations require at least one administrative contact with an e-mail \
         address.",
        "add <md:ContactPerson contactType=\"administrative\"> with a mailto: EmailAddress";
    IncommonSecurityContact = "incommon/no-security-contact", Error,
        "InCommon Baseline Expectations (metadata health check)",
        "no security contact with an e-mail address",
        "entities without a security contact",
        "Baseline Expectations require a REFEDS security contact (contactType=\"other\", \
         remd:contactType security) with an e-mail address.",
        "add a REFEDS security ContactPerson with a mailto: EmailAddress";
    IncommonDisplayName = "incommon/no-display-name", Error,
        "InCommon Baseline Expectations (metadata health check)",
        "no mdui:DisplayName",
        "entities without a DisplayName",
        "Baseline Expectations require an mdui:DisplayName for every IdP and SP role.",
        "add <mdui:DisplayName xml:lang=\"en\">…</mdui:DisplayName> to the role's mdui:UIInfo";
    IncommonLogo = "incommon/no-https-logo", Error,
        "InCommon Baseline Expectations (metadata health check)",
        "no https mdui:Logo",
        "entities without an https Logo",
        "Baseline Expectations require a logo URL served over https.",
        "add <mdui:Logo height=\"…\" width=\"…\">https://…</mdui:Logo>";
    IncommonPrivacy = "incommon/no-privacy-statement", Error,
        "InCommon Baseline Expectations (metadata health check)",
        "no mdui:PrivacyStatementURL",
        "entities without a privacy statement",
        "Baseline Expectations require a privacy statement URL.",
        "add <mdui:PrivacyStatementURL xml:lang=\"en\">https://…</mdui:PrivacyStatementURL>";
    IncommonErrorUrl = "incommon/idp-no-error-url", Warning,
        "InCommon Baseline Expectations (recommended element)",
        "the IdP role has no errorURL",
        "IdPs without an errorURL",
        "An errorURL on the IDPSSODescriptor gives SPs a page to send users to when sign-in \
         fails; Baseline Expectations recommend one.",
        "add errorURL=\"https://…\" to the IDPSSODescriptor";

    // ---- key strength and expiry, graded as pyFF's certreport does
    KeysRsaUnder1024 = "keys/rsa-under-1024", Error,
        "pyFF certreport (error under 1024 bits)",
        "an RSA key under 1024 bits",
        "entities with an RSA key under 1024 bits",
        "RSA keys under 1024 bits can be factored; pyFF's certreport grades them as errors and \
         AWS refuses them.",
        "generate a new key of at least 2048 bits, publish its certificate next to the old one, switch over, then remove the old one";
    KeysRsaUnder2048 = "keys/rsa-under-2048", Warning,
        "pyFF certreport (warning under 2048 bits)",
        "an RSA key under 2048 bits",
        "entities with an RSA key under 2048 bits",
        "RSA keys under 2048 bits are below current guidance; pyFF's certreport warns about them.",
        "roll the key over to one of at least 2048 bits";
    KeysExpired = "keys/certificate-expired", Error,
        "pyFF certreport (expired)",
        "a certificate in the entity has expired",
        "entities with an expired certificate",
        "Consumers that check certificate validity refuse signatures made with an expired \
         certificate.",
        "publish a new certificate, let consumers pick it up, switch over, then remove the expired one";
    KeysExpiresSoon = "keys/certificate-expires-soon", Warning,
        "pyFF certreport (about to expire)",
        "a certificate in the entity expires soon",
        "entities with a certificate that expires soon",
        "A certificate expires within the warning horizon (--warn-days, default 30 days).",
        "start the key rollover now: publish the next certificate beside the current one";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case_and_belong_to_a_rule_set() {
        let mut seen = std::collections::HashSet::new();
        for rule in FederationRule::ALL {
            let info = rule.info();
            assert!(seen.insert(info.code), "duplicate code {}", info.code);
            let (set, name) = info.code.split_once('/').expect("set/name");
            assert!(
                super::super::RuleSet::from_name(set).is_some(),
                "{}: unknown rule set",
                info.code
            );
            assert!(name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
            assert!(!info.reference.is_empty() && !info.fix.is_empty());
            assert_eq!(FederationRule::from_code(info.code), Some(*rule));
        }
    }
}
