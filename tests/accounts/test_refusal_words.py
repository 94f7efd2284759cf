"""Refusals name the deployment's centre (SPEC §11, issue #12 gap): 创业中心 is Ningxia's name;
Henan and Zhejiang say 省科技厅, Jiangsu 省统筹中心. Every "只有…可以…" refusal reads it at the
time it is shown (``accounts.actors.only``) — the API's details, the services' refusals and
the workflows' tables alike.

Personas: Mallory an enterprise (the outsider everywhere); Cecilia the centre.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from accounts import province
from accounts.actors import only
from evaluation import services as evaluation
from notifications import queue
from portal import services as portal
from tests import factories
from vouchers.models import Objection, ObjectionStatus, Policy
from vouchers.transitions import OBJECTION

pytestmark = pytest.mark.django_db

PROVINCES = [(640000, "创业中心"), (410000, "省科技厅"), (320000, "省统筹中心")]


def refusal(call) -> str:
    with pytest.raises(PermissionDenied) as caught:
        call()
    return str(caught.value)


@pytest.mark.parametrize(("adcode", "centre"), PROVINCES)
def test_refusals_name_the_provinces_centre(settings, api_as, mallory, adcode, centre):
    settings.PLATFORM_PROVINCE = adcode
    assert only("维护节假日安排") == f"只有{centre}可以维护节假日安排。"

    # The annual evaluation, the public pages' editing, the failed jobs (services).
    assert refusal(lambda: evaluation.evaluation_run(year=2026, by=mallory)) == f"只有{centre}可以进行机构年度评价。"
    assert refusal(lambda: portal.article_save(by=mallory, data={})) == f"只有{centre}可以编辑公开信息。"
    assert refusal(lambda: queue.job_retry(job_id=1, by=mallory)) == f"只有{centre}或系统管理员可以重试失败的任务。"
    # A workflow's table, built at import time, still names the deployment's centre.
    objection = Objection(status=ObjectionStatus.OPEN)
    assert refusal(lambda: OBJECTION.require(objection, mallory, "uphold")) == f"只有{centre}可以处理异议。"

    # The API: the budget and the policy.
    client = api_as(mallory)
    budget = client.get("/api/budgets/", {"year": 2026})
    assert budget.status_code == 403 and budget.json()["detail"] == f"只有地方科技局和{centre}可以查看预算。"
    policy = factories.ningxia_policy()
    edit = client.patch(f"/api/policies/{policy.pk}/", {"name": "改"}, format="json")
    assert edit.status_code == 403 and edit.json()["detail"] == f"只有{centre}可以修改创新券政策。"
    assert Policy.objects.get(pk=policy.pk).name == policy.name


def test_the_centre_title_the_centre_edits_is_read_at_once(cecilia, mallory):
    province.profile_save(by=cecilia, data={"centre_title": "科技资源中心"})
    assert refusal(lambda: portal.article_save(by=mallory, data={})) == "只有科技资源中心可以编辑公开信息。"
