from django.urls import path

from mognad.sso import views

app_name = "sso"
urlpatterns = [
    path("orgs/<slug:slug>/sso/", views.provider_settings, name="settings"),
    path("orgs/<slug:slug>/sso/remove/", views.provider_remove, name="remove"),
    path("sso/oidc/callback/", views.oidc_callback, name="oidc_callback"),
    path("sso/saml/metadata/", views.saml_metadata, name="saml_metadata"),
    path("sso/saml/acs/", views.saml_acs, name="saml_acs"),
    path("sso/saml/finish/", views.saml_finish, name="saml_finish"),
]
