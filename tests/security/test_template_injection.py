"""No user input is ever compiled as a template, and everything typed comes back escaped.

Template syntax, script and attribute-breaking quotes are posted into every field of every
form, on the managers' pages and in the admin, and each page that shows them back (the
form with its errors, the saved record, the lists, the dashboard) must show them as inert
text: the template code not run, the markup escaped.
"""

import re

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from reporting.models import ProgressUpdate, Status
from tests import factories

pytestmark = pytest.mark.django_db

# Each marker shows whether its template code ran: TPL14 if {{ 7|add:7 }} was compiled,
# TAG and a year if {% now %} was.
LONG = """TPL{{ 7|add:7 }}TAG{% now "Y" %}"><script>alert(1)</script>' onmouseover='alert(2)"""
SHORT = "TPL{{7|add:7}}<xss>"  # for fields of 20 characters or fewer


def assert_inert(response, *, expect_echo: bool = True) -> None:
    """The response ran no posted template code and shows no posted markup as markup."""
    html = response.content.decode()
    assert "TPL14" not in html, "posted template code was compiled"
    assert not re.search(r"TAG\d{4}", html), "posted template tag was compiled"
    assert "<script>alert(1)</script>" not in html, "posted script came back unescaped"
    assert "onmouseover='alert(2)" not in html, "a posted quote broke out of an attribute"
    assert "<xss>" not in html, "posted markup came back unescaped"
    if expect_echo:
        assert "TPL{{" in html, "the posted text did not come back at all: nothing was checked"


def payload_for(field: forms.Field) -> str:
    limit = getattr(field, "max_length", None)
    if limit and limit < len(LONG):
        return SHORT[:limit]
    return LONG


# --- The managers' pages --------------------------------------------------------------


def test_version_regression_template_syntax_in_version_is_not_compiled(client, manager, action, period):
    """The hole: `version` was rendered through crispy's Hidden(), which compiles its value."""
    client.force_login(manager)
    response = client.post(
        reverse("reporting:update", args=[action.pk]),
        {"status": Status.IN_PROGRESS, "rag": "green", "version": '{{ 7|add:7 }}"><script>alert(1)</script>'},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="version" value="{{ 7|add:7 }}&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    assert 'value="14"' not in html
    assert not ProgressUpdate.objects.exists()


def test_signer_expression_in_version_reveals_nothing(client, manager, action, period, settings):
    settings.SECRET_KEY = "a-secret-key-that-must-never-be-shown-0123456789"
    client.force_login(manager)
    probe = "{{ messages.storages.0.signer.key }}{{ request.user.password }}"
    response = client.post(
        reverse("reporting:update", args=[action.pk]), {"status": Status.IN_PROGRESS, "rag": "green", "version": probe}
    )
    html = response.content.decode()
    assert settings.SECRET_KEY not in html
    assert manager.password not in html
    assert "{{ messages.storages.0.signer.key }}" in html


def test_update_form_every_field_invalid_then_saved(client, manager, action, period):
    client.force_login(manager)
    url = reverse("reporting:update", args=[action.pk])
    text = dict.fromkeys(ProgressUpdate.COMMENTARY_FIELDS, LONG)
    # Refused (bad status, RAG, date and version): every value comes back in the form.
    response = client.post(
        url,
        {**text, "status": LONG, "rag": LONG, "version": LONG, **{f"completed_on_{p}": SHORT for p in ["0", "1", "2"]}},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert_inert(response)
    # Saved: the text then shows on the action page, the lists and the dashboard.
    response = client.post(url, {**text, "status": Status.IN_PROGRESS, "rag": "red", "version": 0})
    assert response.status_code == 302
    assert ProgressUpdate.objects.get().progress == LONG
    for page in (
        reverse("reporting:detail", args=[action.pk]),
        reverse("reporting:list"),
        reverse("dashboard:quarter", args=[action.strategy.slug, period.slug]),
    ):
        assert_inert(client.get(page), expect_echo=page != reverse("reporting:list"))


def test_list_filters_and_search(client, manager, action, period):
    client.force_login(manager)
    for url in (reverse("reporting:list"), reverse("reporting:home")):
        response = client.get(url, {"q": LONG, "status": LONG, "strategy": LONG, "outcome": LONG, "lead_team": LONG})
        assert response.status_code == 200
        assert_inert(response)


def test_sign_in_form(client, manager):
    response = client.post(reverse("login"), {"username": LONG, "password": LONG})
    assert response.status_code == 200
    assert_inert(response)


def test_password_forms(client, manager):
    client.force_login(manager)
    response = client.post(
        reverse("password_change"), {"old_password": LONG, "new_password1": LONG, "new_password2": LONG + "x"}
    )
    assert response.status_code == 200
    assert_inert(response, expect_echo=False)  # passwords are never shown again
    client.logout()
    response = client.post(reverse("password_reset"), {"email": LONG})
    assert response.status_code == 200
    assert_inert(response)


# --- Every form in the admin ----------------------------------------------------------


def admin_value(field: forms.Field, name: str):
    """A value for one admin form field: text fields get the payload, others a valid choice."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        first = field.queryset.first()
        return [first.pk] if first else []
    if isinstance(field, forms.ModelChoiceField):
        first = field.queryset.first()
        return first.pk if first else ""
    if isinstance(field, forms.TypedChoiceField | forms.ChoiceField):
        choices = [value for value, _ in field.choices if value not in ("", None)]
        return choices[0] if choices else ""
    if isinstance(field, forms.BooleanField):
        return ""
    if isinstance(field, forms.SplitDateTimeField):
        return None  # filled as name_0 / name_1 below
    if isinstance(field, forms.DateField):
        return "2016-04-01"
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return "1"
    if isinstance(field, forms.CharField):
        return payload_for(field)
    return ""


def admin_post_data(response) -> dict:
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        if name in getattr(response.context["adminform"], "readonly_fields", ()):
            continue
        value = admin_value(field, name)
        if isinstance(field, forms.SplitDateTimeField):
            data[f"{name}_0"], data[f"{name}_1"] = "2016-04-01", "09:00:00"
        elif value is not None:
            data[name] = value
    for inline in response.context.get("inline_admin_formsets", []):
        prefix = inline.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
        data.update({f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000})
    return data


ADMIN_MODELS = sorted(model._meta.label for model in admin.site._registry)


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.org", "a-long-password-1")


@pytest.mark.parametrize("label", ADMIN_MODELS)
def test_every_admin_form(client, superuser, label, period):
    """Post the payload into every field of the model's add form; the page that comes back
    (the form with its errors, or the record saved and its list) shows it inert."""
    factories.ActionFactory(lead_teams=[factories.TeamFactory()])  # something to choose in each select
    client.force_login(superuser)
    model = next(m for m in admin.site._registry if m._meta.label == label)
    info = model._meta.app_label, model._meta.model_name
    add_url = reverse("admin:{}_{}_add".format(*info))
    response = client.get(add_url)
    if response.status_code == 403:  # a log the admin only reads: no form to post
        assert not admin.site._registry[model].has_add_permission(response.wsgi_request)
        return
    assert response.status_code == 200
    response = client.post(add_url, admin_post_data(response), follow=True)
    assert response.status_code == 200
    echoed = "TPL{{" in response.content.decode()
    assert_inert(response, expect_echo=False)
    changelist = client.get(reverse("admin:{}_{}_changelist".format(*info)), {"q": LONG})
    assert_inert(changelist, expect_echo=False)
    if not echoed:
        # Saved with nothing shown back on the list: the record's own page must show it.
        saved = model._default_manager.order_by("-pk").first()
        response = client.get(reverse("admin:{}_{}_change".format(*info), args=[saved.pk]))
        echoed = "TPL{{" in response.content.decode()
        assert_inert(response, expect_echo=False)
    has_text = any(
        isinstance(f, forms.CharField) and not isinstance(f, forms.ChoiceField)
        for f in admin.site._registry[model].get_form(changelist.wsgi_request)().fields.values()
    )
    assert echoed or not has_text, f"{label}: the posted text was not shown back anywhere"
