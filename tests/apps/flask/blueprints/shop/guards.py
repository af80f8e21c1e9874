from functools import wraps

from flask import abort, g


def login_required(view):
    @wraps(view)
    def wrapped(**kwargs):
        if g.user is None:
            abort(401)
        return view(**kwargs)

    return wrapped


def admin_required(view):
    return view
