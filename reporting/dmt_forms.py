"""The DMT meeting's forms: the quarter's key messages, and DMT's decision on a request for
help. The pages are `reporting.dmt_views`; the writes `reporting.services`."""

from django import forms

from reporting.models import DmtDecision, ReportingPeriod


class KeyMessagesForm(forms.Form):
    key_messages = forms.CharField(
        label="Key messages",
        help_text="A short summary for DMT: what went well, what needs its attention. It opens the report and the PDF.",
        required=False,
        max_length=ReportingPeriod._meta.get_field("key_messages").max_length,
        widget=forms.Textarea(attrs={"rows": 8, "class": "govuk-textarea"}),
    )
    strategic_lead = forms.CharField(
        label="Strategic lead",
        help_text="The name of the strategic lead, as DMT knows them.",
        required=False,
        max_length=ReportingPeriod._meta.get_field("strategic_lead").max_length,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-!-width-two-thirds", "autocomplete": "name"}),
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="DMT's decision",
        choices=DmtDecision.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select DMT's decision"},
    )
    note = forms.CharField(
        label="Note for the lead",
        help_text="What DMT agreed, why it declined, or when it will decide.",
        required=False,
        max_length=DmtDecision._meta.get_field("note").max_length,
        widget=forms.Textarea(attrs={"rows": 4, "class": "govuk-textarea"}),
    )
