from functools import wraps

from flask import Flask, abort, g, jsonify, request
from flask_login import current_user, login_required

import auth

app = Flask(__name__)


@app.before_request
def load_user():
    g.user = auth.user_from(request.headers.get("Authorization"))


@app.route("/")
def index():
    return "hello"


@app.route("/posts/<int:post_id>", methods=["GET", "POST"])
@login_required
def post(post_id):
    return jsonify(id=post_id)


@app.get("/users/<username>")
@auth.roles_required("admin")
def user(username):
    return {"name": username}


# Above the route decorator: it wraps the registered function after registration, so it
# never runs for the route (a classic mistake); not in the chain.
@login_required
@app.delete("/posts/<int:post_id>")
def delete_post(post_id):
    return "", 204


@app.route("/static/<path:filename>")
def static_file(filename):
    return filename


@app.route("/a")
@app.route("/b", methods=["PUT"])
def two_rules():
    return "two"


def health():
    return "ok"


app.add_url_rule("/health", view_func=health)
app.add_url_rule("/health2", "health2", health, methods=["HEAD"])
