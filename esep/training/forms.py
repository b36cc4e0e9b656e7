from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from esep.core.widgets import DateInput
from esep.territory.models import Territory
from esep.training.models import (
    Body,
    Course,
    Module,
    PositionKind,
    PostCategory,
    Provider,
    Session,
    SessionMode,
)

MAX_AKIM_UNITS = 3000
MAX_TEXT = 20_000  # an instruction's text in one language


def _kato_field(label: str, required: bool = False) -> forms.RegexField:
    return forms.RegexField(
        label=label,
        regex=r"^[0-9]{9}$",
        required=required,
        error_messages={"invalid": _("A KATO code has 9 digits.")},
    )


class ModuleChoiceField(forms.ModelMultipleChoiceField):
    """Modules by id; an id beyond any database integer is an invalid choice, not a database error (SQLite
    cannot bind it in the IN list that Django builds)."""

    def _check_values(self, value: object) -> object:
        for key in value if isinstance(value, list | tuple) else ():
            text = str(key).strip().lstrip("+-")
            if text.isdecimal() and len(text) > 18:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": key}
                )
        return super()._check_values(value)


class CourseForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    provider = forms.ModelChoiceField(label=_("Provider"), queryset=Provider.objects.all())
    title_kk = forms.CharField(label=_("Title in Kazakh"), max_length=200)
    title_ru = forms.CharField(label=_("Title in Russian"), max_length=200)
    title_en = forms.CharField(label=_("Title in English"), max_length=200)
    modules = ModuleChoiceField(
        label=_("Modules"), queryset=Module.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    hours = forms.IntegerField(label=_("Academic hours"), min_value=1, max_value=2000)
    pass_score = forms.IntegerField(label=_("Pass score (of 100)"), min_value=1, max_value=100, initial=60)
    is_foundation = forms.BooleanField(label=_("Foundation course of the School of Akims"), required=False)


class SessionForm(forms.Form):
    course = forms.ModelChoiceField(
        label=_("Course"), queryset=Course.objects.filter(is_active=True), to_field_name="code"
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=200)
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Territory.objects.regions().order_by("kato"),
        to_field_name="kato",
        required=False,
    )
    mode = forms.ChoiceField(label=_("Format"), choices=SessionMode.choices)
    capacity = forms.IntegerField(
        label=_("Seats (empty: no limit)"), min_value=1, max_value=10000, required=False
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("A session cannot end before it starts."))
        return data


class CompletionForm(forms.Form):
    score = forms.IntegerField(label=_("Score (of 100)"), min_value=0, max_value=100)
    completed_on = forms.DateField(label=_("Completed on"), widget=DateInput())


TRISTATE = [("", _("any")), ("yes", _("yes")), ("no", _("no"))]


def tristate(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class EnrolFilterForm(forms.Form):
    session = forms.ModelChoiceField(label=_("Session"), queryset=Session.objects.none())
    within = _kato_field(_("Within (KATO code of a region, district or unit; empty: all of your territory)"))
    first_time = forms.ChoiceField(label=_("Elected for the first time"), choices=TRISTATE, required=False)
    no_civil_service = forms.ChoiceField(
        label=_("Never worked in the civil service"), choices=TRISTATE, required=False
    )
    lacking = forms.ModelChoiceField(
        label=_("Lacking the module"), queryset=Module.objects.all(), required=False, to_field_name="code"
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = (
            Session.objects.filter(ends_on__gte=timezone.localdate())
            .select_related("course")
            .order_by("starts_on", "pk")
        )
        self.fields["session"].label_from_instance = lambda s: (
            f"{s.course.title} · {s.starts_on:%d.%m.%Y}–{s.ends_on:%d.%m.%Y} · {s.place}"
        )

    def clean_within(self) -> Territory | None:
        code = self.cleaned_data["within"]
        if not code:
            return None
        territory = Territory.objects.filter(kato=code).first()
        if territory is None:
            raise forms.ValidationError(_("No territory with this KATO code."))
        return territory


def _past_or_today(value: date) -> date:
    if value > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."))
    return value


class StaffPositionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Post"), choices=PositionKind.choices)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=PostCategory.objects.all(), to_field_name="code"
    )
    on = forms.DateField(label=_("Created on"), widget=DateInput(), validators=[_past_or_today])


class StaffFillForm(forms.Form):
    holder_name = forms.CharField(label=_("Name of the person appointed"), max_length=200)
    on = forms.DateField(label=_("Appointed on"), widget=DateInput(), validators=[_past_or_today])


class StaffVacateForm(forms.Form):
    on = forms.DateField(label=_("Left on"), widget=DateInput(), validators=[_past_or_today])
    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)


class StaffRecategoriseForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("New category"), queryset=PostCategory.objects.all(), to_field_name="code"
    )
    on = forms.DateField(label=_("From"), widget=DateInput(), validators=[_past_or_today])


class StaffAbolishForm(forms.Form):
    on = forms.DateField(label=_("Abolished on"), widget=DateInput(), validators=[_past_or_today])


class AkimPostForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=PostCategory.objects.all(), to_field_name="code"
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )


class InstructionForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=40)
    issuer = forms.ModelChoiceField(label=_("Issuer"), queryset=Body.objects.all(), to_field_name="code")
    title_ru = forms.CharField(label=_("Title in Russian"), max_length=300)
    title_kk = forms.CharField(label=_("Title in Kazakh"), max_length=300)
    title_en = forms.CharField(label=_("Title in English"), max_length=300)
    text_ru = forms.CharField(
        label=_("Text in Russian"), widget=forms.Textarea(attrs={"rows": 5}), max_length=MAX_TEXT
    )
    text_kk = forms.CharField(
        label=_("Text in Kazakh"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=MAX_TEXT,
    )
    text_en = forms.CharField(
        label=_("Text in English"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=MAX_TEXT,
    )
    source = forms.CharField(label=_("Source"), max_length=300, required=False)
    issued_on = forms.DateField(label=_("Issued on"), widget=DateInput())
    within_month = forms.BooleanField(label=_("Within a month (computes the deadline)"), required=False)
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput(), required=False)
    bodies = forms.ModelMultipleChoiceField(
        label=_("Assigned bodies"),
        queryset=Body.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        to_field_name="code",
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Assigned regions"),
        queryset=Territory.objects.regions().order_by("kato"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        to_field_name="kato",
    )
    akim_units = forms.CharField(
        label=_("Assigned akims: KATO codes of their units, separated by spaces or lines"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=MAX_AKIM_UNITS * 11,  # the codes and a separator each
    )

    def clean_akim_units(self) -> list[Territory]:
        codes = list(dict.fromkeys(self.cleaned_data["akim_units"].split()))
        if len(codes) > MAX_AKIM_UNITS:
            raise forms.ValidationError(_("At most %(n)d units at once.") % {"n": MAX_AKIM_UNITS})
        bad = [code for code in codes if len(code) != 9 or not code.isdigit()]
        if bad:
            raise forms.ValidationError(_("Not KATO codes: %(codes)s") % {"codes": ", ".join(bad[:10])})
        units = {t.kato: t for t in Territory.objects.elected_units().filter(kato__in=codes)}
        missing = [code for code in codes if code not in units]
        if missing:
            raise forms.ValidationError(
                _("Not rural units with an elected akim: %(codes)s") % {"codes": ", ".join(missing[:10])}
            )
        return [units[code] for code in codes]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("within_month") and data.get("deadline"):
            self.add_error("deadline", _('Give either a deadline date or "within a month", not both.'))
        elif not data.get("within_month") and not data.get("deadline") and "deadline" not in self.errors:
            self.add_error("deadline", _('Give a deadline date or tick "within a month".'))
        if not (data.get("bodies") or data.get("regions") or data.get("akim_units")) and not self.errors:
            self.add_error(None, _("An instruction needs at least one assignee."))
        return data


class ReportForm(forms.Form):
    text = forms.CharField(
        label=_("What has been done"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000
    )
    is_final = forms.BooleanField(
        label=_("Final report: the work is done, ask for acceptance"), required=False
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("accept")), ("return", _("return for more work"))]
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000
    )
