"""`rehabteam seed --demo`: a realistic, fictitious team with about 40 citizens and three
meetings (one held last week, one today, one next week). Everything in it is invented, and
the database is marked as demo data so the app says so."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, select

from rehabteam import clock
from rehabteam.models import (
    AgendaItem,
    AppMeta,
    Case,
    Citizen,
    DisciplineAssessment,
    Indstilling,
    IndstillingIntervention,
    MedicalStatement,
    Meeting,
    MeetingParticipant,
    PreparationField,
    StaffMember,
    StaffRoleLink,
    Team,
    TeamMember,
)
from rehabteam.models.base import utcnow
from rehabteam.models.cpr import Cpr, Gender
from rehabteam.models.enums import (
    AgendaStatus,
    AuditAction,
    CaseStatus,
    CaseType,
    Discipline,
    IndstillingStatus,
    IndstillingType,
    InterventionArea,
    MeetingStatus,
    ParticipantRole,
    StaffRole,
)
from rehabteam.models.viewer import Viewer
from rehabteam.rules import RuleBook
from rehabteam.services import audit
from rehabteam.services.citizens import search_name_for
from rehabteam.services.demo_texts import HANS, Profile, profile_for
from rehabteam.services.fiction import make_cpr, random_birth, random_person
from rehabteam.services.startup import DEMO_FLAG, is_demo

__all__ = ["DEMO_FLAG", "is_demo", "seed_demo"]

D = Discipline
R = StaffRole

# name, initials, discipline, roles, title
STAFF: list[tuple[str, str, Discipline, tuple[StaffRole, ...], str]] = [
    ("Mette Lund", "ML", D.BESKAEFTIGELSE, (R.MOEDELEDER, R.TEAMMEDLEM), "Teamleder, jobcenter"),
    ("Jonas Berg", "JB", D.BESKAEFTIGELSE, (R.REFERENT,), "Teamsekretær"),
    (
        "Ida Holm",
        "IH",
        D.BESKAEFTIGELSE,
        (R.KOORDINERENDE_SAGSBEHANDLER,),
        "Koordinerende sagsbehandler",
    ),
    (
        "Peter Nygaard",
        "PN",
        D.BESKAEFTIGELSE,
        (R.KOORDINERENDE_SAGSBEHANDLER,),
        "Koordinerende sagsbehandler",
    ),
    ("Sofie Kjær", "SK", D.BESKAEFTIGELSE, (R.SAGSBEHANDLER,), "Sagsbehandler"),
    ("Ali Rahimi", "AR", D.BESKAEFTIGELSE, (R.SAGSBEHANDLER,), "Sagsbehandler"),
    ("Lene Dahl", "LD", D.SUNDHED, (R.TEAMMEDLEM,), "Sygeplejerske, sundhed og omsorg"),
    ("Karsten Bech", "KB", D.SOCIAL, (R.TEAMMEDLEM,), "Socialrådgiver, socialpsykiatrien"),
    ("Birgitte Vang", "BV", D.UNDERVISNING, (R.TEAMMEDLEM,), "UU-vejleder"),
    (
        "Henrik Sand",
        "HS",
        D.SUNDHEDSKOORDINATOR,
        (R.TEAMMEDLEM,),
        "Sundhedskoordinator, speciallæge i socialmedicin (regionen)",
    ),
    ("Anne Post", "AP", D.BESKAEFTIGELSE, (R.ADMINISTRATOR,), "Systemadministrator"),
]
FIXED_MEMBERS = ("ML", "LD", "KB", "HS")

# How many of the ~40 citizens end up in each state besides the three meetings' agendas.
OTHER_STATES: list[tuple[CaseStatus, int]] = [
    (CaseStatus.FORBEREDELSE, 12),
    (CaseStatus.KLAR, 5),
    (CaseStatus.AFGJORT, 5),
    (CaseStatus.AFSLUTTET, 3),
    (CaseStatus.ANNULLERET, 2),
]


class DemoSeeder:
    def __init__(self, session: Session, rulebook: RuleBook, today: date, seed: int) -> None:
        self.s = session
        self.rules = rulebook
        self.today = today
        self.rng = random.Random(seed)
        self.taken: set[str] = set(session.exec(select(Citizen.cpr)).all())
        self.staff: dict[str, StaffMember] = {}
        self.team_id: int | None = None
        # Each case's story (its preparation, LÆ 265, assessments and indstilling), and how
        # many cases of each type have been given one.
        self.profiles: dict[int, Profile] = {}
        self.told: Counter[str] = Counter()

    def _id(self, obj: object) -> int:
        self.s.add(obj)
        self.s.flush()
        value = getattr(obj, "id", None)
        assert isinstance(value, int)
        return value

    def run(self) -> None:
        self.s.merge(AppMeta(key=DEMO_FLAG, value="1"))
        self.s.merge(AppMeta(key="organisation", value="Demo Kommune (fiktive data)"))
        team_id = self._team()
        self.team_id = team_id
        last_week = self._monday(-1) + timedelta(days=3)
        next_week = self._monday(1) + timedelta(days=3)
        held = self._meeting(team_id, last_week, MeetingStatus.AFHOLDT, sent=True)
        today_m = self._meeting(team_id, self.today, MeetingStatus.PLANLAGT, sent=True)
        upcoming = self._meeting(team_id, next_week, MeetingStatus.PLANLAGT, sent=False)

        hans = self._citizen("Hans", "Jørgensen", Gender.MAND, date(1981, 3, 12), educated=False)
        young = self._citizen(
            "Amalie", "Kristensen", Gender.KVINDE, self._years_ago(24), educated=False
        )
        # Last week: four cases agreed, one not reached and postponed.
        for n, kind in enumerate(
            [
                IndstillingType.RESSOURCEFORLOEB,
                IndstillingType.RESSOURCEFORLOEB,
                IndstillingType.FLEKSJOB,
                IndstillingType.FOERTIDSPENSION,
            ]
        ):
            case = self._case(
                self._citizen(), CaseStatus.INDSTILLET, 45 + 7 * n, CaseType(kind.value)
            )
            self._book(held, case, n, AgendaStatus.BEHANDLET)
            self._assess(case, held)
            self._indstilling(case, held, kind, IndstillingStatus.GODKENDT)
        behandlet = self._case(self._citizen(), CaseStatus.BEHANDLET, 50, CaseType.RESSOURCEFORLOEB)
        self._book(held, behandlet, 4, AgendaStatus.BEHANDLET)
        self._assess(behandlet, held)
        self._indstilling(
            behandlet, held, IndstillingType.RESSOURCEFORLOEB, IndstillingStatus.KLADDE
        )
        # Not reached last week: booked again on the team's next meeting (today's, last), as
        # ending the meeting does (its minutes say when).
        postponed = self._case(self._citizen(), CaseStatus.BOOKET, days_ago=40)
        self._book(held, postponed, 5, AgendaStatus.UDSAT, reason="Ikke nået på mødet")
        # Today: Hans first with his sister as bisidder, three more, and last week's.
        hans_case = self._case(hans, CaseStatus.BOOKET, 30, CaseType.RESSOURCEFORLOEB, HANS)
        # The bisidder by name and relation: the documents name the person ("Du har sagt, at
        # Lise Jørgensen (søster) kommer med"), never a bare "Søster" as if it were a name.
        sister = "Lise Jørgensen (søster)"
        self.s.get(Case, hans_case).bisidder_wish = sister  # type: ignore[union-attr]
        self._book(today_m, hans_case, 0, AgendaStatus.BOOKET, bisidder=sister)
        for n in range(1, 4):
            self._book(today_m, self._case(self._citizen(), CaseStatus.BOOKET, 28 + n), n)
        self._book(today_m, postponed, 4)
        # Next week: three booked; one is 24 without vocational education and no UU member.
        self._book(upcoming, self._case(young, CaseStatus.BOOKET, 20), 0)
        for n in range(1, 3):
            self._book(upcoming, self._case(self._citizen(), CaseStatus.BOOKET, 18 + n), n)
        # After the reform: fleksjob and førtidspension on the samlet beskrivelse, waiting for
        # the sundhedskoordinator's advice; and a jobafklaring case for the team.
        for waiting_type, days_ago in ((CaseType.FLEKSJOB, 16), (CaseType.FOERTIDSPENSION, 24)):
            waiting = self._case(self._citizen(), CaseStatus.KLAR, days_ago, waiting_type)
            self._advice(waiting, given=None, requested_days=10)
        self._case(self._citizen(), CaseStatus.FORBEREDELSE, 12, CaseType.JOBAFKLARING_INDSATS)
        decided_cases: list[tuple[int, CaseStatus]] = []
        for status, count in OTHER_STATES:
            for _ in range(count):
                decided = status in (CaseStatus.AFGJORT, CaseStatus.AFSLUTTET)
                case = self._case(
                    self._citizen(),
                    status,
                    self.rng.randrange(5, 400),
                    CaseType.RESSOURCEFORLOEB if decided else None,
                )
                if decided:
                    # Assessed at a meeting the demo does not hold (before its time).
                    self._assess(case, None)
                    self._indstilling(
                        case, None, IndstillingType.RESSOURCEFORLOEB, IndstillingStatus.SENDT
                    )
                    decided_cases.append((case, status))
        self.s.flush()
        self._follow_up(decided_cases)
        audit.record(session=self.s, actor=None, action=AuditAction.CREATE, entity="demo_seed")

    def _follow_up(self, decided_cases: list[tuple[int, CaseStatus]]) -> None:
        """Decisions and courses, recorded through the follow-up service as a coordinator
        would: one course flagged by the 6-month rule, one under way (its first intervention
        started, its course finished, its internship not yet started), one indstilling not
        followed (its genforelæggelse case goes back to the team), closed courses ended. Where
        the interventions take place and what the coordinator noted follow the case's story."""
        from rehabteam.models import Forloeb
        from rehabteam.models.enums import InterventionStatus, NoteKind
        from rehabteam.models.inputs import CourseInterventionInput, DecisionInput, NoteInput
        from rehabteam.services import followup

        ida = self.staff["IH"].id
        # No new ressourceforløb are granted from the reform (lov nr. 1750/2025): the
        # running ones were granted before it.
        cutoff = next(
            (
                rs.effective_from
                for rs in self.rules.all()
                if not rs.allows_indstilling(IndstillingType.RESSOURCEFORLOEB)
            ),
            None,
        )
        # Still running (afgjort) first: the first of them is the course flagged by the rule.
        ordered = sorted(decided_cases, key=lambda c: c[1] is not CaseStatus.AFGJORT)
        for n, (case_id, status) in enumerate(ordered):
            case = self.s.get(Case, case_id)
            assert case is not None
            if n == 0:  # decided about eight months ago, nothing started since
                case.referral_date = min(case.referral_date, self.today - timedelta(days=300))
            ind = self.s.exec(select(Indstilling).where(Indstilling.case_id == case_id)).one()
            decided_on = min(case.referral_date + timedelta(days=44), self.today)
            if cutoff is not None and self.today >= cutoff and decided_on >= cutoff:
                latest = cutoff - timedelta(days=5 + 11 * n)  # granted before the reform
                case.referral_date -= decided_on - latest
                decided_on = latest
            decided_on = _workday(decided_on)  # not on Christmas Day
            # The case number carries the year of the referral, moved back above.
            case.case_number = f"{case.referral_date.year}-{case_id:05d}"
            rule_set = self.rules.for_date(case.referral_date)
            case.rule_set = rule_set.key
            approved_on = decided_on - timedelta(days=14)
            approved_on -= timedelta(days=(approved_on.weekday() - 3) % 7)  # a Thursday
            while _workday(approved_on) != approved_on:  # no meeting on New Year's Day
                approved_on -= timedelta(days=7)
            self._held_at(case_id, ind, self._past_meeting(approved_on))
            # The LÆ 265 moves with the referral: never received after the approval it
            # was the basis of.
            for statement in self.s.exec(
                select(MedicalStatement).where(MedicalStatement.case_id == case_id)
            ):
                statement.requested_on = case.referral_date + timedelta(days=3)
                if statement.received_on is not None:
                    statement.received_on = case.referral_date + timedelta(days=14)
                self.s.add(statement)
            if n == 1:  # Ida's other course, close to its end: back to the team soon
                months = (self.today.year - decided_on.year) * 12 + self.today.month
                months -= decided_on.month - 1
                low, high = rule_set.ressourceforloeb_months
                ind.varighed_maaneder = max(low, min(high, months))
            ind.approved_at = datetime.combine(approved_on, time(11, 50)).astimezone()
            ind.sent_at = ind.approved_at
            if n < 2:
                ind.koordinerende_sagsbehandler_id = ida
            self.s.add(ind)
            case.status = CaseStatus.INDSTILLET.value
            self.s.add(case)
            self.s.flush()
            followed = n != 2
            decision = followup.record_decision(
                session=self.s,
                case_id=case_id,
                data=DecisionInput(
                    decided_on=decided_on,
                    followed=followed,
                    reasons=""
                    if followed
                    else "Borgeren er i gang med udredning i psykiatrien; kommunen ønsker "
                    "teamets vurdering, når den foreligger.",
                ),
                rulebook=self.rules,
                viewer=self._viewer(case.sagsbehandler_id),
            )
            if decision.forloeb_id is None:
                continue
            actor = self._viewer(ind.koordinerende_sagsbehandler_id or case.sagsbehandler_id)
            forloeb = self.s.get(Forloeb, decision.forloeb_id)
            assert forloeb is not None
            items = followup.get_forloeb(
                session=self.s,
                forloeb_id=forloeb.id or 0,
                rulebook=self.rules,
                viewer=actor,
                today=self.today,
            ).interventions
            if n == 0:
                continue  # nothing started: the 6-month flag once the deadline has passed
            profile = self.profiles[case_id]
            plans = [
                (InterventionStatus.I_GANG, 10, None),
                (InterventionStatus.GENNEMFOERT, 20, 70),
                (InterventionStatus.PLANLAGT, None, None),
            ]
            # Each intervention where the case's story places it.
            for item, (state, start, end), provider in zip(
                items, plans, profile.providers, strict=False
            ):
                started = forloeb.start_on + timedelta(days=start) if start is not None else None
                ended = forloeb.start_on + timedelta(days=end) if end is not None else None
                if (started and started > self.today) or (ended and ended > self.today):
                    continue
                followup.save_intervention(
                    session=self.s,
                    forloeb_id=forloeb.id or 0,
                    intervention_id=item.id,
                    expected_version=item.version,
                    data=CourseInterventionInput(
                        area=item.area,
                        indhold=item.indhold,
                        provider=provider,
                        planned_start=forloeb.start_on + timedelta(days=14),
                        actual_start=started,
                        actual_end=ended,
                        status=state,
                        outcome="Gennemført med fremmøde 9 af 10 gange." if ended else "",
                    ),
                    viewer=actor,
                )
            # The latest conversation: recent for Ida's courses, long ago (the next one now
            # overdue) for the others.
            recent = self.today - timedelta(days=40 if n < 2 else 100)
            talked = min(max(forloeb.start_on + timedelta(days=30), recent), self.today)
            followup.add_note(
                session=self.s,
                forloeb_id=forloeb.id or 0,
                data=NoteInput(
                    kind=NoteKind.SAMTALE,
                    noted_on=talked,
                    text=profile.note,
                    next_follow_up_on=talked + timedelta(days=90),
                ),
                viewer=actor,
            )
            if status is CaseStatus.AFSLUTTET:
                followup.end_forloeb(
                    session=self.s,
                    forloeb_id=forloeb.id or 0,
                    ended_on=min(forloeb.start_on + timedelta(days=120), self.today),
                    viewer=actor,
                )

    def _past_meeting(self, day: date) -> int:
        """The held meeting of `day` (one per day: two courses approved the same day were
        agreed at the same meeting)."""
        found = self.s.exec(select(Meeting.id).where(Meeting.date == day)).first()
        if found is not None:
            return found
        assert self.team_id is not None  # made first, in run()
        return self._meeting(self.team_id, day, MeetingStatus.AFHOLDT, sent=True)

    def _held_at(self, case_id: int, ind: Indstilling, meeting_id: int) -> None:
        """The case was treated at `meeting_id`: booked there, assessed there, and its
        indstilling agreed there (its document names that meeting's team)."""
        taken = self.s.exec(select(AgendaItem).where(AgendaItem.meeting_id == meeting_id)).all()
        self._book(meeting_id, case_id, len(taken), AgendaStatus.BEHANDLET)
        for assessment in self.s.exec(
            select(DisciplineAssessment).where(DisciplineAssessment.case_id == case_id)
        ):
            assessment.meeting_id = meeting_id
            self.s.add(assessment)
        ind.meeting_id = meeting_id

    def _viewer(self, staff_id: int | None) -> Viewer:
        """The demo's staff member acting through a service (the demo's people have no
        logins; their initials stand in)."""
        from rehabteam.models import StaffMember
        from rehabteam.services.identity import viewer_for

        member = self.s.get(StaffMember, staff_id)
        assert member is not None
        return viewer_for(self.s, member, member.login or member.initials)

    # --- building blocks -------------------------------------------------------------------

    def _monday(self, weeks: int) -> date:
        return self.today - timedelta(days=self.today.weekday()) + timedelta(weeks=weeks)

    def _years_ago(self, years: int) -> date:
        return self.today.replace(year=self.today.year - years) - timedelta(days=40)

    def _team(self) -> int:
        team_id = self._id(
            Team(
                name="Rehabiliteringsteamet (DEMO)",
                municipality="Demo Kommune",
                default_place="Rådhuset, mødelokale 2.14",
            )
        )
        for n, (name, initials, discipline, roles, title) in enumerate(STAFF):
            member = StaffMember(
                name=name,
                initials=initials,
                discipline=discipline.value,
                title=title,
                unit="Demo Kommune",
                phone=f"12 34 56 {n:02d}",
                email=f"{initials.lower()}@demo.invalid",
            )
            staff_id = self._id(member)
            self.staff[initials] = member
            for role in roles:
                self.s.add(StaffRoleLink(staff_id=staff_id, role=role.value))
            if initials in FIXED_MEMBERS:  # UU takes part as needed, not as a fixed member
                self.s.add(
                    TeamMember(team_id=team_id, staff_id=staff_id, discipline=discipline.value)
                )
        self.s.flush()
        return team_id

    def _meeting(self, team_id: int, day: date, status: MeetingStatus, *, sent: bool) -> int:
        meeting_id = self._id(
            Meeting(
                team_id=team_id,
                date=day,
                start_time=time(9, 0),
                # Last week's meeting had six cases booked: a slot for each.
                end_time=time(15, 0) if status is MeetingStatus.AFHOLDT else time(14, 0),
                place="Rådhuset, mødelokale 2.14",
                chair_id=self.staff["ML"].id,
                referent_id=self.staff["JB"].id,
                status=status.value,
                material_sent_at=datetime.combine(day - timedelta(days=8), time(10)).astimezone()
                if sent
                else None,
                material_sent_to="teamets faste medlemmer" if sent else "",
                closed_at=datetime.combine(day, time(13, 40)).astimezone()
                if status is MeetingStatus.AFHOLDT
                else None,
            )
        )
        held = status is MeetingStatus.AFHOLDT
        for initials in FIXED_MEMBERS:
            member = self.staff[initials]
            role = ParticipantRole.MOEDELEDER if initials == "ML" else ParticipantRole.MEDLEM
            self.s.add(
                MeetingParticipant(
                    meeting_id=meeting_id,
                    staff_id=member.id,
                    discipline=member.discipline,
                    role=role.value,
                    attended=True if held else None,
                )
            )
        self.s.add(
            MeetingParticipant(
                meeting_id=meeting_id,
                staff_id=self.staff["JB"].id,
                discipline=Discipline.BESKAEFTIGELSE.value,
                role=ParticipantRole.REFERENT.value,
                attended=True if held else None,
            )
        )
        if held:
            self.s.add(
                MeetingParticipant(
                    meeting_id=meeting_id,
                    staff_id=self.staff["BV"].id,
                    discipline=Discipline.UNDERVISNING.value,
                    role=ParticipantRole.MEDLEM.value,
                    attended=True,
                )
            )
        self.s.flush()
        return meeting_id

    def _citizen(
        self,
        first: str | None = None,
        last: str | None = None,
        gender: Gender | None = None,
        birth: date | None = None,
        *,
        educated: bool | None = None,
    ) -> Citizen:
        if first is None or last is None or gender is None:
            first, last, gender = random_person(self.rng)
        birth = birth or random_birth(self.rng, self.today, 25, 62)
        cpr = make_cpr(birth, gender, self.rng, self.taken)
        citizen = Citizen(
            cpr=cpr,
            first_name=first,
            last_name=last,
            search_name=search_name_for(first, last),
            birth_date=Cpr(cpr).birth_date,
            gender=gender.value,
            has_vocational_education=educated if educated is not None else self.rng.random() < 0.5,
            address=f"Demovej {self.rng.randrange(1, 120)}",
            postcode="9999",
            city="Demoby",
        )
        self._id(citizen)
        return citizen

    def _case(
        self,
        citizen: Citizen,
        status: CaseStatus,
        days_ago: int,
        case_type: CaseType | None = None,
        profile: Profile | None = None,
    ) -> int:
        if case_type is None:
            case_type = self.rng.choice(
                [CaseType.RESSOURCEFORLOEB] * 3
                + [CaseType.FLEKSJOB, CaseType.FOERTIDSPENSION, CaseType.NYT_JOBAFKLARINGSFORLOEB]
            )
            if not self.rules.for_date(self.today).allows_case_type(case_type, self.today):
                # No new ressourceforløb today: a new case is one of today's kinds instead
                # of one moved back a year (still in preparation after all that time).
                case_type = CaseType.FLEKSJOB if days_ago % 2 else CaseType.FOERTIDSPENSION
        referral = self.today - timedelta(days=days_ago)
        # A case type the rule set of its date does not allow (a new ressourceforløb after the
        # reform) was referred earlier: move the referral back until it is allowed.
        for _ in range(60):
            if self.rules.for_date(referral).allows_case_type(case_type):
                break
            referral -= timedelta(days=30)
        rule_set = self.rules.for_date(referral)
        age = self.today.year - citizen.birth_date.year
        case = Case(
            case_number=f"tmp-{citizen.cpr}",
            citizen_id=citizen.id,  # type: ignore[arg-type]
            case_type=case_type.value,
            referral_date=referral,
            rule_set=rule_set.key,
            sagsbehandler_id=self.rng.choice([self.staff["SK"], self.staff["AR"]]).id,
            team_id=self.team_id,
            status=status.value,
            without_vocational_education=citizen.has_vocational_education is False and age < 30,
            status_changed_on=self.today,
        )
        case_id = self._id(case)
        case.case_number = f"{referral.year}-{case_id:05d}"
        if profile is None:  # the next story of the case's type
            profile = profile_for(case_type.value, self.told[case_type.value])
            self.told[case_type.value] += 1
        self.profiles[case_id] = profile
        complete = status is not CaseStatus.FORBEREDELSE
        fields = rule_set.preparation.fields
        # A case in preparation always lacks at least one described field.
        filled = len(fields) if complete else self.rng.randrange(0, len(fields) - 2)
        for field in fields[:filled]:
            citizen_text, caseworker_text = profile.field_texts(field.key)
            self.s.add(
                PreparationField(
                    case_id=case_id,
                    field_key=field.key,
                    citizen_text=citizen_text,
                    caseworker_text=caseworker_text,
                )
            )
        received = complete or self.rng.random() < 0.3
        statement = MedicalStatement(
            case_id=case_id,
            requested_on=referral + timedelta(days=3),
            received_on=referral + timedelta(days=14) if received else None,
        )
        if received:
            for part, text in profile.lae265.items():
                setattr(statement, part, text)
        self.s.add(statement)
        self.s.flush()
        return case_id

    def _book(
        self,
        meeting_id: int,
        case_id: int,
        position: int,
        status: AgendaStatus = AgendaStatus.BOOKET,
        *,
        bisidder: str = "",
        reason: str = "",
    ) -> None:
        start = datetime.combine(self.today, time(9, 0)) + timedelta(minutes=60 * position)
        self.s.add(
            AgendaItem(
                meeting_id=meeting_id,
                case_id=case_id,
                position=position,
                start_time=start.time(),
                slot_minutes=60,
                status=status.value,
                status_reason=reason,
                bisidder=bisidder,
                citizen_present=True if status is AgendaStatus.BEHANDLET else None,
            )
        )
        self.s.flush()

    def _assess(self, case_id: int, meeting_id: int | None) -> None:
        for discipline, (vurdering, indsatser) in self.profiles[case_id].assessments.items():
            author = next(m for m in self.staff.values() if m.discipline == discipline)
            self.s.add(
                DisciplineAssessment(
                    case_id=case_id,
                    meeting_id=meeting_id,
                    discipline=discipline,
                    author_id=author.id,
                    given_by=author.name,
                    vurdering=vurdering,
                    anbefalede_indsatser=indsatser,
                )
            )
        self.s.flush()

    def _advice(self, case_id: int, *, given: date | None, requested_days: int = 14) -> None:
        """The sundhedskoordinator's advice where the case's rules ask for it (lov nr.
        1750/2025): requested two weeks before, given in writing (`given`), or still awaited
        (`given` None)."""
        from rehabteam.models import HealthAdvice
        from rehabteam.services.health_advice import required

        case = self.s.get(Case, case_id)
        assert case is not None
        if not required(case, self.rules):
            return
        day = given or self.today
        self.s.add(
            HealthAdvice(
                case_id=case_id,
                requested_on=day - timedelta(days=requested_days),
                given_on=given,
                form="skriftlig",
                # The advice of the case's own story (fleksjob or førtidspension).
                advice=self.profiles[case_id].advice if given else "",
                given_by=self.staff["HS"].name if given else "",
                recorded_by_id=self.staff["HS"].id,
            )
        )
        self.s.flush()

    def _indstilling(
        self,
        case_id: int,
        meeting_id: int | None,
        kind: IndstillingType,
        status: IndstillingStatus,
    ) -> None:
        approved = status is not IndstillingStatus.KLADDE
        # Approved at the end of its meeting (last week's), sent the same day.
        meeting = self.s.get(Meeting, meeting_id) if meeting_id is not None else None
        approved_at = (
            meeting.closed_at - timedelta(minutes=10)
            if meeting is not None and meeting.closed_at is not None
            else utcnow()
        )
        texts = self.profiles[case_id]
        assert texts.kind == kind.value, (case_id, texts.kind, kind)  # the story leads there
        resource = kind is IndstillingType.RESSOURCEFORLOEB
        pension = kind is IndstillingType.FOERTIDSPENSION
        coordinator = self.rng.choice([self.staff["IH"], self.staff["PN"]])
        ind_id = self._id(
            Indstilling(
                case_id=case_id,
                meeting_id=meeting_id,
                type=kind.value,
                status=status.value,
                begrundelse=texts.begrundelse,
                vurdering=texts.vurdering,
                maal=texts.maal if resource else "",
                varighed_maaneder=texts.months if resource else None,
                opfoelgning="Opfølgning hver 3. måned ved den koordinerende sagsbehandler."
                if resource
                else "",
                koordinerende_sagsbehandler_id=coordinator.id if resource else None,
                borgerens_bemaerkninger=texts.citizen,
                sundhedskoordinator_vurdering=texts.health,
                fp_beskaeftigelsesforhold="Ingen tilknytning til arbejdsmarkedet i 12 år; "
                "afprøvet i tre praktikker uden resultat."
                if pension
                else "",
                fp_sociale_forhold="Bor alene, begrænset netværk." if pension else "",
                fp_helbredsforhold="Svær, behandlingsresistent depression og kroniske smerter."
                if pension
                else "",
                fp_arbejdsevne_begrundelse="Arbejdsevnen er væsentligt og varigt nedsat; "
                "behandlingsmulighederne er udtømte, og heller ikke i fleksjob kan borgeren "
                "opnå tilknytning."
                if pension
                else "",
                fleksjob_begrundelse="Borgeren kan arbejde ca. 10 timer om ugen med skånehensyn."
                if kind is IndstillingType.FLEKSJOB
                else "",
                approved_by_id=self.staff["ML"].id if approved else None,
                approved_at=approved_at if approved else None,
                sent_at=approved_at if status is IndstillingStatus.SENDT else None,
            )
        )
        if approved and kind in (IndstillingType.FLEKSJOB, IndstillingType.FOERTIDSPENSION):
            self._advice(
                case_id, given=(meeting.date if meeting else self.today) - timedelta(days=5)
            )
        for n, (area, formaal, indhold, why) in enumerate(texts.interventions if resource else ()):
            self.s.add(
                IndstillingIntervention(
                    indstilling_id=ind_id,
                    area=InterventionArea(area).value,
                    position=n,
                    formaal=formaal,
                    indhold=indhold,
                    begrundelse=why,
                )
            )
        self.s.flush()


# Fixed-date days off (the moving holidays around Easter are not needed by the demo).
_DAYS_OFF = {(1, 1), (12, 24), (12, 25), (12, 26), (12, 31)}


def _workday(day: date) -> date:
    """`day`, or the last working day before it (no weekend, no Christmas, no New Year)."""
    while day.weekday() >= 5 or (day.month, day.day) in _DAYS_OFF:
        day -= timedelta(days=1)
    return day


def seed_demo(
    *, session: Session, rulebook: RuleBook, today: date | None = None, seed: int = 2026
) -> None:
    """Fill an empty database with the demo team. Refuses a database that holds data."""
    if session.exec(select(Citizen.id).limit(1)).first() is not None:
        from rehabteam.errors import InvalidInput
        from rehabteam.i18n import t

        raise InvalidInput(t("seed.demo_exists" if is_demo(session=session) else "seed.not_empty"))
    DemoSeeder(session, rulebook, today or clock.today(), seed).run()
