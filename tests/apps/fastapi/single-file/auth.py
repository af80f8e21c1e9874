from fastapi import Depends, Header, HTTPException


def verify_token(x_token: str = Header()):
    if x_token != "secret":
        raise HTTPException(status_code=401)


async def get_current_user(token: str = Depends(verify_token)):
    return {"id": 1}


def require_admin(user=Depends(get_current_user)):
    if not user.is_admin:
        raise HTTPException(status_code=403)
