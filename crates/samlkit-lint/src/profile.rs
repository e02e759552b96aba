//! Service-provider profiles: what each service provider needs from a SAMLResponse, taken from
//! the SSO field guide. `generic` is the SAML 2.0 Web Browser SSO profile alone.

use serde::Serialize;

pub const NAMEID_UNSPECIFIED: &str = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";
pub const NAMEID_EMAIL: &str = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
pub const NAMEID_PERSISTENT: &str = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent";
pub const NAMEID_TRANSIENT: &str = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";
pub const AWS_ROLE: &str = "https://aws.amazon.com/SAML/Attributes/Role";
pub const AWS_ROLE_SESSION_NAME: &str = "https://aws.amazon.com/SAML/Attributes/RoleSessionName";
pub const AWS_SESSION_DURATION: &str = "https://aws.amazon.com/SAML/Attributes/SessionDuration";
pub const AWS_PRINCIPAL_TAG_PREFIX: &str = "https://aws.amazon.com/SAML/Attributes/PrincipalTag:";
pub const AWS_SIGNIN: &str = "https://signin.aws.amazon.com/saml";

/// A service provider whose needs samlkit knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Profile {
    Generic,
    AmazonQBusiness,
    AwsIam,
    AwsIdentityCenter,
    Slack,
    Github,
    Atlassian,
}

impl Profile {
    pub const ALL: [Profile; 7] = [
        Profile::Generic,
        Profile::AmazonQBusiness,
        Profile::AwsIam,
        Profile::AwsIdentityCenter,
        Profile::Slack,
        Profile::Github,
        Profile::Atlassian,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Profile::Generic => "generic",
            Profile::AmazonQBusiness => "amazon-q-business",
            Profile::AwsIam => "aws-iam",
            Profile::AwsIdentityCenter => "aws-identity-center",
            Profile::Slack => "slack",
            Profile::Github => "github",
            Profile::Atlassian => "atlassian",
        }
    }

    pub fn from_name(name: &str) -> Option<Profile> {
        Profile::ALL.into_iter().find(|p| p.name() == name)
    }

    pub fn title(self) -> &'static str {
        match self {
            Profile::Generic => "SAML 2.0 Web Browser SSO profile",
            Profile::AmazonQBusiness => "Amazon Q Business (SAML web experience)",
            Profile::AwsIam => "AWS IAM SAML federation (AssumeRoleWithSAML)",
            Profile::AwsIdentityCenter => "AWS IAM Identity Center",
            Profile::Slack => "Slack",
            Profile::Github => "GitHub Enterprise Cloud",
            Profile::Atlassian => "Atlassian Cloud",
        }
    }

    /// What the profile checks on top of the generic rules, one line each.
    pub fn checks(self) -> &'static [&'static str] {
        match self {
            Profile::Generic => &[
                "status Success; at least one assertion, signed by a trusted key",
                "Issuer equals the IdP metadata entityID (Response and assertion)",
                "Destination and bearer Recipient equal --acs-url; Audience contains --sp-entity-id",
                "InResponseTo equals --request-id (IdP-initiated explained when absent)",
                "validity windows judged at --now with --clock-skew",
                "NameID present and whole; --user-id-attribute present with one value, if given",
            ],
            Profile::AmazonQBusiness => &[
                "an attribute whose Name is exactly --user-id-attribute (default Email) with one non-empty e-mail value",
                "NameID present with format unspecified (emailAddress or transient is an error)",
                "signed by a trusted key; audience and recipient as configured",
            ],
            Profile::AwsIam => &[
                "attribute https://aws.amazon.com/SAML/Attributes/Role: role-arn,provider-arn values",
                "RoleSessionName: 2-64 of [a-zA-Z_0-9+=,.@-]; SessionDuration 900-43200 if present",
                "exactly one bearer SubjectConfirmation with NotOnOrAfter and Recipient https://signin.aws.amazon.com/saml (or regional)",
                "Audience https://signin.aws.amazon.com/saml, urn:amazon:webservices or regional; NameID present",
                "PrincipalTag attributes noted (the role must allow sts:TagSession)",
            ],
            Profile::AwsIdentityCenter => &[
                "NameID format emailAddress with an e-mail value equal to the Identity Center username",
            ],
            Profile::Slack => &[
                "the Response itself is signed (an assertion-only signature is refused)",
                "NameID persistent; attribute User.Email present",
                "Audience https://slack.com unless --sp-entity-id says otherwise",
            ],
            Profile::Github => &[
                "NameID persistent (transient re-links the account at every sign-in)",
                "ACS URL ends with /saml/consume",
            ],
            Profile::Atlassian => &[
                "NameID is the user's e-mail address",
                "givenname, surname and name claims present",
            ],
        }
    }

    /// The attribute the service provider reads the user from, when the profile has one.
    pub fn default_user_id_attribute(self) -> Option<&'static str> {
        match self {
            Profile::AmazonQBusiness => Some("Email"),
            Profile::Slack => Some("User.Email"),
            _ => None,
        }
    }

    /// NameID formats the service provider accepts (empty: any).
    pub fn accepted_name_id_formats(self) -> &'static [&'static str] {
        match self {
            Profile::AmazonQBusiness => &[NAMEID_UNSPECIFIED],
            Profile::AwsIdentityCenter => &[NAMEID_EMAIL],
            Profile::Slack | Profile::Github => &[NAMEID_PERSISTENT],
            _ => &[],
        }
    }

    /// Whether a missing NameID is an error for this service provider.
    pub fn requires_name_id(self) -> bool {
        !matches!(self, Profile::Generic)
    }

    /// Audiences the service provider uses when `--sp-entity-id` is not given.
    pub fn default_audiences(self) -> &'static [&'static str] {
        match self {
            Profile::AwsIam => &[AWS_SIGNIN, "urn:amazon:webservices"],
            Profile::Slack => &["https://slack.com"],
            _ => &[],
        }
    }
}
