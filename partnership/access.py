"""The access policy: the one place that decides who may see what.

Every record that holds learning names its owning partnership and a sharing level, and says in an
`AccessRule` where those live and who is named on it. Two questions are answered here and nowhere
else:

- `visible_to(user, queryset)`: which of these may this user see? (views, exports, APIs, feeds,
  search queries, reports)
- `can_view(user, obj)`: may this user see this one? (detail views, downloads, emails)

and the same two for changing (edit, copy, lock, publish, delete, move in a workflow, import
into):

- `changeable_by(user, queryset)`: which of these may this user change?
- `can_change(user, obj)`: may this user change this one?

Changing is narrower than seeing, never wider: a record is changed by the people of its owning
partnership who may see it, and by the people named on it as its editors (a review's panel, who
may sit in another partnership). A partnership that takes part in a review, or reads it because
it is shared regionally, only ever reads it. What a person may do at all (add, change, publish)
is their role's model permission, which Wagtail checks; this module says which records.

`visible_to_partnership(partnership, queryset)` answers the first question for a partnership as a
whole (a partner system's API token): what its plainest member would see.

Both come from a single Q expression, so they cannot disagree.

The levels:
- restricted: only the people named on the record (the review panel, the action's lead), the
  owning agency's leads (for an action), and the owning partnership's managers (and, for
  recommendations and actions, its quality assurance team, who follow them to embedded
  learning);
- partnership: any signed-in member of the owning partnership, or of a partnership taking part
  (a cross-boundary review);
- regional: any signed-in member of any partnership in the owning partnership's region, and of
  the partnerships taking part (a wider level never shows a record to fewer people);
- public: anyone, on the published site.

Deactivated accounts and people with no membership see only public records, whatever their roles
or names on a record; active superusers see everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q

from .models import Membership, Role, roles_of


class SharingLevel(models.TextChoices):
    RESTRICTED = "restricted", "Restricted: only the people named on it"
    PARTNERSHIP = "partnership", "Partnership: members of the owning partnership"
    REGIONAL = "regional", "Regional: members of every partnership in the region"
    PUBLIC = "public", "Public: anyone"

    @property
    def short_label(self) -> str:
        return self.label.split(":")[0]


# Widest last: a level "at least as wide as" another is later in this list.
LEVEL_ORDER = [
    SharingLevel.RESTRICTED,
    SharingLevel.PARTNERSHIP,
    SharingLevel.REGIONAL,
    SharingLevel.PUBLIC,
]


@dataclass(frozen=True)
class AccessRule:
    """Where a model keeps the facts the policy reads.

    partnership: lookup path to the owning partnership (a foreign key).
    sharing_level: lookup path to the sharing level.
    participating: lookup paths to other partnerships that own the record with it (M2M allowed).
    named_people: lookup paths to users named on the record (M2M allowed).
    agency: lookup path to the agency that owns the record (an action): that agency's leads see
        it at any level, since they answer for it.
    overseen_by: the roles that see every record their own partnership owns, restricted
        included: its managers, and for actions the quality assurance team who sign them off.
    editors: lookup paths to users who may change the record though another partnership owns
        it; None means the named people (a review's panel edits the review it sits on).
    """

    partnership: str = "partnership"
    sharing_level: str = "sharing_level"
    participating: tuple[str, ...] = field(default_factory=tuple)
    named_people: tuple[str, ...] = field(default_factory=tuple)
    agency: str | None = None
    overseen_by: tuple[Role, ...] = (Role.PARTNERSHIP_MANAGER,)
    editors: tuple[str, ...] | None = None

    @property
    def editor_paths(self) -> tuple[str, ...]:
        return self.named_people if self.editors is None else self.editors


DEFAULT_RULE = AccessRule()


def rule_for(model) -> AccessRule:
    return getattr(model, "access_rule", DEFAULT_RULE)


def membership_of(user) -> Membership | None:
    """The user's membership, cached on the user object (a signed-in request's person comes with
    it, from `partnership.backends.MemberBackend`); None for anonymous, unattached and
    deactivated people. A deactivated account keeps its membership row for the record, but
    whoever holds it (an old session, an email link, a task) must see no more than the public."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    if not hasattr(user, "_hub_membership"):
        try:
            # The agency too: pages name it (the home page's greeting, booking forms), and a
            # join costs less than the query each would make.
            user._hub_membership = Membership.objects.select_related("partnership", "agency").get(
                user=user
            )
        except Membership.DoesNotExist:
            user._hub_membership = None
    return user._hub_membership


def reader_key(user) -> str:
    """What a person's own cached counts (the action reports, the deadlines) depend on besides
    the data: who they are, where they work and the roles they hold. A changed role or
    membership changes the key, so it needs no signal of its own."""
    membership = membership_of(user)
    where = f"{membership.partnership_id}.{membership.agency_id}" if membership else "-"
    roles = ".".join(sorted(str(role) for role in roles_of(user)))
    return f"{user.pk}:{where}:{roles}:{int(bool(user.is_superuser))}"


def has_role(user, *roles: Role) -> bool:
    return bool(roles_of(user).intersection(roles))


def is_partnership_manager(user) -> bool:
    return has_role(user, Role.PARTNERSHIP_MANAGER)


def sees_everything(user) -> bool:
    """The Hub's system administrators (superusers) see every record, as they could in the
    database; they are few and their reads of restricted records are audited like anyone's."""
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))


def _exists_in(model, lookup: str, value) -> Q:
    """`lookup == value` as a semi-join, so that many-valued paths never duplicate rows."""
    return Q(pk__in=model._base_manager.filter(**{lookup: value}).values("pk"))


def _is_multi_valued(model, path: str) -> bool:
    opts = model._meta
    for part in path.split("__"):
        f = opts.get_field(part)
        if f.many_to_many or f.one_to_many:
            return True
        if not f.is_relation:
            return False
        opts = f.related_model._meta
    return False


def _lookup(model, path: str, value) -> Q:
    if _is_multi_valued(model, path):
        return _exists_in(model, path, value)
    return Q(**{path: value})


def _member_q(model, partnership) -> Q:
    """What every member of `partnership` sees of `model`, whatever their roles or names: the
    part of the policy that a partnership's API token shares with its plainest member."""
    rule = rule_for(model)
    level = rule.sharing_level
    own = partnership.pk
    owners = Q(**{f"{rule.partnership}_id": own})
    for path in rule.participating:
        owners |= _lookup(model, path, own)

    q = Q(**{level: SharingLevel.PUBLIC})
    q |= Q(
        **{level: SharingLevel.REGIONAL, f"{rule.partnership}__region_id": partnership.region_id}
    )
    # A wider level never shows a record to fewer people: a partnership taking part from another
    # region (a cross-boundary review) keeps seeing it when the owner widens it to regional.
    q |= Q(**{f"{level}__in": [SharingLevel.PARTNERSHIP, SharingLevel.REGIONAL]}) & owners
    return q


def visibility_q(user, model) -> Q:
    """The condition a row of `model` must meet for `user` to see it."""
    rule = rule_for(model)
    level = rule.sharing_level
    public = Q(**{level: SharingLevel.PUBLIC})
    if sees_everything(user):
        return Q()
    membership = membership_of(user)
    if membership is None:
        return public

    own = membership.partnership_id
    q = _member_q(model, membership.partnership)
    for path in rule.named_people:
        q |= _lookup(model, path, user.pk)
    if rule.agency and membership.agency_id and has_role(user, Role.AGENCY_LEAD):
        q |= Q(**{f"{rule.agency}_id": membership.agency_id})
    if has_role(user, *rule.overseen_by):
        q |= Q(**{f"{rule.partnership}_id": own})
    return q


def visible_to(user, queryset):
    """The part of `queryset` that `user` may see, filtered in the database."""
    return queryset.filter(visibility_q(user, queryset.model))


def visible_to_partnership(partnership, queryset):
    """The part of `queryset` that a partnership as a whole may see: what any signed-in member
    of it sees with no role and named on nothing (public, regional in its region, and its own
    and its cross-boundary reviews' partnership-level records), never restricted ones.

    Partner systems read the Hub with a partnership's API token, not as a person; this answers
    for them from the same rule data as `visible_to`. No partnership sees only public records."""
    model = queryset.model
    if partnership is None:
        return queryset.filter(**{rule_for(model).sharing_level: SharingLevel.PUBLIC})
    return queryset.filter(_member_q(model, partnership))


def can_view(user, obj) -> bool:
    """May `user` see `obj`? Public records need no query; the rest ask the same Q as lists."""
    rule = rule_for(type(obj))
    if value_at(obj, rule.sharing_level) == SharingLevel.PUBLIC or sees_everything(user):
        return True
    if membership_of(user) is None:
        return False
    return visible_to(user, type(obj)._base_manager.filter(pk=obj.pk)).exists()


def refusal(request, obj):
    """The one answer to a reader who may not see `obj`, or None when they may: a visitor is
    asked to sign in (they may be allowed once signed in), a signed-in reader gets 404, so that
    nobody learns from the answer that a record they may not see exists."""
    if can_view(request.user, obj):
        return None
    if request.user.is_authenticated:
        from django.http import Http404

        raise Http404
    from django.contrib.auth.views import redirect_to_login

    return redirect_to_login(request.get_full_path())


def changeability_q(user, model) -> Q:
    """The condition a row of `model` must meet for `user` to change it: they may see it, and
    it is their own partnership's or they are named on it as an editor. Nobody outside a
    partnership changes anything; active superusers change everything."""
    if sees_everything(user):
        return Q()
    membership = membership_of(user)
    if membership is None:
        return Q(pk__in=[])
    rule = rule_for(model)
    mine = Q(**{f"{rule.partnership}_id": membership.partnership_id})
    for path in rule.editor_paths:
        mine |= _lookup(model, path, user.pk)
    return visibility_q(user, model) & mine


def changeable_by(user, queryset):
    """The part of `queryset` that `user` may change, filtered in the database."""
    return queryset.filter(changeability_q(user, queryset.model))


def can_change(user, obj) -> bool:
    """May `user` change `obj`? Asked of the saved row, so that a form's unsaved edits (a new
    panel member, another partnership) never widen who may change it. An unsaved record may be
    created by anyone in the partnership that will own it."""
    if sees_everything(user):
        return True
    membership = membership_of(user)
    if membership is None:
        return False
    if obj.pk is None:
        owner = value_at(obj, f"{rule_for(type(obj)).partnership}_id")
        return owner is None or owner == membership.partnership_id
    return changeable_by(user, type(obj)._base_manager.filter(pk=obj.pk)).exists()


def value_at(obj, path: str):
    """The value at the end of a lookup path ("review__lead_partnership_id"), or None."""
    for part in path.split("__"):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


# Access tokens: the same policy, written as labels a search index can store with each record
# and match against labels of the reader. A record's tokens name every way of being let in; a
# reader's tokens name every way they qualify; the reader sees the record when the two sets share
# a token. `tests/partnership/test_access_matrix.py` proves that this equals `can_view` in every
# case, so a search engine filtering by tokens inside its own query applies this policy, not one
# of its own.
EVERYONE_TOKEN = "public"
# Carried by every record, held only by those who see everything (active superusers).
ALL_TOKEN = "all"


def access_tokens(obj) -> tuple[str, ...]:
    """The tokens of `obj`, read from its AccessRule. Relations on the rule's paths should be
    loaded with `access_related(model)` when many records are read at once."""
    rule = rule_for(type(obj))
    level = value_at(obj, rule.sharing_level)
    owner = value_at(obj, rule.partnership)
    tokens = [ALL_TOKEN]
    if level == SharingLevel.PUBLIC:
        tokens.append(EVERYONE_TOKEN)
    if owner is not None:
        if level == SharingLevel.REGIONAL:
            tokens.append(f"region:{owner.region_id}")
        if level in (SharingLevel.PARTNERSHIP, SharingLevel.REGIONAL):
            tokens.append(f"partnership:{owner.pk}")
            for path in rule.participating:
                tokens += [f"partnership:{pk}" for pk in _pks_on_path(obj, path)]
        tokens += [f"oversee:{owner.pk}:{role.value}" for role in rule.overseen_by]
    for path in rule.named_people:
        tokens += [f"person:{pk}" for pk in _pks_on_path(obj, path)]
    if rule.agency:
        agency_id = value_at(obj, f"{rule.agency}_id")
        if agency_id is not None:
            tokens.append(f"agency-lead:{agency_id}")
    return tuple(dict.fromkeys(tokens))


def audience_tokens(user) -> frozenset[str]:
    """The tokens `user` holds: a record is theirs to see when it carries one of them."""
    if sees_everything(user):
        return frozenset({ALL_TOKEN, EVERYONE_TOKEN})
    membership = membership_of(user)
    if membership is None:
        return frozenset({EVERYONE_TOKEN})
    own = membership.partnership_id
    tokens = set(audience_tokens_for_partnership(membership.partnership))
    tokens.add(f"person:{user.pk}")
    roles = roles_of(user)
    tokens |= {f"oversee:{own}:{role.value}" for role in roles}
    if membership.agency_id and Role.AGENCY_LEAD in roles:
        tokens.add(f"agency-lead:{membership.agency_id}")
    return frozenset(tokens)


def audience_of(user, *models) -> frozenset[str]:
    """The tokens that decide what `user` sees of records of `models`: all who hold the same set
    see the same records, so a listing built for one may be served to the others
    (`hub.audience_cache`). It is `audience_tokens` less the person's own token, unless a record
    of these models names them (a review's panel, a briefing's owner): then it is theirs alone."""
    tokens = audience_tokens(user)
    person = f"person:{getattr(user, 'pk', None)}"
    if person not in tokens or _remembered_named_on_any(user, models):
        return tokens
    return tokens - {person}


def _remembered_named_on_any(user, models) -> bool:
    """`_named_on_any`, kept under the page cache's generation: a panel or owner changes only
    with a save of its review or page, which starts a new generation."""
    from hub import audience_cache

    labels = ",".join(sorted(model._meta.label_lower for model in models))
    place = f"named-on:{labels}:{user.pk}"
    return audience_cache.remember(place, (), {}, lambda: _named_on_any(user, models))


def _named_on_any(user, models) -> bool:
    """Whether any record of `models` names `user` on one of its rule's named paths: one query."""
    named = [
        model._base_manager.filter(**{path: user.pk}).order_by().values_list("pk", flat=True)
        for model in models
        for path in rule_for(model).named_people
    ]
    if not named:
        return False
    union = named[0].union(*named[1:], all=True) if len(named) > 1 else named[0]
    return bool(list(union[:1]))


def audience_tokens_for_partnership(partnership) -> frozenset[str]:
    """What a partnership as a whole holds (a partner system's API token): its plainest member's
    tokens, as `visible_to_partnership` answers."""
    if partnership is None:
        return frozenset({EVERYONE_TOKEN})
    return frozenset(
        {EVERYONE_TOKEN, f"region:{partnership.region_id}", f"partnership:{partnership.pk}"}
    )


def access_related(model) -> tuple[list[str], list[str]]:
    """(select_related, prefetch_related) paths that let `access_tokens` read many records of
    `model` without a query each."""
    rule = rule_for(model)
    select = [rule.partnership]
    prefetch = []
    for path in (*rule.participating, *rule.named_people):
        if _is_multi_valued(model, path):
            prefetch.append(path)
        elif "__" in path:
            select.append(path.rsplit("__", 1)[0])  # the last step is read as its `_id`
    return select, prefetch


def _pks_on_path(obj, path: str) -> list:
    """The primary keys at the end of a lookup path, following many-valued steps through the
    related managers (and so through their prefetched results)."""
    current = [obj]
    parts = path.split("__")
    for position, part in enumerate(parts):
        following = []
        last = position == len(parts) - 1
        for item in current:
            if last and hasattr(item, f"{part}_id"):
                if getattr(item, f"{part}_id") is not None:
                    following.append(getattr(item, f"{part}_id"))
                continue
            value = getattr(item, part, None)
            if value is None:
                continue
            if hasattr(value, "all") and callable(value.all):
                following.extend(value.all())
            else:
                following.append(value)
        current = following
    return [getattr(item, "pk", item) for item in current]


class VisibleQuerySet(models.QuerySet):
    """`Model.objects.visible_to(user)` for a model whose access rule says it all."""

    def visible_to(self, user):
        return visible_to(user, self)
