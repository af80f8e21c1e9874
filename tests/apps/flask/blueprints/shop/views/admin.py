from flask import Blueprint

from shop.guards import admin_required

admin_bp = Blueprint("admin", __name__, url_prefix="/admin")
reports_bp = Blueprint("reports", __name__, url_prefix="/reports")

admin_bp.register_blueprint(reports_bp)


@admin_bp.before_request
@admin_required
def gate():
    pass


@reports_bp.get("/<int:year>")
def yearly(year):
    return {"year": year}


legacy = Blueprint("legacy", __name__)


@legacy.route("/old")
def old():
    return "never registered"
