"""The citizen (borger)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Field

from rehabteam.models.base import Tracked


class Citizen(Tracked, table=True):
    __tablename__ = "citizen"

    id: int | None = Field(default=None, primary_key=True)
    # Ten digits, no dash. Shown masked everywhere unless revealed on purpose; never logged.
    cpr: str = Field(max_length=10, unique=True, nullable=False)
    first_name: str = Field(max_length=200, nullable=False)
    last_name: str = Field(max_length=200, nullable=False)
    # Lower-cased "first last" for search in SQL.
    search_name: str = Field(max_length=401, index=True, nullable=False)
    birth_date: date = Field(nullable=False, index=True)  # derived from the CPR number
    gender: str = Field(max_length=10, nullable=False)  # derived from the CPR number
    # Has the citizen an erhvervskompetencegivende uddannelse? None: not recorded.
    has_vocational_education: bool | None = Field(default=None)
    address: str = Field(default="", max_length=300)
    postcode: str = Field(default="", max_length=10)
    city: str = Field(default="", max_length=100)
    phone: str = Field(default="", max_length=40)
    email: str = Field(default="", max_length=200)
