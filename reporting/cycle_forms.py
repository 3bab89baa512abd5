"""Forms of the planners' cycle pages: they validate and normalise, nothing more. The pages
render them in plain GOV.UK markup."""

from typing import cast

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from reporting.models import PeriodEvent
from reporting.reminders import REMIND_AGAIN_AFTER
from reporting.returns import SHOW_ALL, SHOW_MISSING
from workforce.people import person_name


class ReturnsFilterForm(forms.Form):
    """The returns page's filters (GET): one lead or all; the leads with missing updates (the
    default: what the planner chases) or every lead."""

    SHOW_CHOICES = [(SHOW_MISSING, "Leads with actions missing an update"), (SHOW_ALL, "Every lead")]

    lead = forms.ChoiceField(label="Lead", required=False, widget=forms.Select(attrs={"class": "govuk-select"}))
    show = forms.ChoiceField(label="Show", required=False, choices=SHOW_CHOICES, widget=forms.RadioSelect)

    def __init__(self, *args, lead_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["lead"]).choices = [("", "All leads"), *lead_choices]

    def filters(self) -> dict:
        """The filters to apply: by default, every lead with missing updates. An unknown lead
        (a stale link) shows every lead; an unknown view, the default."""
        if not self.is_bound:
            return {"lead": "", "show": SHOW_MISSING}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"lead": data.get("lead") or "", "show": data.get("show") or SHOW_MISSING}

    @property
    def show_value(self) -> str:
        """The view the page shows, for its radios."""
        return self.filters()["show"]


class PeriodCloseForm(forms.Form):
    """Closing asks nothing: the page shows what is missing, and the POST confirms it."""


class PeriodReopenForm(forms.Form):
    reason = forms.CharField(
        label="Why are you reopening the quarter?",
        help_text="This is recorded and shown on the quarter's DMT report.",
        max_length=PeriodEvent._meta.get_field("reason").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter why the quarter is being reopened",
            "max_length": "The reason must be %(limit_value)d characters or fewer",
        },
    )

    def clean_reason(self) -> str:
        return self.cleaned_data["reason"].strip()


class RemindersSendForm(forms.Form):
    force = forms.BooleanField(
        label=f"Send again to people reminded in the last {REMIND_AGAIN_AFTER.days} days",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
    )


class _ApproverField(forms.ModelChoiceField):
    """DMT's members, each by their name."""

    def label_from_instance(self, obj) -> str:
        return person_name(obj)


class PeriodSignOffForm(forms.Form):
    """Who at DMT approved the quarter's report, and on what day (the service checks both)."""

    approver: forms.ModelChoiceField = _ApproverField(
        label="Who approved the report?",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        help_text="A member of the Departmental Management Team.",
        error_messages={"required": "Select the DMT member who approved the report"},
    )
    approved_on = DateInputField(
        label="When did DMT approve it?",
        help_text="For example, 25 1 2017",
    )

    def __init__(self, *args, approvers, submit: str, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["approver"]).queryset = approvers
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.legend_size = Size.MEDIUM
        self.helper.layout = Layout(Field.radios("approver"), Field("approved_on"), Submit("sign_off", submit))
