from django.urls import path

from dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.index, name="index"),
    path("region/<int:adcode>/", views.region_detail, name="region"),
    path("heatmap/", views.heatmap, name="heatmap"),
    path("heatmap/frame/", views.heatmap_frame, name="heatmap_frame"),
    path("choropleth/", views.choropleth, name="choropleth"),
    path("choropleth/frame/", views.choropleth_frame, name="choropleth_frame"),
    path("sharing/", views.sharing, name="sharing"),
    path("export/<str:key>.<str:fmt>", views.export, name="export"),
]
