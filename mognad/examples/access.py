"""Who may see and change examples and conclusions; built on the one door, `mognad.orgs.access`.

- An organization's own examples, whatever their status: its members read them, key users (and
  coordinators) write them — through `scoped`/`get_scoped`.
- Approved examples: every member of any organization, and coordinators, may read them.
- Reviewing: the national coordinator only (404 for everybody else).
"Missing" and "not yours" are the same answer, `Http404`.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from mognad.examples.models import Conclusion, Example
from mognad.orgs.access import (
    AnyUser,
    get_scoped,
    is_coordinator,
    memberships_of,
    require_coordinator,
    scoped,
)
from mognad.orgs.models import Organization


def may_browse(user: AnyUser) -> bool:
    """Members of any organization and coordinators may read the published library."""
    return is_coordinator(user) or bool(memberships_of(user))


def require_browser(user: AnyUser) -> None:
    if not may_browse(user):
        raise Http404


def own_organization_ids(user: AnyUser) -> set[int]:
    """The organizations the user is a member of (their examples are "own")."""
    return set(memberships_of(user))


def published_examples(user: AnyUser) -> QuerySet[Example]:
    """Approved examples, for anyone who may browse the library."""
    require_browser(user)
    return Example.objects.filter(status=Example.Status.APPROVED).select_related("organization")


def get_readable_example(user: AnyUser, example_id: int | str) -> Example:
    """An approved example, or one of the user's own organizations' (any status)."""
    require_browser(user)
    own = scoped(user, Example.objects.all())
    visible = Example.objects.filter(
        Q(status=Example.Status.APPROVED) | Q(pk__in=own.values("pk"))
    ).select_related("organization")
    return _one(visible, example_id)


def _one(examples: QuerySet[Example], example_id: int | str) -> Example:
    """The example with this id among `examples`, or 404 (also for an id that is no number)."""
    try:
        found = examples.filter(pk=int(example_id)).first()
    except (TypeError, ValueError):
        raise Http404 from None
    if found is None:
        raise Http404
    return found


def examples_of(user: AnyUser, org: Organization) -> QuerySet[Example]:
    """The organization's own examples (the caller got `org` through the door)."""
    return scoped(user, Example.objects.filter(organization=org))


def get_own_example(
    user: AnyUser, org: Organization, example_id: int | str, *, write: bool = False
) -> Example:
    """One of the organization's examples: 404 if not the user's, 403 if read-only."""
    return get_scoped(user, Example.objects.filter(organization=org), example_id, write=write)


def examples_to_review(user: AnyUser) -> QuerySet[Example]:
    require_coordinator(user)
    return Example.objects.select_related("organization")


def get_example_to_review(user: AnyUser, example_id: int | str) -> Example:
    require_coordinator(user)
    return _one(Example.objects.select_related("organization"), example_id)


def conclusions_of(user: AnyUser, org: Organization) -> QuerySet[Conclusion]:
    return scoped(user, Conclusion.objects.filter(organization=org))


def get_conclusion(
    user: AnyUser, org: Organization, conclusion_id: int | str, *, write: bool = False
) -> Conclusion:
    return get_scoped(user, Conclusion.objects.filter(organization=org), conclusion_id, write=write)
