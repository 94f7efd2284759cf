"""SMS: notifications marked SMS-worthy go out as text messages through ``SMS_BACKEND``, sent
by the worker, to users with a phone number, where the province profile turns SMS on."""

from __future__ import annotations

import io

import pytest

from accounts import province
from accounts.models import CertStatus, ProvinceProfile
from accounts.services import certification_return
from notifications import checks, sms
from notifications.services import notify
from tests import factories
from tests.notifications.workers import jobs, run_worker_until_idle

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def applicant(db):
    """An enterprise in 兴庆区 whose certification waits for its bureau, with a mobile number."""
    user = factories.applicant_user(username="amy", adcode=640104, status=CertStatus.SUBMITTED)
    user.phone = "13900000001"
    user.save()
    return user


@pytest.mark.parametrize(("adcode", "sends"), [(640000, False), (410000, False), (320000, True), (330000, False)])
def test_a_returned_application_is_texted_only_where_the_profile_turns_sms_on(settings, applicant, bob, adcode, sends):
    settings.PLATFORM_PROVINCE = adcode  # the profile comes from the province's preset
    assert province.current().sms_notifications is sends

    certification_return(org=applicant.organisation, by=bob, reason="营业执照照片不清晰")
    run_worker_until_idle()

    if sends:
        (text,) = sms.outbox
        assert text.to == "13900000001"
        assert text.body.startswith("[江苏省科技创新券] 认证申请被退回 营业执照照片不清晰")
        assert text.body.endswith(f"{settings.SITE_URL}/accounts/me/")
        assert ("notifications.send_sms", "succeeded", 1) in jobs()
    else:
        assert sms.outbox == []
        assert all(task != "notifications.send_sms" for task, _, _ in jobs())
    assert [t for t, status, _ in jobs() if status != "succeeded"] == []  # the e-mail went too


def test_only_notifications_marked_sms_worthy_and_users_with_a_phone_get_a_text(applicant, alice):
    ProvinceProfile.objects.filter(pk=province.current().pk).update(sms_notifications=True)
    notify(users=[applicant, alice], title="待审核合同")  # not SMS-worthy
    notify(users=[applicant, alice], title="兑付款已拨付", sms=True)  # alice has no phone

    run_worker_until_idle()

    assert [(m.to, m.body) for m in sms.outbox] == [("13900000001", "[宁夏科技创新券] 兑付款已拨付")]


def test_a_failing_gateway_is_retried_and_dead_lettered_like_mail(settings, applicant):
    ProvinceProfile.objects.filter(pk=province.current().pk).update(sms_notifications=True)
    settings.SMS_BACKEND = "tests.notifications.test_sms.DownGateway"
    notify(users=[applicant], title="兑付款已拨付", sms=True)

    run_worker_until_idle()

    assert ("notifications.send_sms", "failed", 3) in jobs()


class DownGateway(sms.BaseBackend):
    def send_messages(self, messages):
        raise ConnectionError("SMS gateway unreachable (test)")


def test_the_console_and_null_backends(settings):
    stream = io.StringIO()
    sent = sms.get_backend("notifications.sms.ConsoleBackend", stream=stream).send_messages(
        [sms.SmsMessage(to="13900000001", body="认证审核通过")]
    )
    assert sent == 1 and "SMS to 13900000001\n认证审核通过\n" in stream.getvalue()
    assert sms.get_backend("notifications.sms.NullBackend").send_messages([sms.SmsMessage("1", "x")]) == 1
    assert sms.outbox == []


def test_a_backend_that_cannot_be_imported_fails_the_start_up_check(settings):
    assert checks.sms_backend_importable(None) == []
    settings.SMS_BACKEND = "notifications.sms.NoSuchBackend"
    (error,) = checks.sms_backend_importable(None)
    assert error.id == "notifications.E001"
    with pytest.raises(ImportError):
        sms.get_backend()
