"""API tokens that expire and can be revoked.

DRF's ``authtoken`` keys live forever and are shared by every client of a user. Here a key
is valid for ``API_TOKEN_TTL`` from its creation; an expired key is deleted when it is
presented and logging in again issues a new one. ``DELETE /api/auth/token/`` deletes the
key (logout), and changing or resetting the password deletes every key of the user.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import user_logged_in
from django.db import transaction
from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from accounts.models import User


def token_expires_at(token: Token) -> dt.datetime:
    return token.created + settings.API_TOKEN_TTL


def token_is_expired(token: Token) -> bool:
    return timezone.now() >= token_expires_at(token)


@transaction.atomic
def token_issue(*, user: User, request=None) -> Token:
    """The user's current key, or a new one when there is none or it has expired."""
    # Lock the user row: two concurrent logins must not both create a key (one per user).
    User.objects.select_for_update().filter(pk=user.pk).first()
    token = Token.objects.filter(user=user).first()
    if token is not None and token_is_expired(token):
        token.delete()
        token = None
    if token is None:
        token = Token.objects.create(user=user)
    if request is not None:
        # A token login is a login: last_login is updated and axes clears the failures.
        user_logged_in.send(sender=user.__class__, request=request, user=user)
    return token


def token_revoke(*, token: Token) -> None:
    Token.objects.filter(pk=token.pk).delete()


def tokens_revoke_all(*, user: User) -> None:
    Token.objects.filter(user=user).delete()


class ExpiringTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>`` that stops working ``API_TOKEN_TTL`` after issue."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_is_expired(token):
            token.delete()
            raise AuthenticationFailed("登录令牌已过期，请重新登录获取新令牌。")
        return user, token
