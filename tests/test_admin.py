"""The Django admin opens for every registered model (list, add and a change page)."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.com", "pw-root-123")


@pytest.fixture
def one_of_everything(alice, bob, olivia, cecilia, ivan_lab):
    """A voucher issued end to end leaves a row in nearly every table."""
    from tests import factories
    from vouchers.contracts import services

    factories.ningxia_policy()
    contract = factories.ready_contract(alice, ivan_lab, price="1000")
    services.contract_submit(contract=contract, by=alice)
    for reviewer in (bob, olivia, cecilia):
        services.contract_review(contract=contract, by=reviewer, approve=True)


def test_every_admin_changelist_and_add_page_loads(client, root, one_of_everything):
    client.force_login(root)
    assert client.get("/admin/").status_code == 200
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert client.get(changelist).status_code == 200, changelist
        if model_admin.has_add_permission(_request(root)):
            add = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
            assert client.get(add).status_code == 200, add
        first = model.objects.first()
        if first is not None:
            change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
            assert client.get(change).status_code == 200, change


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_admin_is_closed_to_ordinary_users(client, alice):
    client.force_login(alice)
    assert client.get("/admin/").status_code == 302
