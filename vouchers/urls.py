from django.urls import path

from vouchers import document_views, views

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
    path("contracts/<int:pk>/attachments/<int:attachment_pk>/", document_views.contract_attachment,
         name="contract_attachment"),
    path("review/", views.review_queue, name="review"),
    path("policies/", views.policy_list, name="policies"),
    path("policies/<int:pk>/", views.policy_edit, name="policy_edit"),
]

verify_urlpatterns = [
    path("<str:number>/", document_views.verify, name="verify"),
]
