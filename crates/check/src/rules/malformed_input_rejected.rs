//! `malformed_input_rejected` (spec-v1 §7).
//!
//! ## What it does
//! Reports a response that carries a caught error's stack, its message, or the whole
//! error (`res.json(err)`, `String(err)`, `` `${err}` ``, `err.toString()`), for errors
//! caught around data access, side effects or external calls (`try`/`catch`, a promise's
//! `.catch`), and for Express error handlers (`app.use((err, req, res, next) => ...)`),
//! whose error can come from anywhere. A validator's message is fine: zod's
//! `error.issues` / `error.flatten()`, express-validator's `validationResult(req).array()`,
//! joi's `error.details` are meant for the client. The finding points at the statement
//! that sends the error (spec-v1 §8).
//!
//! ## Why is this bad?
//! A stack trace shows file paths, library versions and code structure; a database error's
//! message can quote the query, table and column names, or the offending values. Malformed
//! input is the cheapest way to provoke both.
//!
//! ## Example
//! ```js
//! app.post('/projects', requireLogin, async (req, res) => {
//!   try {
//!     res.json(await db.projects.create(req.body));
//!   } catch (err) {
//!     res.status(500).json({ error: err.message, stack: err.stack }); // finding
//!   }
//! });
//! ```
//! Use instead: log the error and send a generic message
//! (`logger.error(err); res.status(500).json({ error: 'internal error' })`).

use super::RouteCx;
use crate::Finding;
use crate::exposure::{ErrPart, Exposure, RESPONSE};
use secprop_spec::Property;

pub(crate) fn check(exposures: &[Exposure], prop: &Property, rc: &RouteCx) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut texts = std::collections::BTreeMap::new();
    for e in exposures.iter().filter(|e| e.channel == RESPONSE) {
        let errs = e.val.all_errs();
        // The most revealing part names the finding.
        let Some(part) = [ErrPart::Stack, ErrPart::Message, ErrPart::Whole]
            .into_iter()
            .find(|p| errs.contains(p))
        else {
            continue;
        };
        if !seen.insert(e.site) {
            continue;
        }
        let related = e
            .inner
            .map(|s| vec![rc.related(s, format!("`{}` sends it here", e.via))])
            .unwrap_or_default();
        out.push(rc.finding(
            &prop.id,
            prop.kind.as_str(),
            prop.severity,
            e.site,
            &super::ordinal_text(&mut texts, &e.via),
            format!("{} is sent to the client through `{}`", part.describe(), e.via),
            related,
            Some(
                "log the error and send a generic message (`res.status(500).json({ error: 'internal error' })`)"
                    .to_string(),
            ),
        ));
    }
    out
}
