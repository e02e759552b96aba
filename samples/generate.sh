#!/usr/bin/env bash
# Regenerates the signed Entra-shaped samples: an IdP key and certificate, federation metadata
# (signed, WS-Fed RoleDescriptor + IDPSSODescriptor like Entra ID's), and a SAMLResponse whose
# assertion is signed the way Entra ID signs by default (RSA-SHA256, exclusive C14N).
# Needs: openssl, xmlsec1, python3 (Debian packages openssl, xmlsec1 and python3).
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

tenant=7c4e2f1a-9b3d-4e8c-a5f6-1d2e3f4a5b6c
if [ ! -f keys/idp-signing.key ]; then
  mkdir -p keys
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 1095 \
    -subj "/CN=Microsoft Azure Federated SSO Certificate" \
    -keyout keys/idp-signing.key -out keys/idp-signing.crt 2>/dev/null
fi
cert_body=$(grep -v -- '-----' keys/idp-signing.crt | tr -d '\n')

sign() { # template output node-xpath
  xmlsec1 --sign --privkey-pem keys/idp-signing.key,keys/idp-signing.crt \
    --id-attr:ID urn:oasis:names:tc:SAML:2.0:assertion:Assertion \
    --id-attr:ID urn:oasis:names:tc:SAML:2.0:protocol:Response \
    --id-attr:ID urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor \
    --output "$2" "$1"
}

html_page() { # the HTTP-POST binding's auto-submit form around entra-response.b64
  printf '%s' "<html><head><title>Working...</title></head><body><form method=\"POST\" name=\"hiddenform\" action=\"https://a1b2c3d4.chat.qbusiness.us-east-1.on.aws/saml\"><input type=\"hidden\" name=\"SAMLResponse\" value=\"$(cat entra-response.b64)\" /><input type=\"hidden\" name=\"RelayState\" value=\"/chat?tab=new&amp;source=sso\" /><noscript><p>Script is disabled. Click Submit to continue.</p><input type=\"submit\" value=\"Submit\" /></noscript></form><script language=\"javascript\">window.setTimeout('document.forms[0].submit()', 0);</script></body></html>"
  printf '\n'
}

signature_template() { # reference-id
  printf '%s' "<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\"><SignedInfo><CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/><SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"/><Reference URI=\"#$1\"><Transforms><Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/><Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/></Transforms><DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><DigestValue></DigestValue></Reference></SignedInfo><SignatureValue></SignatureValue><KeyInfo><X509Data><X509Certificate></X509Certificate></X509Data></KeyInfo></Signature>"
}

# Response: the assertion signed, the Response not (Entra ID's default "Sign SAML assertion").
# It is another sign-in than entra-response-unsigned.xml, so it gets its own Response and
# Assertion IDs (tests/fixtures/entra_sample.py keeps them).
sample() { # python expression over tests/fixtures/entra_sample.py
  python3 -c "import sys; sys.path.insert(0, '../tests/fixtures'); import entra_sample as s; print($1, end='')"
}
assertion_id=$(sample 's.SIGNED_SAMPLE_IDS[1]')
sig=$(signature_template "$assertion_id")
unsigned=$(sample 's.with_ids(s.unsigned_sample(), *s.SIGNED_SAMPLE_IDS)')
needle="<Issuer>https://sts.windows.net/$tenant/</Issuer><Subject>"
printf '%s' "${unsigned/"$needle"/"<Issuer>https://sts.windows.net/$tenant/</Issuer>$sig<Subject>"}" > "$work/response.xml"
sign "$work/response.xml" "$work/response.signed.xml"
# xmlsec1 writes an XML declaration and a trailing newline; Entra ID sends neither.
tail -n +2 "$work/response.signed.xml" | tr -d '\n' > entra-response.xml
printf '%s' "$(base64 -w0 entra-response.xml)" > entra-response.b64
# The same response in the auto-submit page Entra ID sends the browser (as "Save page as…" keeps it).
html_page > entra-autosubmit-page.html

# Federation metadata, signed over the EntityDescriptor as Entra ID does.
md_id=_0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d
key_descriptor="<KeyDescriptor use=\"signing\"><KeyInfo xmlns=\"http://www.w3.org/2000/09/xmldsig#\"><X509Data><X509Certificate>$cert_body</X509Certificate></X509Data></KeyInfo></KeyDescriptor>"
cat > "$work/metadata.xml" <<XML
<?xml version="1.0" encoding="utf-8"?><EntityDescriptor ID="$md_id" entityID="https://sts.windows.net/$tenant/" xmlns="urn:oasis:names:tc:SAML:2.0:metadata">$(signature_template "$md_id")<RoleDescriptor xsi:type="fed:SecurityTokenServiceType" protocolSupportEnumeration="http://docs.oasis-open.org/wsfed/federation/200706" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:fed="http://docs.oasis-open.org/wsfed/federation/200706">$key_descriptor<fed:ClaimTypesOffered><auth:ClaimType Uri="http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name" xmlns:auth="http://docs.oasis-open.org/wsfed/authorization/200706"><auth:DisplayName>Name</auth:DisplayName></auth:ClaimType></fed:ClaimTypesOffered><fed:PassiveRequestorEndpoint><wsa:EndpointReference xmlns:wsa="http://www.w3.org/2005/08/addressing"><wsa:Address>https://login.microsoftonline.com/$tenant/wsfed</wsa:Address></wsa:EndpointReference></fed:PassiveRequestorEndpoint></RoleDescriptor><IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">$key_descriptor<SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://login.microsoftonline.com/$tenant/saml2"/><SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://login.microsoftonline.com/$tenant/saml2"/><SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://login.microsoftonline.com/$tenant/saml2"/></IDPSSODescriptor></EntityDescriptor>
XML
sign "$work/metadata.xml" entra-federation-metadata.xml
echo "samples regenerated"
