from fastapi import APIRouter, Depends

from app.api.deps import CurrentUser, get_current_active_superuser

router = APIRouter(prefix="/users", tags=["users"])


@router.get("/", dependencies=[Depends(get_current_active_superuser)])
def read_users():
    return []


@router.get("/me")
def read_user_me(current_user: CurrentUser):
    return current_user


@router.delete("/{user_id}", dependencies=[Depends(get_current_active_superuser)])
def delete_user(user_id: str):
    return {"deleted": user_id}
