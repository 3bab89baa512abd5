"""Forms of the planner's publishing pages: they validate and normalise, nothing more."""

from django import forms

from publishing.models import REASON_MAX_LENGTH, Publication, PublishedVersion


def _reason(label: str, help_text: str, required: str, max_length: int, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": required, "max_length": "The reason must be %(limit_value)d characters or fewer"},
    )


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


class WithholdForm(forms.Form):
    reason = _reason(
        "Why is the commentary withheld?",
        "The public sees this in its place: “Withheld: personal information”.",
        "Enter why the commentary is withheld",
        REASON_MAX_LENGTH,
        rows=2,
    )

    def clean_reason(self) -> str:
        return self.cleaned_data["reason"].strip()


class CorrectForm(forms.Form):
    reason = _reason(
        "What does the correction correct?",
        "Shown on the report beside the new version’s number, for example “corrected the status of 2.1.3”.",
        "Enter what the correction corrects",
        _max_length(PublishedVersion, "reason"),
    )

    def clean_reason(self) -> str:
        return self.cleaned_data["reason"].strip()


class WithdrawForm(forms.Form):
    reason = _reason(
        "Why is the report withdrawn?",
        "Shown to the public in place of the report, with the date.",
        "Enter why the report is withdrawn",
        _max_length(Publication, "withdrawn_reason"),
    )

    def clean_reason(self) -> str:
        return self.cleaned_data["reason"].strip()
