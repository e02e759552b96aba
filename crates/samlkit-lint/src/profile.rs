//! Service-provider profiles: what each service provider needs from a SAMLResponse. The
//! requirements (NameID formats, attributes, audiences, ACS URLs, signing, error words) are
//! read from `data/sps/*.toml`, and a user's own profile file has the same shape
//! (`--profile-file`). `generic` is the SAML 2.0 Web Browser SSO profile alone.

use serde::{Serialize, Serializer};

use crate::console_data::{
    console_data, parse_sp, ConsoleDataError, SigningRequirement, SpEntry, SpFixKind,
    SpRequirements, ValueKind,
};

pub const NAMEID_UNSPECIFIED: &str = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";
pub const NAMEID_EMAIL: &str = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
pub const NAMEID_PERSISTENT: &str = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent";
pub const NAMEID_TRANSIENT: &str = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";
pub const AWS_ROLE: &str = "https://aws.amazon.com/SAML/Attributes/Role";
pub const AWS_ROLE_SESSION_NAME: &str = "https://aws.amazon.com/SAML/Attributes/RoleSessionName";
pub const AWS_SESSION_DURATION: &str = "https://aws.amazon.com/SAML/Attributes/SessionDuration";
pub const AWS_PRINCIPAL_TAG_PREFIX: &str = "https://aws.amazon.com/SAML/Attributes/PrincipalTag:";
pub const AWS_SIGNIN: &str = "https://signin.aws.amazon.com/saml";

/// A service provider whose needs samlkit knows: a built-in profile, or one read from a
/// user's profile file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    Generic,
    AmazonQBusiness,
    AwsIam,
    AwsIdentityCenter,
    Slack,
    Github,
    Atlassian,
    /// A profile from `--profile-file` (kept for the whole run).
    Custom(&'static SpEntry),
}

impl Serialize for Profile {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
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
            Profile::Custom(entry) => &entry.profile,
        }
    }

    /// Reads a user's profile file (the shape `samlkit profiles --show NAME` prints). The
    /// profile lives for the rest of the run.
    pub fn from_file(label: &str, text: &str) -> Result<Profile, ConsoleDataError> {
        let entry = parse_sp(label, text)?;
        Ok(Profile::Custom(Box::leak(Box::new(entry))))
    }

    /// The profile's requirements from the data (`None` for generic).
    pub fn entry(self) -> Option<&'static SpEntry> {
        match self {
            Profile::Generic => None,
            Profile::Custom(entry) => Some(entry),
            builtin => console_data().ok()?.sp(builtin.name()),
        }
    }

    /// The words the service provider shows when it refuses a sign-in (its first `[[errors]]`
    /// entry, such as Amazon Q Business's "Permission needed"), for the headline of findings
    /// about what it requires.
    pub fn error_words(self) -> Option<&'static str> {
        self.entry()?.errors.first().map(|e| e.words.as_str())
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
            Profile::Custom(entry) => &entry.name,
        }
    }

    /// What the profile checks on top of the generic rules, one line each.
    pub fn checks(self) -> Vec<String> {
        let lines: &[&str] = match self {
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
            Profile::Custom(entry) => return custom_checks(entry),
        };
        lines.iter().map(|line| line.to_string()).collect()
    }

    /// The attribute the service provider reads the user from, when the profile has one: its
    /// first required attribute holding an e-mail address.
    pub fn default_user_id_attribute(self) -> Option<&'static str> {
        self.entry()?
            .requirements
            .attributes
            .iter()
            .find(|a| a.required && a.value == ValueKind::Email)
            .map(|a| a.name.as_str())
    }

    /// NameID formats the service provider accepts (empty: any).
    pub fn accepted_name_id_formats(self) -> Vec<&'static str> {
        self.list(|r| &r.name_id_formats)
    }

    /// NameID formats the service provider refuses although it accepts any other.
    pub fn refused_name_id_formats(self) -> Vec<&'static str> {
        self.list(|r| &r.name_id_formats_refused)
    }

    /// One of the requirements' lists (empty for generic).
    fn list(self, pick: fn(&'static SpRequirements) -> &'static Vec<String>) -> Vec<&'static str> {
        self.entry().map_or(Vec::new(), |e| {
            pick(&e.requirements).iter().map(String::as_str).collect()
        })
    }

    /// Whether a missing NameID is an error for this service provider.
    pub fn requires_name_id(self) -> bool {
        !matches!(self, Profile::Generic)
    }

    /// Audiences the service provider uses when `--sp-entity-id` is not given.
    pub fn default_audiences(self) -> Vec<&'static str> {
        self.list(|r| &r.audiences)
    }

    /// Where the service provider's own settings page makes a change, in its own words.
    pub fn sp_fix(self, kind: SpFixKind) -> Option<&'static str> {
        self.entry()?
            .fixes
            .get(&kind)
            .map(|cited| cited.text.as_str())
    }

    /// Whether the Response element itself must be signed.
    pub fn requires_signed_response(self) -> bool {
        self.entry()
            .is_some_and(|e| e.requirements.signing == SigningRequirement::Response)
    }
}

/// A custom profile's requirements in words, for `samlkit profiles`.
fn custom_checks(entry: &SpEntry) -> Vec<String> {
    let req = &entry.requirements;
    let mut lines = Vec::new();
    if !req.name_id_formats.is_empty() {
        lines.push(format!(
            "NameID format one of {}",
            req.name_id_formats.join(", ")
        ));
    }
    if !req.name_id_formats_refused.is_empty() {
        lines.push(format!(
            "NameID format not {}",
            req.name_id_formats_refused.join(", ")
        ));
    }
    if req.name_id_is_email {
        lines.push("NameID is the user's e-mail address".to_string());
    }
    for attribute in &req.attributes {
        let need = if attribute.required {
            "required"
        } else {
            "optional"
        };
        lines.push(format!(
            "attribute {} ({need}): {}",
            attribute.name,
            attribute.value.describe()
        ));
    }
    if !req.audiences.is_empty() {
        lines.push(format!("Audience one of {}", req.audiences.join(", ")));
    }
    if !req.acs_suffixes.is_empty() {
        lines.push(format!(
            "ACS URL ends with {}",
            req.acs_suffixes.join(" or ")
        ));
    }
    if req.signing == SigningRequirement::Response {
        lines.push("the Response itself is signed".to_string());
    }
    lines
}
