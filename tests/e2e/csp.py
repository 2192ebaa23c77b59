"""Collect Content Security Policy violations a page causes in real Chromium.

The browser reports each one twice: a ``securitypolicyviolation`` event (structured, caught
by an init script that survives navigations and handed to Python through a binding) and a
console error ("Refused to …"). Both are kept, so a violation the event misses (those raised
while a document is still being parsed in some versions) still shows up.
"""

LISTENER = """
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspReport({
    directive: e.effectiveDirective,
    blocked: e.blockedURI,
    source: e.sourceFile,
    line: e.lineNumber,
    sample: e.sample,
    page: document.location.pathname,
  });
});
"""


class CSPWatcher:
    def __init__(self, page):
        self.violations = []
        self.console = []
        page.expose_binding("__cspReport", lambda source, report: self.violations.append(report))
        page.add_init_script(LISTENER)
        page.on("console", self._on_console)

    def _on_console(self, message):
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.console.append(text)

    def __bool__(self):
        return bool(self.violations or self.console)

    def __str__(self):
        return "\n".join([*map(str, self.violations), *self.console])
