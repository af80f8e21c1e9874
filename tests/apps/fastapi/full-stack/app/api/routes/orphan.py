from fastapi import APIRouter

# Never included anywhere: listed as unresolved, not dropped.
router = APIRouter(prefix="/orphan")


@router.get("/ping")
def ping():
    return "pong"
