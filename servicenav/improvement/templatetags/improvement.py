from __future__ import annotations

from django import template

from servicenav.improvement.selectors import ThemeNetwork, ThemeRow
from servicenav.organisation.models import Unit

register = template.Library()


@register.simple_tag
def theme_count(network: ThemeNetwork, row: ThemeRow, administration: Unit, period: str) -> int:
    return network.count(row, administration, period)
