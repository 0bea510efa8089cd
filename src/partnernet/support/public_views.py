"""The way in for institutions without an account: propose a partnership, then follow it by a private link.

And, on the steward's side, linking a proposal to an institution already recorded.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnernet.base.identity import instance_id
from partnernet.directory.models import Partner
from partnernet.support import forms, selectors, services
from partnernet.support.models import SupportRequest

PROPOSED = "partnernet_proposed"
"""The session key naming the proposal just sent, so the thank-you page can give its reference and link."""


def _client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def _prefill(request: HttpRequest) -> dict[str, Any] | None:
    """``?partner=KEY`` (the "propose" link of a partner page) fills in what is known of the institution."""
    key = request.GET.get("partner", "")
    found = (
        Partner.objects.filter(key=key).select_related("country").order_by("origin").first() if key else None
    )
    if found is None:
        return None
    return {
        "institution": found.name,
        "kind": found.kind,
        "country": found.country.code if found.country else "",
        "website": found.website,
        "wikidata": found.wikidata,
    }


def propose(request: HttpRequest) -> HttpResponse:
    """The public entry form for external institutions: no account; honeypot and rate limit."""
    form = forms.PublicProposalForm(
        request.POST or None, client=_client_address(request), initial=_prefill(request)
    )
    if request.method == "POST":
        if form.is_spam:
            return redirect("support:proposed")
        if form.is_valid():
            data = form.cleaned_data
            created = services.submit_public_proposal(
                institution=data["institution"],
                kind=data["kind"],
                country=data["country"],
                website=data["website"],
                wikidata=data["wikidata"],
                contact_name=data["contact_name"],
                contact_email=data["contact_email"],
                consent=data["consent"],
                type=data["type"],
                theme=data["theme"],
                region=data["region"],
                language=data["language"],
                description=data["description"],
            )
            request.session[PROPOSED] = created.key
            return redirect("support:proposed")
    return render(request, "support/propose.html", {"form": form}, status=400 if form.errors else 200)


def proposed(request: HttpRequest) -> HttpResponse:
    """Thank you: the proposal's reference, the steward it went to and the private link to follow it (only
    in the browser that sent it; the same link goes by e-mail)."""
    key = request.session.get(PROPOSED, "")
    sent = SupportRequest.objects.filter(key=key, origin=instance_id()).select_related("steward").first()
    link = request.build_absolute_uri(sent.follow_path) if sent is not None and sent.follow_path else ""
    return render(request, "support/proposed.html", {"sent": sent, "link": link})


def follow(request: HttpRequest, key: str, token: str) -> HttpResponse:
    """The proposing institution's private view of its proposal: who has it, its state and its steps."""
    found = selectors.find_request(key)
    if found is None or not found.follow_token or not constant_time_compare(found.follow_token, token):
        raise Http404(_("No such proposal, or the link is incomplete."))
    response = render(
        request,
        "support/follow.html",
        {"req": found, "timeline": selectors.request_timeline(found)},
    )
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
@require_POST
def link_partner(request: HttpRequest, key: str) -> HttpResponse:
    """Link a proposal to a partner record that matches its institution (one of those the page offered)."""
    found = selectors.find_request(key)
    if found is None or not request.user.has_perm("support.view_request", found):
        raise Http404(_("No such support request, or you may not see it."))
    form = forms.LinkPartnerForm(request.POST)
    offered = {p.pk: p for p in selectors.matching_partners(found.partner)} if found.partner else {}
    chosen = offered.get(form.cleaned_data["partner"]) if form.is_valid() else None
    if chosen is None:
        messages.error(request, _("Pick one of the partner records offered on this page."))
        return redirect("support:detail", key=key)
    try:
        services.link_partner(request.user, key, chosen)
    except services.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The proposal is now linked to %(partner)s.") % {"partner": chosen.name})
    return redirect("support:detail", key=key)
