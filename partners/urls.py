from django.urls import path

from . import views

# Mounted under /v/<vendor_slug>/
tenant_urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("switch/", views.switch_membership, name="switch_membership"),
    path("partners/", views.partner_list, name="partner_list"),
    path("partners/applications/", views.partner_applications, name="partner_applications"),
    path(
        "partners/applications/<int:pk>/", views.partner_application_detail, name="partner_application_detail"
    ),
    path(
        "partners/applications/<int:pk>/approve/",
        views.partner_application_approve,
        name="partner_application_approve",
    ),
    path(
        "partners/applications/<int:pk>/decline/",
        views.partner_application_decline,
        name="partner_application_decline",
    ),
    path("partners/<int:pk>/", views.partner_detail, name="partner_detail"),
    path("partners/<int:pk>/suspend/", views.partner_suspend, name="partner_suspend"),
    path("partners/<int:pk>/reactivate/", views.partner_reactivate, name="partner_reactivate"),
    path("partners/<int:pk>/tier/", views.partner_change_tier, name="partner_change_tier"),
    path("partners/<int:pk>/agreements/", views.partner_add_agreement, name="partner_add_agreement"),
    path(
        "partners/<int:pk>/agreements/<int:agreement_pk>/end/",
        views.partner_end_agreement,
        name="partner_end_agreement",
    ),
    path("team/", views.team, name="team"),
    path("team/invitations/<int:pk>/revoke/", views.team_revoke_invitation, name="team_revoke_invitation"),
    path("team/members/<int:pk>/remove/", views.team_remove_member, name="team_remove_member"),
]

# Outside /v/: the people using these are not members of the vendor yet.
public_urlpatterns = [
    path("apply/<slug:slug>/", views.partner_apply, name="partner_apply"),
    path("invite/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
