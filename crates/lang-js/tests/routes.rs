//! Unit tests of route discovery, one registration form per test (spec-v1 §5, §6).

mod common;

use secprop_lang_js::{scan_source, scan_sources};
use secprop_model::{ChainKind, Project};

fn keys(p: &Project) -> Vec<String> {
    p.routes.iter().map(|r| r.key()).collect()
}

fn chain(p: &Project, key: &str) -> Vec<String> {
    let r = p
        .routes
        .iter()
        .find(|r| r.key() == key)
        .unwrap_or_else(|| panic!("no route {key}: {:?}", keys(p)));
    r.chain
        .iter()
        .map(|e| {
            let k = match e.kind {
                ChainKind::Use => "use",
                ChainKind::Mount => "mount",
                ChainKind::ParamBound { .. } => "param",
                ChainKind::Signature { .. } => "signature",
                ChainKind::Route => "route",
            };
            let n = e
                .names
                .first()
                .or(e.factory.first())
                .cloned()
                .unwrap_or_else(|| "<fn>".into());
            let may = if e.may_apply { "?" } else { "" };
            format!("{k}{may}:{n}")
        })
        .collect()
}

const APP: &str = "const express = require('express');\nconst app = express();\n";

#[test]
fn methods_all_and_multiple_paths() {
    let p = scan_source(
        "app.js",
        &format!(
            "{APP}app.get('/a', h); app.post('/a', h); app.all('/b', h); app.put(['/c', '/d'], h); app.PATCH = 1;\nfunction h(req, res) {{ res.end(); }}\n"
        ),
    );
    assert_eq!(keys(&p), ["GET /a", "POST /a", "* /b", "PUT /c", "PUT /d"]);
    assert!(
        p.routes
            .iter()
            .all(|r| r.unresolved.is_none() && r.handler.is_some())
    );
}

#[test]
fn settings_getter_is_not_a_route() {
    let p = scan_source(
        "app.js",
        &format!("{APP}const env = app.get('env');\napp.set('x', 1);\n"),
    );
    assert!(p.routes.is_empty());
}

#[test]
fn express5_paths() {
    let p = scan_source(
        "app.js",
        &format!(
            "{APP}app.get('/files/*path', h); app.get('/a{{/:b}}', h); app.get('/x/', h); app.get('/', h);\nconst h = (req, res) => res.end();\n"
        ),
    );
    assert_eq!(
        keys(&p),
        [
            "GET /files/{path*}",
            "GET /a",
            "GET /a/{b}",
            "GET /x",
            "GET /"
        ]
    );
}

#[test]
fn constants_and_templates() {
    let p = scan_source(
        "app.js",
        &format!(
            "{APP}const BASE = '/api';\nconst V = `${{BASE}}/v2`;\napp.get(V + '/users', h);\napp.get(`/static`, h);\napp.get(`/dyn/${{name}}`, h);\nfunction h(req, res) {{}}\n"
        ),
    );
    assert_eq!(keys(&p), ["GET /api/v2/users", "GET /static", "GET /"]);
    let dynamic = &p.routes[2];
    assert!(
        dynamic
            .unresolved
            .as_deref()
            .unwrap()
            .contains("not a static string"),
        "{dynamic:?}"
    );
}

#[test]
fn use_middleware_order_and_prefix_scope() {
    let p = scan_source(
        "app.js",
        &format!(
            "{APP}app.get('/public', h);\napp.use(requireLogin);\napp.use('/admin', requireAdmin);\napp.use(['/x', '/y'], [mwA, mwB]);\napp.get('/admin/users', audit, h);\napp.get('/administrator', h);\napp.get('/y/1', h);\nfunction requireLogin(req, res, next) {{ next(); }}\nfunction requireAdmin(req, res, next) {{ next(); }}\nfunction audit(req, res, next) {{ next(); }}\nfunction mwA(req, res, next) {{ next(); }}\nfunction mwB(req, res, next) {{ next(); }}\nfunction h(req, res) {{}}\n"
        ),
    );
    assert!(chain(&p, "GET /public").is_empty());
    assert_eq!(
        chain(&p, "GET /admin/users"),
        ["use:requireLogin", "use:requireAdmin", "route:audit"]
    );
    assert_eq!(chain(&p, "GET /administrator"), ["use:requireLogin"]);
    assert_eq!(
        chain(&p, "GET /y/1"),
        ["use:requireLogin", "use:mwA", "use:mwB"]
    );
    let login = &p
        .routes
        .iter()
        .find(|r| r.key() == "GET /admin/users")
        .unwrap()
        .chain[0];
    assert!(login.function.is_some());
}

#[test]
fn factories_and_wrappers() {
    let p = scan_source(
        "app.js",
        &format!(
            "{APP}const passport = require('passport');\nconst asyncHandler = require('express-async-handler');\napp.get('/me', passport.authenticate('jwt', {{ session: false }}), requireRole('admin'), asyncHandler(show));\nfunction requireRole(role) {{ return (req, res, next) => next(); }}\nasync function show(req, res) {{ res.json(req.user); }}\n"
        ),
    );
    let r = &p.routes[0];
    assert_eq!(r.handler_name, "show");
    assert_eq!(p.function(r.handler.unwrap()).name, "app.show");
    assert_eq!(r.chain[0].factory, ["passport.authenticate"]);
    assert!(r.chain[0].function.is_none());
    assert_eq!(r.chain[1].factory, ["requireRole"]);
    // The factory's returned middleware is the element's body.
    let inner = r.chain[1].function.expect("returned middleware");
    assert_eq!(p.function(inner).params.len(), 3);
}

#[test]
fn router_param_callbacks() {
    let p = scan_source(
        "app.js",
        &format!(
            "{APP}const r = express.Router();\nr.param('id', loadThing);\nr.get('/things/:id', h);\nr.get('/things', h);\napp.param('org', loadOrg);\napp.use('/orgs/:org', r);\nfunction loadThing(req, res, next, id) {{ next(); }}\nfunction loadOrg(req, res, next, id) {{ next(); }}\nfunction h(req, res) {{}}\n"
        ),
    );
    assert_eq!(
        chain(&p, "GET /orgs/{org}/things/{id}"),
        ["param:loadOrg", "param:loadThing"]
    );
    assert_eq!(chain(&p, "GET /orgs/{org}/things"), ["param:loadOrg"]);
}

#[test]
fn route_chains_with_all_middleware() {
    let p = scan_source(
        "app.js",
        &format!(
            "{APP}app.route('/books/:id').all(requireLogin).get(show).put(requireEditor, update);\napp.route('/any').all(h);\nfunction requireLogin(req, res, next) {{ next(); }}\nfunction requireEditor(req, res, next) {{ next(); }}\nfunction show(req, res) {{}}\nfunction update(req, res) {{}}\nfunction h(req, res) {{}}\n"
        ),
    );
    assert_eq!(keys(&p), ["GET /books/{id}", "PUT /books/{id}", "* /any"]);
    assert_eq!(chain(&p, "GET /books/{id}"), ["route:requireLogin"]);
    assert_eq!(
        chain(&p, "PUT /books/{id}"),
        ["route:requireLogin", "route:requireEditor"]
    );
    // The registration line of a chained method is the method's own line.
    assert_eq!(p.routes[0].span.line, 3);
}

#[test]
fn routers_across_files_es_and_commonjs() {
    let p = scan_sources(&[
        (
            "src/app.ts",
            "import express from 'express';\nimport api from './routes';\nconst app = express();\napp.use('/api', auth.requireLogin, api);\n",
        ),
        (
            "src/routes/index.ts",
            "import { Router } from 'express';\nimport { items } from './items';\nconst users = require('./users');\nconst router = Router();\nrouter.use('/items', items);\nrouter.use('/users', users);\nexport default router;\n",
        ),
        (
            "src/routes/items.ts",
            "import { Router } from 'express';\nexport const items = Router({ mergeParams: true });\nitems.get('/:itemId', (req, res) => res.json({}));\n",
        ),
        (
            "src/routes/users.js",
            "const express = require('express');\nconst router = new express.Router();\nrouter.get('/', (req, res) => res.json([]));\nmodule.exports = router;\n",
        ),
    ]);
    assert_eq!(keys(&p), ["GET /api/items/{itemId}", "GET /api/users"]);
    assert_eq!(chain(&p, "GET /api/users"), ["mount:auth.requireLogin"]);
    assert_eq!(
        p.files[p.routes[0].span.file.0 as usize].path,
        "src/routes/items.ts"
    );
}

#[test]
fn router_factory_functions() {
    let p = scan_sources(&[
        (
            "app.js",
            "const express = require('express');\nconst app = express();\napp.use('/v1', require('./routes')(db));\napp.use('/v2', makeRouter());\nfunction makeRouter() { const r = express.Router(); r.get('/ping', (req, res) => res.end()); return r; }\n",
        ),
        (
            "routes.js",
            "const { Router } = require('express');\nmodule.exports = function (db) {\n  const router = Router();\n  router.get('/list', (req, res) => res.json(db));\n  return router;\n};\n",
        ),
    ]);
    assert_eq!(keys(&p), ["GET /v2/ping", "GET /v1/list"]);
    assert!(p.routes.iter().all(|r| r.unresolved.is_none()));
}

#[test]
fn unmounted_router_and_unknown_receivers_are_unresolved() {
    let p = scan_source(
        "r.js",
        "const router = require('express').Router();\nrouter.get('/orphan', (req, res) => res.end());\nmodule.exports = router;\nsomething.router.get('/weird', handler);\n",
    );
    assert_eq!(keys(&p), ["GET /orphan", "GET /weird"]);
    assert!(
        p.routes[0]
            .unresolved
            .as_deref()
            .unwrap()
            .contains("not mounted")
    );
    assert!(
        p.routes[1]
            .unresolved
            .as_deref()
            .unwrap()
            .contains("could not be resolved")
    );
}

#[test]
fn unresolved_mount_is_listed() {
    let p = scan_source(
        "app.js",
        &format!(
            "{APP}app.use('/plugins', loadPlugins());\nfunction loadPlugins() {{ return pluginRegistry.current; }}\n"
        ),
    );
    assert_eq!(keys(&p), ["* /plugins/{0*}"]);
    assert!(
        p.routes[0]
            .unresolved
            .as_deref()
            .unwrap()
            .contains("loadPlugins()")
    );
}

#[test]
fn object_member_and_instance_handlers() {
    let p = scan_source(
        "app.js",
        &format!(
            "{APP}const controller = {{ show(req, res) {{ res.end(); }}, list: async (req, res) => res.json([]) }};\nclass Things {{ get(req, res) {{ res.end(); }} }}\nconst things = new Things();\napp.get('/c/:id', controller.show);\napp.get('/c', controller.list);\napp.get('/t', things.get);\n"
        ),
    );
    let names: Vec<(String, String)> = p
        .routes
        .iter()
        .map(|r| {
            (
                r.handler_name.clone(),
                p.function(r.handler.unwrap()).name.clone(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("controller.show".to_string(), "controller.show".to_string()),
            ("controller.list".to_string(), "controller.list".to_string()),
            ("things.get".to_string(), "Things.get".to_string()),
        ]
    );
}

#[test]
fn spread_of_unknown_middleware_is_unresolved() {
    let p = scan_source(
        "app.js",
        &format!("{APP}app.get('/x', ...getMiddleware(), (req, res) => res.end());\n"),
    );
    assert!(
        p.routes[0]
            .unresolved
            .as_deref()
            .unwrap()
            .contains("middleware list")
    );
}

#[test]
fn unresolved_handler() {
    let p = scan_source("app.js", &format!("{APP}app.get('/x', handlers[name]);\n"));
    assert!(
        p.routes[0]
            .unresolved
            .as_deref()
            .unwrap()
            .contains("handler")
    );
}

#[test]
fn wrapped_class_field_handlers() {
    let p = scan_source(
        "app.ts",
        "import express from 'express';\nimport asyncHandler from 'express-async-handler';\nconst wrap = (fn) => (req, res, next) => fn(req, res).catch(next);\nclass Ctl {\n  list = asyncHandler(async (req, res) => { res.json([]); });\n  show = wrap(async (req, res) => { res.json({}); });\n}\nconst c = new Ctl();\nconst app = express();\napp.get('/l', c.list);\napp.get('/s', c.show);\n",
    );
    let names: Vec<String> = p
        .routes
        .iter()
        .map(|r| p.function(r.handler.expect("handler")).name.clone())
        .collect();
    assert_eq!(names, ["Ctl.list", "Ctl.show"]);
    for r in &p.routes {
        assert_eq!(
            p.function(r.handler.unwrap()).params.len(),
            2,
            "the wrapped function, not the wrapper's closure"
        );
    }
}

#[test]
fn middleware_arrays_before_a_router() {
    let p = scan_source(
        "app.js",
        &format!(
            "{APP}const guards = [requireLogin, audit];\nconst r = express.Router();\nr.get('/x', (req, res) => res.end());\napp.use('/api', guards, [cors()], r);\nfunction requireLogin(req, res, next) {{ next(); }}\nfunction audit(req, res, next) {{ next(); }}\n"
        ),
    );
    assert_eq!(
        chain(&p, "GET /api/x"),
        ["mount:requireLogin", "mount:audit", "mount:cors"]
    );
}

/// A `use()` whose path uses pattern syntax is a step that may apply; the routes after it
/// stay resolved, and the step is never counted as a guard (issue 10).
#[test]
fn pattern_use_path_may_apply() {
    let p = scan_source(
        "app.js",
        &format!(
            "{APP}app.use('/files(?!/private)/:name', requireLogin);\napp.use(/^\\/api/, audit);\napp.use('/x', requireLogin);\napp.get('/files/:name', h);\napp.get('/x/1', h);\nfunction requireLogin(req, res, next) {{ next(); }}\nfunction audit(req, res, next) {{ next(); }}\nfunction h(req, res) {{ res.end(); }}\n"
        ),
    );
    assert_eq!(keys(&p), ["GET /files/{name}", "GET /x/1"]);
    assert!(p.routes.iter().all(|r| r.unresolved.is_none()), "{p:?}");
    assert_eq!(
        chain(&p, "GET /files/{name}"),
        ["use?:requireLogin", "use?:audit"]
    );
    assert_eq!(
        chain(&p, "GET /x/1"),
        ["use?:requireLogin", "use?:audit", "use:requireLogin"]
    );
}

/// A literal start before the pattern syntax bounds where the step may apply; a router
/// mounted at such a path has an unknown prefix, and only its routes are unresolved.
#[test]
fn pattern_use_path_scope_and_mount() {
    let p = scan_source(
        "app.js",
        &format!(
            "{APP}const r = express.Router();\nr.get('/in', h);\napp.use('/admin/(?!public)', audit);\napp.use('/v(1|2)', r);\napp.get('/admin/users', h);\napp.get('/other', h);\nfunction audit(req, res, next) {{ next(); }}\nfunction h(req, res) {{ res.end(); }}\n"
        ),
    );
    assert_eq!(chain(&p, "GET /admin/users"), ["use?:audit"]);
    assert!(chain(&p, "GET /other").is_empty());
    for r in &p.routes {
        assert_eq!(r.unresolved.is_some(), r.path() == "/in", "{}", r.key());
    }
}

/// A registration function that receives the app, called from a database-connect
/// callback, lists each route once (issue 10).
#[test]
fn app_passed_from_callback_is_listed_once() {
    let p = scan_sources(&[
        (
            "server.js",
            "const express = require('express');\nconst { MongoClient } = require('mongodb');\nconst routes = require('./routes');\nconst app = express();\nMongoClient.connect(url, (err, db) => {\n  app.use(requireLogin);\n  routes(app, db);\n  app.listen(3000);\n});\nfunction requireLogin(req, res, next) { next(); }\n",
        ),
        (
            "routes/index.js",
            "module.exports = (app, db) => {\n  app.get('/a', (req, res) => res.end());\n  app.post('/a', (req, res) => res.end());\n};\n",
        ),
    ]);
    assert_eq!(keys(&p), ["GET /a", "POST /a"]);
    assert_eq!(chain(&p, "GET /a"), ["use:requireLogin"]);
}

/// A router module imported from two files is one router: mounted once, listed once.
#[test]
fn router_imported_twice_is_listed_once() {
    let p = scan_sources(&[
        (
            "app.js",
            "const express = require('express');\nconst users = require('./users');\nconst admin = require('./admin');\nconst app = express();\napp.use('/users', users);\napp.use('/admin', admin);\n",
        ),
        (
            "admin.js",
            "const express = require('express');\nconst users = require('./users');\nconst router = express.Router();\nrouter.get('/count', (req, res) => res.json(users.stack.length));\nmodule.exports = router;\n",
        ),
        (
            "users.js",
            "const express = require('express');\nconst router = express.Router();\nrouter.get('/:id', (req, res) => res.end());\nmodule.exports = router;\n",
        ),
    ]);
    assert_eq!(keys(&p), ["GET /admin/count", "GET /users/{id}"]);
}

/// Several registrations of the same method and path form one route whose chain is
/// their concatenation in registration order (spec-v1 §6 "Inline guards").
#[test]
fn repeated_registrations_form_one_route() {
    let p = scan_source(
        "app.js",
        &format!(
            "{APP}app.use(parse);\napp.post('/login', validate);\napp.use(audit);\napp.post('/login', limit, doLogin);\napp.get('/login', show);\napp.route('/x').get(security.isAuthorized()).get(show);\napp.post('/login', after);\nfunction parse(req, res, next) {{ next(); }}\nfunction validate(req, res, next) {{ next(); }}\nfunction audit(req, res, next) {{ next(); }}\nfunction limit(req, res, next) {{ next(); }}\nfunction doLogin(req, res, next) {{ next(); }}\nfunction after(req, res) {{ res.end(); }}\nfunction show(req, res) {{ res.end(); }}\n"
        ),
    );
    assert_eq!(keys(&p), ["GET /login", "GET /x", "POST /login"]);
    assert_eq!(
        chain(&p, "POST /login"),
        [
            "use:parse",
            "route:validate",
            "use:audit",
            "route:limit",
            "route:doLogin"
        ]
    );
    let post = p.routes.iter().find(|r| r.key() == "POST /login").unwrap();
    assert_eq!(post.handler_name, "after");
    assert_eq!(post.span.line, 9);
    assert_eq!(chain(&p, "GET /login"), ["use:parse", "use:audit"]);
    // A guard factory's element is named by the called function.
    assert_eq!(
        chain(&p, "GET /x"),
        ["use:parse", "use:audit", "route:security.isAuthorized"]
    );
}

/// `app.use(path, ..., h)` whose last function answers the request is a route for every
/// method below the path; middleware that continues and error handlers are not.
#[test]
fn use_that_answers_is_a_route() {
    let p = scan_source(
        "app.js",
        &format!(
            "{APP}const serveStatic = require('serve-static');\napp.use('/assets', express.static('public'));\napp.use('/docs/', requireLogin, serveStatic('docs'));\napp.use('/health', (req, res) => res.send('ok'));\napp.use('/mw', (req, res, next) => {{ req.t = 1; next(); }});\napp.use('/x(?!y)', (req, res) => res.end());\napp.get('/after', (req, res) => res.end());\napp.use(function notFound(req, res, next) {{ res.status(404).send('no'); }});\napp.use((err, req, res, next) => res.status(500).end());\nfunction requireLogin(req, res, next) {{ next(); }}\n"
        ),
    );
    assert_eq!(
        keys(&p),
        [
            "* /assets/{0*}",
            "* /docs/{0*}",
            "* /health/{0*}",
            "* /",
            "GET /after",
            "* /{0*}"
        ]
    );
    let r = |k: &str| p.routes.iter().find(|r| r.key() == k).unwrap();
    assert_eq!(r("* /assets/{0*}").handler_name, "express.static");
    assert_eq!(r("* /docs/{0*}").handler_name, "serveStatic");
    assert_eq!(chain(&p, "* /docs/{0*}"), ["route:requireLogin"]);
    assert!(r("* /").unresolved.is_some());
    assert_eq!(r("* /{0*}").handler_name, "<anonymous>");
    assert!(r("* /{0*}").handler.is_some());
    assert!(r("GET /after").unresolved.is_none());
}

/// Express 4 segments with several parameters and optional parameters.
#[test]
fn express4_parameter_segments() {
    let p = scan_source(
        "app.js",
        &format!(
            "{APP}app.get('/files/:name.:ext', h);\napp.get('/u/:id?', h);\napp.get('/n/:id(\\\\d+)', h);\napp.get(/fly$/, h);\napp.get('/ok', h);\nfunction h(req, res) {{ res.end(); }}\n"
        ),
    );
    assert_eq!(
        keys(&p),
        [
            "GET /files/{name}",
            "GET /u",
            "GET /u/{id}",
            "GET /n/{id}",
            "GET /",
            "GET /ok"
        ]
    );
    let unresolved: Vec<_> = p
        .routes
        .iter()
        .filter(|r| r.unresolved.is_some())
        .map(|r| r.span.line)
        .collect();
    assert_eq!(unresolved, [6]);
}

/// TypeScript `export = router` and `import r = require('./r')` are CommonJS exports and
/// imports.
#[test]
fn typescript_export_equals() {
    let p = scan_sources(&[
        (
            "src/app.ts",
            "import express = require('express');\nimport users = require('./users');\nconst app = express();\napp.use('/users', users);\n",
        ),
        (
            "src/users.ts",
            "import { Router } from 'express';\nconst router = Router();\nrouter.get('/:id', (req, res) => res.end());\nexport = router;\n",
        ),
    ]);
    assert_eq!(keys(&p), ["GET /users/{id}"]);
    assert!(p.routes[0].unresolved.is_none(), "{:?}", p.routes[0]);
}

/// A catch-all registration whose handler passes the request on runs before the later
/// routes below its path, for its method or every method (`app.all`).
#[test]
fn catch_all_middleware_runs_before_later_routes() {
    let p = scan_source(
        "app.js",
        &format!(
            "{APP}app.get('/open', h);\napp.all('/api/*', requireLogin);\napp.use(audit);\napp.get('/api/users', h);\napp.post('/api/users/:id', h);\napp.get('/apix', h);\napp.get('/files/*', (req, res) => res.end());\napp.get('/files/a', h);\nfunction requireLogin(req, res, next) {{ if (!req.user) return res.sendStatus(401); next(); }}\nfunction audit(req, res, next) {{ next(); }}\nfunction h(req, res) {{ res.end(); }}\n"
        ),
    );
    assert!(chain(&p, "GET /open").is_empty());
    assert!(chain(&p, "* /api/{0*}").is_empty());
    assert_eq!(
        chain(&p, "GET /api/users"),
        ["route:requireLogin", "use:audit"]
    );
    assert_eq!(
        chain(&p, "POST /api/users/{id}"),
        ["route:requireLogin", "use:audit"]
    );
    assert_eq!(chain(&p, "GET /apix"), ["use:audit"]);
    // A catch-all that answers ends the request: nothing is added.
    assert_eq!(chain(&p, "GET /files/a"), ["use:audit"]);
}

/// `app.all(p, mw)` then `app.get(p, h)`: the all-method middleware runs first.
#[test]
fn all_then_method_on_the_same_path() {
    let p = scan_source(
        "app.js",
        &format!(
            "{APP}app.all('/admin', requireLogin);
app.get('/admin', h);
app.post('/other', h);
function requireLogin(req, res, next) {{ next(); }}
function h(req, res) {{ res.end(); }}
"
        ),
    );
    assert_eq!(keys(&p), ["* /admin", "GET /admin", "POST /other"]);
    assert_eq!(chain(&p, "GET /admin"), ["route:requireLogin"]);
    assert!(chain(&p, "POST /other").is_empty());
}
