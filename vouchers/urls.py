from django.urls import path

from vouchers import document_views, entitlement_views, settlement_views, views

app_name = "vouchers"
urlpatterns = [
    path("", views.voucher_list, name="list"),
    path("<int:pk>/", views.voucher_detail, name="detail"),
    path("contracts/", views.contract_list, name="contracts"),
    path("contracts/new/", views.contract_new, name="contract_new"),
    path("contracts/from-booking/<int:booking_pk>/", views.contract_from_booking, name="contract_from_booking"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract"),
    path("contracts/<int:pk>/edit/", views.contract_edit, name="contract_edit"),
    path("contracts/<int:pk>/pdf/", document_views.contract_pdf, name="contract_pdf"),
    path("contracts/<int:pk>/scan/", document_views.contract_scan, name="contract_scan"),
    path(
        "contracts/<int:pk>/attachments/<int:attachment_pk>/",
        document_views.contract_attachment,
        name="contract_attachment",
    ),
    path("review/", views.review_queue, name="review"),
    path("<int:pk>/pay/", settlement_views.voucher_pay, name="pay"),
    path("<int:pk>/use/", settlement_views.voucher_use, name="use"),
    path("proofs/<int:proof_pk>/file/", settlement_views.proof_file, name="proof_file"),
    path("queue/", settlement_views.work_queue, name="queue"),
    path("redemptions/", settlement_views.redemption_list, name="redemptions"),
    path("redemptions/<int:pk>/", settlement_views.redemption_detail, name="redemption"),
    path("batches/", settlement_views.batch_list, name="batches"),
    path("batches/<int:pk>/", settlement_views.batch_detail, name="batch"),
    path("batches/<int:pk>/export.<str:fmt>", settlement_views.batch_export, name="batch_export"),
    path("batches/<int:pk>/step/<str:step>/", settlement_views.batch_step, name="batch_step"),
    path("notices/", settlement_views.notice_list, name="notices"),
    path("budget/", settlement_views.budget, name="budget"),
    path("wallet/", entitlement_views.wallet, name="wallet"),
    path("wallet/claim/", entitlement_views.wallet_claim, name="wallet_claim"),
    path("claims/", entitlement_views.claim_list, name="claims"),
    path("claims/<int:pk>/grant/", entitlement_views.claim_grant, name="claim_grant"),
    path("claims/<int:pk>/refuse/", entitlement_views.claim_refuse, name="claim_refuse"),
    path("claims/<int:pk>/form/", entitlement_views.claim_form_file, name="claim_form"),
    path("projects/", entitlement_views.project_list, name="projects"),
    path("projects/new/", entitlement_views.project_register, name="project_register"),
    path("projects/<int:pk>/approve/", entitlement_views.project_approve, name="project_approve"),
    path("projects/<int:pk>/return/", entitlement_views.project_return, name="project_return"),
    path("policies/", views.policy_list, name="policies"),
    path("policies/<int:pk>/", views.policy_edit, name="policy_edit"),
]

verify_urlpatterns = [
    path("<str:number>/", document_views.verify, name="verify"),
]
