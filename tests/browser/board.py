"""Working the map board as a person does: find a stage, search, drag, wait for htmx."""


def stage_column(page, name):
    return page.locator("section.stage", has=page.locator("h2", has_text=name))


def card(page, stage, name):
    return stage_column(page, stage).locator("li.tp-card", has_text=name)


def redrawn(page, action):
    """Do something that redraws the board, and wait until the server's board is shown
    (a drop shows at once in the browser; the answer replaces the board a moment later)."""
    page.evaluate("document.getElementById('board').dataset.stale = '1'")
    action()
    page.wait_for_selector("#board:not([data-stale])")
    settled(page)


def settled(page):
    """htmx has finished swapping and wiring the new content (and no request is open)."""
    # A function, not an expression: an expression would be eval'd, which the page's
    # content security policy refuses.
    busy = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"
    page.wait_for_function(f"() => !document.querySelector('{busy}')")


def search(page, stage, text):
    """Type into a stage's picker as a person does, key by key, until its results show."""
    box = stage_column(page, stage).locator("input[type=search]")
    box.click()
    box.press_sequentially(text, delay=40)
    stage_column(page, stage).locator(".picker-results .matches").wait_for()


def drag(page, source, target):
    """Press, move in small steps, release: how a hand drags (SortableJS's pointer path)."""
    start = source.locator(".meta").bounding_box()
    end = target.bounding_box()
    page.mouse.move(start["x"] + 10, start["y"] + 5)
    page.mouse.down()
    x, y = end["x"] + end["width"] / 2, end["y"] + end["height"] - 5
    for step in range(1, 21):
        page.mouse.move(
            start["x"] + (x - start["x"]) * step / 20, start["y"] + (y - start["y"]) * step / 20
        )
    page.mouse.up()
