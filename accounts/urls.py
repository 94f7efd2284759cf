from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import profile_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("register/", views.register, name="register"),
    path("me/", views.me, name="me"),
    path("me/save/", views.me_save, name="me_save"),
    path("me/licence/", views.me_licence, name="me_licence"),
    path("me/submit/", views.me_submit, name="me_submit"),
    path("me/name-change/", views.me_name_change, name="me_name_change"),
    path("me/founded-on/", views.me_founded_on, name="me_founded_on"),
    path("review/", views.review_list, name="review"),
    path("review/<int:pk>/", views.review_detail, name="review_detail"),
    path("review/<int:pk>/suspend/", views.suspend, name="suspend"),
    path("org/<int:pk>/licence/", views.licence_download, name="licence"),
    path("bank-account/", profile_views.bank_account, name="bank_account"),
    path("province/", profile_views.province_settings, name="province"),
]
