"""The "Add as claim" button shows only over a selection of the article's text.

QA saw it at the bottom-left of the review page on load (before any text was selected): the
button is made hidden (the ``hidden`` attribute), but the stylesheet's ``button {display:
inline-block}`` overrode the attribute, so it showed at the end of the page wherever the page
was short enough to see its end (a short imported article).
"""

from __future__ import annotations

from typing import Any

from tests.browser.test_review import LONGEST_PLAIN_PASSAGE


def _button(page: Any) -> Any:
    return page.locator("button.add-selection")


def test_no_add_as_claim_button_before_a_selection(page: Any, live_server: dict[str, Any]) -> None:
    page.goto(f"{live_server['url']}/articles/{live_server['article_id']}")
    page.wait_for_load_state("load")
    button = _button(page)
    assert button.count() == 1  # (made by the page's script)
    assert not button.is_visible(), f"shown on load at {button.bounding_box()}"
    # it shows over a selection in the article's text, and goes when the selection does
    box = page.evaluate(LONGEST_PLAIN_PASSAGE)
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=5)
    page.mouse.up()
    button.wait_for(state="visible")
    shown = button.bounding_box()
    assert abs(shown["x"] - box["x1"]) < 40 and shown["y"] > box["y1"]  # (under the selection)
    page.mouse.click(5, 5)  # (a click elsewhere: the selection collapses)
    button.wait_for(state="hidden")
    # and a reload (the same short article) shows none either
    page.reload()
    page.wait_for_load_state("load")
    assert not _button(page).is_visible()
