"""A deterministic beeswarm: circles moved off their true position as little as they need
so that no two overlap, each kept inside its own box (a score band of the plot)."""

import math

STEP = 1.0  # the grid the circles are moved on, in viewBox units


def offsets(width, height):
    """Moves on the grid within a width × height box, nearest first (ties in a fixed order)."""
    across, down = int(width // STEP) + 1, int(height // STEP) + 1
    moves = [(i * STEP, j * STEP) for i in range(-across, across + 1) for j in range(-down, down + 1)]
    return sorted(moves, key=lambda m: (m[0] ** 2 + m[1] ** 2, abs(m[1]), m[1], m[0]))


def place(targets, radius):
    """Centres for circles of `radius` at `targets`, each (x, y, box) with box (x0, y0, x1,
    y1) the room its circle must stay in; None when the boxes cannot hold them all."""
    if not targets:
        return []
    width = max(b[2] - b[0] for _x, _y, b in targets) - 2 * radius
    height = max(b[3] - b[1] for _x, _y, b in targets) - 2 * radius
    moves = offsets(max(width, 0), max(height, 0))
    cell = 2 * radius
    taken = {}
    least = (2 * radius) ** 2 - 1e-6
    centres = [None] * len(targets)
    order = sorted(range(len(targets)), key=lambda i: (targets[i][1], targets[i][0], i))

    def free(x, y):
        cx, cy = int(x // cell), int(y // cell)
        for i in (cx - 1, cx, cx + 1):
            for j in (cy - 1, cy, cy + 1):
                for ox, oy in taken.get((i, j), ()):
                    if (ox - x) ** 2 + (oy - y) ** 2 < least:
                        return False
        return True

    scanned = {}  # a target like one placed before need not look where that one did
    for i in order:
        x, y, (x0, y0, x1, y1) = targets[i]
        x0, y0, x1, y1 = x0 + radius, y0 + radius, x1 - radius, y1 - radius
        for k in range(scanned.get(targets[i], 0), len(moves)):
            cx, cy = round(x + moves[k][0], 1), round(y + moves[k][1], 1)
            if x0 - 1e-9 <= cx <= x1 + 1e-9 and y0 - 1e-9 <= cy <= y1 + 1e-9 and free(cx, cy):
                break
        else:
            return None
        scanned[targets[i]] = k
        centres[i] = (cx, cy)
        taken.setdefault((int(cx // cell), int(cy // cell)), []).append((cx, cy))
    return centres


def swarm(targets, radius, smallest=1.5):
    """(radius, centres): the circles shrink a little at a time until they all fit."""
    while radius >= smallest:
        centres = place(targets, radius)
        if centres is not None:
            return radius, centres
        radius = math.floor(radius * 8.5) / 10
    return radius, [(round(x, 1), round(y, 1)) for x, y, _box in targets]
