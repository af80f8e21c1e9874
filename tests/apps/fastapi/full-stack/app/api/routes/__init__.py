from .private import router as private_router

__all__ = ["private_router"]
