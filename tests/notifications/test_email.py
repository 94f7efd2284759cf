"""Notification e-mail is sent by the worker: queued in the business transaction, retried with
backoff, dead-lettered after the last retry and retried from the dead-letter page."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from notifications.models import Notification, TaskFailure
from notifications.services import notify
from tests.notifications.workers import jobs, run_worker_until_idle

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_notification_is_queued_with_the_change_and_mailed_by_the_worker(alice):
    with transaction.atomic():
        notify(users=[alice], title="合同已提交", body="请等待审核。", url="/vouchers/contracts/")
        assert jobs() == [("notifications.send_email", "todo", 0)]
    assert mail.outbox == []  # nothing is sent on the request path

    run_worker_until_idle()

    (message,) = mail.outbox
    assert message.to == [alice.email]
    assert message.subject == "[宁夏科技创新券] 合同已提交"
    assert "请等待审核。" in message.body and "/vouchers/contracts/" in message.body
    assert jobs() == [("notifications.send_email", "succeeded", 1)]


def test_a_rolled_back_change_sends_nothing(alice):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(users=[alice], title="合同已提交")
        raise RuntimeError("the business change fails after notifying")

    assert jobs() == [] and not Notification.objects.exists()
    run_worker_until_idle()
    assert mail.outbox == []


def test_a_user_without_an_address_gets_the_inbox_row_and_no_job(alice):
    alice.email = ""
    alice.save()
    notify(users=[alice], title="合同已提交")
    assert alice.notifications.count() == 1 and jobs() == []


def test_a_failing_mail_server_is_retried_then_the_job_waits_on_the_dead_letter_page(
    settings, client, alice, cecilia, mallory
):
    settings.EMAIL_BACKEND = "tests.notifications.backends.DownBackend"
    notify(users=[alice], title="兑付申请被退回")

    run_worker_until_idle()  # TASK_RETRIES = 2, no wait between tries (conftest)

    assert jobs() == [("notifications.send_email", "failed", 3)]  # attempts: runs so far
    failures = TaskFailure.objects.order_by("attempt")
    assert [f.attempt for f in failures] == [1, 2, 3]
    assert failures[0].error == "SMTPServerDisconnected: mail server down (test)"
    assert mail.outbox == []

    # The centre sees it with its error; other users may not look.
    client.force_login(mallory)
    assert client.get(reverse("tasks:failed_jobs")).status_code == 403
    client.force_login(cecilia)
    page = client.get(reverse("tasks:failed_jobs")).content.decode()
    assert "notifications.send_email" in page and "SMTPServerDisconnected: mail server down (test)" in page
    job_id = failures[0].job_id

    # The mail server is back; the centre retries the job: one more attempt, by the worker.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.force_login(mallory)
    assert client.post(reverse("tasks:failed_job_retry", args=[job_id])).status_code == 403
    client.force_login(cecilia)
    response = client.post(reverse("tasks:failed_job_retry", args=[job_id]))
    assert response.status_code == 302
    assert jobs() == [("notifications.send_email", "todo", 4)]  # procrastinate counts the retry
    again = client.post(reverse("tasks:failed_job_retry", args=[job_id]), follow=True)
    assert "不是失败状态" in again.content.decode()  # a second press does nothing

    run_worker_until_idle()

    assert [m.subject for m in mail.outbox] == ["[宁夏科技创新券] 兑付申请被退回"]
    assert jobs() == [("notifications.send_email", "succeeded", 5)]
    assert "没有失败的任务" in client.get(reverse("tasks:failed_jobs")).content.decode()


def test_a_superuser_may_use_the_dead_letter_page_too(client, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.com", "pw-root-123")
    client.force_login(root)
    assert client.get(reverse("tasks:failed_jobs")).status_code == 200
