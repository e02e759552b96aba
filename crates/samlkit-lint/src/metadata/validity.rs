//! validUntil and cacheDuration of entities and groups, and the nesting of groups.

use super::*;

/// validUntil, cacheDuration and nesting of an EntitiesDescriptor and the groups inside it.
pub(super) fn lint_group(
    group: &EntitiesDescriptor<'_, '_>,
    options: &MetadataOptions,
    findings: &mut Vec<Finding>,
    is_root: bool,
) {
    let what = if is_root {
        "the aggregate (EntitiesDescriptor)".to_string()
    } else {
        match &group.name {
            Some(name) => format!("the nested EntitiesDescriptor `{}`", name.value),
            None => "a nested EntitiesDescriptor".to_string(),
        }
    };
    findings.extend(valid_until_finding(
        group.valid_until.as_ref(),
        &what,
        options,
    ));
    findings.extend(cache_duration_finding(group.cache_duration.as_ref(), &what));
    for node in &group.too_deep {
        findings.push(
            Finding::new(
                Rule::MetadataNestingTooDeep,
                format!(
                    "EntitiesDescriptor elements are nested more than {MAX_ENTITIES_NESTING} \
                     deep; the entities inside were not read"
                ),
            )
            .expected(format!("at most {MAX_ENTITIES_NESTING} levels"))
            .at(node.range()),
        );
    }
    for nested in &group.groups {
        lint_group(nested, options, findings, false);
    }
}

pub(super) fn valid_until_finding(
    valid_until: Option<&TimeValue<'_>>,
    what: &str,
    options: &MetadataOptions,
) -> Option<Finding> {
    let value = valid_until?;
    match &value.parsed {
        Err(err) => Some(
            Finding::new(
                Rule::TimeUnreadable,
                format!("validUntil of {what} is not an xs:dateTime: {}", err.reason),
            )
            .expected("like 2026-12-31T00:00:00Z")
            .actual(value.text.value)
            .at(value.text.span.clone()),
        ),
        Ok(parsed) if parsed.instant < options.now => Some(
            Finding::new(
                Rule::MetadataValidUntilPassed,
                format!(
                    "{what} was valid until {}, {} before {}; consumers must not use it any more",
                    parsed.instant,
                    describe_duration(parsed.instant.seconds_until(options.now)),
                    options.now
                ),
            )
            .expected(format!("validUntil after {}", options.now))
            .actual(value.text.value)
            .fix(
                "download fresh metadata from its publisher (metadata is meant to be refreshed \
                 before validUntil, at least every cacheDuration)",
            )
            .at(value.text.span.clone()),
        ),
        Ok(_) => None,
    }
}

pub(super) fn cache_duration_finding(value: Option<&AttrValue<'_>>, what: &str) -> Option<Finding> {
    let value = value?;
    let problem = match parse_xs_duration(value.value.trim()) {
        None => "is not an xs:duration (like PT6H or P1D)".to_string(),
        Some(seconds) if seconds <= 0.0 => {
            "is zero or negative: consumers would re-read the metadata constantly".to_string()
        }
        Some(seconds) if seconds > MAX_SENSIBLE_CACHE_SECONDS => format!(
            "is {}: consumers would keep stale keys for over a year",
            describe_duration(seconds as i64)
        ),
        Some(_) => return None,
    };
    Some(
        Finding::new(
            Rule::MetadataCacheDuration,
            format!("cacheDuration of {what} {problem}"),
        )
        .expected("an xs:duration between a few minutes and a year, e.g. PT6H")
        .actual(value.value)
        .at(value.span.clone()),
    )
}

/// Seconds in an `xs:duration` such as `P1Y2M3DT4H5M6.7S` (a year as 365 days, a month as 30),
/// or `None` when the text is not one.
pub fn parse_xs_duration(text: &str) -> Option<f64> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let rest = rest.strip_prefix('P')?;
    let (date, time) = match rest.split_once('T') {
        Some((_, "")) => return None,
        Some((date, time)) => (date, Some(time)),
        None => (rest, None),
    };
    const DAY: f64 = 86_400.0;
    let (mut seconds, mut components) =
        duration_components(date, &[('Y', 365.0 * DAY), ('M', 30.0 * DAY), ('D', DAY)])?;
    if let Some(time) = time {
        let (time_seconds, time_components) =
            duration_components(time, &[('H', 3600.0), ('M', 60.0), ('S', 1.0)])?;
        if time_components == 0 {
            return None;
        }
        seconds += time_seconds;
        components += time_components;
    }
    if components == 0 {
        return None;
    }
    Some(if negative { -seconds } else { seconds })
}

/// Sums `<number><unit>` components written in the order of `units`; only the last unit (the
/// seconds) may have a fraction.
pub(super) fn duration_components(mut part: &str, units: &[(char, f64)]) -> Option<(f64, usize)> {
    let (mut seconds, mut count, mut next_unit) = (0.0, 0, 0);
    while !part.is_empty() {
        let end = part.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
        let (number, tail) = part.split_at(end);
        let unit = tail.chars().next()?;
        let position = units[next_unit..].iter().position(|(u, _)| *u == unit)? + next_unit;
        let fraction_allowed = units[position].0 == 'S';
        let dots = number.matches('.').count();
        let valid = !number.is_empty()
            && !number.starts_with('.')
            && !number.ends_with('.')
            && (dots == 0 || (dots == 1 && fraction_allowed));
        if !valid {
            return None;
        }
        seconds += number.parse::<f64>().ok()? * units[position].1;
        count += 1;
        next_unit = position + 1;
        part = &tail[unit.len_utf8()..];
    }
    Some((seconds, count))
}
