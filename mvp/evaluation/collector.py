"""Python's cyclic garbage collector paused while an evaluation is built.

A build reads hundreds of thousands of rows (a municipality's school year: 345,000 item
answers; five years: 1.75 million), each a tuple from the database driver, and makes tens of
thousands of short-lived objects of its own. The cyclic collector counts every allocation
and, as the rows pile up, walks all live objects again and again — on a municipality that
was a tenth to a fifth of the build. None of these objects is part of a reference cycle, so
reference counting frees every one of them as before; the collector only runs later. The
pause is counted, so that with several builds in threads of one process it ends when the
last of them does, and the collector is left as it was found (a test may have turned it off).
"""

import contextlib
import gc
import threading

_lock = threading.Lock()
_paused = 0  # builds running with the collector paused
_was_enabled = False


@contextlib.contextmanager
def collector_paused():
    """Run the body with the cyclic garbage collector off (see the module)."""
    global _paused, _was_enabled
    with _lock:
        if _paused == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _lock:
            _paused -= 1
            if _paused == 0 and _was_enabled:
                gc.enable()
