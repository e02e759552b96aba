//! The per-IdP fix texts as the Markdown page kept in `docs/idp-fixes.md`.

use super::*;

/// The per-IdP fix texts as a Markdown page (kept in `docs/idp-fixes.md`; a test checks it is
/// current).
pub fn markdown(data: &ConsoleData) -> String {
    let mut out = String::from(
        "# Identity-provider fixes\n\n\
         What samlkit tells an administrator to change, per identity provider and kind of fix, with \
         the vendor page each text was learned from. A cell marked *neutral* had no vendor page to \
         cite: samlkit then gives the neutral text at the end, which names no console. \
         Placeholders in braces are filled from the finding. Generated from \
         `crates/samlkit-lint/data/`: after editing the data, run \
         `SAMLKIT_UPDATE_DOCS=1 cargo test -p samlkit-lint --test console_data`.\n\n\
         An IdP is recognised, strongest clue first, from `--idp`, the Issuer, the IdP \
         metadata's entityID, the metadata's SingleSignOnService URLs, attribute names only it \
         sends, then the shape of the IDs it generates for the Response and the assertion. \
         PingFederate and JumpCloud take a free-text entity ID: they are recognised from their \
         metadata's SSO URL (`--idp-metadata`) or their ID shape; when a proxy has rewritten the \
         IDs and no metadata is given, name the IdP with `--idp pingfederate` or \
         `--idp jumpcloud`. Tenants of Okta and Auth0 on a custom domain are recognised from the \
         Issuer (Okta keeps `http://www.okta.com/…`), the metadata's SSO path or Auth0's \
         attribute names. Signed responses in each IdP's shape, with its metadata, are in \
         `tests/fixtures/idps/` (made by its `generate.py`).\n",
    );
    for idp in &data.idps {
        out.push_str(&format!("\n## {} (`{}`)\n\n", idp.name, idp.id));
        out.push_str("Recognised from: ");
        let d = &idp.detect;
        let patterns: Vec<String> = [
            ("Issuer starts with", &d.issuer_prefixes),
            ("Issuer ends with", &d.issuer_suffixes),
            ("Issuer contains", &d.issuer_contains),
            ("endpoint contains", &d.endpoint_contains),
            ("attribute Name starts with", &d.attribute_name_prefixes),
        ]
        .into_iter()
        .flat_map(|(how, list)| list.iter().map(move |p| format!("{how} `{p}`")))
        .chain(
            d.message_ids
                .iter()
                .map(|shape| format!("every Response and assertion ID is {}", shape.describe())),
        )
        .collect();
        out.push_str(&patterns.join("; "));
        out.push_str(".\n\n");
        push_facts(&mut out, &idp.facts);
        out.push_str("| fix | text | source |\n| --- | --- | --- |\n");
        for kind in FixKind::ALL {
            let row = match idp.cell(kind) {
                Some(FixCell::Console(cited)) => {
                    let mut text = table_cell(&cited.text);
                    if let Some(note) = &cited.note {
                        text.push_str(&format!(" *({})*", table_cell(note)));
                    }
                    let sources: Vec<&str> = std::iter::once(&cited.source)
                        .chain(&cited.see_also)
                        .map(String::as_str)
                        .collect();
                    format!("{text} | {}", sources.join("<br>"))
                }
                Some(FixCell::Neutral { reason }) => {
                    format!("*neutral*: {} | —", table_cell(reason))
                }
                None => "— | —".to_string(),
            };
            out.push_str(&format!("| `{kind}` | {row} |\n"));
        }
    }
    out.push_str("\n## Neutral texts\n\n| fix | text | source |\n| --- | --- | --- |\n");
    for (kind, cited) in &data.neutral {
        out.push_str(&format!(
            "| `{kind}` | {} | {} |\n",
            table_cell(&cited.text),
            cited.source
        ));
    }
    out.push_str("\n## Service providers\n");
    for sp in &data.sps {
        out.push_str(&format!(
            "\n### {} (`--profile {}`)\n\n",
            sp.name, sp.profile
        ));
        push_requirements(&mut out, &sp.requirements);
        push_facts(&mut out, &sp.facts);
        out.push_str("| where | text | source |\n| --- | --- | --- |\n");
        for (kind, cited) in &sp.fixes {
            out.push_str(&format!(
                "| `{}` | {} | {} |\n",
                kind.as_str(),
                table_cell(&cited.text),
                cited.source
            ));
        }
        for words in &sp.errors {
            out.push_str(&format!(
                "| shows “{}” | {} | {} |\n",
                table_cell(&words.words),
                table_cell(&words.cause),
                words.source
            ));
        }
    }
    out
}

/// Documented facts as a bullet list, each with its source.
fn push_facts(out: &mut String, facts: &[Fact]) {
    for fact in facts {
        out.push_str(&format!("- {} ([source]({}))\n", fact.fact, fact.source));
    }
    if !facts.is_empty() {
        out.push('\n');
    }
}

/// A service provider's requirements as a bullet list.
fn push_requirements(out: &mut String, req: &SpRequirements) {
    let list = |items: &[String]| {
        items
            .iter()
            .map(|i| format!("`{i}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let signing = match req.signing {
        SigningRequirement::Response => "the Response itself",
        SigningRequirement::Assertion => "the Assertion itself",
        SigningRequirement::Either => "the Response or the Assertion",
    };
    out.push_str(&format!("- signed: {signing} ([source]({}))\n", req.source));
    if !req.name_id_formats.is_empty() {
        out.push_str(&format!(
            "- NameID format: {}\n",
            list(&req.name_id_formats)
        ));
    }
    if !req.name_id_formats_refused.is_empty() {
        out.push_str(&format!(
            "- NameID format refused: {}\n",
            list(&req.name_id_formats_refused)
        ));
    }
    if req.name_id_is_email {
        out.push_str("- NameID value: the user's e-mail address\n");
    }
    if !req.audiences.is_empty() {
        out.push_str(&format!("- Audience: {}\n", list(&req.audiences)));
    }
    if !req.acs_suffixes.is_empty() {
        out.push_str(&format!(
            "- ACS URL ends with: {}\n",
            list(&req.acs_suffixes)
        ));
    }
    for attribute in &req.attributes {
        let need = if attribute.required {
            "required"
        } else {
            "optional"
        };
        out.push_str(&format!(
            "- attribute `{}`: {need}, {} ([source]({}))\n",
            attribute.name,
            attribute.value.describe(),
            attribute.source
        ));
    }
    out.push('\n');
}

/// A text inside a Markdown table cell: pipes escaped, doubled braces shown once.
fn table_cell(text: &str) -> String {
    text.replace('|', "\\|")
        .replace("{{", "{")
        .replace("}}", "}")
}
