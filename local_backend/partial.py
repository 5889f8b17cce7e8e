"""Base models for request bodies: strict input, and partial updates (PATCH/PUT of only the fields sent)."""

from __future__ import annotations

from typing import ClassVar, Self

from pydantic import BaseModel, ConfigDict, model_validator


class StrictInput(BaseModel):
    """Unknown fields are refused and nothing is coerced: "1" is not 1 and 1 is not true."""

    model_config = ConfigDict(extra="forbid", strict=True)


class PartialUpdate(StrictInput):
    """Absent fields stay as they are; those listed in `_not_null` (NOT NULL columns) may not be sent as null,
    while the others may, to clear them."""

    _not_null: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="after")
    def _no_nulls_for_required(self) -> Self:
        nulled = sorted(f for f in self.model_fields_set & self._not_null if getattr(self, f) is None)
        if nulled:
            raise ValueError(f"may not be null: {', '.join(nulled)}")
        return self
