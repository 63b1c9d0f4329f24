"""Monitors under mystic's names: Null, Monitor, VerboseMonitor, LoggingMonitor.

A monitor is called with (x, y) once per generation (a generation monitor)
or per evaluation (an evaluation monitor) and keeps x and y in lists, as
mystic's do. Any callable(x, y) works as a monitor.
"""
import math


class Null:
    """Records nothing."""

    def __call__(self, x, y, id=None, **kwds):
        pass

    def __len__(self):
        return 0

    x = property(lambda self: [])
    y = property(lambda self: [])


class Monitor:
    """Keeps every (x, y): ``monitor.x`` (lists of floats), ``monitor.y``."""

    def __init__(self, **kwds):
        self._x = []
        self._y = []
        self._id = []
        self.label = kwds.get("label")

    def __call__(self, x, y, id=None, **kwds):
        self._x.append(list(map(float, x)))
        self._y.append(float(y))
        self._id.append(id)

    def __len__(self):
        return len(self._x)

    def info(self, message):
        pass

    def prepend(self, other):
        """Put another monitor's records before these (mystic's SetGenerationMonitor)."""
        self._x[:0] = list(getattr(other, "x", []))
        self._y[:0] = list(getattr(other, "y", []))
        self._id[:0] = [None] * (len(self._x) - len(self._id))

    x = property(lambda self: self._x)
    y = property(lambda self: self._y)
    id = property(lambda self: self._id)


class VerboseMonitor(Monitor):
    """Prints "Generation N has ChiSquare: f" every `interval` records and the
    parameters every `xinterval` records (mystic's text)."""

    def __init__(self, interval=10, xinterval=math.inf, all=True, **kwds):
        super().__init__(**kwds)
        self._yinterval = interval
        self._xinterval = xinterval
        self._step = 0

    def __call__(self, x, y, id=None, **kwds):
        super().__call__(x, y, id)
        if self._yinterval is not math.inf and self._step % int(self._yinterval) == 0:
            print(f"Generation {self._step} has ChiSquare: {float(y):f}")
        if self._xinterval is not math.inf and self._step % int(self._xinterval) == 0:
            print(f"Generation {self._step} has fit parameters:\n {list(map(float, x))}")
        self._step += 1

    def info(self, message):
        print(message)


class LoggingMonitor(Monitor):
    """Writes "generation,y,x0,..." lines to a file every `interval` records."""

    def __init__(self, interval=1, filename="log.txt", new=False, **kwds):
        super().__init__(**kwds)
        self._interval = interval
        self._file = filename
        self._step = 0
        if new:
            open(filename, "w").close()

    def __call__(self, x, y, id=None, **kwds):
        super().__call__(x, y, id)
        if self._step % int(self._interval) == 0:
            with open(self._file, "a") as fp:
                fp.write(",".join([str(self._step), repr(float(y))] +
                                  [repr(float(v)) for v in x]) + "\n")
        self._step += 1


__all__ = ["LoggingMonitor", "Monitor", "Null", "VerboseMonitor"]
