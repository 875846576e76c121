from django.urls import URLPattern, URLResolver, path

from mognad.api.api import api
from mognad.api.views import tokens

app_name = "api"
urlpatterns: list[URLPattern | URLResolver] = [
    path("api/v1/", api.urls),
    path("accounts/api-tokens/", tokens.token_list, name="tokens"),
    path("accounts/api-tokens/<int:token_id>/revoke/", tokens.revoke, name="revoke_token"),
]
