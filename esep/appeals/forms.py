"""Forms of the request pages: they check the shape of the input; the services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from esep.appeals.models import FORWARD_BODIES, MAX_PHOTOS, TEXT_MAX_LENGTH, Category, Status, Verdict
from esep.appeals.photos import MAX_PHOTO_BYTES
from esep.core.widgets import DateInput
from esep.territory.models import Territory


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: object, initial: object = None) -> list:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(_("At most %(max)d photos.") % {"max": MAX_PHOTOS})
        for upload in files:
            if upload.size > MAX_PHOTO_BYTES:
                raise forms.ValidationError(_("%(name)s is larger than 5 MB.") % {"name": upload.name})
        return list(files)


class CategoryChoiceField(forms.ModelChoiceField):
    """A category by its code, shown by its name in the page's language."""

    def label_from_instance(self, obj: Category) -> str:
        return obj.name


class AppealForm(forms.Form):
    unit = forms.RegexField(
        label=_("Rural unit (KATO code)"),
        regex=r"^[0-9]{9}$",
        error_messages={"invalid": _("A KATO code has 9 digits; find your unit with the search box.")},
    )
    category = CategoryChoiceField(
        label=_("What is it about?"),
        queryset=Category.objects.filter(active=True).order_by("position"),
        to_field_name="code",
        empty_label=None,
    )
    text = forms.CharField(
        label=_("Your request"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": TEXT_MAX_LENGTH}),
    )
    address = forms.CharField(label=_("Place (street, house, landmark)"), max_length=300, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"), required=False, min_value=40, max_value=56, decimal_places=6, max_digits=9
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, min_value=46, max_value=88, decimal_places=6, max_digits=9
    )
    photos = MultiplePhotoField(label=_("Photos (up to 3, 5 MB each)"), required=False)
    publish_text = forms.BooleanField(
        label=_("Show the text of my request in open data (my name is never shown)"),
        required=False,
        initial=True,
    )

    def clean_unit(self) -> Territory:
        unit = Territory.objects.elected_units().filter(kato=self.cleaned_data["unit"]).first()
        if unit is None:
            raise forms.ValidationError(_("This code is not a rural unit with an elected akim."))
        return unit

    def clean(self) -> dict:
        cleaned = super().clean()
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            raise forms.ValidationError(_("Give both the latitude and the longitude, or neither."))
        return cleaned


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6}))


class ExtendForm(forms.Form):
    new_deadline = forms.DateField(label=_("New deadline"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason (the resident is told)"),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ForwardForm(forms.Form):
    body = forms.ChoiceField(label=_("Receiving body"), choices=[(b.value, b.label) for b in FORWARD_BODIES])
    body_name = forms.CharField(label=_("Name of the body"), max_length=200, required=False)
    reason = forms.CharField(
        label=_("Why it is that body's matter"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CloseForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Your verdict"), choices=Verdict.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Comment"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


INBOX_STATUS_CHOICES = [("open", _("open")), ("all", _("all")), *Status.choices]


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=INBOX_STATUS_CHOICES, required=False)
    category = CategoryChoiceField(
        label=_("Category"),
        queryset=Category.objects.order_by("position"),
        to_field_name="code",
        required=False,
        empty_label=_("all"),
    )
    assigned = forms.ChoiceField(
        label=_("Assigned"),
        choices=[("", _("anyone")), ("me", _("to me")), ("none", _("nobody"))],
        required=False,
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    escalated = forms.BooleanField(label=_("Escalated only"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort"),
        choices=[("deadline", _("deadline first")), ("newest", _("newest first"))],
        required=False,
    )
