import pytest


@pytest.fixture
def new_page(browser):
    """Pages in separate browser contexts (two people, two sessions), desktop-sized unless a
    viewport is given; closed after the test. A test module may define its own."""
    contexts = []

    def make(viewport=None):
        context = browser.new_context(
            locale="en-GB", viewport=viewport or {"width": 1280, "height": 900}
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
