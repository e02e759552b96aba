//! Joining `xml:base` values (C14N 1.1 fixes them up on the apex): RFC 3986 reference
//! resolution, path merging and dot-segment removal.

/// C14N 1.1 §2.4 join-URI-References: resolve `reference` against `base` as RFC 3986 §5.2.2
/// does, modified so that two relative values join into a relative value: the base needs no
/// scheme, a trailing `..` in the base path counts as `../`, dot-segment removal keeps the
/// leading `..` segments of a relative path and collapses runs of `/`, and the reference's
/// fragment is dropped.
pub(super) fn join_uri_references(base: &str, reference: &str) -> String {
    let b = UriParts::split(base);
    let r = UriParts::split(reference);
    let (scheme, authority, path, query);
    if r.scheme.is_some() {
        (scheme, authority) = (r.scheme, r.authority);
        path = remove_dot_segments(r.path);
        query = r.query;
    } else if r.authority.is_some() {
        (scheme, authority) = (b.scheme, r.authority);
        path = remove_dot_segments(r.path);
        query = r.query;
    } else {
        (scheme, authority) = (b.scheme, b.authority);
        if r.path.is_empty() {
            path = b.path.to_owned();
            query = r.query.or(b.query);
        } else {
            path = if r.path.starts_with('/') {
                remove_dot_segments(r.path)
            } else {
                remove_dot_segments(&merge_paths(&b, r.path))
            };
            query = r.query;
        }
    }
    let mut out = String::with_capacity(base.len() + reference.len());
    if let Some(s) = scheme {
        out.push_str(s);
        out.push(':');
    }
    if let Some(a) = authority {
        out.push_str("//");
        out.push_str(a);
    }
    out.push_str(&path);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// RFC 3986 §5.2.3 merge, with a base path ending in `..` treated as the directory `../`.
fn merge_paths(base: &UriParts<'_>, reference_path: &str) -> String {
    if base.authority.is_some() && base.path.is_empty() {
        return format!("/{reference_path}");
    }
    let base_dir = if base.path == ".." || base.path.ends_with("/..") {
        base.path
    } else {
        base.path.rfind('/').map_or("", |i| &base.path[..i])
    };
    if base_dir.is_empty() && !base.path.starts_with('/') {
        return reference_path.to_owned();
    }
    format!("{base_dir}/{reference_path}")
}

/// Dot-segment removal as modified by C14N 1.1: `..` that cannot be cancelled stays at the front
/// of a relative path, a final `.` or `..` leaves a trailing `/`, and empty segments collapse.
fn remove_dot_segments(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut segments: Vec<&str> = Vec::new();
    let mut trailing_slash = path.ends_with('/');
    let mut parts = path.split('/').filter(|s| !s.is_empty()).peekable();
    while let Some(seg) = parts.next() {
        let last = parts.peek().is_none();
        match seg {
            "." => {}
            ".." => {
                if segments.last().is_some_and(|s| *s != "..") {
                    segments.pop();
                } else if !absolute {
                    segments.push("..");
                }
            }
            _ => {
                segments.push(seg);
                continue;
            }
        }
        if last {
            trailing_slash = true;
        }
    }
    let mut out = String::with_capacity(path.len());
    if absolute {
        out.push('/');
    }
    out.push_str(&segments.join("/"));
    if trailing_slash && !segments.is_empty() {
        out.push('/');
    }
    out
}

/// A URI reference split as in RFC 3986 appendix B; the fragment is not kept.
struct UriParts<'a> {
    scheme: Option<&'a str>,
    authority: Option<&'a str>,
    path: &'a str,
    query: Option<&'a str>,
}

impl<'a> UriParts<'a> {
    fn split(uri: &'a str) -> UriParts<'a> {
        let uri = uri.split_once('#').map_or(uri, |(u, _)| u);
        let (uri, query) = match uri.split_once('?') {
            Some((u, q)) => (u, Some(q)),
            None => (uri, None),
        };
        let scheme_end = uri.find([':', '/', '?', '#']);
        let (scheme, rest) = match scheme_end {
            Some(i) if i > 0 && uri.as_bytes()[i] == b':' => (Some(&uri[..i]), &uri[i + 1..]),
            _ => (None, uri),
        };
        let (authority, path) = match rest.strip_prefix("//") {
            Some(after) => {
                let end = after.find('/').unwrap_or(after.len());
                (Some(&after[..end]), &after[end..])
            }
            None => (None, rest),
        };
        UriParts {
            scheme,
            authority,
            path,
            query,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_uri_references_cases() {
        let cases = [
            ("http://a/b/c/d;p?q", "g", "http://a/b/c/g"),
            ("http://a/b/c/d;p?q", "../g", "http://a/b/g"),
            ("http://a/b/c/d;p?q", "../../../g", "http://a/g"),
            ("http://a/b/c/d;p?q", "/./g", "http://a/g"),
            ("http://a/b/c/d;p?q", "", "http://a/b/c/d;p?q"),
            ("http://a/b/c/d;p?q", "?y", "http://a/b/c/d;p?y"),
            ("http://a/b/c/d;p?q", "g#s", "http://a/b/c/g"),
            ("http://a/b/c/d;p?q", "//g/x", "http://g/x"),
            ("http://a/b/c/d;p?q", "https://z/y", "https://z/y"),
            ("http://a", "g", "http://a/g"),
            ("foo/bar", "baz", "foo/baz"),
            ("..", "x", "../x"),
            ("..", "../x", "../../x"),
            ("foo/bar", "../../x", "../x"),
            ("a//b/", "c", "a/b/c"),
            ("a/b/", "..", "a/"),
        ];
        for (base, reference, want) in cases {
            assert_eq!(
                join_uri_references(base, reference),
                want,
                "{base} + {reference}"
            );
        }
    }
}
