"""Forms of the account pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from partnernet.accounts.models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, such as “weekly export script”.")
    )
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
        help_text=_("Read-only tokens cannot change anything."),
    )


class DeleteAccountForm(forms.Form):
    """Deleting is final, so the person types their user name to confirm."""

    confirm = forms.CharField(label=_("Type your user name to confirm"), max_length=150)

    def __init__(self, *args: Any, username: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.username = username

    def clean_confirm(self) -> str:
        value: str = self.cleaned_data["confirm"].strip()
        if value != self.username:
            raise forms.ValidationError(_("This is not your user name."))
        return value
