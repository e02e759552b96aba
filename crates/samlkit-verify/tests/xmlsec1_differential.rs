//! Differential test against `xmlsec1 --verify` (Debian package `xmlsec1`).
//!
//! Generates a few hundred SAML responses that vary in what canonicalization must get right —
//! prefixes, default namespaces, redundant and unused declarations, whitespace and CRLF,
//! attribute order, comments, processing instructions, CDATA, character references, non-ASCII
//! text, `xml:*` attributes, InclusiveNamespaces prefix lists, the three C14N algorithms —
//! has xmlsec1 sign each one, makes a tampered copy of each, and checks both with samlkit and
//! with xmlsec1 using the same key.
//!
//! * samlkit accepting what xmlsec1 rejects is a stop-ship bug: the test fails.
//! * samlkit rejecting what xmlsec1 accepts is expected only where samlkit's profile is
//!   stricter; every such case is printed with its reason, and a reason that is a
//!   cryptographic stage (digest or signature value) fails the test, since it would mean the
//!   two canonicalizers disagree.
//!
//! Each xmlsec1 call is one process (xmlsec1 stops at the first failing file of a batch, so
//! batching cannot report per-file verdicts); calls run on as many threads as there are cores.
//! `SAMLKIT_DIFF_SEED` and `SAMLKIT_DIFF_COUNT` change the seed and the number of documents.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use samlkit_verify::{verify_document, FindingCode, Stage, TrustStore, Verdict, VerifyOptions};

const SAML: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
const SAMLP: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
const DS: &str = "http://www.w3.org/2000/09/xmldsig#";
const EXC: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
const XS: &str = "http://www.w3.org/2001/XMLSchema";
const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// xorshift64*: small, deterministic, dependency-free.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Which key signs, and the algorithm URIs.
#[derive(Clone, Copy)]
struct Algorithms {
    key: &'static str,
    signature: &'static str,
    digest: &'static str,
    c14n: &'static str,
    c14n_name: &'static str,
}

const SIGNATURES: [(&str, &str); 5] = [
    ("idp", "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"),
    ("idp", "http://www.w3.org/2000/09/xmldsig#rsa-sha1"),
    ("idp", "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384"),
    ("idp", "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512"),
    (
        "ec384",
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384",
    ),
];
const DIGESTS: [&str; 4] = [
    "http://www.w3.org/2000/09/xmldsig#sha1",
    "http://www.w3.org/2001/04/xmlenc#sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512",
];
const C14NS: [(&str, &str); 4] = [
    (EXC, "exc"),
    (
        "http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
        "exc-with-comments",
    ),
    ("http://www.w3.org/TR/2001/REC-xml-c14n-20010315", "c14n10"),
    ("http://www.w3.org/2006/12/xml-c14n11", "c14n11"),
];

/// Writes elements, declaring a namespace only where the prefix is not already bound to it
/// (plus, at random, redundant and unused declarations).
struct Writer<'r> {
    out: String,
    scopes: Vec<Vec<(String, String)>>,
    random: &'r mut Random,
    crlf: bool,
}

impl<'r> Writer<'r> {
    fn bound(&self, prefix: &str) -> Option<&str> {
        self.scopes
            .iter()
            .rev()
            .flat_map(|scope| scope.iter().rev())
            .find(|(p, _)| p == prefix)
            .map(|(_, uri)| uri.as_str())
    }

    fn whitespace(&mut self) {
        let choice = self.random.below(6);
        let text = match choice {
            0 | 1 => "",
            2 => "\n",
            3 => "\n  ",
            4 => "\t",
            _ => " ",
        };
        if self.crlf {
            self.out.push_str(&text.replace('\n', "\r\n"));
        } else {
            self.out.push_str(text);
        }
    }

    /// Opens `{namespace}local` with `prefix` and the given attributes (in random order).
    fn open(
        &mut self,
        prefix: &str,
        namespace: &str,
        local: &str,
        attributes: &[(String, String)],
    ) {
        let qname = if prefix.is_empty() {
            local.to_string()
        } else {
            format!("{prefix}:{local}")
        };
        let mut declarations: Vec<(String, String)> = Vec::new();
        if self.bound(prefix) != Some(namespace) || self.random.chance(10) {
            declarations.push((prefix.to_string(), namespace.to_string()));
        }
        if self.random.chance(8) {
            declarations.push((
                format!("u{}", self.random.below(3)),
                "urn:unused".to_string(),
            ));
        }
        let mut parts: Vec<String> = declarations
            .iter()
            .map(|(p, uri)| {
                if p.is_empty() {
                    format!("xmlns=\"{uri}\"")
                } else {
                    format!("xmlns:{p}=\"{uri}\"")
                }
            })
            .chain(
                attributes
                    .iter()
                    .map(|(name, value)| format!("{name}=\"{value}\"")),
            )
            .collect();
        // Attribute and declaration order must not matter to canonicalization.
        for i in (1..parts.len()).rev() {
            let j = self.random.below(i + 1);
            parts.swap(i, j);
        }
        self.out.push('<');
        self.out.push_str(&qname);
        for part in parts {
            self.out.push(' ');
            self.out.push_str(&part);
        }
        self.out.push('>');
        self.scopes.push(declarations);
    }

    fn close(&mut self, prefix: &str, local: &str) {
        self.scopes.pop();
        if prefix.is_empty() {
            self.out.push_str(&format!("</{local}>"));
        } else {
            self.out.push_str(&format!("</{prefix}:{local}>"));
        }
    }

    fn leaf(
        &mut self,
        prefix: &str,
        namespace: &str,
        local: &str,
        attributes: &[(String, String)],
        text: &str,
    ) {
        self.open(prefix, namespace, local, attributes);
        self.out.push_str(text);
        self.close(prefix, local);
    }
}

fn attr(name: &str, value: &str) -> (String, String) {
    (name.to_string(), value.to_string())
}

const TEXTS: [&str; 10] = [
    "adele.vance@contoso.example",
    "jos\u{e9}@ex\u{e4}mple.com",
    "\u{7528}\u{6237}@\u{4f8b}\u{5b50}.\u{516c}\u{53f8}",
    "a&amp;b@x.example",
    "euro&#x20AC;sign",
    "tab&#9;and&#13;cr",
    "  padded  ",
    "<![CDATA[a<b&c]]>",
    "split<!-- comment -->text",
    "pi<?samlkit test?>inside",
];

/// One generated document: its template (for xmlsec1 to sign) and the key that signs it.
struct Generated {
    template: String,
    algorithms: Algorithms,
}

fn generate(random: &mut Random, index: usize) -> Generated {
    let (key, signature) = *random.pick(&SIGNATURES);
    let (c14n, c14n_name) = *random.pick(&C14NS);
    let algorithms = Algorithms {
        key,
        signature,
        digest: DIGESTS[random.below(DIGESTS.len())],
        c14n,
        c14n_name,
    };
    let crlf = random.chance(15);
    let sign_response = random.chance(20);
    let samlp = random.pick(&["samlp", "", "p", "saml2p"]).to_string();
    let saml = random.pick(&["saml", "", "a", "saml2"]).to_string();
    let ds = random.pick(&["ds", "", "dsig", "s"]).to_string();
    let response_id = format!("_r{index:05}x{}", random.below(1_000_000));
    let assertion_id = format!("_a{index:05}y{}", random.below(1_000_000));
    let mut w = Writer {
        out: String::new(),
        scopes: vec![vec![(
            "xml".to_string(),
            "http://www.w3.org/XML/1998/namespace".to_string(),
        )]],
        random,
        crlf,
    };
    if w.random.chance(30) {
        w.out
            .push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    }
    let mut response_attributes = vec![
        attr("ID", &response_id),
        attr("Version", "2.0"),
        attr("IssueInstant", "2025-06-02T09:14:07Z"),
        attr(
            "Destination",
            "https://app.samlkit.test/acs?a=1&amp;b=&quot;2&quot;",
        ),
    ];
    if w.random.chance(25) {
        response_attributes.push(attr("xml:lang", "en-GB"));
    }
    if w.random.chance(40) {
        w.scopes.last_mut().unwrap().push(("xs".into(), XS.into()));
        response_attributes.push(attr("xmlns:xs", XS));
    }
    w.open(&samlp, SAMLP, "Response", &response_attributes);
    w.whitespace();
    w.leaf(
        &saml,
        SAML,
        "Issuer",
        &[],
        "https://sts.windows.net/9188040d/",
    );
    w.whitespace();
    let signature_template = |w: &mut Writer<'_>, reference: &str| {
        let prefixes_in_scope: Vec<String> = ["#default", "xs", "xsi", &saml, &samlp]
            .iter()
            .filter(|p| !p.is_empty())
            .map(|p| p.to_string())
            .collect();
        let prefix_list = if algorithms.c14n_name.starts_with("exc") && w.random.chance(40) {
            let count = 1 + w.random.below(prefixes_in_scope.len());
            Some(prefixes_in_scope[..count].join(" "))
        } else {
            None
        };
        let d = ds.clone();
        w.open(&d, DS, "Signature", &[]);
        w.whitespace();
        w.open(&d, DS, "SignedInfo", &[]);
        w.leaf(
            &d,
            DS,
            "CanonicalizationMethod",
            &[attr("Algorithm", EXC)],
            "",
        );
        w.leaf(
            &d,
            DS,
            "SignatureMethod",
            &[attr("Algorithm", algorithms.signature)],
            "",
        );
        w.open(
            &d,
            DS,
            "Reference",
            &[attr("URI", &format!("#{reference}"))],
        );
        w.open(&d, DS, "Transforms", &[]);
        w.leaf(
            &d,
            DS,
            "Transform",
            &[attr(
                "Algorithm",
                "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
            )],
            "",
        );
        w.open(&d, DS, "Transform", &[attr("Algorithm", algorithms.c14n)]);
        if let Some(list) = prefix_list {
            w.leaf(
                "ec",
                EXC,
                "InclusiveNamespaces",
                &[attr("PrefixList", &list)],
                "",
            );
        }
        w.close(&d, "Transform");
        w.close(&d, "Transforms");
        w.leaf(
            &d,
            DS,
            "DigestMethod",
            &[attr("Algorithm", algorithms.digest)],
            "",
        );
        w.leaf(&d, DS, "DigestValue", &[], "");
        w.close(&d, "Reference");
        w.close(&d, "SignedInfo");
        w.whitespace();
        w.leaf(&d, DS, "SignatureValue", &[], "");
        w.open(&d, DS, "KeyInfo", &[]);
        w.leaf(&d, DS, "X509Data", &[], "");
        w.close(&d, "KeyInfo");
        w.close(&d, "Signature");
        w.whitespace();
    };
    if sign_response {
        signature_template(&mut w, &response_id);
    }
    if w.random.chance(30) {
        w.out.push_str("<!-- between -->");
    }
    w.open(&samlp, SAMLP, "Status", &[]);
    w.leaf(
        &samlp,
        SAMLP,
        "StatusCode",
        &[attr("Value", "urn:oasis:names:tc:SAML:2.0:status:Success")],
        "",
    );
    w.close(&samlp, "Status");
    w.whitespace();

    let mut assertion_attributes = vec![
        attr("ID", &assertion_id),
        attr("Version", "2.0"),
        attr("IssueInstant", "2025-06-02T09:14:07Z"),
    ];
    if w.random.chance(20) {
        assertion_attributes.push(attr("xml:space", "preserve"));
    }
    w.open(&saml, SAML, "Assertion", &assertion_attributes);
    w.whitespace();
    w.leaf(
        &saml,
        SAML,
        "Issuer",
        &[],
        "https://sts.windows.net/9188040d/",
    );
    w.whitespace();
    if !sign_response {
        signature_template(&mut w, &assertion_id);
    }
    w.open(&saml, SAML, "Subject", &[]);
    w.whitespace();
    let name = *w.random.pick(&TEXTS);
    w.leaf(
        &saml,
        SAML,
        "NameID",
        &[attr(
            "Format",
            "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
        )],
        name,
    );
    w.whitespace();
    w.close(&saml, "Subject");
    w.whitespace();
    w.open(
        &saml,
        SAML,
        "Conditions",
        &[attr("NotBefore", "2025-06-02T09:09:07Z")],
    );
    w.open(&saml, SAML, "AudienceRestriction", &[]);
    w.leaf(
        &saml,
        SAML,
        "Audience",
        &[],
        "https://app.samlkit.test/metadata",
    );
    w.close(&saml, "AudienceRestriction");
    w.close(&saml, "Conditions");
    w.whitespace();
    w.open(&saml, SAML, "AttributeStatement", &[]);
    for attribute in 0..1 + w.random.below(5) {
        w.whitespace();
        let attribute_name = format!("claim{attribute}");
        w.open(&saml, SAML, "Attribute", &[attr("Name", &attribute_name)]);
        let typed = w.random.chance(50);
        let value = *w.random.pick(&TEXTS);
        if typed {
            // xsi:type with a QName value: its prefix must stay declared for the value's sake.
            let needs_xs = w.bound("xs") != Some(XS);
            let mut value_attributes = vec![attr("xsi:type", "xs:string")];
            if needs_xs {
                value_attributes.push(attr("xmlns:xs", XS));
            }
            if w.bound("xsi") != Some(XSI) {
                value_attributes.push(attr("xmlns:xsi", XSI));
            }
            w.leaf(&saml, SAML, "AttributeValue", &value_attributes, value);
        } else {
            w.leaf(&saml, SAML, "AttributeValue", &[], value);
        }
        w.close(&saml, "Attribute");
    }
    w.whitespace();
    w.close(&saml, "AttributeStatement");
    w.whitespace();
    w.close(&saml, "Assertion");
    w.whitespace();
    w.close(&samlp, "Response");
    Generated {
        template: w.out,
        algorithms,
    }
}

/// Ways to change a signed document; some must break the signature, some must not.
const TAMPERINGS: [&str; 10] = [
    "wrap-signed-assertion",
    "change-name-id",
    "change-digest-value",
    "change-signature-value",
    "whitespace-in-signed-element",
    "attribute-on-signed-element",
    "comment-in-signed-text",
    "unused-declaration-on-signed-element",
    "duplicate-signed-assertion",
    "change-outside-signed-element",
];

fn tamper(random: &mut Random, signed: &str) -> (String, &'static str) {
    let kind = *random.pick(&TAMPERINGS);
    let find_tag_end = |text: &str, marker: &str| -> Option<usize> {
        let start = text.find(marker)?;
        Some(start + text[start..].find('>')?)
    };
    let result = match kind {
        "change-name-id" => signed.find("NameID").and_then(|start| {
            let open_end = start + signed[start..].find('>')? + 1;
            let (index, _) = signed[open_end..].char_indices().nth(1)?;
            let at = open_end + index;
            let replacement = if signed[at..].starts_with('Q') {
                "R"
            } else {
                "Q"
            };
            let len = signed[at..].chars().next()?.len_utf8();
            Some(format!(
                "{}{}{}",
                &signed[..at],
                replacement,
                &signed[at + len..]
            ))
        }),
        "change-digest-value" | "change-signature-value" => {
            let element = if kind == "change-digest-value" {
                "DigestValue>"
            } else {
                "SignatureValue>"
            };
            signed.find(element).map(|start| {
                let at = start + element.len() + 5;
                let replacement = if &signed[at..at + 1] == "A" { "B" } else { "A" };
                format!("{}{}{}", &signed[..at], replacement, &signed[at + 1..])
            })
        }
        "whitespace-in-signed-element" => signed.find("Subject>").map(|at| {
            let at = at + "Subject>".len();
            format!("{} {}", &signed[..at], &signed[at..])
        }),
        "attribute-on-signed-element" => find_tag_end(signed, "Assertion ")
            .map(|at| format!("{} Extra=\"1\"{}", &signed[..at], &signed[at..])),
        "comment-in-signed-text" => signed.find("Audience>").map(|at| {
            let at = at + "Audience>".len() + 4;
            format!("{}<!--x-->{}", &signed[..at], &signed[at..])
        }),
        "unused-declaration-on-signed-element" => find_tag_end(signed, "Assertion ")
            .map(|at| format!("{} xmlns:zz=\"urn:zz\"{}", &signed[..at], &signed[at..])),
        "wrap-signed-assertion" => {
            // Signature wrapping: the signed assertion moved into a foreign element. Exclusive
            // C14N does not see the wrapper, so the signature math still holds.
            let start = signed
                .find("Assertion ")
                .and_then(|marker| signed[..marker].rfind('<'));
            let end = signed.rfind("Assertion>").map(|at| at + "Assertion>".len());
            match (start, end) {
                (Some(start), Some(end)) if start < end => Some(format!(
                    "{}<w:Wrapper xmlns:w=\"urn:wrap\">{}</w:Wrapper>{}",
                    &signed[..start],
                    &signed[start..end],
                    &signed[end..]
                )),
                _ => None,
            }
        }
        "duplicate-signed-assertion" => {
            let start = signed
                .find("Assertion ")
                .and_then(|marker| signed[..marker].rfind('<'));
            let end = signed.rfind("Assertion>").map(|at| at + "Assertion>".len());
            match (start, end) {
                (Some(start), Some(end)) if start < end => {
                    let copy = &signed[start..end];
                    Some(format!("{}{}{}", &signed[..start], copy, &signed[start..]))
                }
                _ => None,
            }
        }
        _ => find_tag_end(signed, "Response ").map(|at| {
            // The Destination is outside a signed assertion but inside a signed Response.
            format!("{} Consent=\"urn:x\"{}", &signed[..at], &signed[at..])
        }),
    };
    // A tampering that finds nothing to change would test the untouched document twice.
    let tampered = result.unwrap_or_else(|| {
        panic!("tampering {kind}: its marker is not in the signed document:\n{signed}")
    });
    assert_ne!(tampered, signed, "tampering {kind} changed nothing");
    (tampered, kind)
}

fn xmlsec1_available() -> bool {
    Command::new("xmlsec1")
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success())
}

fn id_attributes(command: &mut Command) {
    command
        .arg("--id-attr:ID")
        .arg(format!("{SAML}:Assertion"))
        .arg("--id-attr:ID")
        .arg(format!("{SAMLP}:Response"));
}

fn xmlsec1_sign(template: &Path, output: &Path, key: &str) -> Result<(), String> {
    let keys = fixtures_dir().join("keys");
    let mut command = Command::new("xmlsec1");
    command.arg("--sign").arg("--privkey-pem").arg(format!(
        "{},{}",
        keys.join(format!("{key}.key.pem")).display(),
        keys.join(format!("{key}.crt.pem")).display()
    ));
    id_attributes(&mut command);
    let out = command
        .arg("--output")
        .arg(output)
        .arg(template)
        .output()
        .map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

fn xmlsec1_verify(document: &Path, key: &str) -> bool {
    let cert = fixtures_dir().join("keys").join(format!("{key}.crt.pem"));
    let mut command = Command::new("xmlsec1");
    // Key only from the given certificate; KeyInfo names no key (as in the corpus check).
    command
        .arg("--verify")
        .arg("--enabled-key-data")
        .arg("key-name")
        .arg("--pubkey-cert-pem")
        .arg(cert);
    id_attributes(&mut command);
    command
        .arg(document)
        .output()
        .is_ok_and(|out| out.status.success())
}

/// Runs `job` over `items` on as many threads as there are cores.
fn parallel<T: Sync, R: Send>(items: &[T], job: impl Fn(usize, &T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .max(1);
    let chunk = items.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .enumerate()
            .map(|(c, part)| {
                let job = &job;
                scope.spawn(move || {
                    part.iter()
                        .enumerate()
                        .map(|(i, item)| job(c * chunk + i, item))
                        .collect::<Vec<R>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    })
}

struct Case {
    name: String,
    xml: String,
    key: &'static str,
    description: String,
}

#[test]
fn samlkit_never_accepts_what_xmlsec1_rejects() {
    assert!(
        xmlsec1_available(),
        "xmlsec1 is not installed: install the Debian package `xmlsec1` (apt-get install xmlsec1) \
         to run the differential test"
    );
    let seed: u64 = std::env::var("SAMLKIT_DIFF_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5A3_u64);
    let count: usize = std::env::var("SAMLKIT_DIFF_COUNT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(520);
    let mut random = Random(seed | 1);
    let work = std::env::temp_dir().join(format!("samlkit-xmlsec1-diff-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();

    // Generate and have xmlsec1 sign.
    let generated: Vec<Generated> = (0..count).map(|i| generate(&mut random, i)).collect();
    let signed: Vec<Result<String, String>> = parallel(&generated, |i, doc| {
        let template = work.join(format!("template-{i}.xml"));
        let output = work.join(format!("signed-{i}.xml"));
        std::fs::write(&template, &doc.template).unwrap();
        xmlsec1_sign(&template, &output, doc.algorithms.key)?;
        std::fs::read_to_string(&output).map_err(|e| e.to_string())
    });
    let mut cases = Vec::new();
    for (i, (doc, result)) in generated.iter().zip(&signed).enumerate() {
        let xml = result.as_ref().unwrap_or_else(|err| {
            panic!(
                "xmlsec1 could not sign document {i}: {err}\n{}",
                doc.template
            )
        });
        let label = format!(
            "c14n={} key={}",
            doc.algorithms.c14n_name, doc.algorithms.key
        );
        let (tampered, kind) = tamper(&mut random, xml);
        cases.push(Case {
            name: format!("doc{i}"),
            xml: xml.clone(),
            key: doc.algorithms.key,
            description: label.clone(),
        });
        cases.push(Case {
            name: format!("doc{i}-{kind}"),
            xml: tampered,
            key: doc.algorithms.key,
            description: format!("{label} tampered={kind}"),
        });
    }

    // Verify with xmlsec1 and with samlkit.
    let xmlsec1: Vec<bool> = parallel(&cases, |i, case| {
        let file: PathBuf = work.join(format!("case-{i}.xml"));
        std::fs::write(&file, &case.xml).unwrap();
        xmlsec1_verify(&file, case.key)
    });
    std::fs::remove_dir_all(&work).ok();

    let mut trusts: BTreeMap<&str, TrustStore> = BTreeMap::new();
    for key in ["idp", "ec384"] {
        let mut trust = TrustStore::new();
        let file = format!("keys/{key}.crt.pem");
        trust
            .add_certificates(&read(&fixtures_dir().join(&file)), &file)
            .unwrap();
        trusts.insert(key, trust);
    }

    let mut stop_ship = Vec::new();
    let mut stricter: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut crypto_disagreements = Vec::new();
    let mut originals_accepted = 0;
    let mut both_accept = 0;
    let mut both_reject = 0;
    for (case, xmlsec1_ok) in cases.iter().zip(&xmlsec1) {
        let document = samlkit_parse::parse_xml(&case.xml, &Default::default());
        let (samlkit_ok, reason) = match &document {
            Err(err) => (false, format!("parse error: {err}")),
            Ok(document) => {
                let report =
                    verify_document(document, &trusts[case.key], &VerifyOptions { now: NOW });
                let mut codes: Vec<&str> = report
                    .all_findings()
                    .filter(|f| f.severity == samlkit_verify::Severity::Error)
                    .map(|f| f.code.as_str())
                    .collect();
                codes.sort_unstable();
                codes.dedup();
                let reason = codes.join(",");
                let crypto_stage = report.signatures.iter().any(|s| {
                    matches!(
                        s.stage,
                        Some(Stage::DigestMismatch | Stage::SignatureMismatch)
                    )
                });
                if *xmlsec1_ok && crypto_stage {
                    crypto_disagreements
                        .push(format!("{} ({}): {reason}", case.name, case.description));
                }
                (report.verdict == Verdict::Verified, reason)
            }
        };
        if !case.name.contains('-') && *xmlsec1_ok {
            originals_accepted += 1;
        }
        match (samlkit_ok, *xmlsec1_ok) {
            (true, false) => stop_ship.push(format!("{} ({})", case.name, case.description)),
            (false, true) => stricter
                .entry(reason)
                .or_default()
                .push(format!("{} ({})", case.name, case.description)),
            (true, true) => both_accept += 1,
            (false, false) => both_reject += 1,
        }
    }

    println!(
        "{} documents ({} signed + {} tampered): both accept {both_accept}, both reject {both_reject}, \
         samlkit stricter {}, samlkit accepts what xmlsec1 rejects {}",
        cases.len(),
        count,
        count,
        stricter.values().map(Vec::len).sum::<usize>(),
        stop_ship.len()
    );
    for (reason, names) in &stricter {
        println!(
            "samlkit rejects, xmlsec1 accepts [{reason}]: {} case(s), e.g. {}",
            names.len(),
            names[0]
        );
    }
    assert!(
        count < 10 || originals_accepted == count,
        "xmlsec1 rejected some of its own signatures"
    );
    assert!(
        stop_ship.is_empty(),
        "samlkit accepts what libxmlsec1 rejects (stop-ship): {stop_ship:#?}"
    );
    assert!(
        crypto_disagreements.is_empty(),
        "canonicalization disagreement: xmlsec1 verifies but samlkit's digest or signature check fails: {crypto_disagreements:#?}"
    );
    // Every stricter verdict must be one of the profile's deliberate refusals.
    let expected_refusals = [
        FindingCode::DuplicateId.as_str(),
        FindingCode::ReferenceAmbiguous.as_str(),
        FindingCode::MultipleAssertions.as_str(),
        FindingCode::ElementMisplaced.as_str(),
    ];
    for reason in stricter.keys() {
        assert!(
            reason
                .split(',')
                .any(|code| expected_refusals.contains(&code)),
            "samlkit rejects for an unexpected reason [{reason}]: {:?}",
            stricter[reason]
        );
    }
    assert!(
        both_accept >= count,
        "every signed original (and harmless tampering) verifies in both"
    );
}
