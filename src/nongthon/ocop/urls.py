from django.urls import path

from nongthon.ocop import public_views, views

app_name = "ocop"
urlpatterns = [
    # Public, no login: the catalogue and what the QR code on a label opens.
    path("san-pham/", public_views.catalogue, name="public_catalogue"),
    path("san-pham/<uuid:public_id>/", public_views.product, name="public_product"),
    path("san-pham/<uuid:public_id>/qr.<str:fmt>", public_views.qr_code, name="public_qr"),
    path("san-pham/<uuid:public_id>/tem/", public_views.label, name="public_label"),
    path("san-pham/<uuid:public_id>/anh/<int:pk>/", public_views.photo, name="public_photo"),
    # Officers, councils, producers.
    path("", views.products, name="products"),
    path("products/<int:pk>/", views.product_detail, name="product"),
    path("products/<int:pk>/edit/", views.product_edit, name="product_edit"),
    path("products/<int:pk>/photos/", views.photo_add, name="photo_add"),
    path("products/<int:pk>/photos/<int:photo_pk>/", views.photo, name="photo"),
    path("producers/new/", views.producer_form, name="producer_new"),
    path("producers/<int:pk>/", views.producer_form, name="producer_edit"),
    path("producers/<int:producer_pk>/products/new/", views.product_new, name="product_new"),
    path("sheets/", views.sheets, name="sheets"),
    path("sheets/<int:pk>/", views.sheet_detail, name="sheet"),
    path("sheets/<int:pk>/download/", views.sheet_download, name="sheet_download"),
    path("councils/", views.councils, name="councils"),
    path("councils/<int:pk>/", views.council_detail, name="council"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("evaluations/<int:pk>/score/", views.score, name="score"),
    path("evaluations/<int:pk>/", views.result, name="result"),
    path("certificates/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("certificates/expiring/", views.expiring, name="expiring"),
]
