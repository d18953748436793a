"""Danish sample texts for the fictitious demo cases (all invented)."""

from __future__ import annotations

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
