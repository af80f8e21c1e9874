//! `sensitive_data_not_exposed` (spec-v1 §7).
//!
//! ## What it does
//! Reports a field of `context.sensitive_fields` reaching one of the property's
//! `channels` (default: `response` and every `context.sinks` key): a response body,
//! header, cookie or redirect URL (`res.json`, `res.send`, `res.render`, `res.set`,
//! `res.cookie`, `res.redirect`), or a call matching a sink (logs, prompts, external
//! calls). The field may be read (`user.passwordHash`), destructured, spread, pasted into
//! a template string, or carried inside a whole object whose shape is known to hold it: an
//! object literal, a declared TypeScript type or interface, a record returned by a project
//! function. Helpers are followed, and the finding points at the leaking statement (or
//! the outermost helper call reaching it).
//!
//! Removed fields are not exposed: an explicit selection (`{ id: u.id, name: u.name }`),
//! the rest of a destructuring (`const { passwordHash, ...rest } = user`), `omit`/`pick`
//! helpers, a `toJSON` method, an `Omit<User, 'passwordHash'>` type. Sensitive names match
//! regardless of case and separator (`passwordHash` = `password_hash`); `User.field` (a
//! first segment in upper case) counts only on values of type `User` or of unknown type;
//! `a.b` is a path.
//!
//! Sending a whole record whose shape is unknown (a database row) is reported at severity
//! `info` with `confidence: possible` ("may expose").
//!
//! ## Why is this bad?
//! A password hash in a response can be cracked offline; an API token in a log is readable
//! by everyone with log access; a social security number pasted into an LLM prompt has
//! left the company.
//!
//! ## Example
//! ```js
//! app.get('/me', requireLogin, async (req, res) => {
//!   const user = await db.users.find(req.user.id);
//!   logger.info(`login ${user.email} ${user.passwordHash}`); // finding
//!   res.json({ ...user }); // finding (info: the row's fields are unknown)
//! });
//! ```
//! Use instead: select what is sent (`res.json({ id: user.id, email: user.email })`).

use super::RouteCx;
use crate::exposure::{Exposure, RESPONSE};
use crate::{Confidence, Finding};
use secprop_model::Span;
use secprop_spec::{Property, Severity};
use std::collections::{BTreeMap, BTreeSet};

/// The channels a property watches: its `channels`, else `response` and every sink key.
pub(crate) fn channels(prop: &Property, context: &secprop_spec::Context) -> BTreeSet<String> {
    match &prop.channels {
        Some(c) => c.iter().cloned().collect(),
        None => std::iter::once(RESPONSE.to_string())
            .chain(context.sinks.keys().cloned())
            .collect(),
    }
}

fn channel_name(ch: &str) -> String {
    if ch == RESPONSE {
        "the response".to_string()
    } else {
        format!("`{ch}`")
    }
}

pub(crate) fn check(exposures: &[Exposure], prop: &Property, rc: &RouteCx) -> Vec<Finding> {
    let watched = channels(prop, rc.context);
    // One finding per primary location, naming every field that reaches it.
    let mut sites: BTreeMap<Span, (BTreeSet<String>, bool, &Exposure)> = BTreeMap::new();
    for e in exposures.iter().filter(|e| watched.contains(&e.channel)) {
        let (certain, possible) = e.val.leaks();
        if certain.is_empty() && !possible {
            continue;
        }
        let entry = sites
            .entry(e.site)
            .or_insert_with(|| (BTreeSet::new(), false, e));
        entry.0.extend(certain);
        entry.1 |= possible;
    }
    let mut texts = BTreeMap::new();
    sites
        .into_iter()
        .map(|(site, (certain, _, e))| {
            let fp = super::ordinal_text(&mut texts, &e.via);
            let related = e
                .inner
                .map(|s| vec![rc.related(s, format!("`{}` sends it here", e.via))])
                .unwrap_or_default();
            let ch = channel_name(&e.channel);
            if certain.is_empty() {
                let mut f = rc.finding(
                    &prop.id,
                    prop.kind.as_str(),
                    Severity::Info,
                    site,
                    &fp,
                    format!(
                        "`{}` may expose a sensitive field to {ch}: it sends a record whose fields are unknown{}",
                        e.via,
                        e.val
                            .unknown_origin()
                            .map(|o| format!(" (from `{o}`)"))
                            .unwrap_or_default()
                    ),
                    related,
                    Some(
                        "send an explicit selection of fields (`{ id: row.id, name: row.name }`) or declare the record's type"
                            .to_string(),
                    ),
                );
                f.confidence = Confidence::Possible;
                f
            } else {
                let names: Vec<String> = certain.iter().map(|c| format!("`{c}`")).collect();
                let first = certain.iter().next().cloned().unwrap_or_default();
                rc.finding(
                    &prop.id,
                    prop.kind.as_str(),
                    prop.severity,
                    site,
                    &fp,
                    format!(
                        "sensitive field{} {} reach{} {ch} through `{}`",
                        if names.len() > 1 { "s" } else { "" },
                        names.join(", "),
                        if names.len() > 1 { "" } else { "es" },
                        e.via
                    ),
                    related,
                    Some(format!(
                        "send an explicit selection of fields, or remove `{first}` first (`const {{ {first}, ...safe }} = value`)"
                    )),
                )
            }
        })
        .collect()
}
