"""Workflows as transition tables: one check, one audit row and one assignment per move.

Each workflow — certification (``accounts``), item review and bookings (``catalog``),
contracts, vouchers, proofs, redemptions, payout batches, batch items and objections
(``vouchers``) — declares a table ``{from status: (allowed next statuses, …)}`` and an
append-only event model built on :class:`AuditEvent`. Its service functions change a status
only through :func:`move`, inside their transaction and after locking the row, and save the
object themselves (each knows which other fields changed).

A :class:`Workflow` bundles the table with the moves people make (:class:`Move`: its name,
from where to where, who may make it and what may still block it), so that one object
answers "what may this user do next?" (:meth:`Workflow.available`) for the pages and the
API, and the service asks the same object before acting (:meth:`Workflow.require`). Moves
without ``who`` are made by the system inside another service (issuing on final approval,
paying an item of a batch) and are never offered to anyone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

Transitions = dict[str, tuple[str, ...]]


class InvalidTransition(ValidationError):
    """The requested move is not in the workflow's table from the current status."""


class AuditEvent(models.Model):
    """Who moved what, and when; subclasses add the subject, the statuses and the note."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]


def move(
    obj,
    to: str,
    *,
    table: Transitions,
    labels: type[models.TextChoices],
    event: type[AuditEvent],
    subject: str = "",
    field: str = "status",
    **event_fields,
) -> None:
    """Move ``obj`` (its ``field``) to ``to`` if ``table`` allows it, recording one ``event``
    row with ``event_fields`` (subject, actor, note …); refuse with :class:`InvalidTransition`
    naming both statuses otherwise. ``subject`` starts the message (“合同”, “预约” …)."""
    current = getattr(obj, field)
    if to not in table.get(current, ()):
        raise InvalidTransition(
            f"{subject}不能从“{labels(current).label}”变为“{labels(to).label}”。", code="invalid_transition"
        )
    event.objects.create(from_status=current, to_status=to, **event_fields)
    setattr(obj, field, to)


Who = Callable[[object, object], bool]  # (obj, user) -> may this user make the move?
Blocker = Callable[[object], str | None]  # obj -> why the move cannot be made now, or None


@dataclass(frozen=True)
class Move:
    """One move of a workflow. ``name`` is the action the services, the API and the pages
    call it by (several moves may share a name when the target depends on the status, like
    a review chain's "approve"); ``who`` decides who may make it (None: the system only);
    ``blocked`` gives the reason it cannot be made right now (a deadline, a limit)."""

    name: str
    sources: tuple[str, ...]
    target: str
    label: str = ""
    who: Who | None = None
    blocked: Blocker | None = None
    denied: str = "您不能执行此操作。"


class Workflow:
    """A status field's transition table, its moves and its audit event.

    ``subject_field`` names the event's foreign key to the object. The event model holds
    ``from_status``, ``to_status`` and ``note``; ``actor_role`` too when it has that field.
    """

    def __init__(
        self,
        *,
        subject: str,
        labels: type[models.TextChoices],
        event: type[AuditEvent],
        subject_field: str,
        moves: Iterable[Move],
        field: str = "status",
        subject_of: Callable[[object], str] | None = None,
    ) -> None:
        self.subject = subject
        # The object's own word for itself where it has one (a scheme calls its contract an
        # order): refusals written with ``subject`` then read in that word.
        self.subject_of = subject_of
        self.labels = labels
        self.event = event
        self.subject_field = subject_field
        self.field = field
        self.moves: tuple[Move, ...] = tuple(moves)
        table: dict[str, list[str]] = {}
        for m in self.moves:
            for source in m.sources:
                targets = table.setdefault(source, [])
                if m.target not in targets:
                    targets.append(m.target)
        self.table: Transitions = {source: tuple(targets) for source, targets in table.items()}
        self._has_role = any(f.name == "actor_role" for f in event._meta.get_fields())

    def status(self, obj) -> str:
        return getattr(obj, self.field)

    def in_words(self, obj, message: str) -> str:
        """``message`` with ``subject`` in ``obj``'s own word (``subject_of``)."""
        if self.subject_of is None:
            return message
        return message.replace(self.subject, self.subject_of(obj))

    def _audit(self, obj, by, note: str) -> dict:
        fields = {self.subject_field: obj, "actor": by, "note": note}
        if self._has_role:
            fields["actor_role"] = (getattr(by, "role", "") or "") if by is not None else "system"
        return fields

    def move(self, obj, to: str, *, by, note: str = "") -> None:
        """Record and make one move (the caller holds the row's lock and saves ``obj``)."""
        move(
            obj,
            to,
            table=self.table,
            labels=self.labels,
            event=self.event,
            subject=self.subject_of(obj) if self.subject_of else self.subject,
            field=self.field,
            **self._audit(obj, by, note),
        )

    def created(self, obj, *, by, note: str = "") -> None:
        """The audit row of a new object (from and to its first status)."""
        current = self.status(obj)
        self.event.objects.create(from_status=current, to_status=current, **self._audit(obj, by, note))

    def _offered(self, obj, user) -> list[Move]:
        if user is None or not getattr(user, "is_authenticated", False):
            return []
        current = self.status(obj)
        return [m for m in self.moves if current in m.sources and m.who is not None and m.who(obj, user)]

    def available(self, obj, user) -> list[str]:
        """The names of the moves ``user`` may make on ``obj`` now, in table order."""
        names: list[str] = []
        for m in self._offered(obj, user):
            if m.name not in names and not (m.blocked and m.blocked(obj)):
                names.append(m.name)
        return names

    def blocked(self, obj, user) -> dict[str, str]:
        """``{move name: reason}`` of the moves ``user`` may make from the current status
        but not now (what :meth:`available` leaves out because something blocks them)."""
        reasons: dict[str, str] = {}
        for m in self._offered(obj, user):
            if m.name not in reasons and m.blocked is not None and (reason := m.blocked(obj)):
                reasons[m.name] = reason
        return reasons

    def why_not(self, obj, user, name: str) -> str | None:
        """Why ``user`` cannot make the move ``name`` on ``obj`` now, in the words
        :meth:`require` refuses with; None when they can. Pages show it beside a step they
        do not offer."""
        try:
            self.require(obj, user, name)
        except ValidationError as exc:
            return "；".join(exc.messages)
        except PermissionDenied as exc:
            return str(exc)
        return None

    def require(self, obj, user, name: str) -> Move:
        """The move ``name`` that ``user`` may make on ``obj`` now; otherwise refuse:
        PermissionDenied when the user may not make such a move (from here or at all),
        InvalidTransition when the status has no such move, ValidationError with the
        reason when something blocks it."""
        signed_in = user is not None and getattr(user, "is_authenticated", False)

        def may(m: Move) -> bool:
            return signed_in and m.who is not None and m.who(obj, user)

        named = [m for m in self.moves if m.name == name]
        if not named:
            raise ValueError(f"{self.subject}: no move named {name!r}")
        if not any(may(m) for m in named):
            raise PermissionDenied(self.in_words(obj, named[0].denied))
        current = self.status(obj)
        candidates = [m for m in named if current in m.sources]
        if not candidates:
            message = f"{self.subject}当前为“{self.labels(current).label}”，不能{named[0].label or name}。"
            raise InvalidTransition(self.in_words(obj, message), code="invalid_transition")
        allowed = [m for m in candidates if may(m)]
        if not allowed:
            raise PermissionDenied(self.in_words(obj, candidates[0].denied))
        chosen = allowed[0]
        reason = chosen.blocked(obj) if chosen.blocked else None
        if reason:
            raise ValidationError(reason, code="blocked")
        return chosen
