from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/", views.register, name="register"),
    path("me/", views.me, name="me"),
    path("review/", views.review_list, name="review"),
    path("review/<int:pk>/", views.review_detail, name="review_detail"),
    path("review/<int:pk>/suspend/", views.suspend, name="suspend"),
    path("org/<int:pk>/licence/", views.licence_download, name="licence"),
]
