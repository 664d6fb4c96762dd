"""Places in conflict reporting that recognition and resolution used to miss or misread (issue 22).

Each test parses sentences the team wrote, with the real model and gazetteer, and checks what a reader of the
map would see: the place found, in the right country, or no marker at all.
"""

from __future__ import annotations

import pytest


def places(parser, text: str) -> dict[str, tuple[str, str | None]]:
    """Each mention's text -> (the kind and the country of the place it was read as)."""
    return {m.text: ((m.place.kind, m.place.country_code) if m.place else None)
            for m in parser.parse(text).mentions}


@pytest.mark.parametrize("text", [
    "The war in Aleppo dragged on through the winter.",
    "Shelling hit Aleppo before dawn on Tuesday.",
])
def test_a_prominent_place_in_a_locative_context_is_found_whatever_the_model_says(parser, text):
    assert places(parser, text).get("Aleppo") == ("city", "SY")


def test_a_name_before_said_is_the_place_when_no_person_has_it(parser):
    text = "Traders in Albukamal said the crossing stayed shut. Convoys waited outside Albukamal."
    assert places(parser, text).get("Albukamal", (None, None))[1] == "SY"


def test_a_name_before_said_is_a_person_when_one_has_it(parser):
    text = "Miriam Burley ran the clinic. Burley said supplies were short."
    assert "Burley" not in places(parser, text)


def test_organisations_named_after_places_are_no_places(parser):
    text = ("A panel at Chatham House and columnists of the Jordan Times and the Kyiv Independent argued. "
            "Meanwhile strikes hit Gaza City.")
    found = places(parser, text)
    assert not {"Chatham", "Jordan", "Kyiv"} & set(found)
    assert found.get("Gaza City", (None, None))[1] == "PS"
