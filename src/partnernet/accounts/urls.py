from django.urls import path

from partnernet.accounts import views

urlpatterns = [
    path("tokens/", views.tokens, name="account_tokens"),
    path("tokens/<int:pk>/revoke/", views.revoke, name="account_token_revoke"),
    path("data/", views.my_data, name="account_data"),
    path("data/download/", views.download, name="account_data_download"),
    path("data/delete/", views.delete, name="account_delete"),
]
