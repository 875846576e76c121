"""Invented names and organization numbers for the synthetic sector's agencies and companies.

Municipalities and regions come from the registry; agencies ("Myndigheten för fjällturism") and
municipal companies ("Dalby Energi AB") are made up from these lists, so no real organization is
named. `population.py` draws them from the seed.
"""

from __future__ import annotations

import numpy as np

from mognad.orgs.models import Organization

AGENCY_PATTERNS = (
    "Myndigheten för {}",
    "Verket för {}",
    "Nämnden för {}",
    "Institutet för {}",
    "Centrum för {}",
    "Rådet för {}",
    "Inspektionen för {}",
    "Kansliet för {}",
)
AGENCY_AREAS = (
    "fjällturism",
    "kustnära näringar",
    "rörligt friluftsliv",
    "digital arkivering",
    "vattenkvalitet",
    "skogsbrandsberedskap",
    "regional mobilitet",
    "landsbygdsservice",
    "kulturarvsdata",
    "yrkesvalidering",
    "bostadsstatistik",
    "livsmedelsberedskap",
    "energiomställning",
    "offentliga måltider",
    "ungdomsinflytande",
    "biblioteksutveckling",
    "geodatasamverkan",
    "klimatanpassning",
    "hållbart byggande",
    "digital tillgänglighet",
    "språkstöd",
    "vuxenlärande",
    "besöksnäring",
    "havsplanering",
    "viltförvaltning",
    "cykelinfrastruktur",
    "folkbildningsstöd",
    "föreningsbidrag",
    "nationella register",
    "e-arkiv",
    "informationsförsörjning",
    "öppna data",
    "tolkförmedling",
    "kollektivtrafikdata",
    "samhällsplaneringsstöd",
    "kriskommunikation",
    "materialförsörjning",
    "lantmäteristöd",
    "patientinformation",
    "omsorgsutveckling",
    "skoldigitalisering",
    "jämställdhetsintegrering",
    "innovationsupphandling",
    "mätteknik",
    "dricksvattensäkerhet",
    "digital identitet",
    "e-tjänstesamverkan",
    "arbetsmiljödata",
    "ortnamnsvård",
    "statlig service",
)
PLACE_STARTS = (
    "Al",
    "Björk",
    "Dal",
    "Ek",
    "Fal",
    "Gran",
    "Hag",
    "Is",
    "Kval",
    "Lind",
    "Mos",
    "Nor",
    "Rön",
    "Sal",
    "Sil",
    "Tall",
    "Ull",
    "Vret",
    "Åker",
    "Öst",
)
PLACE_ENDS = (
    "by",
    "holm",
    "torp",
    "vik",
    "berga",
    "sund",
    "ås",
    "hammar",
    "köping",
    "fors",
    "näs",
    "ryd",
)
COMPANY_BUSINESSES = (
    "Energi",
    "Vatten",
    "Bostäder",
    "Hamn",
    "Fibernät",
    "Renhållning",
    "Parkering",
    "Fastigheter",
    "Kommunteknik",
    "Lokaltrafik",
)


def invented_names(
    rng: np.random.Generator, agencies: int, companies: int
) -> tuple[list[str], list[str]]:
    """`agencies` agency names and `companies` company names, drawn from the lists above."""
    agency_names = [p.format(a) for p in AGENCY_PATTERNS for a in AGENCY_AREAS]
    rng.shuffle(agency_names)
    suffixes = ("", " (Norr)", " (Syd)", " (Väst)", " (Öst)", " (Mitt)")
    agency_names = [name + s for s in suffixes for name in agency_names][:agencies]
    places = [start + end.lower() for start in PLACE_STARTS for end in PLACE_ENDS]
    company_names = [
        f"{place} {business} AB" for place in places for business in COMPANY_BUSINESSES
    ]
    picked = rng.choice(len(company_names), size=min(companies, len(company_names)), replace=False)
    return agency_names, [company_names[i] for i in sorted(picked)]


def organization_number(kind: str, index: int, taken: set[tuple[str, str]]) -> str:
    """An invented organization number (202100-… for agencies, 556…-… for companies), unused."""
    n = index
    while True:
        if kind == Organization.Kind.AGENCY:
            code = f"202100-{(n * 7919 + 11) % 10000:04d}"
        else:
            number = (n * 7919 + 13) % 10_000_000
            code = f"556{number // 10000:03d}-{number % 10000:04d}"
        if (kind, code) not in taken:
            taken.add((kind, code))
            return code
        n += 10_007
