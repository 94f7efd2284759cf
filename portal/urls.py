from django.urls import path

from portal import views

app_name = "portal"
urlpatterns = [
    path("new/", views.article_new, name="article_new"),
    path("<int:pk>/", views.article_detail, name="article"),
    path("<int:pk>/edit/", views.article_edit, name="article_edit"),
    path("<int:pk>/attachment/", views.article_attachment, name="article_attachment"),
    path("contact/", views.contact, name="contact"),
    path("<slug:slug>/", views.article_list, name="articles"),
]
