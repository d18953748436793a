"""Fictitious people for demo and scale data. Every CPR number made here is valid in format
and date but invented; demo databases are marked as demo data."""

from __future__ import annotations

import random
from datetime import date, timedelta

from rehabteam.models.cpr import Gender

FEMALE = [
    "Anne",
    "Mette",
    "Hanne",
    "Susanne",
    "Lene",
    "Marianne",
    "Camilla",
    "Louise",
    "Maria",
    "Charlotte",
    "Tina",
    "Pia",
    "Sara",
    "Emma",
    "Julie",
    "Ida",
    "Laura",
    "Amalie",
    "Nadia",
    "Fatima",
    "Sofie",
    "Karina",
    "Bente",
    "Jette",
    "Helle",
    "Signe",
    "Rikke",
    "Line",
]
MALE = [
    "Peter",
    "Jens",
    "Lars",
    "Michael",
    "Henrik",
    "Thomas",
    "Søren",
    "Jan",
    "Martin",
    "Niels",
    "Anders",
    "Morten",
    "Jesper",
    "Rasmus",
    "Mads",
    "Kasper",
    "Emil",
    "Frederik",
    "Ali",
    "Omar",
    "Brian",
    "Kim",
    "Per",
    "Ole",
    "Bo",
    "Torben",
    "Jonas",
    "Mikkel",
]
LAST = [
    "Nielsen",
    "Jensen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Christiansen",
    "Poulsen",
    "Johansen",
    "Møller",
    "Mortensen",
    "Knudsen",
    "Mikkelsen",
    "Frederiksen",
    "Holm",
    "Dahl",
    "Bech",
    "Lund",
    "Vestergaard",
    "Kjær",
    "Østergaard",
]


def serial_for(birth: date, gender: Gender, rng: random.Random) -> str:
    """A four-digit serial whose 7th digit gives `birth`'s century by the CPR office's table."""
    year2 = birth.year % 100
    if birth.year < 1900:
        digit7 = rng.choice([5, 6, 7, 8])
    elif birth.year < 2000:
        digit7 = rng.choice([0, 1, 2, 3] + ([4, 9] if year2 >= 37 else []))
    else:
        digit7 = rng.choice(([4, 9] if year2 <= 36 else []) + [5, 6, 7, 8])
    middle = rng.randrange(0, 100)
    last = rng.randrange(0, 10, 2) + (1 if gender is Gender.MAND else 0)
    return f"{digit7}{middle:02d}{last}"


def make_cpr(birth: date, gender: Gender, rng: random.Random, taken: set[str]) -> str:
    for _ in range(1000):
        digits = birth.strftime("%d%m%y") + serial_for(birth, gender, rng)
        if digits not in taken:
            taken.add(digits)
            return digits
    raise RuntimeError("no free CPR serial for that date")  # 1000 tries: practically never


def random_birth(rng: random.Random, today: date, min_age: int = 18, max_age: int = 64) -> date:
    oldest = today.replace(year=today.year - max_age) - timedelta(days=1)
    span = (today.replace(year=today.year - min_age) - oldest).days
    return oldest + timedelta(days=rng.randrange(span))


def random_person(rng: random.Random) -> tuple[str, str, Gender]:
    # Over 60 % of citizens in ressourceforløb are women (SFI/KL); the demo reflects it.
    gender = Gender.KVINDE if rng.random() < 0.6 else Gender.MAND
    first = rng.choice(FEMALE if gender is Gender.KVINDE else MALE)
    return first, rng.choice(LAST), gender
