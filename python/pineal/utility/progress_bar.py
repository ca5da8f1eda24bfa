"""Text progress bars (PyNN's ``utility.ProgressBar`` and ``SimulationProgressBar``)."""

import sys

_MODES = ("fixed", "dynamic")
# Characters around the bar: "[ " + bar + " ] " + "100%"
_DECORATION = 9


class ProgressBar:
    """A one-line bar redrawn in place with a carriage return.

    The whole line is ``width`` characters.  In "fixed" mode the bar is padded
    so the percentage stays at the right edge; in "dynamic" mode the
    percentage follows the end of the bar.
    """

    def __init__(self, width=77, char="#", mode="fixed"):
        if mode not in _MODES:
            raise ValueError(f"mode must be one of {_MODES}, not {mode!r}")
        self.width = width
        self.char = char
        self.mode = mode
        self._bar_width = max(1, width - _DECORATION)

    def set_level(self, level):
        """Draw the bar for a fraction ``level`` of the work (clipped to [0, 1])."""
        level = min(max(0.0, float(level)), 1.0)
        filled = self.char * int(level * self._bar_width)
        percent = f"{int(level * 100):3d}%"
        if self.mode == "fixed":
            line = f"[ {filled.ljust(self._bar_width)} ] {percent}"
        else:
            # pad the tail so a shorter line overwrites a longer previous one
            line = f"[ {filled} ] {percent.strip()}".ljust(self.width)
        sys.stdout.write("\r" + line)
        sys.stdout.flush()

    def __call__(self, level):
        self.set_level(level)


class SimulationProgressBar:
    """A ``run(..., callbacks=[...])`` callback that shows t / t_stop.

    Called with the current time t, it redraws the bar and returns the next
    time it wants to be called, t + interval; at t_stop it ends the line.
    """

    def __init__(self, interval, t_stop, char="#", mode="fixed"):
        if interval <= 0:
            # a non-positive interval would call back at the same time forever
            raise ValueError(f"interval must be positive, got {interval}")
        self.interval = interval
        self.t_stop = t_stop
        self.pb = ProgressBar(char=char, mode=mode)

    def __call__(self, t):
        level = t / self.t_stop if self.t_stop > 0 else 1.0
        self.pb(level)
        if level >= 1.0:
            sys.stdout.write("\n")
            sys.stdout.flush()
        return t + self.interval
