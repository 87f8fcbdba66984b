"""RasConfig <-> JSON, for storing published versions. Pure, no Django."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from selfdirect.budgets.ras import RasConfig, RasTable


def _table_to_json(table: RasTable) -> dict[str, Any]:
    return {
        "points": {risk: int(points) for risk, points in table.points.items()},
        "unmet_share": {met: str(share) for met, share in table.unmet_share.items()},
        "price_per_point": str(table.price_per_point),
    }


def _table_from_json(data: dict[str, Any]) -> RasTable:
    return RasTable(
        points={risk: int(points) for risk, points in data["points"].items()},
        unmet_share={met: Decimal(share) for met, share in data["unmet_share"].items()},
        price_per_point=Decimal(data["price_per_point"]),
    )


def config_to_json(config: RasConfig) -> dict[str, Any]:
    return {
        "version": config.version,
        "adult": _table_to_json(config.adult),
        "carer": _table_to_json(config.carer),
        "range_low": str(config.range_low),
        "range_high": str(config.range_high),
        "weeks_per_year": str(config.weeks_per_year),
    }


def config_from_json(data: dict[str, Any]) -> RasConfig:
    return RasConfig(
        version=data["version"],
        adult=_table_from_json(data["adult"]),
        carer=_table_from_json(data["carer"]),
        range_low=Decimal(data["range_low"]),
        range_high=Decimal(data["range_high"]),
        weeks_per_year=Decimal(data["weeks_per_year"]),
    )
