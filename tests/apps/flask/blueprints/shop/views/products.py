from flask import Blueprint

bp = Blueprint("products", __name__, url_prefix="/products")


@bp.get("/")
def list_products():
    return []


@bp.get("/<int:product_id>")
def show_product(product_id):
    return {"id": product_id}
