"""The flat arrays the search index keeps its postings, terms and coordinates in behave as the
plain mappings they replace, through any order of additions, removals and compactions."""

from __future__ import annotations

import math
import pickle
import random
from array import array

import pytest

from bot.search.forward import ForwardIndex
from bot.search.geo import GeoGrid
from bot.search.scoring import Postings
from bot.search.slots import Slots

WORDS = [f"w{n}" for n in range(60)]


def _f32(value: float) -> float:
    return array("f", [value])[0]


@pytest.mark.parametrize("seed", range(8))
def test_postings_answer_as_a_mapping_of_terms_to_ordered_lists(seed: int) -> None:
    rng = random.Random(seed)
    postings = Postings()
    model: dict[str, list[tuple[int, float]]] = {}
    numbers: dict[int, array[int]] = {}
    for step in range(600):
        roll = rng.random()
        if roll < 0.6 or not numbers:
            doc_id = rng.randrange(10_000)
            if doc_id in numbers:
                continue
            values = {term: rng.random() for term in rng.sample(WORDS, rng.randint(1, 12))}
            numbers[doc_id] = postings.add(doc_id, values)
            assert [postings.term(n) for n in numbers[doc_id]] == list(values)
            for term, value in values.items():
                model.setdefault(term, []).append((doc_id, _f32(value)))
        elif roll < 0.95:
            doc_id = rng.choice(sorted(numbers))
            postings.remove(doc_id, numbers.pop(doc_id))
            for term in list(model):
                model[term] = [(d, v) for d, v in model[term] if d != doc_id]
                if not model[term]:
                    del model[term]
        elif step % 2:
            postings.compact()
        else:
            postings.tidy()
        for term in WORDS:
            ids, values = postings.arrays(term)
            assert list(zip(ids, values, strict=True)) == model.get(term, [])
            assert postings.df(term) == len(model.get(term, []))
            assert (term in postings) == (term in model)
        assert len(postings) == len(model)
    # The numbers an initiative was given still name its terms after all that moving.
    for doc_id, kept in numbers.items():
        for number in kept:
            assert doc_id in postings.arrays(postings.term(number))[0]


def test_a_term_that_disappears_frees_its_number_for_the_next_new_term() -> None:
    postings = Postings()
    first = postings.add(1, {"fiets": 0.5, "buurt": 0.25})
    postings.add(2, {"buurt": 0.5})
    postings.remove(1, first)
    assert "fiets" not in postings and postings.df("buurt") == 1
    again = postings.add(3, {"moestuin": 0.75})
    assert list(again) == [first[0]]
    assert postings.term(again[0]) == "moestuin"
    assert list(postings.items("moestuin")) == [(3, 0.75)]
    assert postings.arrays("fiets") == ((), ())


def test_compacting_leaves_no_gaps_and_a_saved_copy_reads_back_the_same() -> None:
    postings = Postings()
    for doc_id in range(1, 200):
        postings.add(doc_id, {f"w{doc_id % 7}": 0.5, f"w{doc_id % 3 + 10}": 0.25})
    postings.compact()
    assert postings.stored == sum(postings.df(term) for term in WORDS)
    copy = pickle.loads(pickle.dumps(postings))
    for term in WORDS:
        assert copy.arrays(term) == postings.arrays(term)


@pytest.mark.parametrize("seed", range(6))
def test_the_forward_index_keeps_each_initiatives_terms_through_removals(seed: int) -> None:
    rng = random.Random(seed)
    slots = Slots()
    forward = ForwardIndex(slots)
    model: dict[int, tuple[list[int], list[float], tuple[int, int, int]]] = {}
    for _ in range(500):
        if rng.random() < 0.6 or not model:
            doc_id = rng.randrange(5_000)
            if doc_id in model:
                continue
            terms = [rng.randrange(100) for _ in range(rng.randint(0, 9))]
            values = [_f32(rng.random()) for _ in terms]
            lengths = (rng.randrange(9), rng.randrange(9), rng.randrange(200))
            slots.take(doc_id)
            forward.add(doc_id, array("i", terms), values, lengths)
            model[doc_id] = (terms, values, lengths)
        else:
            doc_id = rng.choice(sorted(model))
            terms, _values, lengths = model.pop(doc_id)
            popped = forward.pop(doc_id)
            slots.give_up(doc_id)
            assert (list(popped[0]), popped[1]) == (terms, lengths)
        if rng.random() < 0.05:
            forward.compact()
        for doc_id, (terms, values, _lengths) in model.items():
            found = forward.terms(doc_id)
            assert (list(found[0]), list(found[1])) == (terms, values)
    assert len(slots.free) + len(slots) == slots.size  # every slot given up is handed out again


@pytest.mark.parametrize("seed", range(4))
def test_the_grid_finds_what_a_look_at_every_point_finds(seed: int) -> None:
    rng = random.Random(seed)
    slots = Slots()
    grid = GeoGrid(slots)
    points: dict[int, tuple[float, float]] = {}
    for _ in range(400):
        key = rng.randrange(300)
        if rng.random() < 0.7:
            point = (52.0 + rng.uniform(-0.3, 0.3), 5.1 + rng.uniform(-0.4, 0.4))
            if key not in slots:
                slots.take(key)
            grid.add(key, *point)
            points[key] = point
        elif key in slots:  # as the index does: the point goes, then its slot
            grid.remove(key)
            slots.give_up(key)
            points.pop(key, None)
    assert len(grid) == len(points)
    for key, point in points.items():
        assert grid.position(key) == point
    assert grid.position(-1) is None
    for _ in range(20):
        lat, lon = 52.0 + rng.uniform(-0.3, 0.3), 5.1 + rng.uniform(-0.4, 0.4)
        radius = rng.choice([0.5, 2.0, 8.0, 60.0])
        ky = math.pi * 6371.0088 / 180.0
        kx = ky * math.cos(math.radians(lat))
        expected = sorted(
            (math.hypot((plat - lat) * ky, (plon - lon) * kx), key)
            for key, (plat, plon) in points.items()
            if math.hypot((plat - lat) * ky, (plon - lon) * kx) <= radius
        )
        found = grid.within(lat, lon, radius)
        assert [key for key, _ in found] == [key for _, key in expected]


def test_initiatives_that_take_the_slots_of_removed_ones_are_kept_apart() -> None:
    """Slots given up are handed out again: what each initiative shows (its document, place,
    position, terms) is its own, whatever slot it got, and nothing of a removed one lingers."""
    from pathlib import Path

    from bot.search import SearchIndex
    from bot.search.evaluation import load_documents

    data = Path(__file__).resolve().parent.parent / "data" / "search_eval" / "initiatives.json"
    docs = load_documents(data)
    first, later = docs[:50], docs[50:70]
    index = SearchIndex()
    index.build(first)
    gone = first[::2]
    for doc in gone:
        index.remove(doc.id)
    for doc in later:
        index.upsert(doc)
    kept = [doc for doc in first if doc not in gone] + later
    fresh = SearchIndex()
    fresh.build(kept)

    assert dict(index.documents()) == {doc.id: doc for doc in kept}
    assert len(index) == len(kept) and all(doc.id not in index for doc in gone)
    for lat, lon in [(52.09, 5.12), (52.15, 5.39), (52.0, 5.0)]:
        assert index.nearby(lat, lon, limit=100) == fresh.nearby(lat, lon, limit=100)
    for doc in kept:
        assert doc.id in {hit.id for hit in index.search(doc.name, limit=5).hits}
        assert {hit.id for hit in index.similar(doc.id, limit=100)} <= {d.id for d in kept} - {
            doc.id
        }
        municipality = doc.municipality or None
        found = index.search(doc.name, limit=50, theme=doc.themes[0] if doc.themes else None,
                             municipality=municipality)  # fmt: skip
        assert doc.id in {hit.id for hit in found.hits}
