"""The filter form on every figures page. It is only ever shown, never validated: the query is
read by selectors.filters_from_query, which falls back to the defaults for anything it does
not recognise, so a bad link shows the usual figures rather than an error."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from selfdirect.dashboards.figures import Period
from selfdirect.dashboards.selectors import ALL_TEAMS, SPLITS, Filters
from selfdirect.people.codes import PRIMARY_SUPPORT_REASON


class FiltersForm(forms.Form):
    team = forms.ChoiceField(label="Team", required=False)
    period = forms.ChoiceField(label="Period", required=False)
    psr = forms.ChoiceField(
        label="Primary support reason",
        required=False,
        choices=[("", "All reasons"), *PRIMARY_SUPPORT_REASON],
    )
    split = forms.ChoiceField(label="Split waiting times by", required=False, choices=SPLITS)

    def __init__(
        self,
        *,
        filters: Filters,
        teams: Sequence[tuple[int, str]],
        periods: Sequence[Period],
        with_split: bool = False,
        **kwargs: Any,
    ) -> None:
        initial = {
            "team": filters.team_value,
            "period": filters.period.key,
            "psr": filters.psr,
            "split": filters.split,
        }
        super().__init__(initial=initial, **kwargs)
        team, period = self.fields["team"], self.fields["period"]
        assert isinstance(team, forms.ChoiceField) and isinstance(period, forms.ChoiceField)
        team.choices = [(ALL_TEAMS, "All teams"), *[(str(pk), name) for pk, name in teams]]
        period.choices = [(p.key, p.label) for p in periods]
        if not with_split:
            del self.fields["split"]
