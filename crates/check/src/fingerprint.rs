//! Finding fingerprints (spec-v1 §8): a hash of the property id, the route, the file and
//! the primary call's normalised text, never of line numbers, so an id survives edits
//! that only move code.

/// FNV-1a, 64 bits: tiny, stable across platforms and releases, and enough to tell
/// findings apart (a fingerprint is an identifier, not a security boundary).
fn fnv1a64(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            // A separator byte that cannot occur in UTF-8 keeps `("ab","c")` apart from
            // `("a","bc")`.
            h ^= 0xff;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        for b in p.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// The finding id: 16 lowercase hex digits.
pub fn fingerprint(property: &str, route: Option<&str>, file: &str, text: &str) -> String {
    let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    format!(
        "{:016x}",
        fnv1a64(&[property, route.unwrap_or(""), file, &text])
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_and_distinct() {
        // Pinned: a change here changes every user's finding ids.
        assert_eq!(fnv1a64(&[""]), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(&["a"]), 0xaf63_dc4c_8601_ec8c);
        let a = fingerprint("p", Some("GET /a"), "src/a.js", "reports.build");
        assert_eq!(a.len(), 16);
        assert_eq!(
            a,
            fingerprint("p", Some("GET /a"), "src/a.js", "reports.build")
        );
        assert_eq!(
            a,
            fingerprint("p", Some("GET /a"), "src/a.js", " reports.build ")
        );
        assert_ne!(
            a,
            fingerprint("p", Some("GET /b"), "src/a.js", "reports.build")
        );
        assert_ne!(
            fingerprint("ab", None, "c", ""),
            fingerprint("a", None, "bc", "")
        );
    }
}
