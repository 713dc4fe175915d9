"""What the admin's selects offer: the people and agencies of the partnerships a record involves.

A select that lists every person or agency of the region tells a reviewer of one partnership who
works in every other, and lets them name a stranger on a confidential review. Forms narrow their
querysets with these, so that Django's ModelChoiceField also refuses a posted id outside them.

Which partnerships a record involves is read from the form: as posted, when it is bound (the
record is about to involve them, and only partnerships its own field offers count), else as
saved. A new record involves the person's own partnership; `None` means every partnership, for
a superuser with no record to go by."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from .access import membership_of, sees_everything, visible_to
from .models import Agency, Partnership


def own_partnership_ids(user) -> list[int] | None:
    """The partnerships a new record of `user`'s involves: their own (superusers: all)."""
    if sees_everything(user):
        return None
    membership = membership_of(user)
    return [membership.partnership_id] if membership else []


def _ids(value) -> list[int]:
    """Primary keys from a form value: one or many, as ids, strings or records."""
    single = value is None or isinstance(value, str | int) or hasattr(value, "pk")
    values = [value] if single else list(value)
    ids = (getattr(v, "pk", v) for v in values if v not in (None, ""))
    return [int(v) for v in ids if str(v).isdigit()]


def involved_partnership_ids(form, *field_names) -> list[int] | None:
    """The partnerships the form's record names in `field_names` (posted or saved), within what
    each field offers; when it names none yet, the user's own (superusers: all)."""
    ids = []
    for name in field_names:
        field = form.fields.get(name)
        if field is None:
            continue
        named = _ids(form[name].value())
        ids += field.queryset.filter(pk__in=named).values_list("pk", flat=True)
    if ids:
        return sorted(set(ids))
    return own_partnership_ids(form.for_user)


def partnerships_for(user, current_ids=()):
    """The partnerships a person may file a record under: their own, and the ones it is filed
    under already (an editor keeps what they found)."""
    own = own_partnership_ids(user)
    if own is None:
        return Partnership.objects.all()
    return Partnership.objects.filter(pk__in=[*own, *current_ids])


def offer_partnerships(form, name, current_ids=()):
    """Offer in the select `name` the partnerships the form's user may file the record under;
    a new record starts filed under their own, the only choice most people have."""
    field = form.fields.get(name)
    if field is None:
        return
    field.queryset = partnerships_for(form.for_user, current_ids)
    own = own_partnership_ids(form.for_user)
    if not current_ids and own:
        form.initial.setdefault(name, own[0])


def people_of(partnership_ids, among=None, keep=()):
    """Active members of these partnerships (`None`: of all), of `among` if given (people
    holding some role), and the people in `keep`: those the record names already, so that
    saving it never drops one unasked (a panel member who has since left is still the one who
    sat)."""
    people = among if among is not None else get_user_model().objects.all()
    people = people.filter(is_active=True, membership__isnull=False)
    if partnership_ids is not None:
        people = people.filter(membership__partnership_id__in=partnership_ids)
    if keep:
        named = Q(pk__in=people.values("pk")) | Q(pk__in=list(keep))
        people = get_user_model().objects.filter(named)
    return people.distinct().order_by("last_name", "first_name", "username")


def agencies_of(partnership_ids, keep=()):
    """Active agencies of these partnerships (`None`: of all), and those in `keep`: a record
    that names an agency since retired keeps it when saved."""
    agencies = Agency.objects.filter(active=True)
    if partnership_ids is not None:
        agencies = agencies.filter(partnership_id__in=partnership_ids)
    if keep:
        agencies = Agency.objects.filter(Q(pk__in=agencies.values("pk")) | Q(pk__in=list(keep)))
    return agencies.select_related("partnership").order_by("partnership__short_name", "name")


def offer_visible(form, name, queryset):
    """Narrow the select `name` to `queryset` (records the user may see). When the saved record
    already names one the user may not see, the field is removed instead, as the review form
    removes confidential details: it is neither shown nor changed, so saving keeps it, and its
    label is not told."""
    field = form.fields.get(name)
    if field is None:
        return
    named = _ids(form.initial.get(name))
    if named:
        saved = queryset.model._base_manager.filter(pk__in=named)
        if visible_to(form.for_user, saved).count() < len(set(named)):
            del form.fields[name]
            return
    field.queryset = queryset
