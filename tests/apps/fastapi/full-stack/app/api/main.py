from fastapi import APIRouter, Depends

from app.api import deps
from app.api.routes import items, login, private_router, users

api_router = APIRouter()
api_router.include_router(login.router)
api_router.include_router(users.router)
api_router.include_router(items.router)
api_router.include_router(
    private_router, prefix="/private", dependencies=[Depends(deps.get_current_active_superuser)]
)
