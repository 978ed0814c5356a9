"""Page addresses of the business case app (mounted at /businesscase/)."""

from django.urls import path

from . import case_views, views

app_name = "businesscase"

urlpatterns = [
    path("", views.opgave_list_view, name="opgave_list"),
    path("opgaven/nieuw/", views.opgave_create_view, name="opgave_create"),
    path("opgaven/<int:pk>/", views.opgave_detail_view, name="opgave_detail"),
    path("opgaven/<int:pk>/wijzigen/", views.opgave_update_view, name="opgave_update"),
    path("opgaven/<int:pk>/social-return/", views.social_return_view, name="opgave_social_return"),
    path(
        "opgaven/<int:opgave_pk>/business-case/nieuw/",
        case_views.case_create_view,
        name="case_create",
    ),
    path("social-return/", views.social_return_view, name="social_return"),
    path("rapporten/", views.report_list_view, name="report_list"),
    path("business-cases/<int:pk>/", case_views.case_edit_view, name="case_edit"),
    path("business-cases/<int:pk>/doorrekenen/", case_views.case_preview_view, name="case_preview"),
    path("business-cases/<int:pk>/rapport/", case_views.case_report_view, name="case_report"),
    path(
        "business-cases/<int:pk>/rapport.<str:fmt>",
        case_views.case_export_view,
        name="case_export",
    ),
    path("business-cases/<int:pk>/publiceren/", case_views.case_publish_view, name="case_publish"),
    path("business-cases/<int:pk>/intrekken/", case_views.case_withdraw_view, name="case_withdraw"),
    path(
        "business-cases/<int:pk>/referenties-bijwerken/",
        case_views.case_use_current_references_view,
        name="case_use_current_references",
    ),
    path("referentiewaarden/", views.reference_list_view, name="reference_list"),
    path("referentiewaarden/nieuw/", views.reference_edit_view, name="reference_add"),
    path(
        "referentiewaarden/<slug:key>/wijzigen/", views.reference_edit_view, name="reference_edit"
    ),
    path("referentiesets/<int:pk>/", views.reference_set_view, name="reference_set"),
]
