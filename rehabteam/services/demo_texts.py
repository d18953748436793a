"""Danish sample texts for the fictitious demo cases (all invented): a few citizen profiles,
each one story told from the preparation to the indstilling."""

from __future__ import annotations

from dataclasses import dataclass

# Hans Jørgensen's story (the first case of today's meeting): animals, anxiety, back pain.
PREPARATION = {
    "maal": (
        "Jeg vil gerne arbejde med dyr, måske på et internat eller en gård.",
        "Borgeren ønsker beskæftigelse inden for dyrepleje, evt. på nedsat tid til at begynde med.",
    ),
    "erfaringer": (
        "Jeg har været på lager i fem år og har passet heste som ung.",
        "Lagerarbejde 2008-2013. To praktikker (2023, 2024) afsluttet før tid. CV vedlagt.",
    ),
    "personlige_ressourcer": (
        "Min søster hjælper mig meget. Jeg går tur med hunden hver dag.",
        "Tæt kontakt til søster. Stabil bolig. Motiveret, når opgaverne giver mening for ham.",
    ),
    "udfordringer": (
        "Jeg bliver nervøs, når der er mange mennesker, og så går jeg hjem.",
        "Angst i sociale sammenhænge; fravær i begge praktikker. Økonomisk gæld.",
    ),
    "helbred": (
        "Ryggen gør ondt, når jeg står stille længe. Jeg sover dårligt.",
        "Kroniske lændesmerter; angst, i behandling hos egen læge. Søvnproblemer.",
    ),
    "undersoegelser": (
        "Jeg venter på at komme til psykolog.",
        "Henvist til psykolog via egen læge; venteliste ca. 3 måneder.",
    ),
    "forsoergelse": (
        "Jeg har fået kontanthjælp i mange år.",
        "Kontanthjælp siden 2014, sygedagpenge 2013-2014.",
    ),
    "hidtidig_indsats": (
        "Praktikkerne var for hårde, der var for meget larm.",
        "Virksomhedspraktik x2 uden mentorstøtte; afbrudt efter 3 og 5 uger. Vejledningsforløb.",
    ),
    "laegens_vurdering": (
        "",
        "LÆ 265 modtaget: se lægeattesten. Lægen anbefaler gradvis optrapning og mentorstøtte.",
    ),
}

LAE265 = {
    "helbredsforhold": "Kroniske lænderygsmerter siden 2019. Generaliseret angst, behandles.",
    "saerlige_hensyn": "Undgå tunge løft og lange perioder i stående stilling. Små grupper.",
    "borgerperspektiv": "Borgeren oplever selv, at angsten er den største hindring.",
    "andre_forhold": "Ingen.",
}

ASSESSMENTS = {
    "beskaeftigelse": (
        "Borgeren har ressourcer og en klar motivation for arbejde med dyr, men har brug for en "
        "langsom optrapning.",
        "Mentor; virksomhedspraktik på dyreinternat efter 3 måneder, 10 timer om ugen.",
    ),
    "sundhed": (
        "Rygsmerterne kan håndteres med træning og hensyn i jobbet.",
        "Genoptræning/holdtræning for ryg, 12 uger.",
    ),
    "social": (
        "Gæld og angst fylder meget i hverdagen. Netværket (søster) er en styrke.",
        "Gældsrådgivning; kontakt til socialpsykiatriens angstforløb.",
    ),
    "sundhedskoordinator": (
        "Helbredsmæssigt er der ikke noget til hinder for en gradvis tilbagevenden til arbejde; "
        "angsten er behandlelig og bør behandles sideløbende.",
        "Angstkursus (kognitiv gruppe); fortsat behandling hos egen læge.",
    ),
    "undervisning": (
        "Borgeren har ingen erhvervsuddannelse; der er muligheder inden for dyrepasseruddannelsen.",
        "Uddannelsesvejledning (UU) om dyrepasseruddannelsen.",
    ),
}


@dataclass(frozen=True)
class Profile:
    """One fictitious citizen's story, told the same way from the preparation to the
    indstilling: the preparation (the citizen's words, the caseworker's), the LÆ 265, the
    disciplines' assessments (vurdering, anbefalede indsatser) and the indstilling of the
    outcome it leads to (`kind`). For a ressourceforløb also its goal, duration and
    interventions (area, formål, indhold, why), where they take place (`providers`, in the
    same order) and the coordinator's latest note. Written without gendered pronouns and
    without ages, as a profile is handed to citizens of either gender and any age."""

    kind: str  # the IndstillingType value the story leads to
    case_types: tuple[str, ...]  # the CaseType values the story fits
    preparation: dict[str, tuple[str, str]]
    lae265: dict[str, str]
    assessments: dict[str, tuple[str, str]]
    begrundelse: str
    vurdering: str
    citizen: str
    maal: str = ""
    months: int | None = None
    interventions: tuple[tuple[str, str, str, str], ...] = ()
    providers: tuple[str, ...] = ()
    note: str = ""
    advice: str = ""

    @property
    def health(self) -> str:
        """The sundhedskoordinator's part of the indstilling: the coordinator's assessment."""
        return self.assessments["sundhedskoordinator"][0]

    def field_texts(self, key: str) -> tuple[str, str]:
        """(the citizen's words, the caseworker's) for a preparation field: the samlet
        beskrivelse (from 2026) joins experience and personal resources in one field and
        holds the sundhedskoordinator's advice (or, before it is given, the assessment)."""
        if key in self.preparation:
            return self.preparation[key]
        if key == "ressourcer":
            parts = [
                self.preparation.get(k, ("", "")) for k in ("erfaringer", "personlige_ressourcer")
            ]
            citizen = " ".join(words for words, _ in parts if words)
            return citizen, " ".join(text for _, text in parts if text)
        if key == "sundhedsfaglig_raadgivning":
            return "", self.advice or self.health
        return "", "Beskrevet."


HANS = Profile(
    kind="ressourceforloeb",
    case_types=("ressourceforloeb",),
    preparation=PREPARATION,
    lae265=LAE265,
    assessments=ASSESSMENTS,
    begrundelse="Teamet vurderer, at borgeren har brug for en længerevarende, "
    "helhedsorienteret indsats for at udvikle sin arbejdsevne.",
    vurdering="Borgeren har ressourcer og motivation; helbred og angst kræver en gradvis "
    "optrapning med mentorstøtte.",
    citizen="Borgeren er enig i planen og glæder sig til praktikken med dyr, men er "
    "nervøs for at møde mange nye mennesker.",
    maal="Tilknytning til arbejdsmarkedet inden for dyrepleje, min. 15 timer/uge.",
    months=24,
    interventions=(
        (
            "mentor",
            "Støtte i overgangen til praktik",
            "Mentor 2 timer om ugen",
            "To praktikker uden mentor blev afbrudt; en fast mentor skal hjælpe borgeren "
            "igennem de første uger.",
        ),
        (
            "sundhed",
            "Håndtere angst og rygsmerter",
            "Angstkursus (kognitiv gruppe), 10 gange, og holdtræning for ryg, 12 uger",
            "Angsten er den største hindring (LÆ 265), og sundhedskoordinatoren vurderer, at "
            "den kan behandles; træningen gør det muligt at stå op i længere tid.",
        ),
        (
            "beskaeftigelse",
            "Afprøve arbejde med dyr",
            "Praktik på dyreinternat efter 3 måneder, 10 timer om ugen",
            "Borgeren er motiveret for arbejde med dyr; praktikken afprøver arbejdsevnen "
            "med få timer og små grupper.",
        ),
    ),
    providers=("Mentorforløb hos Jobværkstedet", "Kursus i Sundhedshuset", "Dyreinternatet Nord"),
    note="Borgeren trives med mentoren; praktikken planlægges, når angstkurset er afsluttet.",
)

# ADHD and dyslexia, many short jobs, wants to cook in a large kitchen.
KITCHEN = Profile(
    kind="ressourceforloeb",
    case_types=("ressourceforloeb",),
    preparation={
        "maal": (
            "Jeg vil gerne lave mad. Helst i et stort køkken, hvor der er faste opgaver.",
            "Borgeren ønsker job i et storkøkken eller en kantine med faste arbejdstider.",
        ),
        "erfaringer": (
            "Jeg har haft mange job i køkkener og med rengøring, men aldrig ret længe.",
            "Flere korte ansættelser i køkken og rengøring, de fleste under et halvt år. "
            "CV vedlagt.",
        ),
        "personlige_ressourcer": (
            "Jeg er god til at lave mad, og jeg cykler meget. Min bror og jeg ses hver uge.",
            "Glad for praktisk arbejde og lærer hurtigt ved at se andre gøre det. God kontakt "
            "til sin bror.",
        ),
        "udfordringer": (
            "Jeg glemmer aftaler, og jeg har svært ved at læse det, der står på papir.",
            "ADHD og ordblindhed. Mister overblikket ved mange opgaver på én gang. Bor "
            "midlertidigt hos en ven og venter på egen bolig.",
        ),
        "helbred": (
            "Medicinen hjælper lidt. Jeg kan bedre koncentrere mig nu.",
            "ADHD, diagnosticeret for to år siden; medicinen justeres hos psykiater. Ingen "
            "fysiske begrænsninger.",
        ),
        "undersoegelser": (
            "Jeg skal til kontrol hos psykiateren hver tredje måned.",
            "Medicinsk behandling hos privatpraktiserende psykiater. Ordblindetest i "
            "jobcentret: ordblind.",
        ),
        "forsoergelse": (
            "Jeg har fået kontanthjælp, når jeg ikke havde arbejde.",
            "Kontanthjælp skiftevis med korte ansættelser; uden afbrydelse de seneste tre år.",
        ),
        "hidtidig_indsats": (
            "I praktikken fik jeg for mange beskeder på én gang.",
            "Virksomhedspraktik i et køkken afbrudt efter 4 uger, uden støtte til struktur. "
            "Ordblindetest.",
        ),
        "laegens_vurdering": (
            "",
            "LÆ 265 modtaget: se lægeattesten. Lægen anbefaler faste rammer, en mentor og "
            "ordblindeundervisning.",
        ),
    },
    lae265={
        "helbredsforhold": "ADHD, diagnosticeret i voksenalderen; i medicinsk behandling hos "
        "psykiater. Ordblindhed.",
        "saerlige_hensyn": "Faste rammer og én opgave ad gangen. Mundtlige eller viste "
        "instruktioner frem for skriftlige.",
        "borgerperspektiv": "Borgeren ønsker at arbejde og oplever selv, at struktur er det "
        "vigtigste.",
        "andre_forhold": "Midlertidig bolig.",
    },
    assessments={
        "beskaeftigelse": (
            "Borgeren har erfaring fra køkken og en klar motivation, men har ikke kunnet holde "
            "fast i et job uden støtte til struktur.",
            "Mentor; virksomhedspraktik i en kantine, 12 timer om ugen, med optrapning.",
        ),
        "sundhed": (
            "Der er ingen fysiske begrænsninger. Faste rutiner for søvn og måltider støtter "
            "behandlingen.",
            "Forløb om søvn og rutiner i Sundhedshuset, 6 gange.",
        ),
        "social": (
            "Den midlertidige bolig gør hverdagen uforudsigelig. Broren er en støtte.",
            "Hjælp til at søge bolig ved den boligsociale medarbejder.",
        ),
        "sundhedskoordinator": (
            "ADHD er i medicinsk behandling, og effekten er begyndt at vise sig. Helbredet er "
            "ikke til hinder for arbejde med faste rammer.",
            "Fortsat behandling hos psykiater.",
        ),
        "undervisning": (
            "Ordblindheden står i vejen for både job og uddannelse. Borgeren har ret til "
            "ordblindeundervisning for voksne.",
            "Ordblindeundervisning (OBU); senere et AMU-kursus i hygiejne.",
        ),
    },
    begrundelse="Teamet vurderer, at borgeren har brug for en længerevarende og koordineret "
    "indsats. ADHD, ordblindhed og en usikker bolig skal håndteres samtidig, før et job kan "
    "holdes.",
    vurdering="Borgeren har erfaring fra køkken og er motiveret. Med struktur, mentorstøtte og "
    "ordblindeundervisning kan arbejdsevnen udvikles.",
    citizen="Borgeren er enig i planen og vil gerne i gang. Borgeren ønsker, at mentoren også "
    "hjælper med at holde styr på aftaler.",
    maal="Job i et storkøkken eller en kantine, mindst 20 timer om ugen.",
    months=18,
    interventions=(
        (
            "mentor",
            "Struktur i hverdagen og på arbejdspladsen",
            "Mentor 3 timer om ugen",
            "ADHD gør det svært at holde styr på aftaler og mødetider; de korte ansættelser "
            "endte ofte med fravær.",
        ),
        (
            "uddannelse",
            "Blive bedre til at læse og skrive",
            "Ordblindeundervisning (OBU), 2 gange om ugen i 10 uger",
            "Borgeren har svært ved at læse arbejdssedler og opskrifter; det har kostet flere job.",
        ),
        (
            "beskaeftigelse",
            "Afprøve arbejde i et storkøkken",
            "Praktik i en kantine, 12 timer om ugen, med optrapning",
            "Borgeren har erfaring fra køkken og er motiveret; praktikken viser, hvor mange "
            "timer borgeren kan klare stabilt.",
        ),
    ),
    providers=("Jobcentrets mentorkorps", "VUC Demoby", "Kantinen på Demo Rådhus"),
    note="Borgeren kommer stabilt til mentormøderne; praktikken i kantinen planlægges, når "
    "ordblindeundervisningen er afsluttet.",
)

# Home care worker, depression after long stress and neck pain; came off sygedagpenge into
# a jobafklaringsforløb and needs a new, calmer job with older people.
CARE = Profile(
    kind="ressourceforloeb",
    case_types=(
        "ressourceforloeb",
        "jobafklaring_indsats",
        "nyt_jobafklaringsforloeb",
        "sygedagpenge_kat3",
    ),
    preparation={
        "maal": (
            "Jeg vil gerne arbejde med ældre igen, men ikke i hjemmeplejen med travlhed og "
            "tunge løft.",
            "Borgeren ønsker arbejde med ældre i en rolig funktion, gerne som "
            "aktivitetsmedarbejder på et plejecenter.",
        ),
        "erfaringer": (
            "Jeg har arbejdet i hjemmeplejen i flere år. Jeg er god til at tale med de ældre.",
            "Ansat i hjemmeplejen i flere år, indtil sygemeldingen. Gode udtalelser fra "
            "arbejdsgiveren. CV vedlagt.",
        ),
        "personlige_ressourcer": (
            "Min familie bor tæt på, og jeg synger i et kor.",
            "Godt netværk i familien. Omsorgsfuld og stabil, når belastningen passer.",
        ),
        "udfordringer": (
            "Jeg bliver hurtigt stresset og glemmer ting. Så får jeg ondt i nakken.",
            "Nedsat overskud og koncentration efter en lang sygemelding. Kan ikke vende "
            "tilbage til hjemmeplejen; ansættelsen er ophørt.",
        ),
        "helbred": (
            "Jeg har det bedre end for et år siden, men jeg er ikke rask.",
            "Moderat depression efter længerevarende stress, i bedring med medicin og samtaler. "
            "Kroniske smerter i nakke og skuldre.",
        ),
        "undersoegelser": (
            "Jeg går til psykolog, og jeg venter på et smertehold.",
            "Psykologsamtaler via egen læge. Henvist til smertehold i Sundhedshuset.",
        ),
        "forsoergelse": (
            "Jeg fik sygedagpenge, indtil de stoppede.",
            "Sygedagpenge i den fulde periode, derefter jobafklaringsforløb.",
        ),
        "hidtidig_indsats": (
            "Jeg prøvede at starte på arbejdet igen, men det var for meget.",
            "Delvis raskmelding i hjemmeplejen, afbrudt efter 6 uger. Psykologhjælp i "
            "jobafklaringsforløbet; arbejdsevnen er endnu ikke afklaret.",
        ),
        "laegens_vurdering": (
            "",
            "LÆ 265 modtaget: se lægeattesten. Lægen vurderer, at borgeren kan arbejde få timer "
            "i en rolig funktion, og at bedringen fortsætter.",
        ),
    },
    lae265={
        "helbredsforhold": "Moderat depression efter længerevarende stress, i bedring. "
        "Kroniske smerter i nakke og skuldre.",
        "saerlige_hensyn": "Få timer til at begynde med. Rolige rammer og ingen tunge "
        "forflytninger.",
        "borgerperspektiv": "Borgeren ønsker at arbejde med mennesker igen, men er bange for "
        "at blive syg igen.",
        "andre_forhold": "Ingen.",
    },
    assessments={
        "beskaeftigelse": (
            "Borgeren har erfaring og gode udtalelser fra omsorgsarbejde. Et nyt arbejdsområde "
            "i samme branche er realistisk.",
            "Praktik som aktivitetsmedarbejder på et plejecenter, 8 timer om ugen, med optrapning.",
        ),
        "sundhed": (
            "Smerterne i nakke og skuldre bliver værre ved stress og tunge forflytninger. De "
            "kan lindres med træning.",
            "Smertehold i Sundhedshuset, 8 gange.",
        ),
        "social": (
            "Familien er en stor støtte. Økonomien er presset efter sygemeldingen, men stabil.",
            "Budgetrådgivning, hvis borgeren ønsker det.",
        ),
        "sundhedskoordinator": (
            "Depressionen er i bedring, og der er fortsat behandlingsmuligheder. Helbredet er "
            "ikke til hinder for arbejde i en rolig funktion med få timer.",
            "Fortsatte psykologsamtaler; smertehold.",
        ),
        "undervisning": (
            "Borgeren har erfaring fra omsorgsområdet. Et AMU-kursus om aktiviteter for ældre "
            "kan styrke mulighederne for job.",
            "AMU-kursus om aktiviteter og trivsel for ældre.",
        ),
    },
    begrundelse="Teamet vurderer, at borgeren har brug for en længerevarende indsats for at "
    "finde et nyt arbejdsområde. Depressionen er i bedring, men borgeren kan ikke vende "
    "tilbage til hjemmeplejen.",
    vurdering="Borgeren har erfaring og gode udtalelser fra omsorgsarbejde. Med fortsat "
    "behandling og en praktik i en rolig funktion kan arbejdsevnen udvikles.",
    citizen="Borgeren er enig i planen og vil gerne arbejde med ældre igen. Borgeren er "
    "bekymret for at få for mange timer for hurtigt.",
    maal="Job som aktivitetsmedarbejder i ældreplejen, mindst 15 timer om ugen.",
    months=24,
    interventions=(
        (
            "sundhed",
            "Få mere overskud og færre smerter",
            "Psykologsamtaler hver 14. dag og smertehold i Sundhedshuset, 8 gange",
            "Depressionen er i bedring, og sundhedskoordinatoren vurderer, at fortsat "
            "behandling kan give mere overskud.",
        ),
        (
            "uddannelse",
            "Klæde borgeren på til en ny funktion",
            "AMU-kursus om aktiviteter og trivsel for ældre, 3 uger",
            "Borgeren kan ikke vende tilbage til hjemmeplejen; kurset giver adgang til et "
            "roligere arbejde i samme branche.",
        ),
        (
            "beskaeftigelse",
            "Afprøve arbejde som aktivitetsmedarbejder",
            "Praktik på et plejecenter, 8 timer om ugen, med optrapning",
            "Borgeren er motiveret for arbejde med ældre; praktikken afprøver arbejdsevnen med "
            "få timer og rolige rammer.",
        ),
    ),
    providers=("Psykologerne i Demoby", "AMU Demoby", "Plejecenter Solbakken"),
    note="Borgeren har fået mere overskud og har gennemført AMU-kurset; praktikken på "
    "plejecentret planlægges med få timer.",
)

# Sober for a year after alcohol dependency, in treatment; wants to work outdoors.
OUTDOORS = Profile(
    kind="ressourceforloeb",
    case_types=("ressourceforloeb",),
    preparation={
        "maal": (
            "Jeg vil gerne arbejde udendørs, med planter eller i en park.",
            "Borgeren ønsker arbejde med grønne områder, gerne i kommunens park- og vejafdeling.",
        ),
        "erfaringer": (
            "Jeg har kørt varebil og hjulpet en anlægsgartner om sommeren.",
            "Erfaring som chauffør og sæsonarbejde hos en anlægsgartner. Intet arbejde i de "
            "seneste år. CV vedlagt.",
        ),
        "personlige_ressourcer": (
            "Jeg har en god ven fra AA, som jeg ringer til, når det er svært.",
            "Ædru i et år med støtte fra alkoholbehandlingen og AA. Praktisk anlagt og glad "
            "for fysisk arbejde.",
        ),
        "udfordringer": (
            "Jeg er bange for at begynde at drikke igen, hvis jeg får for meget at lave.",
            "Risiko for tilbagefald ved pres. Lille netværk og en del ensomhed. Stram økonomi.",
        ),
        "helbred": (
            "Jeg har det bedre, siden jeg holdt op med at drikke. Men jeg bliver hurtigt træt.",
            "Alkoholafhængighed, ædru i 12 måneder. Blodprøverne er nu normale. Træthed og "
            "nedsat kondition.",
        ),
        "undersoegelser": (
            "Jeg går til samtaler i alkoholbehandlingen hver anden uge.",
            "Ambulant alkoholbehandling (sundhedsloven § 141), samtaler hver 14. dag.",
        ),
        "forsoergelse": (
            "Jeg har fået kontanthjælp, siden jeg mistede mit job.",
            "Kontanthjælp siden opsigelsen som chauffør; forinden ordinær beskæftigelse.",
        ),
        "hidtidig_indsats": (
            "Jeg var i praktik, før jeg holdt op med at drikke. Det gik ikke.",
            "Virksomhedspraktik afbrudt på grund af alkohol, før behandlingen begyndte. Siden "
            "da kun behandlingen.",
        ),
        "laegens_vurdering": (
            "",
            "LÆ 265 modtaget: se lægeattesten. Lægen anbefaler en langsom optrapning og fortsat "
            "alkoholbehandling.",
        ),
    },
    lae265={
        "helbredsforhold": "Alkoholafhængighed, ædru i 12 måneder og i ambulant behandling. "
        "Træthed og nedsat kondition.",
        "saerlige_hensyn": "Langsom optrapning af timerne. Faste arbejdstider og ikke natarbejde.",
        "borgerperspektiv": "Borgeren er motiveret og ser arbejde som en hjælp til at forblive "
        "ædru.",
        "andre_forhold": "Ingen.",
    },
    assessments={
        "beskaeftigelse": (
            "Borgeren har erfaring med praktisk og fysisk arbejde og er motiveret. Arbejdsevnen "
            "skal afprøves med få timer til at begynde med.",
            "Mentor; praktik i Park og Vej, 10 timer om ugen, med optrapning.",
        ),
        "sundhed": (
            "Konditionen er nedsat efter en lang periode uden aktivitet. Den kan forbedres med "
            "træning.",
            "Holdtræning i Sundhedshuset, 12 uger.",
        ),
        "social": (
            "Borgeren er sårbar over for tilbagefald og har et lille netværk. Ædrueligheden er "
            "en stor ressource.",
            "Fortsat alkoholbehandling; gruppeforløb om at forebygge tilbagefald.",
        ),
        "sundhedskoordinator": (
            "Helbredet er ikke til hinder for arbejde med en langsom optrapning. Den fortsatte "
            "alkoholbehandling er en forudsætning.",
            "Fortsat ambulant alkoholbehandling.",
        ),
        "undervisning": (
            "Uddannelse er ikke aktuel nu. Et AMU-kursus i grøn pleje kan blive relevant senere.",
            "AMU-kursus i grøn pleje, når praktikken er i gang.",
        ),
    },
    begrundelse="Teamet vurderer, at borgeren har brug for en længerevarende indsats, hvor "
    "arbejde og alkoholbehandling hænger sammen. Ædrueligheden er ny og skal støttes, mens "
    "arbejdsevnen afprøves.",
    vurdering="Borgeren er motiveret og har erfaring med praktisk arbejde. Med en langsom "
    "optrapning og fortsat behandling kan borgeren nærme sig arbejdsmarkedet.",
    citizen="Borgeren er enig i planen og glad for at skulle arbejde udendørs. Borgeren vil "
    "gerne begynde med få timer.",
    maal="Job med pleje af grønne områder, mindst 20 timer om ugen.",
    months=30,
    interventions=(
        (
            "mentor",
            "Støtte til en fast hverdag og til praktikken",
            "Mentor 2 timer om ugen i de første 6 måneder",
            "Borgeren har været uden arbejde længe; en mentor skal hjælpe med at holde rytmen "
            "og tage de første skridt på arbejdspladsen.",
        ),
        (
            "social",
            "Forebygge tilbagefald",
            "Gruppeforløb om at forebygge tilbagefald, 8 gange, ved siden af behandlingen",
            "Borgeren er ædru, men sårbar over for pres; ædrueligheden er en forudsætning for, "
            "at arbejdet kan lykkes.",
        ),
        (
            "beskaeftigelse",
            "Afprøve udendørs arbejde",
            "Praktik i Park og Vej, 10 timer om ugen, med optrapning til 20 timer",
            "Borgeren har erfaring med fysisk arbejde og ønsker at arbejde udendørs; "
            "praktikken viser, hvor mange timer borgeren kan klare.",
        ),
    ),
    providers=("Mentorforløb hos Jobværkstedet", "Alkoholbehandlingen Demoby", "Park og Vej"),
    note="Borgeren er fortsat ædru og møder stabilt op; praktikken i Park og Vej begynder, når "
    "gruppeforløbet er afsluttet.",
)

# Years in farming, operated twice for a slipped disc; works steadily 10 hours a week.
FLEKSJOB = Profile(
    kind="fleksjob",
    case_types=("fleksjob",),
    preparation={
        "maal": (
            "Jeg vil gerne arbejde med dyr igen, men ikke fuld tid. Det kan ryggen ikke klare.",
            "Borgeren ønsker et job med dyr på nedsat tid, gerne på et dyreinternat.",
        ),
        "erfaringer": (
            "Jeg har arbejdet i svinestalde og på en kvægfarm.",
            "Landbrugsmedhjælper i flere år, stoppede efter en diskusprolaps. To praktikker på "
            "dyreinternat. CV vedlagt.",
        ),
        "personlige_ressourcer": (
            "Min søster bor tæt på og hjælper mig meget. Jeg er god til dyr.",
            "Tæt kontakt til søster. Møder til tiden og var vellidt i begge praktikker.",
        ),
        "udfordringer": (
            "Jeg kan ikke løfte, og jeg skal holde pauser. Efter et par timer gør det ondt.",
            "Varige skånebehov: ingen tunge løft og mulighed for pauser. Gæld, som er under "
            "afvikling.",
        ),
        "helbred": (
            "Ryggen bliver ikke bedre. Jeg har lært at leve med det.",
            "Diskusprolaps i lænden, opereret to gange. Kroniske smerter med udstråling til "
            "benet. Afsluttet på sygehuset.",
        ),
        "undersoegelser": (
            "Jeg går til træning én gang om ugen.",
            "Ingen igangværende udredning. Vedligeholdende træning hos fysioterapeut.",
        ),
        "forsoergelse": (
            "Jeg fik sygedagpenge, efter jeg blev opereret. Nu får jeg kontanthjælp.",
            "Sygedagpenge efter den første operation, derefter kontanthjælp.",
        ),
        "hidtidig_indsats": (
            "Praktikkerne på internatet gik godt, når jeg havde få timer.",
            "To virksomhedspraktikker på dyreinternat, 10 timer om ugen, med stabilt fremmøde. "
            "Forsøg med 15 timer gav fravær.",
        ),
        "laegens_vurdering": (
            "",
            "LÆ 265 modtaget: se lægeattesten. Lægen vurderer, at skånehensynene er varige, og "
            "at arbejde på få timer er realistisk.",
        ),
    },
    lae265={
        "helbredsforhold": "Diskusprolaps i lænden, opereret to gange. Kroniske smerter. "
        "Tilstanden er stationær.",
        "saerlige_hensyn": "Ingen tunge løft. Mulighed for pauser og for at skifte mellem at stå "
        "og gå. Korte arbejdsdage.",
        "borgerperspektiv": "Borgeren ønsker at arbejde og har accepteret, at det må være på "
        "nedsat tid.",
        "andre_forhold": "Ingen.",
    },
    assessments={
        "beskaeftigelse": (
            "I to praktikker har borgeren arbejdet stabilt 10 timer om ugen med pauser; "
            "flere timer gav fravær.",
            "Mentor i de første måneder af fleksjobbet.",
        ),
        "sundhed": (
            "Rygsmerterne kræver varige skånehensyn: ingen tunge løft og mulighed for pauser.",
            "Holdtræning for ryg sideløbende med jobbet.",
        ),
        "social": ("Gælden er under afvikling; søsteren er en stor støtte.", ""),
        "sundhedskoordinator": (
            "Helbredsforholdene er afklarede. Skånehensynene (ingen tunge løft, pauser, "
            "korte arbejdsdage) er varige.",
            "",
        ),
        "undervisning": ("Uddannelse er ikke aktuel for borgeren nu.", ""),
    },
    begrundelse="Arbejdsevnen er varigt og væsentligt nedsat, men borgeren kan arbejde på "
    "nedsat tid med skånehensyn; det er afprøvet i to praktikker.",
    vurdering="Borgeren kan arbejde ca. 10 timer om ugen med pauser og uden tunge løft.",
    citizen="Borgeren er enig i anbefalingen om fleksjob og ønsker et job med dyr, gerne på "
    "et dyreinternat.",
    advice="Helbredet er afklaret: varige skånehensyn (korte arbejdsdage, ingen tunge løft). "
    "Arbejdsevnen er nedsat til ca. 10 timer om ugen, som beskrevet i LÆ 265.",
)

# Severe, recurrent depression and chronic pain; lives alone; three internships failed.
PENSION = Profile(
    kind="foertidspension",
    case_types=("foertidspension",),
    preparation={
        "maal": (
            "Jeg ønsker ro, så jeg kan passe på mig selv. Jeg kan ikke se, hvordan jeg skal "
            "kunne arbejde.",
            "Borgeren ønsker en stabil hverdag og ser ikke selv arbejde som realistisk.",
        ),
        "erfaringer": (
            "Jeg har arbejdet i en butik og med rengøring, men det er længe siden.",
            "Kortere ansættelser i detailhandel og rengøring. Ingen ordinær beskæftigelse i de "
            "senere år.",
        ),
        "personlige_ressourcer": (
            "Jeg har en nabo, som jeg snakker med. Jeg kan godt lide at læse.",
            "Lille netværk: en nabo og en tidligere kollega. Klarer hjemmet med hjælp.",
        ),
        "udfordringer": (
            "Nogle dage kan jeg ikke komme ud af sengen.",
            "Bor alene. Depressionen og smerterne begrænser de fleste daglige gøremål. Har "
            "svært ved at holde aftaler.",
        ),
        "helbred": (
            "Jeg har ondt hele tiden, og jeg er meget træt.",
            "Svær, tilbagevendende depression. Kroniske smerter i muskler og led. Behandlet "
            "gennem mange år uden varig bedring.",
        ),
        "undersoegelser": (
            "Jeg går til psykiater og tager min medicin.",
            "Fast behandling i psykiatrien og hos egen læge. Ingen nye behandlingsmuligheder "
            "ifølge psykiateren.",
        ),
        "forsoergelse": (
            "Jeg har været på kontanthjælp længe.",
            "Kontanthjælp i en længere periode, kun afbrudt af korte ansættelser.",
        ),
        "hidtidig_indsats": (
            "Jeg har prøvet praktik tre gange. Jeg blev syg hver gang.",
            "Tre virksomhedspraktikker med få timer og mentorstøtte, alle afbrudt på grund af "
            "helbredet. Smerteklinik og psykologforløb.",
        ),
        "laegens_vurdering": (
            "",
            "LÆ 265 modtaget: se lægeattesten. Lægen vurderer, at arbejdsevnen er varigt "
            "nedsat, og at behandlingen er udtømt.",
        ),
    },
    lae265={
        "helbredsforhold": "Svær, tilbagevendende depression. Kroniske smerter i muskler og "
        "led. Behandlet gennem mange år.",
        "saerlige_hensyn": "Tåler ikke fysisk eller psykisk belastning over tid. Kan ikke "
        "overholde faste mødetider.",
        "borgerperspektiv": "Borgeren oplever ikke at kunne arbejde, heller ikke få timer om ugen.",
        "andre_forhold": "Bor alene. Lille netværk.",
    },
    assessments={
        "beskaeftigelse": (
            "Tre praktikker med få timer og støtte er afbrudt på grund af helbredet; "
            "borgeren har ikke kunnet arbejde, heller ikke få timer om ugen.",
            "",
        ),
        "sundhed": (
            "Smerterne og depressionen begrænser borgeren i de fleste daglige gøremål; "
            "træning har ikke givet bedring.",
            "",
        ),
        "social": (
            "Borgeren bor alene og har et lille netværk; hverdagen er svær at få til at "
            "hænge sammen.",
            "Socialpædagogisk støtte i hjemmet (serviceloven § 85).",
        ),
        "sundhedskoordinator": (
            "Depressionen og smerterne er behandlet i mange år uden varig bedring; der er "
            "ingen behandling tilbage, som kan forbedre arbejdsevnen.",
            "",
        ),
        "undervisning": ("Uddannelse er ikke realistisk på grund af helbredet.", ""),
    },
    begrundelse="Alle relevante indsatser er afprøvet; arbejdsevnen er så varigt nedsat, "
    "at borgeren ikke kan forsørge sig selv, heller ikke i et fleksjob.",
    vurdering="Helbredet er afklaret, og behandlingsmulighederne er udtømte; borgerens "
    "ressourcer rækker ikke til arbejde, heller ikke få timer om ugen.",
    citizen="Borgeren er enig i anbefalingen om førtidspension og ønsker ro til at passe "
    "sit helbred.",
    advice="Helbredet er afklaret: svær depression og kroniske smerter, behandlet uden "
    "varig bedring. Arbejdsevnen er varigt nedsat, som beskrevet i LÆ 265.",
)

PROFILES: tuple[Profile, ...] = (HANS, KITCHEN, CARE, OUTDOORS, FLEKSJOB, PENSION)


def profile_for(case_type: str, n: int) -> Profile:
    """The story of the demo's `n`-th case of `case_type` (counted from 0): the profiles that
    fit the type, in turn, so that cases seeded one after another read differently. A type
    no profile names (a genforelæggelse) gets a ressourceforløb story. Hans Jørgensen's story
    is his own: the demo gives it to him by name, never in turn."""
    fitting = [p for p in PROFILES if p is not HANS and case_type in p.case_types]
    if not fitting:
        fitting = [p for p in PROFILES if p is not HANS and p.kind == "ressourceforloeb"]
    return fitting[n % len(fitting)]
