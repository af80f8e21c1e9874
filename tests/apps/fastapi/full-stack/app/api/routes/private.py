from fastapi import APIRouter

router = APIRouter(tags=["private"])


@router.post("/users/")
def create_user():
    return {}
