"""Numbers a person can quote — JB-2026-0001, CD-2026-0001 — one sequence per kind and year."""

from django.db import IntegrityError, models, transaction


def save_with_next_number(instance, save, siblings, prefix, collided=None):
    """Save `instance` (through `save()`, the model's own save) under the next number of its sequence:
    `<prefix>-<year>-<sequence>`, after the highest among `siblings()` (asked afresh on every attempt). Two at once
    collide on the unique constraint and the loser takes the next; `collided()` may raise instead, when the
    collision was something else (the same case opened meanwhile)."""
    for _attempt in range(10):
        last = siblings().aggregate(models.Max("sequence"))["sequence__max"]
        instance.sequence = (last or 0) + 1
        instance.number = f"{prefix}-{instance.year}-{instance.sequence:04d}"
        try:
            with transaction.atomic():
                return save()
        except IntegrityError:
            instance.pk, instance.number = None, ""
            instance._state.adding = True
            if collided is not None:
                collided()
    raise IntegrityError(f"could not assign a {prefix} number")
