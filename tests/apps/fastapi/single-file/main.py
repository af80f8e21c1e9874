from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Security

from auth import get_current_user, require_admin, verify_token
import models as m

CurrentUser = Annotated[m.User, Depends(get_current_user)]

app = FastAPI(dependencies=[Depends(verify_token)])


@app.get("/")
def root():
    return {"ok": True}


@app.get("/items/{item_id}")
async def read_item(item_id: int, user: CurrentUser):
    return {"item_id": item_id, "owner": user.id}


@app.post("/items", dependencies=[Depends(require_admin)])
async def create_item(item: m.Item):
    return item


@app.api_route("/items/{item_id}", methods=["PUT", "PATCH"])
async def replace_item(item_id: int, user: m.User = Depends(get_current_user)):
    return {"item_id": item_id}


@app.get("/files/{file_path:path}")
def read_file(file_path: str, user=Security(get_current_user, scopes=["files"])):
    return {"path": file_path}


def list_users():
    return []


app.add_api_route("/users", list_users, methods=["GET"])

ROUTE = "/computed"


@app.get(ROUTE)
def computed():
    return {}
