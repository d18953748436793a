"""Danish sample texts for the fictitious demo cases (all invented)."""

from __future__ import annotations

from dataclasses import dataclass

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
class KindTexts:
    """The texts of one kind of demo indstilling: its begrundelse and vurdering, the
    disciplines' assessments, the sundhedskoordinator's part, the citizen's remarks and the
    interventions (area, formål, indhold, why), each of its own kind."""

    begrundelse: str
    vurdering: str
    citizen: str
    health: str
    assessments: dict[str, tuple[str, str]]
    interventions: tuple[tuple[str, str, str, str], ...] = ()
    advice: str = ""


KINDS: dict[str, KindTexts] = {
    "ressourceforloeb": KindTexts(
        begrundelse="Teamet vurderer, at borgeren har brug for en længerevarende, "
        "helhedsorienteret indsats for at udvikle sin arbejdsevne.",
        vurdering="Borgeren har ressourcer og motivation; helbred og angst kræver en gradvis "
        "optrapning med mentorstøtte.",
        citizen="Borgeren er enig i planen og glæder sig til praktikken med dyr, men er "
        "nervøs for at møde mange nye mennesker.",
        health=ASSESSMENTS["sundhedskoordinator"][0],
        assessments=ASSESSMENTS,
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
    ),
    "fleksjob": KindTexts(
        begrundelse="Arbejdsevnen er varigt og væsentligt nedsat, men borgeren kan arbejde på "
        "nedsat tid med skånehensyn; det er afprøvet i to praktikker.",
        vurdering="Borgeren kan arbejde ca. 10 timer om ugen med pauser og uden tunge løft.",
        citizen="Borgeren er enig i anbefalingen om fleksjob og ønsker et job med dyr, gerne på "
        "et dyreinternat.",
        health="Helbredsforholdene er afklarede. Skånehensynene (ingen tunge løft, pauser, "
        "korte arbejdsdage) er varige.",
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
        advice="Helbredet er afklaret: varige skånehensyn (korte arbejdsdage, ingen tunge løft). "
        "Arbejdsevnen er nedsat til ca. 10 timer om ugen, som beskrevet i LÆ 265.",
    ),
    "foertidspension": KindTexts(
        begrundelse="Alle relevante indsatser er afprøvet; arbejdsevnen er så varigt nedsat, "
        "at borgeren ikke kan forsørge sig selv, heller ikke i et fleksjob.",
        vurdering="Helbredet er afklaret, og behandlingsmulighederne er udtømte; borgerens "
        "ressourcer rækker ikke til arbejde, heller ikke få timer om ugen.",
        citizen="Borgeren er enig i anbefalingen om førtidspension og ønsker ro til at passe "
        "sit helbred.",
        health="Depressionen og smerterne er behandlet i mange år uden varig bedring; der er "
        "ingen behandling tilbage, som kan forbedre arbejdsevnen.",
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
        advice="Helbredet er afklaret: svær depression og kroniske smerter, behandlet uden "
        "varig bedring. Arbejdsevnen er varigt nedsat, som beskrevet i LÆ 265.",
    ),
    "jobafklaringsforloeb": KindTexts(
        begrundelse="Borgerens helbred er endnu ikke afklaret nok til at vurdere arbejdsevnen; "
        "et jobafklaringsforløb giver tid til behandling og afklaring.",
        vurdering="Borgeren forventes at kunne vende tilbage til arbejde, når behandlingen er "
        "afsluttet.",
        citizen="Borgeren er enig og vil gerne tilbage til sit tidligere arbejdsområde.",
        health="Behandlingen er i gang og forventes at give bedring inden for et år.",
        assessments={
            "beskaeftigelse": (
                "Borgeren har en lang og stabil arbejdshistorik og ønsker at vende tilbage.",
                "Virksomhedspraktik med gradvis optrapning, når behandlingen tillader det.",
            ),
            "sundhedskoordinator": (
                "Behandlingen er i gang og forventes at give bedring inden for et år.",
                "",
            ),
        },
        interventions=(
            (
                "beskaeftigelse",
                "Vende tilbage til arbejdsmarkedet",
                "Virksomhedspraktik med gradvis optrapning",
                "Borgeren har en stabil arbejdshistorik; praktikken afprøver, hvor meget "
                "helbredet tillader.",
            ),
        ),
    ),
}
