from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import OAuth2PasswordBearer

reusable_oauth2 = OAuth2PasswordBearer(tokenUrl="/api/v1/login/access-token")

TokenDep = Annotated[str, Depends(reusable_oauth2)]


def get_current_user(token: TokenDep):
    user = decode(token)
    if not user:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND)
    return user


CurrentUser = Annotated[dict, Depends(get_current_user)]


def get_current_active_superuser(current_user: CurrentUser):
    if not current_user.is_superuser:
        raise HTTPException(status_code=403, detail="not enough privileges")
    return current_user


def decode(token):
    return None
