"""The form Organisational Planning manages a person with: validates and normalises only."""

from django import forms
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UsernameField
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

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
