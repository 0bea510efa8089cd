"""Account pages: personal API tokens, personal data download and account deletion.

Every view here acts only on the logged-in person's own records.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from partnernet.accounts.forms import DeleteAccountForm, TokenForm
from partnernet.accounts.models import ApiToken
from partnernet.accounts.selectors import personal_data, tokens_of
from partnernet.accounts.services import create_token, delete_account, revoke_token


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """List and create tokens. A new token's secret is shown in this one response and never again."""
    secret = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _, secret = create_token(request.user, form.cleaned_data["name"], form.cleaned_data["scope"])
        form = TokenForm()
    response = render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": tokens_of(request.user), "secret": secret},
    )
    if secret is not None:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    revoke_token(request.user, token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("account_tokens")


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    return render(
        request, "accounts/data.html", {"form": DeleteAccountForm(username=request.user.get_username())}
    )


@login_required
def download(request: HttpRequest) -> HttpResponse:
    """Everything stored about the person, as a JSON file."""
    body = json.dumps(personal_data(request.user), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="partnernet-personal-data.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def delete(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST, username=request.user.get_username())
    if not form.is_valid():
        return render(request, "accounts/data.html", {"form": form})
    user = get_user_model()._default_manager.get_by_natural_key(request.user.get_username())
    logout(request)
    delete_account(user)
    messages.success(request, _("Your account and your personal data are deleted."))
    return redirect("home")
