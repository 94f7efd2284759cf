"""Logging in cannot be hammered; passwords are validated; tokens expire and can be revoked.

Alice is a registered applicant; Mallory guesses passwords. Counters live in storage every
process shares (axes' tables, the database cache), so these tests read them there.
"""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.cache import caches
from django.db import connection
from django.utils import timezone
from rest_framework.authtoken.models import Token

from tests import factories

pytestmark = pytest.mark.django_db

TOKEN = "/api/auth/token/"
LIMIT = 5  # settings.AXES_FAILURE_LIMIT


def wrong_token_logins(api, username, times, address="10.0.0.9"):
    for _ in range(times):
        response = api.post(TOKEN, {"username": username, "password": "guess-guess-1"}, REMOTE_ADDR=address)
        assert response.status_code == 400, response.content
        assert response.json()["detail"] == "用户名或密码错误。"


def cool_off_passes():
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))


# --- Lockout on the token endpoint and the login page ---------------------------------------


def test_it_locks_a_username_out_of_the_token_endpoint_after_five_failures(api, alice):
    wrong_token_logins(api, "alice", LIMIT - 1)
    response = api.post(TOKEN, {"username": "alice", "password": "guess-guess-1"}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert "登录失败次数过多" in response.json()["detail"] and "15 分钟" in response.json()["detail"]
    assert int(response["Retry-After"]) == 15 * 60
    # Even the right password, and from another address: the username is locked.
    right = api.post(TOKEN, {"username": "alice", "password": factories.PASSWORD}, REMOTE_ADDR="10.0.0.77")
    assert right.status_code == 429
    assert not Token.objects.filter(user=alice).exists()


def test_the_lockout_lifts_after_the_cool_off(api, alice):
    wrong_token_logins(api, "alice", LIMIT - 1)
    api.post(TOKEN, {"username": "alice", "password": "guess-guess-1"}, REMOTE_ADDR="10.0.0.9")
    cool_off_passes()
    response = api.post(TOKEN, {"username": "alice", "password": factories.PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 200 and response.json()["token"]


def test_it_locks_an_address_that_tries_many_usernames(api, alice):
    for name in ("amy", "ann", "ava", "abe", "al"):
        api.post(TOKEN, {"username": name, "password": "guess-guess-1"}, REMOTE_ADDR="10.0.0.9")
    from_there = api.post(TOKEN, {"username": "alice", "password": factories.PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert from_there.status_code == 429
    elsewhere = api.post(TOKEN, {"username": "alice", "password": factories.PASSWORD}, REMOTE_ADDR="10.0.0.10")
    assert elsewhere.status_code == 200


def test_the_login_page_locks_out_with_a_chinese_page(client, alice):
    for _ in range(LIMIT - 1):
        page = client.post("/accounts/login/", {"username": "alice", "password": "guess-guess-1"})
        assert page.status_code == 200
    locked = client.post("/accounts/login/", {"username": "alice", "password": "guess-guess-1"})
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    right = client.post("/accounts/login/", {"username": "alice", "password": factories.PASSWORD})
    assert right.status_code == 429 and "_auth_user_id" not in client.session
    cool_off_passes()
    right = client.post("/accounts/login/", {"username": "alice", "password": factories.PASSWORD})
    assert right.status_code == 302 and client.session["_auth_user_id"] == str(alice.pk)


def test_page_and_api_failures_count_together(api, client, alice):
    wrong_token_logins(api, "alice", 3)
    for _ in range(2):
        client.post("/accounts/login/", {"username": "alice", "password": "guess-guess-1"})
    response = api.post(TOKEN, {"username": "alice", "password": factories.PASSWORD}, REMOTE_ADDR="10.0.0.50")
    assert response.status_code == 429


def test_a_success_clears_the_failures(api, alice):
    wrong_token_logins(api, "alice", LIMIT - 1)
    assert (
        api.post(TOKEN, {"username": "alice", "password": factories.PASSWORD}, REMOTE_ADDR="10.0.0.9").status_code
        == 200
    )
    wrong_token_logins(api, "alice", LIMIT - 1)  # a fresh count: still 400s, not 429


# --- Per-address rate limits (every request, in the shared database cache) -----------------


def test_the_token_endpoint_is_rate_limited_per_address_in_the_shared_cache(api, alice, settings):
    settings.LOGIN_RATE_PER_ADDRESS = "3/min"
    for _ in range(3):
        assert api.post(TOKEN, {"username": "alice", "password": factories.PASSWORD}).status_code == 200
    response = api.post(TOKEN, {"username": "alice", "password": factories.PASSWORD})
    assert response.status_code == 429
    assert response.json()["detail"].startswith("请求过于频繁")
    assert "Retry-After" in response
    assert caches["shared"].__class__.__name__ == "DatabaseCache"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM mapsite_shared_cache")
        assert cursor.fetchone()[0] >= 1
    assert (
        api.post(TOKEN, {"username": "alice", "password": factories.PASSWORD}, REMOTE_ADDR="10.1.1.1").status_code
        == 200
    )


def test_registration_page_and_api_share_one_rate_per_address(api, client, settings):
    settings.REGISTRATION_RATE_PER_ADDRESS = "2/hour"
    assert client.post("/accounts/register/", {}).status_code == 200  # invalid form, still counted
    assert api.post("/api/auth/register/", {}, format="json").status_code == 400
    page = client.post("/accounts/register/", {})
    assert page.status_code == 429 and "请求过于频繁" in page.content.decode()
    response = api.post("/api/auth/register/", {}, format="json")
    assert response.status_code == 429 and response.json()["detail"].startswith("请求过于频繁")
    assert client.get("/accounts/register/").status_code == 200  # reading the form is not limited


def test_password_reset_requests_are_rate_limited(client, alice, settings):
    settings.PASSWORD_RESET_RATE_PER_ADDRESS = "2/hour"
    for _ in range(2):
        assert client.post("/accounts/password/reset/", {"email": alice.email}).status_code == 302
    assert client.post("/accounts/password/reset/", {"email": alice.email}).status_code == 429
    assert len(mail.outbox) == 2


# --- Password validators wherever a password is set ------------------------------------------

REGISTRATION = {
    "username": "newco",
    "email": "n@example.com",
    "kind": "enterprise",
    "name": "宁夏枸杞科技有限公司",
    "region": 640104,
}


@pytest.mark.parametrize(
    ("password", "message"), [("12345678", "这个密码太常见了"), ("48291735", "只包含数字"), ("abc12", "太短")]
)
def test_registration_api_refuses_weak_passwords_in_chinese(api, password, message):
    response = api.post("/api/auth/register/", {**REGISTRATION, "password": password}, format="json")
    assert response.status_code == 400
    assert message in "".join(response.json()["password"])
    assert not factories.User.objects.filter(username="newco").exists()


def test_registration_page_refuses_12345678_in_chinese(client):
    page = client.post("/accounts/register/", {**REGISTRATION, "password": "12345678"})
    assert page.status_code == 200
    assert "这个密码太常见了" in page.content.decode()
    assert not factories.User.objects.filter(username="newco").exists()


def test_registration_refuses_a_password_like_the_username(api):
    response = api.post(
        "/api/auth/register/", {**REGISTRATION, "username": "ningxiagouqi", "password": "ningxiagouqi1"}, format="json"
    )
    assert response.status_code == 400 and "相似" in "".join(response.json()["password"])


# --- Tokens: expiry, logout, rotation --------------------------------------------------------


def test_logout_deletes_the_token_and_logging_in_again_gives_a_new_key(api, alice):
    first = api.post(TOKEN, {"username": "alice", "password": factories.PASSWORD}).json()
    assert first["expires_at"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {first['token']}")
    assert api.get("/api/me/").status_code == 200
    assert api.delete(TOKEN).status_code == 204
    assert not Token.objects.filter(key=first["token"]).exists()
    assert api.get("/api/me/").status_code == 401
    api.credentials()
    second = api.post(TOKEN, {"username": "alice", "password": factories.PASSWORD}).json()
    assert second["token"] != first["token"]


def test_an_anonymous_logout_is_401(api):
    assert api.delete(TOKEN).status_code == 401


def test_a_token_expires_after_the_ttl(api, alice):
    key = api.post(TOKEN, {"username": "alice", "password": factories.PASSWORD}).json()["token"]
    Token.objects.filter(key=key).update(created=timezone.now() - dt.timedelta(days=14, minutes=1))
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.get("/api/me/")
    assert response.status_code == 401 and "已过期" in response.json()["detail"]
    assert not Token.objects.filter(key=key).exists()
    api.credentials()
    again = api.post(TOKEN, {"username": "alice", "password": factories.PASSWORD}).json()["token"]
    assert again != key


def test_an_expired_token_is_replaced_at_login(api, alice):
    key = api.post(TOKEN, {"username": "alice", "password": factories.PASSWORD}).json()["token"]
    Token.objects.filter(key=key).update(created=timezone.now() - dt.timedelta(days=15))
    assert api.post(TOKEN, {"username": "alice", "password": factories.PASSWORD}).json()["token"] != key


# --- Password change (page + API) and reset by e-mail -----------------------------------------


def test_password_change_api_revokes_old_tokens_and_returns_a_new_one(api, api_as, alice):
    old = Token.objects.create(user=alice) if not Token.objects.filter(user=alice).exists() else alice.auth_token
    client = api_as(alice)
    weak = client.post("/api/auth/password/", {"old_password": factories.PASSWORD, "new_password": "12345678"})
    assert weak.status_code == 400 and "这个密码太常见了" in "".join(weak.json()["new_password"])
    wrong = client.post("/api/auth/password/", {"old_password": "nope", "new_password": "brand-new-secret-9"})
    assert wrong.status_code == 400 and wrong.json()["old_password"] == ["原密码不正确。"]
    response = client.post(
        "/api/auth/password/", {"old_password": factories.PASSWORD, "new_password": "brand-new-secret-9"}
    )
    assert response.status_code == 200
    assert not Token.objects.filter(key=old.key).exists()
    alice.refresh_from_db()
    assert alice.check_password("brand-new-secret-9")
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get("/api/me/").status_code == 200


def test_password_change_needs_a_login(api, client):
    assert api.post("/api/auth/password/", {"old_password": "a", "new_password": "b"}).status_code == 401
    page = client.get("/accounts/password/")
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]


def test_password_change_page(client, alice):
    Token.objects.create(user=alice)
    client.force_login(alice)
    form = client.get("/accounts/password/")
    assert form.status_code == 200 and "修改密码" in form.content.decode()
    weak = client.post(
        "/accounts/password/",
        {"old_password": factories.PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert weak.status_code == 200 and "这个密码太常见了" in weak.content.decode()
    done = client.post(
        "/accounts/password/",
        {
            "old_password": factories.PASSWORD,
            "new_password1": "brand-new-secret-9",
            "new_password2": "brand-new-secret-9",
        },
    )
    assert done.status_code == 302 and done["Location"] == "/accounts/password/done/"
    assert "已修改" in client.get(done["Location"]).content.decode()
    assert not Token.objects.filter(user=alice).exists()
    assert client.get("/accounts/me/").status_code == 200  # still signed in


def test_password_reset_by_email(client, alice, settings):
    Token.objects.create(user=alice)
    page = client.get("/accounts/password/reset/")
    assert "找回密码" in page.content.decode()
    sent = client.post("/accounts/password/reset/", {"email": alice.email})
    assert sent.status_code == 302 and "已发送" in client.get(sent["Location"]).content.decode()
    (message,) = mail.outbox
    assert message.subject == "宁夏科技创新券管理服务平台：重设密码"
    link = next(line for line in message.body.splitlines() if "/accounts/password/reset/" in line).strip()
    assert link.startswith(settings.SITE_URL + "/accounts/password/reset/")
    link = link.removeprefix(settings.SITE_URL)
    confirm = client.get(link, follow=True)
    assert confirm.status_code == 200 and "设置新密码" in confirm.content.decode()
    url = confirm.redirect_chain[-1][0]
    weak = client.post(url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 200 and "这个密码太常见了" in weak.content.decode()
    done = client.post(url, {"new_password1": "brand-new-secret-9", "new_password2": "brand-new-secret-9"})
    assert done.status_code == 302 and "已重设" in client.get(done["Location"]).content.decode()
    alice.refresh_from_db()
    assert alice.check_password("brand-new-secret-9")
    assert not Token.objects.filter(user=alice).exists()
    reused = client.get(link, follow=True)
    assert "无效" in reused.content.decode()


def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client):
    sent = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert sent.status_code == 302 and mail.outbox == []
