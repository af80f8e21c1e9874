from flask import Blueprint, abort, g

from ..guards import login_required

bp = Blueprint("orders", __name__)


@bp.before_request
def require_login():
    if g.user is None:
        abort(401)


@bp.route("/<order_id>", methods=["GET", "DELETE"])
@login_required
def order(order_id):
    return {"id": order_id}
