"""A wall-clock timer for scripts (PyNN's ``utility.Timer``)."""

import time
import warnings


class Timer:
    """Measures wall-clock time; starts when created.

    ``elapsed_time()`` counts from the start, ``diff()`` from the previous
    check (a check is any call to ``elapsed_time``, ``diff`` or ``mark``), and
    ``mark(label)`` records a labelled ``diff`` in ``marks``.
    """

    def __init__(self):
        self.marks = []
        self.start()

    def start(self):
        """(Re)start timing from now."""
        # perf_counter: monotonic, so intervals never go negative if the
        # system clock is adjusted during a run.
        self._start_time = time.perf_counter()
        self._last_check = self._start_time

    def reset(self):
        """Restart timing from now and forget the marks."""
        self.marks = []
        self.start()

    def elapsed_time(self, format=None):
        """Seconds since the start, or the same in words if format == "long"."""
        self._last_check = time.perf_counter()
        elapsed = self._last_check - self._start_time
        return self.time_in_words(elapsed) if format == "long" else elapsed

    def elapsedTime(self, format=None):
        warnings.warn(
            "Timer.elapsedTime() is deprecated; use elapsed_time()",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.elapsed_time(format)

    def diff(self, format=None):
        """Seconds since the previous check, or in words if format == "long"."""
        now = time.perf_counter()
        interval = now - self._last_check
        self._last_check = now
        return self.time_in_words(interval) if format == "long" else interval

    def mark(self, label):
        """Append (label, seconds since the previous check) to ``marks``."""
        entry = (label, self.diff())
        self.marks.append(entry)
        return entry

    @staticmethod
    def time_in_words(s):
        """E.g. 123 -> "2 minutes, 3 seconds"; 3600 -> "1 hour"."""
        s = round(float(s), 2)
        parts = []
        for unit, length in (("day", 86400), ("hour", 3600), ("minute", 60)):
            count, s = divmod(s, length)
            if count:
                parts.append(f"{int(count)} {unit}" + ("s" if count != 1 else ""))
        s = round(s, 2)  # divmod on floats leaves tiny remainders
        if s or not parts:
            parts.append(f"{s:g} second" + ("s" if s != 1 else ""))
        return ", ".join(parts)
