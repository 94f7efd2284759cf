"""The kernel's one exception for lower layers: input that is the client's fault.

Apps below the API (geodata's coordinate parsing, for one) raise a subclass of ``BadInput``
with a message in Chinese; ``mapsite.api.exception_handler`` answers it with HTTP 400. The
kernel so knows no app's exceptions, and an app needs nothing of DRF to be answered right.
"""


class BadInput(ValueError):
    """A request parameter is malformed or out of range (→ HTTP 400 with this message)."""
