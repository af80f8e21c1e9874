//! Source access for code frames: reads each file once and maps 1-based
//! (line, code-point column) positions to byte offsets.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Lazily read sources, keyed by repository-relative path.
pub(crate) struct Sources {
    root: PathBuf,
    files: BTreeMap<String, Option<String>>,
}

impl Sources {
    pub(crate) fn new(root: &Path) -> Sources {
        Sources {
            root: root.to_path_buf(),
            files: BTreeMap::new(),
        }
    }

    /// The file's text, or `None` when it cannot be read as UTF-8 (no frame then).
    pub(crate) fn get(&mut self, rel: &str) -> Option<&str> {
        let root = &self.root;
        self.files
            .entry(rel.to_string())
            .or_insert_with(|| std::fs::read_to_string(root.join(rel)).ok())
            .as_deref()
    }
}

/// Byte offset of a 1-based line and code-point column; clamps to the text.
pub(crate) fn offset(text: &str, line: u32, column: u32) -> usize {
    let mut start = 0usize;
    for _ in 1..line.max(1) {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line_text = &text[start..line_end];
    let col = column.max(1) as usize - 1;
    start
        + line_text
            .char_indices()
            .nth(col)
            .map_or(line_text.len(), |(i, _)| i)
}

/// A byte range for a span; never empty when the line has text, so the caret shows.
pub(crate) fn range(
    text: &str,
    line: u32,
    col: u32,
    end_line: u32,
    end_col: u32,
) -> std::ops::Range<usize> {
    let a = offset(text, line, col);
    // A span over several lines (a whole route registration) is cut at the end of its
    // first line: the frame should point, not reprint the handler.
    let mut b = if end_line > line {
        text[a..].find('\n').map_or(text.len(), |i| a + i)
    } else {
        offset(text, line, end_col)
    };
    if b <= a {
        b = text[a..]
            .char_indices()
            .nth(1)
            .map_or(text.len(), |(i, _)| a + i);
    }
    a..b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_count_code_points() {
        let t = "ab\néé x\n";
        assert_eq!(offset(t, 1, 1), 0);
        assert_eq!(offset(t, 2, 3), 3 + 4);
        assert_eq!(offset(t, 9, 1), t.len());
        assert_eq!(range(t, 2, 4, 2, 4), 8..9);
    }
}
