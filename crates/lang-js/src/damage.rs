//! What a syntax error costs the route map (issue: parse errors that cost routes are
//! never green): the registrations written at or after the error, and the route
//! registrations in the text that produced no route. Both come from the file's text,
//! because the tree no longer shows what the error swallowed.

use secprop_model::ParseDamage;

/// Methods whose call with a path literal registers a route.
const ROUTE_METHODS: [&str; 9] = [
    "get", "post", "put", "patch", "delete", "all", "options", "head", "route",
];

/// Registrations in `src` (route calls with a path literal, `use` with a path literal,
/// `express()`, `Router(`), as (byte offset, whether it registers a route).
fn registrations(src: &str) -> Vec<(usize, bool)> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut line_start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' {
            line_start = i + 1;
            continue;
        }
        // Commented-out code registers nothing.
        let line = src[line_start..].trim_start();
        if line.starts_with("//") || line.starts_with('*') || line.starts_with("/*") {
            continue;
        }
        let rest = &src[i..];
        if b == b'.' {
            let name_len = rest[1..]
                .bytes()
                .take_while(|c| c.is_ascii_alphabetic())
                .count();
            let name = &rest[1..1 + name_len];
            let is_route = ROUTE_METHODS.contains(&name);
            if (is_route || name == "use" || name == "Router") && path_call(&rest[1 + name_len..]) {
                out.push((i, is_route && name != "Router"));
            } else if name == "Router" && rest[1 + name_len..].trim_start().starts_with('(') {
                out.push((i, false));
            }
        } else if rest.starts_with("express(")
            && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_'))
        {
            out.push((i, false));
        }
    }
    out
}

/// Whether `rest` (after a method name) opens a call whose first argument is a path
/// literal: `('/x'`, `("*"`, `` (`/a/${b}` ``.
fn path_call(rest: &str) -> bool {
    let Some(args) = rest.trim_start().strip_prefix('(') else {
        return false;
    };
    let mut a = args.trim_start().chars();
    matches!(a.next(), Some('\'' | '"' | '`')) && matches!(a.next(), Some('/' | '*'))
}

/// The damage of a syntax error starting at byte `error_at` in `src`, from which
/// `routes_listed` routes were listed.
pub(crate) fn assess(src: &str, error_at: usize, routes_listed: usize) -> ParseDamage {
    let regs = registrations(src);
    let after = regs.iter().filter(|(at, _)| *at >= error_at).count();
    let written = regs.iter().filter(|(_, route)| *route).count();
    ParseDamage {
        registrations_after: after as u32,
        lost_routes: written.saturating_sub(routes_listed) as u32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_registrations_after_the_error_and_lost_routes() {
        let src = "const app = express();\nconst r = express.Router();\napp.get('/a', h);\n// app.get('/old', h);\napp.use('/r', r);\nr.post(\"/b\", h);\ncache.get(key);\nmap.get('k');\n";
        let regs = registrations(src);
        assert_eq!(regs.len(), 5, "{regs:?}");
        assert_eq!(regs.iter().filter(|r| r.1).count(), 2);
        let at = src.find("app.use").unwrap();
        let d = assess(src, at, 1);
        assert_eq!(d.registrations_after, 2);
        assert_eq!(d.lost_routes, 1);
        assert_eq!(assess(src, src.len(), 2), ParseDamage::default());
    }
}
