"""The domain's fixed vocabularies. Stored as their string values (plain VARCHAR columns), so a
new value needs no database type migration. Danish words where they are the precise term."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal, get_args


class Discipline(StrEnum):
    BESKAEFTIGELSE = "beskaeftigelse"
    SUNDHED = "sundhed"
    SOCIAL = "social"
    UNDERVISNING = "undervisning"
    SUNDHEDSKOORDINATOR = "sundhedskoordinator"
    GAEST = "gaest"


class StaffRole(StrEnum):
    MOEDELEDER = "moedeleder"
    REFERENT = "referent"
    SAGSBEHANDLER = "sagsbehandler"
    KOORDINERENDE_SAGSBEHANDLER = "koordinerende_sagsbehandler"
    TEAMMEDLEM = "teammedlem"
    ADMINISTRATOR = "administrator"


class CaseType(StrEnum):
    """Case types that go to the team (BEK 2408 § 1), plus the old and reform ones."""

    RESSOURCEFORLOEB = "ressourceforloeb"
    RESSOURCEFORLOEB_GENFORELAEGGELSE = "ressourceforloeb_genforelaeggelse"
    JOBAFKLARING_INDSATS = "jobafklaring_indsats"
    NYT_JOBAFKLARINGSFORLOEB = "nyt_jobafklaringsforloeb"
    FLEKSJOB = "fleksjob"
    SELVSTAENDIG_TILSKUD = "selvstaendig_tilskud"
    FOERTIDSPENSION = "foertidspension"
    GENFORELAEGGELSE = "genforelaeggelse"
    SYGEDAGPENGE_KAT3 = "sygedagpenge_kat3"
    SAMLET_BESKRIVELSE = "samlet_beskrivelse"
    # The team's recommendation of what comes after a ressourceforløb ends.
    RESSOURCEFORLOEB_AFSLUTNING = "ressourceforloeb_afslutning"


class CaseStatus(StrEnum):
    """A case's way through the team phase, in order."""

    FORBEREDELSE = "forberedelse"  # being prepared by the sagsbehandler
    KLAR = "klar"  # forberedende del complete and medical statement received: can be booked
    BOOKET = "booket"  # on an upcoming agenda
    BEHANDLET = "behandlet"  # discussed at a meeting, indstilling in draft
    INDSTILLET = "indstillet"  # indstilling approved (and possibly sent)
    AFGJORT = "afgjort"  # the municipality has decided
    AFSLUTTET = "afsluttet"  # closed
    ANNULLERET = "annulleret"  # withdrawn


OPEN_CASE_STATUSES: tuple[CaseStatus, ...] = (
    CaseStatus.FORBEREDELSE,
    CaseStatus.KLAR,
    CaseStatus.BOOKET,
    CaseStatus.BEHANDLET,
)


class MeetingStatus(StrEnum):
    PLANLAGT = "planlagt"
    I_GANG = "i_gang"
    AFHOLDT = "afholdt"
    AFLYST = "aflyst"


class AgendaStatus(StrEnum):
    BOOKET = "booket"
    BEHANDLET = "behandlet"
    UDSAT = "udsat"  # postponed to a later meeting
    AFLYST = "aflyst"  # cancelled with a reason


class ParticipantRole(StrEnum):
    MOEDELEDER = "moedeleder"
    REFERENT = "referent"
    MEDLEM = "medlem"
    GAEST = "gaest"


class IndstillingType(StrEnum):
    RESSOURCEFORLOEB = "ressourceforloeb"
    JOBAFKLARINGSFORLOEB = "jobafklaringsforloeb"
    FLEKSJOB = "fleksjob"
    FOERTIDSPENSION = "foertidspension"
    SELVSTAENDIG_TILSKUD = "selvstaendig_tilskud"
    REVALIDERING = "revalidering"
    ORDINAER_INDSATS = "ordinaer_indsats"  # ordinary employment/education measures
    ANDET = "andet"


class IndstillingStatus(StrEnum):
    KLADDE = "kladde"
    GODKENDT = "godkendt"
    SENDT = "sendt"
    ERSTATTET = "erstattet"  # superseded by a newer version


class InterventionArea(StrEnum):
    BESKAEFTIGELSE = "beskaeftigelse"
    UDDANNELSE = "uddannelse"
    SOCIAL = "social"
    SUNDHED = "sundhed"
    MENTOR = "mentor"


class InterventionStatus(StrEnum):
    """Where an intervention of a course stands; the last three are its recorded outcome."""

    PLANLAGT = "planlagt"
    I_GANG = "i_gang"
    GENNEMFOERT = "gennemfoert"
    AFBRUDT = "afbrudt"
    IKKE_STARTET = "ikke_startet"  # dropped before it began


class AdviceForm(StrEnum):
    """How the sundhedskoordinator gave the advice."""

    SKRIFTLIG = "skriftlig"  # in writing, without a meeting
    MOEDE = "moede"  # at a (voluntary) interdisciplinary meeting


class NoteKind(StrEnum):
    FREMDRIFT = "fremdrift"  # progress note on an intervention
    SAMTALE = "samtale"  # the coordinator's follow-up conversation with the citizen


# Courses the team's indstilling leads into, followed up intervention by intervention.
FORLOEB_TYPES: tuple[IndstillingType, ...] = (
    IndstillingType.RESSOURCEFORLOEB,
    IndstillingType.JOBAFKLARINGSFORLOEB,
)


# The four parts of the GP's statement (LÆ 265); a rule set says which must be filled in.
MedicalPart = Literal["helbredsforhold", "saerlige_hensyn", "borgerperspektiv", "andre_forhold"]
MEDICAL_PARTS: tuple[MedicalPart, ...] = get_args(MedicalPart)


class MedicalStatementKind(StrEnum):
    LAE265 = "lae265"
    OPFOELGNINGSATTEST = "opfoelgningsattest"  # first sickness follow-up (jobafklaring)


class DocumentKind(StrEnum):
    """Case material besides the forberedende del and the medical statement."""

    LAEGEJOURNAL = "laegejournal"  # medical records
    CV = "cv"
    TIDLIGERE_INDSATS = "tidligere_indsats"  # documentation of earlier effort
    SAGSAKTER = "sagsakter"  # other case records


class AuditAction(StrEnum):
    READ = "read"
    SEARCH = "search"
    CREATE = "create"
    UPDATE = "update"
    EXPORT = "export"
    DELETE = "delete"
    DENIED = "denied"  # an attempt refused by the access rules
