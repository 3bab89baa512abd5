"""A search on the action lists is bounded before any query is built: at most
SEARCH_MAX_CHARACTERS characters and SEARCH_MAX_WORDS distinct words, refused with a message
naming the limit, and an id in the address longer than any record's is no id."""

import re
import time

import pytest
from django.urls import reverse

from actions.models import Action
from reporting import filters
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, manager, action, period):
    client.force_login(manager)
    return client


def search(client, q: str):
    return client.get(reverse("reporting:list"), {"q": q})


def test_ten_distinct_words_are_searched(signed_in, action):
    action.description = " ".join(f"word{n}" for n in range(10))
    action.save()
    response = search(signed_in, action.description)
    assert response.status_code == 200
    assert list(response.context["actions"]) == [action]
    assert "words or fewer" not in response.content.decode()


def test_eleven_words_are_refused_with_a_message_naming_the_limit(signed_in, action, monkeypatch):
    built = []
    monkeypatch.setattr(filters.ActionFilter, "filter_search", lambda *args: built.append(args))

    response = search(signed_in, " ".join(f"w{n}" for n in range(11)))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Search for 10 words or fewer (you entered 11)." in html
    assert 'class="govuk-input govuk-input--error"' in html and 'aria-describedby="id_q-error"' in html
    assert list(response.context["actions"]) == [] and built == []


def test_a_word_repeated_counts_once(signed_in, action):
    word = action.description.split()[0]
    response = search(signed_in, " ".join([word] * 30))
    assert list(response.context["actions"]) == [action]


def test_one_character_past_the_limit_is_refused(signed_in, action):
    response = search(signed_in, "x" * 200)
    assert "characters or fewer" not in response.content.decode()

    response = search(signed_in, "x" * 201)

    assert "Search for 200 characters or fewer (you entered 201)." in response.content.decode()
    assert list(response.context["actions"]) == []


def test_thousands_of_words_are_refused_quickly(signed_in, action):
    started = time.perf_counter()
    response = search(signed_in, " ".join(["a"] * 1900) + " " + " ".join(f"b{n}" for n in range(1900)))
    assert response.status_code == 200
    assert "characters or fewer" in response.content.decode()
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize("digits", [19, 30, 5000])
@pytest.mark.parametrize("name", ["strategy", "outcome", "lead_team"])
def test_an_id_of_thousands_of_digits_is_no_id(signed_in, action, name, digits):
    response = signed_in.get(reverse("reporting:list"), {name: "9" * digits})
    assert response.status_code == 200
    assert list(response.context["actions"]) == [action]  # the choice is refused, the rest listed


def test_the_search_builds_one_condition_per_distinct_word(action):
    filterset = filters.ActionFilter({"q": "a b a B c"}, queryset=Action.objects.all())
    sql = str(filterset.qs.query)
    # a, b, B and c, each on three columns: `"description" LIKE` on SQLite,
    # `UPPER(..."description"::text) LIKE` on PostgreSQL.
    assert len(re.findall(r'"description"[^ ]* LIKE', sql)) == 4


def _admin_searches() -> list[str]:
    """Every admin list of the product's own models, and of the accounts and roles, that has
    a search box: a new admin with search_fields is checked without being listed here. (The
    sign-in attempt logs of django-axes are superusers' only, and left as the library has them.)"""
    from django.contrib import admin

    ours = {"workforce", "outcomes", "actions", "reporting", "auth"}
    return sorted(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        for model, model_admin in admin.site._registry.items()
        if model_admin.search_fields and model._meta.app_label in ours
    )


ADMIN_SEARCHES = _admin_searches()
assert "admin:auth_user_changelist" in ADMIN_SEARCHES and "admin:workforce_team_changelist" in ADMIN_SEARCHES


@pytest.mark.parametrize("url_name", ADMIN_SEARCHES)
def test_an_admin_search_past_the_limits_lists_nothing_and_says_why(client, action, url_name):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))

    response = client.get(reverse(url_name), {"q": " ".join(["a"] * 1900)})

    assert response.status_code == 200  # not "Expression tree is too large"
    assert "Search for 200 characters or fewer (you entered 3,799)." in response.content.decode()
    assert response.context["cl"].result_count == 0


def test_an_admin_search_within_the_limits_searches(client, action):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    response = client.get(reverse("admin:actions_action_changelist"), {"q": action.reference})
    assert list(response.context["cl"].result_list) == [action]
