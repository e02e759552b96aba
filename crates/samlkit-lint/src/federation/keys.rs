//! Key strength and certificate expiry per entity, graded as pyFF's certreport grades them:
//! an error under 1024 bits, a warning under 2048; expired, or expiring within --warn-days.
//! Reads the certificates the enterprise lint already decoded for the entity.

use samlkit_parse::model::EntityDescriptor;
use samlkit_parse::time::describe_duration;

use super::finding;
use super::FederationRule as R;
use crate::metadata::{KeyView, MetadataOptions};
use crate::report::Finding;

const ERROR_BITS: u32 = 1024;
const WARNING_BITS: u32 = 2048;

pub fn lint_entity(
    entity: &EntityDescriptor<'_, '_>,
    keys: &[KeyView],
    options: &MetadataOptions,
    out: &mut Vec<Finding>,
) {
    let start = entity.node.range().start;
    let now = options.now.unix_seconds();
    let horizon = now + options.warn_days * 86_400;
    for key in keys {
        let Some(cert) = &key.certificate else {
            continue;
        };
        let which = format!(
            "the {} certificate {} ({})",
            key.usage, cert.subject, cert.sha256_fingerprint
        );
        if let Some(bits) = cert.rsa_bits {
            let rule = if bits < ERROR_BITS {
                Some(R::KeysRsaUnder1024)
            } else if bits < WARNING_BITS {
                Some(R::KeysRsaUnder2048)
            } else {
                None
            };
            if let Some(rule) = rule {
                out.push(
                    finding(
                        rule,
                        format!("{which} has an RSA key of {bits} bits"),
                        start..start,
                    )
                    .expected(format!("at least {WARNING_BITS} bits"))
                    .actual(format!("{bits} bits")),
                );
            }
        }
        if cert.not_after < now {
            out.push(
                finding(
                    R::KeysExpired,
                    format!(
                        "{which} expired on {}, {} ago",
                        cert.not_after_utc,
                        describe_duration(now - cert.not_after)
                    ),
                    start..start,
                )
                .actual(cert.not_after_utc.clone()),
            );
        } else if cert.not_after < horizon {
            out.push(
                finding(
                    R::KeysExpiresSoon,
                    format!(
                        "{which} expires on {}, in {}",
                        cert.not_after_utc,
                        describe_duration(cert.not_after - now)
                    ),
                    start..start,
                )
                .actual(cert.not_after_utc.clone()),
            );
        }
    }
}
