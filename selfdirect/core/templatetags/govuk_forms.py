"""Render Django form fields with GOV.UK Design System markup.

govuk-frontend-django renders components but has no bound-field integration,
so this small layer does: `{% govuk_field form.name %}` and
`{% govuk_error_summary form %}`. Options: `{% govuk_field form.x width=10 %}`,
`label_size="l"` to make the label the page heading, `hint="..."` to override.
"""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.boundfield import BoundField
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from selfdirect.core.forms import GovDateWidget

register = template.Library()

_INPUT_WIDTHS = {2, 3, 4, 5, 10, 20, 30}


def _kind(widget: forms.Widget) -> str:
    if isinstance(widget, GovDateWidget):
        return "date"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    return "input"


def _input_type(widget: forms.Widget) -> str:
    return getattr(widget, "input_type", "text") or "text"


@register.simple_tag
def govuk_field(
    field: BoundField,
    width: int | None = None,
    label_size: str = "",
    hint: str | None = None,
    autocomplete: str = "",
    heading: bool = False,
) -> SafeString:
    widget = field.field.widget
    kind = _kind(widget)
    errors = list(field.errors)
    value = field.value()
    context: dict[str, Any] = {
        "field": field,
        "kind": kind,
        "id": field.auto_id,
        "name": field.html_name,
        "label": field.label,
        "hint": field.help_text if hint is None else hint,
        "error": errors[0] if errors else "",
        "required": field.field.required,
        "label_size": label_size,
        "heading": heading,
        "autocomplete": autocomplete or widget.attrs.get("autocomplete", ""),
        "width": width if width in _INPUT_WIDTHS else None,
        "input_type": _input_type(widget),
        "inputmode": widget.attrs.get("inputmode", ""),
        "spellcheck": widget.attrs.get("spellcheck", ""),
        "rows": widget.attrs.get("rows", 5),
        "accept": widget.attrs.get("accept", ""),
    }
    if kind in {"radios", "select", "checkboxes"}:
        selected = value if isinstance(value, list | tuple) else [value]
        selected_strings = {"" if v is None else str(v) for v in selected}
        context["options"] = [
            {
                "value": str(option_value),
                "label": option_label,
                "checked": str(option_value) in selected_strings,
                "id": f"{field.auto_id}" if index == 0 else f"{field.auto_id}_{index}",
            }
            for index, (option_value, option_label) in enumerate(field.field.choices)  # type: ignore[attr-defined]
            if not (kind != "select" and option_value == "")
        ]
    elif kind == "date":
        parts = value if isinstance(value, list | tuple) else widget.decompress(value)
        names = ("Day", "Month", "Year")
        context["parts"] = [
            {
                "id": f"{field.auto_id}_{index}",
                "name": f"{field.html_name}_{index}",
                "label": names[index],
                "value": "" if parts[index] is None else parts[index],
                "width": 4 if index == 2 else 2,
            }
            for index in range(3)
        ]
    elif kind == "checkbox":
        context["checked"] = bool(value)
    else:
        context["value"] = "" if value is None else value
    return render_to_string(f"core/fields/{kind}.html", context)


def _anchor(bound: BoundField) -> str:
    """The id the error summary links to: a date's day box, else the field (or first option)."""
    if isinstance(bound.field.widget, GovDateWidget):
        return f"{bound.auto_id}_0"
    return str(bound.auto_id)


@register.simple_tag
def govuk_error_summary(*forms_: forms.BaseForm | list[forms.BaseForm]) -> SafeString:
    """The error summary at the top of the page: each error links to its field."""
    items: list[dict[str, str]] = []
    flat: list[forms.BaseForm] = []
    for entry in forms_:  # a form, or a list of forms (a formset's .forms)
        flat.extend(entry if isinstance(entry, list | tuple) else [entry])
    for form in flat:
        if form is None or not form.is_bound:
            continue
        # An error about the form as a whole still links somewhere: its first question.
        first = next(
            (form[name] for name, f in form.fields.items() if not f.widget.is_hidden), None
        )
        first_anchor = f"#{_anchor(first)}" if first is not None else ""
        for error in form.non_field_errors():
            items.append({"text": str(error), "href": first_anchor})
        for name, errors in form.errors.items():
            if name == NON_FIELD_ERRORS:
                continue
            items.append({"text": str(errors[0]), "href": f"#{_anchor(form[name])}"})
    return render_to_string("core/fields/error_summary.html", {"items": items})


@register.filter
def pairs(mapping: dict[str, Any] | None) -> list[tuple[str, Any]]:
    """A dict's (key, value) pairs. `{{ d.items }}` would look up a key called "items" first,
    which audit values (a plan's number of items) and theme names can be."""
    return list((mapping or {}).items())
