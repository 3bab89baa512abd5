"""The managers' quarterly update form: validates and normalises, nothing more.

The form asks only what the status needs: with JavaScript (static/js/update-form.js) the
completion date shows under "Complete", the reason under "On hold" and "Cancelled or
superseded", the RAG rating for open statuses and the help needed from DMT under "Red".
Without JavaScript every field is shown, each saying when it is needed, and the same rules
apply (reporting/services.py). What a status does not use is dropped here, so a field hidden
by the page never refuses or changes an update.

The reveals are the form's own rather than GOV.UK Frontend's conditional radios: a field
shown for several statuses (the rating, the reason) cannot sit under one radio, and GOV.UK's
script puts aria-expanded on radios, which ARIA does not allow.
"""

from crispy_forms.utils import TEMPLATE_PACK, render_field
from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import ConditionalQuestion, ConditionalRadios, Div, Field, Layout, Size, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.template.loader import render_to_string

from reporting.models import OPEN_STATUSES, RAG, ProgressUpdate, Status
from reporting.services import progress_update_validate

# The statuses each status-dependent question belongs to (the page shows these; the form
# drops the answers of the others).
RAG_STATUSES = [str(status) for status in OPEN_STATUSES]
REASON_STATUSES = [str(Status.ON_HOLD), str(Status.CANCELLED)]


def _max_length(name: str) -> int:
    field = ProgressUpdate._meta.get_field(name)
    assert isinstance(field, models.Field) and field.max_length is not None  # commentary is text with a limit
    return field.max_length


def _commentary(name: str) -> Field:
    """A commentary box with the GOV.UK character count for its limit."""
    return Field.textarea(name, rows=5 if name == "progress" else 3, max_characters=_max_length(name))


class _Choice(ConditionalQuestion):
    """A radio with the fields shown beneath it while it is chosen.

    crispy-forms-gds numbers conditional radios from 0 but plain radios from 1; numbering
    from 1 here keeps every radio's id the same whichever way it is drawn, so the error
    summary's link to the first choice (`#id_status_1`) reaches it.
    """

    def render(self, bound_field, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        template = "includes/reveal_radio.html" if self.fields else "gds/layout/radio_item.html"
        labels = [str(label) for _, label in bound_field.field.choices]
        position = labels.index(self.value) + 1
        content = "".join(
            render_field(field, form, context, template_pack=template_pack, **kwargs) for field in self.fields
        )
        context.update(
            {
                "choice": bound_field.field.choices[position - 1],
                "field": bound_field,
                "position": position,
                "conditional_content": content,
            }
        )
        return render_to_string(template, context.flatten())


def _radios(name: str, choices, reveals: dict[str, list]) -> ConditionalRadios:
    """Radios for `name`, each choice revealing the fields listed for its value."""
    return ConditionalRadios(name, *(_Choice(str(label), *reveals.get(value, [])) for value, label in choices))


def _shown_for(statuses: list[str], chosen, *fields) -> Div:
    """Fields static/js/update-form.js shows only while one of `statuses` is chosen; hidden
    from the start (where JavaScript runs) unless the `chosen` status is one of them."""
    hidden = "" if str(chosen) in statuses else " app-reveal--hidden"
    return Div(
        *fields, css_class=f"app-reveal{hidden}", data_reveal_field="status", data_reveal_values=" ".join(statuses)
    )


# The fields in the order the page shows them (the layout below): the error summary lists
# its errors in this order too. The completion date sits under "Complete", the help needed
# from DMT under "Red".
PAGE_ORDER = ["status", "completed_on", "reason", "rag", "help_needed", "progress", "next_steps", "evidence"]


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
        help_text="For an action not started, in progress or on hold.",
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
        help_text="For a Red rating: what the Departmental Management Team can do to unblock it.",
    )
    reason = forms.CharField(
        label="Reason for being on hold or cancelled",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For an action on hold, cancelled or superseded.",
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
        self.order_fields(PAGE_ORDER)
        for name in ProgressUpdate.COMMENTARY_FIELDS:
            # crispy-forms-gds appends the count's id to this attribute, and fails if it is absent.
            self.fields[name].widget.attrs.setdefault("aria-describedby", "")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.legend_size = Size.SMALL
        self.helper.label_size = Size.SMALL
        status = self["status"].value()
        self.helper.layout = Layout(
            # Each group of radios is a fieldset with its question as the legend.
            _radios("status", Status.choices, {Status.COMPLETE: [Field("completed_on")]}),
            _shown_for(REASON_STATUSES, status, _commentary("reason")),
            _shown_for(RAG_STATUSES, status, _radios("rag", RAG.choices, {RAG.RED: [_commentary("help_needed")]})),
            _commentary("progress"),
            _commentary("next_steps"),
            _commentary("evidence"),
            # Rendered as a bound field, so the posted version is escaped like any input; crispy's
            # hidden-input helper would compile its value as template code.
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

    def _broken_rules(self) -> dict[str, list[ValidationError]]:
        """The service's rules the values as they stand break, by field."""
        try:
            progress_update_validate(ProgressUpdate(**self.reported()))
        except ValidationError as error:
            return error.error_dict
        return {}

    def clean(self):
        cleaned = super().clean()
        if "status" not in cleaned:
            return cleaned
        # Every box counts its characters as typed, so one too long is refused even if the
        # status does not use it.
        too_long = {
            name: [error for error in errors if error.code == "max_length"]
            for name, errors in self._broken_rules().items()
        }
        # Drop what the chosen status and rating do not ask for: the page hides those
        # fields, so their words must neither be saved nor refuse the update.
        status = cleaned["status"]
        if status not in RAG_STATUSES:
            cleaned["rag"] = ""
        if status not in REASON_STATUSES:
            cleaned["reason"] = ""
        if cleaned.get("rag") != RAG.RED:
            cleaned["help_needed"] = ""
        if status != Status.COMPLETE:
            cleaned["completed_on"] = None
            self.errors.pop("completed_on", None)  # a half-typed date the status does not use
        # The same rules as the service: checked here too so every error shows at once.
        broken = self._broken_rules()
        for name, errors in too_long.items():
            if errors and name not in broken:
                broken[name] = errors
        for name, errors in broken.items():
            for error in errors:
                self.add_error(name, error)
        return cleaned
