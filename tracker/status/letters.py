"""A project's status at the end of every cycle, kept as one short string on the project.

`Project.status_path` holds one letter per cycle number: position n (counted from 1) is
the status at the end of cycle n — `a`nnounced, `s`talled, `l`aunched, `d`ropped — and
`-` for cycles before the project was first reported. Every path runs to the highest cycle
number (adding a cycle lengthens them all, `history.cycles_changed`), so a path "-as" reads: not
reported in I, announced at the end of II, stalled at the end of III.

The path is derived from the status history (docs/domain.md "Status history": the latest change whose
cycle is C or earlier, latest by cycle number, then later effective date — a change
without one counts from the start of its cycle — then later record) and rewritten by
`tracker.status.history` whenever that history changes. With it, "unresolved in C" is
two letters of one column instead of two correlated subqueries per project.

`Project.basis_path` runs beside it, letter for letter: how the status at the end of that
cycle is known — the basis of the change that set it (docs/domain.md "Basis"): `s`tated,
`i`nferred from silence, editors' `j`udgement, `-` before the first cycle.
"""

import datetime

from tracker.models import Project, StatusChange
from tracker.models.projects import BASIS_LETTERS

CODES = {
    Project.Status.ANNOUNCED: "a",
    Project.Status.STALLED: "s",
    Project.Status.LAUNCHED: "l",
    Project.Status.DROPPED: "d",
}
STATUSES = {code: status for status, code in CODES.items()}
BASIS_CODES = BASIS_LETTERS
BASES = {code: basis for basis, code in BASIS_CODES.items()}
UNREPORTED = "-"
UNFINISHED_CODES = tuple(CODES[status] for status in Project.UNFINISHED)
RESOLVED_CODES = tuple(CODES[status] for status in Project.RESOLVED)


def within_cycle_order(effective_on, pk, is_initial=False):
    """Sort key of changes inside one cycle: the greatest is the latest; the initial
    change is always the earliest of its cycle."""
    return (not is_initial, effective_on is not None, effective_on or datetime.date.min, pk or 0)


def status_path(first_number, changes, length):
    """The path, `length` letters long, for a project first reported in cycle `first_number`.

    `changes`: (cycle number, effective date or None, id, status) for each change.
    """
    return paths(first_number, [(*change[:4], StatusChange.Basis.STATED, False) for change in changes], length)[0]


def paths(first_number, changes, length):
    """(status path, basis path) for a project first reported in cycle `first_number`.

    `changes`: (cycle number, effective date or None, id, status, basis[, is_initial]) for
    each change.
    """
    latest = {}
    for number, effective_on, pk, status, basis, *initial in changes:
        key = within_cycle_order(effective_on, pk, bool(initial and initial[0]))
        if number not in latest or key > latest[number][0]:
            latest[number] = (key, status, basis)
    if not latest:
        return "", ""
    statuses, bases, current = [], [], (UNREPORTED, UNREPORTED)
    for number in range(1, max(length, max(latest)) + 1):
        if number in latest:
            _key, status, basis = latest[number]
            current = (CODES[status], BASIS_CODES.get(basis, BASIS_CODES[StatusChange.Basis.STATED]))
        reported = number >= first_number
        statuses.append(current[0] if reported else UNREPORTED)
        bases.append(current[1] if reported else UNREPORTED)
    return "".join(statuses), "".join(bases)


def initial_path(first_number, length):
    """The path of a new project: announced from its first cycle on."""
    return UNREPORTED * (first_number - 1) + CODES[Project.Status.ANNOUNCED] * max(1, length - first_number + 1)


def initial_basis_path(first_number, length):
    """The basis path of a new project: its initial change is stated."""
    return UNREPORTED * (first_number - 1) + BASIS_CODES[StatusChange.Basis.STATED] * max(1, length - first_number + 1)


def letter_at(path, number):
    """The letter for the end of cycle `number` ("" when there is none)."""
    if number < 1 or number > len(path):
        return ""
    return path[number - 1]


def current_status(path):
    return STATUSES.get(path[-1:]) if path else None


def current_basis(path):
    return BASES.get(path[-1:]) if path else None
