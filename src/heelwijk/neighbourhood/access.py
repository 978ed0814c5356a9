"""Who a user is in which neighbourhood: resident, staff or organisation representative.

The answer is computed once per user object and cached on it, so rules evaluated many times in
one request cost one or two queries in total.
"""

from dataclasses import dataclass, field

from .models import Neighbourhood, Person, Role

_CACHE_ATTR = "_heelwijk_access"


@dataclass(frozen=True)
class Access:
    person: Person | None = None
    staff_of: frozenset[int] = frozenset()
    wijkondernemer_of: frozenset[int] = frozenset()
    represents: dict[int, frozenset[int]] = field(default_factory=dict)  # nbh id -> org ids
    is_superuser: bool = False

    @property
    def resident_of(self) -> frozenset[int]:
        return frozenset({self.person.neighbourhood_id}) if self.person else frozenset()

    @property
    def neighbourhood_ids(self) -> frozenset[int]:
        return self.staff_of | self.resident_of | frozenset(self.represents)

    def is_staff(self, neighbourhood_id: int) -> bool:
        return neighbourhood_id in self.staff_of

    def organisation_ids(self, neighbourhood_id: int | None = None) -> frozenset[int]:
        if neighbourhood_id is None:
            return frozenset().union(*self.represents.values()) if self.represents else frozenset()
        return self.represents.get(neighbourhood_id, frozenset())


ANONYMOUS = Access()


def access_for(user) -> Access:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    person = Person.objects.filter(user_id=user.pk).first()
    staff: set[int] = set()
    ondernemer: set[int] = set()
    represents: dict[int, set[int]] = {}
    for role in Role.objects.filter(user_id=user.pk).only(
        "kind", "neighbourhood_id", "organisation_id"
    ):
        if role.kind in (Role.Kind.STAFF, Role.Kind.WIJKONDERNEMER):
            staff.add(role.neighbourhood_id)
            if role.kind == Role.Kind.WIJKONDERNEMER:
                ondernemer.add(role.neighbourhood_id)
        elif role.organisation_id:
            represents.setdefault(role.neighbourhood_id, set()).add(role.organisation_id)
    access = Access(
        person=person,
        staff_of=frozenset(staff),
        wijkondernemer_of=frozenset(ondernemer),
        represents={k: frozenset(v) for k, v in represents.items()},
        is_superuser=user.is_superuser,
    )
    setattr(user, _CACHE_ATTR, access)
    return access


def forget_access(user) -> None:
    """Drop the cached answer, e.g. after a role was granted."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def neighbourhood_id_of(obj) -> int | None:
    if obj is None:
        return None
    if isinstance(obj, Neighbourhood):
        return obj.pk
    return getattr(obj, "neighbourhood_id", None)
