"""The form Organisational Planning manages a person with, and the check every other admin
form that names a person runs: validate and normalise only."""

from collections.abc import Sequence

from django import forms
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UsernameField
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError

from workforce import people
from workforce.models import Team
from workforce.roles import DMT, MANAGER, ORGANISATIONAL_PLANNING

ROLE_CHOICES = [
    (ORGANISATIONAL_PLANNING, "Organisational Planning: runs the quarterly cycle and manages people, in the admin"),
    (MANAGER, "Manager: updates the actions their teams lead, or that name them as lead officer"),
    (DMT, "DMT: reads the dashboard and the report pack"),
]


class PersonForm(forms.ModelForm):
    """A person's names, email, role and teams (and, once they exist, whether they are active).

    The admin sets `by`, the person making the change, for the rules about one's own account.
    """

    role = forms.ChoiceField(
        label="Role",
        choices=ROLE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the person's role: Organisational Planning, Manager or DMT."},
    )
    teams = forms.ModelMultipleChoiceField(
        label="Teams",
        queryset=Team.objects.order_by("name"),
        required=False,
        widget=FilteredSelectMultiple("teams", is_stacked=False),
        help_text="A manager updates the actions these teams lead.",
    )

    by = None

    class Meta:
        model = get_user_model()
        fields = ["username", "first_name", "last_name", "email", "is_active"]
        field_classes = {"username": UsernameField}
        help_texts = {
            "email": "The link to set their password is sent here.",
            "is_active": "Untick to deactivate: they can no longer sign in. Their account and history are kept.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].error_messages["required"] = "Enter the person's email address."
        if self.instance.pk is not None:
            self.initial.setdefault("role", people.person_role(self.instance))
            self.initial.setdefault("teams", [team.pk for team in self.instance.teams.all()])

    def clean_email(self) -> str:
        return get_user_model().objects.normalize_email(self.cleaned_data["email"].strip())

    def _post_clean(self):
        super()._post_clean()  # the model's own checks, on the instance the form has built
        if self.by is None:
            return
        try:
            people.person_validate(user=self.by, person=self.instance, role=self.cleaned_data.get("role"))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                if field in self.errors:
                    continue  # already said, in the field's own words
                self.add_error(field if field in self.fields else NON_FIELD_ERRORS, messages)


def stored_person_ids(instance, fields: Sequence[str]) -> list[int | None]:
    """The people `fields` (foreign keys to a user) name on `instance`'s stored row, if any:
    what a change would stop naming. One query; none for a new record."""
    if instance.pk is None:
        return []
    attnames = [instance._meta.get_field(field).attname for field in fields]
    row = type(instance)._default_manager.filter(pk=instance.pk).values_list(*attnames).first()
    return list(row or [])


def with_person_checks(form_class, *, by, fields: Sequence[str], whole_record: bool = False):
    """`form_class`, refusing a change to the people its `fields` name that `by` may not make
    (`people.person_records_check`): the error is shown beside the field.

    Compares with the stored row, not the form's initial values, so a history revert (whose
    form starts from the old version) is checked too. With `whole_record` (a team membership,
    which is the person's own record), any change to the record checks its people, before and
    after; otherwise only a field whose person changes.
    """

    def clean(self):
        cleaned = super(checked, self).clean()
        before = dict(zip(fields, stored_person_ids(self.instance, fields), strict=False))
        if whole_record and not (self.has_changed() or self.instance.pk is None):
            return cleaned
        for field in (field for field in fields if field in self.fields):
            chosen = cleaned.get(field)
            after = getattr(chosen, "pk", chosen)
            if not whole_record and before.get(field) == after:
                continue
            try:
                people.person_records_check(user=by, person_ids=[before.get(field), after])
            except PermissionDenied as refusal:
                self.add_error(field, str(refusal))
        return cleaned

    checked = type(form_class)(form_class.__name__, (form_class,), {"clean": clean, "__module__": __name__})
    return checked
