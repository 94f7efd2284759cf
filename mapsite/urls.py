from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from accounts.api import (
    BankAccountView,
    MeView,
    OrganisationViewSet,
    PasswordChangeView,
    ProvinceProfileView,
    RegisterView,
    TokenView,
)
from catalog.api import (
    BookingViewSet,
    ContactViewSet,
    InstitutionViewSet,
    InstrumentViewSet,
    MapSearchView,
    ServiceViewSet,
)
from catalog.urls import map_urlpatterns
from dashboards.api import HeatmapView, UsageStatsView
from geodata.api import RegionListView, RegionLocateView
from notifications.api import ExportJobViewSet
from portal.views import home
from vouchers.contracts.api import ContractViewSet, PolicyViewSet
from vouchers.entitlements.api import ClaimCapsView, ClaimViewSet, ProjectViewSet, WalletView
from vouchers.settlement.api import (
    BatchViewSet,
    BudgetLedgerView,
    BudgetView,
    ObjectionViewSet,
    RatingViewSet,
    RedemptionViewSet,
    SettlementVoucherViewSet,
    UseRegistrationView,
)
from vouchers.urls import verify_urlpatterns

router = DefaultRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("institutions", InstitutionViewSet, basename="institution")
router.register("instruments", InstrumentViewSet, basename="instrument")
router.register("services", ServiceViewSet, basename="service")
router.register("bookings", BookingViewSet, basename="booking")
router.register("contacts", ContactViewSet, basename="contact")
router.register("ratings", RatingViewSet, basename="rating")
router.register("contracts", ContractViewSet, basename="contract")
router.register("vouchers", SettlementVoucherViewSet, basename="voucher")
router.register("redemptions", RedemptionViewSet, basename="redemption")
router.register("batches", BatchViewSet, basename="batch")
router.register("objections", ObjectionViewSet, basename="objection")
router.register("policies", PolicyViewSet, basename="policy")
router.register("claims", ClaimViewSet, basename="claim")
router.register("projects", ProjectViewSet, basename="project")
router.register("exports", ExportJobViewSet, basename="export")

api_urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("auth/register/", RegisterView.as_view(), name="api-register"),
    path("auth/password/", PasswordChangeView.as_view(), name="api-password"),
    path("me/", MeView.as_view(), name="api-me"),
    path("me/bank-account/", BankAccountView.as_view(), name="api-bank-account"),
    path("province/", ProvinceProfileView.as_view(), name="api-province"),
    path("regions/", RegionListView.as_view(), name="api-regions"),
    path("regions/locate/", RegionLocateView.as_view(), name="api-regions-locate"),
    path("map/search/", MapSearchView.as_view(), name="api-map-search"),
    path("budgets/", BudgetView.as_view(), name="api-budgets"),
    path("budgets/ledger/", BudgetLedgerView.as_view(), name="api-budget-ledger"),
    path("wallet/", WalletView.as_view(), name="api-wallet"),
    path("use-registrations/", UseRegistrationView.as_view(), name="api-use-registrations"),
    path("claim-caps/", ClaimCapsView.as_view(), name="api-claim-caps"),
    path("stats/usage/", UsageStatsView.as_view(), name="api-stats-usage"),
    path("stats/heatmap/", HeatmapView.as_view(), name="api-stats-heatmap"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]

urlpatterns = [
    path("", home, name="home"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("catalog/", include("catalog.urls")),
    path("map/", include((map_urlpatterns, "catalog"), namespace="map")),
    path("vouchers/", include("vouchers.urls")),
    # The annual evaluation is its own app but a tab of the dashboards: its paths are kept.
    path("dashboard/evaluation/", include("evaluation.urls")),
    path("dashboard/", include("dashboards.urls")),
    path("verify/", include((verify_urlpatterns, "vouchers"), namespace="verify")),
    path("inbox/", include("notifications.urls")),
    # Public pages: policies, guides, notices (the centre edits them) and contact.
    path("info/", include("portal.urls")),
    path("tasks/", include("notifications.task_urls")),
    path("api/", include(api_urlpatterns)),
]

handler400 = "mapsite.views.bad_request"
handler403 = "mapsite.views.permission_denied"
handler404 = "mapsite.views.page_not_found"
handler500 = "mapsite.views.server_error"
