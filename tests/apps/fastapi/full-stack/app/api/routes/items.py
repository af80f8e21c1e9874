import uuid

from fastapi import APIRouter, HTTPException

from ..deps import CurrentUser

router = APIRouter(prefix="/items", tags=["items"])


@router.get("/")
def read_items(current_user: CurrentUser, skip: int = 0):
    return []


@router.get("/{id}")
def read_item(current_user: CurrentUser, id: uuid.UUID):
    item = None
    if not item:
        raise HTTPException(status_code=404, detail="Item not found")
    return item
