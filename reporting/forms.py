"""The managers' quarterly update form: validates and normalises, nothing more."""

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms
from django.core.exceptions import ValidationError

from reporting.models import RAG, ProgressUpdate, Status
from reporting.services import progress_update_validate


def _max_length(name: str) -> int:
    return ProgressUpdate._meta.get_field(name).max_length


def _commentary(name: str) -> Field:
    """A commentary box with the GOV.UK character count for its limit."""
    return Field.textarea(name, rows=5 if name == "progress" else 3, max_characters=_max_length(name))


class ProgressUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the action's status"},
    )
    rag = forms.ChoiceField(
        label="RAG rating: how confident are you that the action will be delivered?",
        choices=RAG.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text="Not needed for a complete action: it shows as complete.",
    )
    progress = forms.CharField(
        label="Progress this quarter",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What happened this quarter. Needed for a Red or Amber rating.",
    )
    help_needed = forms.CharField(
        label="Help needed from DMT",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed for a Red rating: what the Departmental Management Team can do to unblock it.",
    )
    reason = forms.CharField(
        label="Reason for being on hold or cancelled",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    completed_on = DateInputField(
        label="Completion date",
        required=False,
        help_text="For a complete action. For example, 27 3 2016",
    )
    next_steps = forms.CharField(
        label="Next steps",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence = forms.CharField(
        label="Evidence",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Text, or a link to where the evidence is kept.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ProgressUpdate.COMMENTARY_FIELDS:
            # crispy-forms-gds appends the count's id to this attribute, and fails if it is absent.
            self.fields[name].widget.attrs.setdefault("aria-describedby", "")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.legend_size = Size.MEDIUM
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Fieldset(
                Field.radios("status", legend_size=Size.SMALL),
                Field.radios("rag", legend_size=Size.SMALL),
            ),
            _commentary("progress"),
            _commentary("help_needed"),
            _commentary("reason"),
            Field("completed_on"),
            _commentary("next_steps"),
            _commentary("evidence"),
            # The bound field, never crispy's Hidden(name, value): that compiles its value as a
            # template, so a posted version would run as template code.
            Field("version"),
            Submit("save", "Save update"),
        )

    @classmethod
    def initial_for(cls, update: ProgressUpdate | None) -> dict:
        """The form's starting values: the stored update, or a blank one at version 0."""
        if update is None:
            return {"version": 0}
        return {**{name: getattr(update, name) for name in ProgressUpdate.REPORTED_FIELDS}, "version": update.version}

    def reported(self) -> dict:
        """The cleaned values as the service takes them: blank text is "", a blank date None."""
        return {name: self.cleaned_data.get(name) for name in ProgressUpdate.REPORTED_FIELDS}

    def clean(self):
        cleaned = super().clean()
        if "status" not in cleaned:
            return cleaned
        # The same rules as the service: checked here too so every error shows at once.
        try:
            progress_update_validate(ProgressUpdate(**self.reported()))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(field, message)
        return cleaned
