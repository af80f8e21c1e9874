from pydantic import BaseModel


class User(BaseModel):
    id: int
    email: str
    password_hash: str


class Item(BaseModel):
    name: str
