from django.urls import path

from catalog import map_views, views

app_name = "catalog"
urlpatterns = [
    path("institutions/<int:pk>/", views.institution_detail, name="institution"),
    path("instruments/<int:pk>/", views.instrument_detail, name="instrument"),
    path("services/<int:pk>/", views.service_detail, name="service"),
    path("instruments/<int:pk>/book/", views.book_instrument, name="book_instrument"),
    path("services/<int:pk>/book/", views.book_service, name="book_service"),
    path("items/<str:kind>/<int:pk>/photo/", views.item_photo, name="item_photo"),
    path("contact/", views.contact, name="contact"),
    path("bookings/", views.booking_list, name="bookings"),
    path("bookings/<int:pk>/", views.booking_detail, name="booking"),
    path("bookings/<int:pk>/accept/", views.booking_accept, name="booking_accept"),
    path("bookings/<int:pk>/decline/", views.booking_decline, name="booking_decline"),
    path("bookings/<int:pk>/start/", views.booking_start, name="booking_start"),
    path("bookings/<int:pk>/complete/", views.booking_complete, name="booking_complete"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("bookings/<int:pk>/rate/", views.booking_rate, name="booking_rate"),
    path("bookings/<int:pk>/result/", views.booking_result, name="booking_result"),
    path("bookings/<int:pk>/result/file/", views.booking_result_file, name="booking_result_file"),
    path("manage/", views.manage, name="manage"),
    path("manage/geocode/", views.manage_geocode, name="manage_geocode"),
    path("manage/move/", views.manage_move, name="manage_move"),
    path("manage/profile/", views.manage_profile, name="manage_profile"),
    path("manage/<str:kind>/new/", views.item_edit, name="item_new"),
    path("manage/<str:kind>/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("manage/<str:kind>/<int:pk>/withdraw/", views.item_withdraw, name="item_withdraw"),
    path("review/", views.review_queue, name="review"),
    path("review/<str:kind>/<int:pk>/", views.review_item, name="review_item"),
]

map_urlpatterns = [
    path("", map_views.map_page, name="map"),
    path("frame/", map_views.map_frame, name="map_frame"),
]
