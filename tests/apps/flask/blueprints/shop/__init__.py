from flask import Flask


def create_app():
    app = Flask(__name__)
    from .views import admin, orders
    from .views.products import bp as products_bp

    app.register_blueprint(products_bp)
    app.register_blueprint(orders.bp, url_prefix="/orders")
    app.register_blueprint(admin.admin_bp)
    return app
