//! rustc-style snippets of the decoded XML: the line of a finding, cut to a window around the
//! place (IdPs often send the whole message on one line), with the place underlined.

/// The line holding `span.start`, windowed, and a caret line under the span.
pub struct Snippet {
    pub line_number: u32,
    pub column: u32,
    pub text: String,
    pub marker: String,
}

const BEFORE: usize = 30;
const WIDTH: usize = 100;

pub fn snippet(source: &str, span: &std::ops::Range<usize>) -> Snippet {
    snippet_with(source, span, &|text| text.to_string())
}

/// Like [`snippet`], with `transform` (redaction) applied to the whole line before it is cut to
/// a window, so no part of a transformed value can show at the window's edge.
pub fn snippet_with(
    source: &str,
    span: &std::ops::Range<usize>,
    transform: &dyn Fn(&str) -> String,
) -> Snippet {
    let start = floor_char_boundary(source, span.start.min(source.len()));
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[start..]
        .find('\n')
        .map_or(source.len(), |i| start + i);
    let span_end = floor_char_boundary(source, span.end.clamp(start, line_end));
    let line_number = source[..line_start].matches('\n').count() as u32 + 1;
    let original_column = source[line_start..start].chars().count();

    let before = transform(&source[line_start..start]);
    let inside = transform(&source[start..span_end]);
    let after = transform(&source[span_end..line_end]);
    let column = before.chars().count();
    let span_chars = inside.chars().count().max(1);
    let line: Vec<char> = before
        .chars()
        .chain(inside.chars())
        .chain(after.chars())
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect();

    let window_start = column.saturating_sub(BEFORE);
    let window_end = (window_start + WIDTH).min(line.len());
    let mut text: String = line[window_start..window_end].iter().collect();
    let mut offset = column - window_start;
    if window_start > 0 {
        text.insert(0, '…');
        offset += 1;
    }
    if window_end < line.len() {
        text.push('…');
    }
    let visible = span_chars.min(window_end.saturating_sub(column)).max(1);
    let marker = format!("{}{}", " ".repeat(offset), "^".repeat(visible));
    Snippet {
        line_number,
        column: original_column as u32 + 1,
        text: text.trim_end().to_string(),
        marker,
    }
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_windowed_around_the_span() {
        let source = format!("{}<Target attr=\"x\"/>{}", "a".repeat(200), "b".repeat(200));
        let at = source.find("<Target").unwrap();
        let s = snippet(&source, &(at..at + 7));
        assert_eq!(s.line_number, 1);
        assert_eq!(s.column, 201);
        assert!(s.text.starts_with('…') && s.text.ends_with('…'));
        let caret = s.marker.find('^').unwrap();
        assert_eq!(
            &s.text.chars().skip(caret).take(7).collect::<String>(),
            "<Target"
        );
        assert_eq!(s.marker.trim_start(), "^^^^^^^");
    }

    #[test]
    fn short_lines_are_shown_whole() {
        let source = "<a>\n  <b>text</b>\n</a>";
        let at = source.find("<b>").unwrap();
        let s = snippet(source, &(at..at + 3));
        assert_eq!(s.line_number, 2);
        assert_eq!(s.text, "  <b>text</b>");
        assert_eq!(s.marker, "  ^^^");
    }
}
