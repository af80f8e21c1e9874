from fastapi import FastAPI

app = FastAPI()


@app.get("/ok")
def ok():
    return {}


@app.get("/broken/{id}")
def broken(id: int):
    return {"id": id


@app.get("/after")
def after():
    return {}
