"""The actor map: who makes claims about whom, and who disputes whose claims.

Data for `templates/claims/_actor_map.html` (server-side SVG). Nodes are actors; edges are

- **claims about** (stance *supports*): an asserter of a published claim → each of its subjects.
  The asserters of a claim are its claimant and the actors on its supporting passages (the seed's
  arms-transfer charge is made by Washington, the claimant, and Seoul, on the passage);
- **disputes** (stance *disputes*): an actor on a disputing passage → each asserter of that claim.

An edge's width grows with its number of distinct claims, and it links to exactly those claims in
the claim list (`asserted_by` + `subject`, or `disputed_by` + `asserted_by`: claims/filters.py).
Claims in a source's own voice have no asserter and draw no edge; an actor's own claims about
itself draw none either.

`build()` runs five queries whatever the number of claims (four grouped counts and the actors;
around an actor each count reads only that actor's claims, see `_pairs`); `layout()` is pure
geometry, its label spreading a sweep (`_overlapping`) rather than a comparison of every pair.
Each count query keeps its SCAN_LIMIT biggest pairs, enough for the MAX_EDGES heaviest edges to
have exact counts unless a pair is missing from one query's top SCAN_LIMIT while in the overall
top MAX_EDGES (in practice, never).
"""

import math
from dataclasses import dataclass, field

from django.db.models import Count, F, FilteredRelation, Q
from django.urls import reverse
from django.utils.http import urlencode

from claims.models import Actor, Claim, Evidence

MAX_EDGES = 40
SCAN_LIMIT = 500
ABOUT, DISPUTES = "about", "disputes"
PUBLISHED = Claim.Status.PUBLISHED

# Two drawings of the same layout: wide for screens, tall for phones (CSS shows one), so the labels
# stay readable without scrolling the picture sideways. (name, viewBox width, height)
SHAPES = (("wide", 720, 500), ("tall", 360, 600))
MARGIN_TOP, MARGIN_BOTTOM = 30, 45


@dataclass
class Node:
    actor: Actor
    weight: int  # claims on its edges
    current: bool = False
    r: float = 8
    x: float = 0  # the layout's own coordinates, before fitting into a drawing
    y: float = 0


@dataclass
class Edge:
    kind: str  # ABOUT or DISPUTES
    source: Node
    target: Node
    claims: int
    url: str
    width: float = 1.5

    @property
    def stance(self):
        return "supports" if self.kind == ABOUT else "disputes"

    @property
    def description(self):
        n = f"{self.claims} claim{'s' if self.claims != 1 else ''}"
        if self.kind == ABOUT:
            return f"{self.source.actor.name} makes {n} about {self.target.actor.name}"
        return f"{self.source.actor.name} disputes {n} by {self.target.actor.name}"


@dataclass
class Spot:
    """A node placed in one drawing."""

    node: Node
    x: float
    y: float

    @property
    def label_y(self):
        return round(self.y + self.node.r + 15, 1)


@dataclass
class Drawing:
    name: str
    width: int
    height: int
    spots: list  # Spot
    lines: list  # (Edge, SVG path)


@dataclass
class ActorMap:
    nodes: list
    edges: list
    limited: bool
    drawings: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.edges)

    @property
    def disputes(self):
        return [e for e in self.edges if e.kind == DISPUTES]

    @property
    def table(self):
        """Disputes first: they are what the map is for."""
        return self.disputes + [e for e in self.edges if e.kind == ABOUT]

    @property
    def summary(self):
        """The disputes in words, disputers with the same targets together: ["Russia and North
        Korea dispute claims by South Korea and United States"]. At most five sentences."""
        targets = {}
        for edge in self.disputes:
            targets.setdefault(edge.source.actor, []).append(edge.target.actor.name)
        groups = {}
        for disputer, names in targets.items():
            groups.setdefault(tuple(sorted(names)), []).append(disputer.name)
        out = []
        for names, disputers in list(groups.items())[:5]:
            verb = "disputes" if len(disputers) == 1 else "dispute"
            out.append(f"{_and(disputers)} {verb} claims by {_and(list(names))}")
        return out


def _and(names):
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _pairs(queryset, a, b, actor):
    """{(a_id, b_id): distinct claims} from a grouped count, touching `actor` if given.

    Around an actor it is a UNION ALL of the claims where the actor is `a` and those where it
    is `b`: each half filters one indexed column (a claimant, a subject link, an evidence actor)
    and reads only that actor's claims, where `a = X OR b = X` across the joins made every
    published claim a candidate. A pair both halves count has, in one half, a subset of the
    claims it has in the other (the filter on an evidence actor is its own join, so a half may
    name pairs beside the actor's own, as the OR did), so the larger count is the pair's count
    over the union: the same figure as the OR.
    """

    def grouped(rows):
        return rows.values_list(a, b).annotate(n=Count("pk", distinct=True)).order_by()

    if actor is None:
        rows = grouped(queryset)
    else:
        rows = grouped(queryset.filter(**{a: actor.pk})).union(
            grouped(queryset.filter(**{b: actor.pk})), all=True
        )
    pairs = {}
    for x, y, n in rows.order_by("-n", a, b)[:SCAN_LIMIT]:
        if x is not None and y is not None and x != y:
            pairs[x, y] = max(n, pairs.get((x, y), 0))
    return pairs


def edge_counts(actor=None):
    """{(kind, from_id, to_id): distinct published claims}: four grouped queries."""
    claims = Claim.objects.published().annotate(
        supporting=FilteredRelation(
            "evidence", condition=Q(evidence__stance=Evidence.Stance.SUPPORTS)
        ),
        disputing=FilteredRelation(
            "evidence", condition=Q(evidence__stance=Evidence.Stance.DISPUTES)
        ),
    )
    # An asserter is the claimant or an actor on a supporting passage. The queries over
    # supporting actors leave the claimant out, so that the two counts add up to distinct claims.
    not_claimant = ~Q(claimant=F("supporting__actors")) | Q(claimant__isnull=True)
    parts = [
        (ABOUT, _pairs(claims.filter(claimant__isnull=False), "claimant", "subjects", actor)),
        (ABOUT, _pairs(claims.filter(not_claimant), "supporting__actors", "subjects", actor)),
        (
            DISPUTES,
            _pairs(claims.filter(claimant__isnull=False), "disputing__actors", "claimant", actor),
        ),
        (
            DISPUTES,
            _pairs(claims.filter(not_claimant), "disputing__actors", "supporting__actors", actor),
        ),
    ]
    counts = {}
    for kind, pairs in parts:
        for (a, b), n in pairs.items():
            counts[kind, a, b] = counts.get((kind, a, b), 0) + n
    return counts


def build(actor=None):
    """The whole map, or `actor`'s neighbourhood (edges touching it). Five queries."""
    counts = edge_counts(actor)
    heaviest = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    # disputes are what the map is for: they get up to half the room before claims fill the rest
    disputes = [item for item in heaviest if item[0][0] == DISPUTES][: MAX_EDGES // 2]
    rest = [item for item in heaviest if item not in disputes]
    kept = sorted(
        disputes + rest[: MAX_EDGES - len(disputes)], key=lambda item: (-item[1], item[0])
    )
    ids = {a for (_, a, _), _ in kept} | {b for (_, _, b), _ in kept}
    actors = {a.pk: a for a in Actor.objects.filter(pk__in=ids).only("name", "slug", "kind")}
    nodes = {}
    for (_, a, b), n in kept:
        for pk in (a, b):
            current = actor is not None and pk == actor.pk
            node = nodes.setdefault(pk, Node(actors[pk], 0, current=current))
            node.weight += n
    edges = []
    for (kind, a, b), n in kept:
        source, target = nodes[a], nodes[b]
        if kind == ABOUT:
            params = {"asserted_by": source.actor.slug, "subject": target.actor.slug}
        else:
            params = {"disputed_by": source.actor.slug, "asserted_by": target.actor.slug}
        url = f"{reverse('claims:claim_list')}?{urlencode(params)}"
        edges.append(Edge(kind, source, target, n, url))
    ordered = sorted(nodes.values(), key=lambda n: (-n.weight, n.actor.name))
    result = ActorMap(ordered, edges, limited=len(counts) > MAX_EDGES)
    layout(result, center=nodes.get(getattr(actor, "pk", None)))
    return result


def layout(graph, center=None):
    """Place nodes and draw edges. With `center` (an actor's page) the actor sits in the middle
    and its neighbours on a ring; otherwise a deterministic force-directed layout. Then the
    layout is fitted into each drawing shape."""
    nodes = graph.nodes
    if not nodes:
        return
    for node in nodes:
        node.r = round(min(24, 6 + 3 * math.sqrt(node.weight)), 1)
    if center is not None:
        _ring(nodes, center)
    else:
        _force(nodes, graph.edges)
    heaviest = max(e.claims for e in graph.edges)
    for edge in graph.edges:
        edge.width = round(1.5 + 3.5 * math.sqrt(edge.claims / heaviest), 1)
    drawn = [e for e in graph.edges if e.kind == ABOUT] + graph.disputes  # disputes on top
    for name, width, height in SHAPES:
        spots = _fit(nodes, width, height)
        _spread_labels(spots, width, height)
        by_node = {id(spot.node): spot for spot in spots}
        lines = [(e, _curve(e, by_node[id(e.source)], by_node[id(e.target)])) for e in drawn]
        graph.drawings.append(Drawing(name, width, height, spots, lines))


def _ring(nodes, center):
    others = [n for n in nodes if n is not center]
    center.x, center.y = 0, 0
    for i, node in enumerate(others):
        angle = -math.pi / 2 + 2 * math.pi * i / max(len(others), 1)
        node.x, node.y = math.cos(angle), math.sin(angle)


def _force(nodes, edges, iterations=300):
    """Fruchterman–Reingold in the unit square, seeded on a circle (heaviest first): the same
    input always gives the same picture, so the cached page and the tests agree."""
    n = len(nodes)
    index = {id(node): i for i, node in enumerate(nodes)}
    pos = [
        [math.cos(2 * math.pi * i / n) * 0.5, math.sin(2 * math.pi * i / n) * 0.5] for i in range(n)
    ]
    links = {}
    for e in edges:
        a, b = sorted((index[id(e.source)], index[id(e.target)]))
        links[a, b] = links.get((a, b), 0) + e.claims
    k = 1.3 * math.sqrt(1.0 / n)
    temperature = 0.15
    for _ in range(iterations):
        move = [[0.0, 0.0] for _ in range(n)]
        for i in range(n):
            for j in range(i + 1, n):
                dx, dy = pos[i][0] - pos[j][0], pos[i][1] - pos[j][1]
                d = max(math.hypot(dx, dy), 1e-3)
                f = k * k / d
                move[i][0] += dx / d * f
                move[i][1] += dy / d * f
                move[j][0] -= dx / d * f
                move[j][1] -= dy / d * f
        for (i, j), w in links.items():
            dx, dy = pos[i][0] - pos[j][0], pos[i][1] - pos[j][1]
            d = max(math.hypot(dx, dy), 1e-3)
            f = d * d / k * (1 + 0.3 * math.log(w))
            move[i][0] -= dx / d * f
            move[i][1] -= dy / d * f
            move[j][0] += dx / d * f
            move[j][1] += dy / d * f
        for i in range(n):  # a pull to the middle keeps separate groups on the page
            move[i][0] -= pos[i][0] * k
            move[i][1] -= pos[i][1] * k
            d = max(math.hypot(*move[i]), 1e-9)
            step = min(d, temperature)
            pos[i][0] += move[i][0] / d * step
            pos[i][1] += move[i][1] / d * step
        temperature = max(temperature * 0.985, 0.002)
    for node, (x, y) in zip(nodes, pos, strict=True):
        node.x, node.y = x, y


def _label_half(node):
    return max(node.r, 3.9 * len(node.actor.name))


def _fit(nodes, width, height):
    """Spots for `nodes` scaled into width × height, leaving room for the labels."""
    xs, ys = [n.x for n in nodes], [n.y for n in nodes]
    span_x, span_y = (max(xs) - min(xs)) or 1, (max(ys) - min(ys)) or 1
    margin_x = width * 0.12  # a long label may poke further: _spread_labels keeps it inside
    inner_w = width - 2 * margin_x
    inner_h = height - MARGIN_TOP - MARGIN_BOTTOM
    spots = []
    for node in nodes:
        fx = (node.x - min(xs)) / span_x if len(set(xs)) > 1 else 0.5
        fy = (node.y - min(ys)) / span_y if len(set(ys)) > 1 else 0.5
        spots.append(Spot(node, margin_x + fx * inner_w, MARGIN_TOP + fy * inner_h))
    return spots


def _box(spot, half):
    """The node and its label as (left, top, right, bottom); `half` is `_label_half(node)`."""
    r = spot.node.r
    return spot.x - half, spot.y - r, spot.x + half, round(spot.y + r + 15, 1) + 4  # label_y


def _overlapping(boxes):
    """Index pairs (i, j), i < j, of overlapping boxes, in order: a sweep along x that compares
    a box only with the boxes still open at its left edge (n log n plus the overlaps), not
    every pair."""
    open_boxes = []
    pairs = []
    for i in sorted(range(len(boxes)), key=lambda i: boxes[i][0]):
        left, top, _, bottom = boxes[i]
        open_boxes = [j for j in open_boxes if boxes[j][2] > left]
        for j in open_boxes:
            if min(bottom, boxes[j][3]) > max(top, boxes[j][1]):
                pairs.append((j, i) if j < i else (i, j))
        open_boxes.append(i)
    pairs.sort()
    return pairs


def _spread_labels(spots, width, height, rounds=60):
    """Push apart nodes whose labels would overlap (the layout knows nodes, not words).

    Each round takes the pairs that overlap at its start (`_overlapping`), in order, and
    separates those still overlapping when their turn comes: the cost of a round grows with the
    number of overlaps, not with the square of the number of nodes."""
    halves = [_label_half(spot.node) for spot in spots]
    for _ in range(rounds):
        boxes = [_box(spot, half) for spot, half in zip(spots, halves, strict=True)]
        moved = False
        for i, j in _overlapping(boxes):
            a, b = spots[i], spots[j]
            al, at, ar, ab = boxes[i]
            bl, bt, br, bb = boxes[j]
            dx = min(ar, br) - max(al, bl)
            dy = min(ab, bb) - max(at, bt)
            if dx <= 0 or dy <= 0:
                continue
            moved = True
            if dy < dx:  # the cheaper way out: up/down
                shift = dy / 2 + 1
                sign = 1 if b.y >= a.y else -1
                a.y -= sign * shift
                b.y += sign * shift
            else:
                shift = dx / 2 + 1
                sign = 1 if b.x >= a.x else -1
                a.x -= sign * shift
                b.x += sign * shift
            boxes[i], boxes[j] = _box(a, halves[i]), _box(b, halves[j])
        for spot, half in zip(spots, halves, strict=True):
            left, top, right, bottom = _box(spot, half)
            spot.x += max(0, 4 - left) - max(0, right - (width - 4))
            spot.y += max(0, 4 - top) - max(0, bottom - (height - 4))
        if not moved:
            break
    for spot in spots:
        spot.x, spot.y = round(spot.x, 1), round(spot.y, 1)


def _curve(edge, a, b):
    """A gentle arc, bent to the right of its direction: A→B and B→A do not overlap, and a
    dispute bends further than a claim between the same two actors."""
    dx, dy = b.x - a.x, b.y - a.y
    d = max(math.hypot(dx, dy), 1e-6)
    bend = (0.12 if edge.kind == ABOUT else 0.24) * d
    cx, cy = (a.x + b.x) / 2 - dy / d * bend, (a.y + b.y) / 2 + dx / d * bend

    def toward(node, px, py, gap):
        ux, uy = px - node.x, py - node.y
        u = max(math.hypot(ux, uy), 1e-6)
        return round(node.x + ux / u * gap, 1), round(node.y + uy / u * gap, 1)

    x1, y1 = toward(a, cx, cy, a.node.r + 1)
    x2, y2 = toward(b, cx, cy, b.node.r + 3 + edge.width)
    return f"M{x1} {y1} Q{round(cx, 1)} {round(cy, 1)} {x2} {y2}"
