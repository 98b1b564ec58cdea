from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from servicenav.core.emails import email_send
from servicenav.organisation.models import User


class AuditFilterForm(forms.Form):
    object_type = forms.ModelChoiceField(
        label=_("Object type"),
        queryset=ContentType.objects.filter(app_label__in=["organisation", "core", "cases"]),
        required=False,
        empty_label=_("All types"),
    )
    object_id = forms.CharField(label=_("Object id"), max_length=64, required=False)
    person = forms.ModelChoiceField(
        label=_("Person"), queryset=User.objects.all(), required=False, empty_label=_("Everyone")
    )


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending through the outbox so a mail outage loses no link."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        email_send(to=to_email, template="password_reset", context=context)
