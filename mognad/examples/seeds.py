"""Demo examples: realistic Swedish examples written by us (`data/demo_examples.yaml`),
published from several of the demo's generated organizations, so the library, its search and the
suggestions beside the weakest capabilities show something (`mognad demo setup`).

Each seed goes to a generated organization that really raised the seed's first capability
beyond the noise in its released results (preferring organizations like Ankeby: a municipality of
size class M), with the year of that rise; its figures, when named, come from the released results
as for any example. Seeding only adds what is missing: an example is known by its `seed_key`, so a
seeded example a user changed is left as it is, and one a user removed (audited with its seed key)
is not seeded again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone

from mognad.examples import released
from mognad.examples.models import Example
from mognad.examples.suggested import Rise, rises
from mognad.orgs.models import AuditEvent, Organization


@dataclass(frozen=True)
class Seed:
    key: str
    title: str
    what_was_done: str
    effort: str
    contact_role: str
    capabilities: tuple[str, ...]
    named: bool


SEEDS_FILE = Path(__file__).resolve().parent / "data" / "demo_examples.yaml"


def load_seeds(path: Path = SEEDS_FILE) -> tuple[Seed, ...]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return tuple(
        Seed(
            key=str(e["key"]),
            title=str(e["title"]).strip(),
            what_was_done=str(e["what_was_done"]).strip(),
            effort=Example.Effort(e["effort"]).value,
            contact_role=str(e["contact_role"]).strip(),
            capabilities=tuple(str(c) for c in e["capabilities"]),
            named=bool(e["named"]),
        )
        for e in entries
    )


SEEDS = load_seeds()


def _removed_keys() -> set[str]:
    """Seed keys of demo examples a user removed (they stay removed)."""
    rows = AuditEvent.objects.filter(action="example.deleted").values_list("details", flat=True)
    return {str(d.get("seed_key")) for d in rows if isinstance(d, dict) and d.get("seed_key")}


def _best_rise(
    candidates: list[Organization], capability: str, year: int, taken: set[int]
) -> Rise | None:
    """The largest rise of `capability` beyond the noise among the candidates; organizations like
    the demo's Ankeby (municipality, size class M) first, organizations not used yet first."""
    found = [r for r in rises([o.pk for o in candidates], [capability], year) if r.raised]
    by_id = {o.pk: o for o in candidates}

    def rank(rise: Rise) -> tuple[bool, bool, float]:
        org = by_id[rise.organization_id]
        like = org.kind == Organization.Kind.MUNICIPALITY and org.size_class == "M"
        return (like, rise.organization_id not in taken, rise.delta or 0.0)

    return max(found, key=rank) if found else None


def ensure_demo_examples(candidates: list[Organization], year: int) -> int:
    """Publish the seeds that are missing from the candidates' rises up to `year`; returns how many
    were added."""
    existing = set(Example.objects.exclude(seed_key="").values_list("seed_key", flat=True))
    skip = existing | _removed_keys()
    taken: set[int] = set(
        Example.objects.exclude(seed_key="").values_list("organization_id", flat=True)
    )
    added = 0
    for seed in SEEDS:
        if seed.key in skip:
            continue
        rise = _best_rise(candidates, seed.capabilities[0], year, taken)
        if rise is None:
            continue
        org = next(o for o in candidates if o.pk == rise.organization_id)
        _publish(seed, org, rise.before_year)
        taken.add(org.pk)
        added += 1
    return added


@transaction.atomic
def _publish(seed: Seed, org: Organization, year: int) -> Example:
    span = released.years(org, year)
    now = timezone.now()
    example = Example(
        organization=org,
        year=year,
        title=seed.title,
        what_was_done=seed.what_was_done,
        effort=seed.effort,
        contact_role=seed.contact_role,
        capabilities=list(seed.capabilities),
        named=seed.named,
        maturity_type=released.maturity_type(span.before) if span.before else "",
        figures=released.before_and_after(span, list(seed.capabilities)) if seed.named else {},
        status=Example.Status.APPROVED,
        submitted_at=now,
        reviewed_at=now,
        seed_key=seed.key,
    )
    example.save()
    return example
