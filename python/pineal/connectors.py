"""PyNN's connectors. Each one only describes itself; the C++ core generates
the connections, target by target, into the backend's synapse store."""

import numpy as np

from pineal import _core
from pineal.errors import ConnectionError, InvalidParameterValueError
from pineal.parameters import random_key


class Connector:
    parameter_names = ()

    def __init__(self, location_selector=None, safe=True, callback=None):
        self.location_selector = location_selector
        self.safe = safe
        self.callback = callback

    def get_parameters(self):
        return {name: getattr(self, name) for name in self.parameter_names}

    def describe(self, template="connector_default.txt", engine="default"):
        context = {"name": type(self).__name__, "parameters": self.get_parameters()}
        if template is None:
            return context
        params = ", ".join(f"{k}={v!r}" for k, v in context["parameters"].items())
        return f"Connector {context['name']}({params})"

    def _core_connector(self, projection):
        raise NotImplementedError


def _self_flag(value, name):
    if value == "NoMutual":
        raise NotImplementedError(f"{name}: allow_self_connections='NoMutual' is not supported "
                                  "yet by pineal")
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name}: allow_self_connections must be True or False, got {value!r}")
    return bool(value)


class AllToAllConnector(Connector):
    """Every pre-synaptic cell to every post-synaptic cell."""

    parameter_names = ("allow_self_connections",)

    def __init__(self, allow_self_connections=True, location_selector=None, safe=True,
                 callback=None):
        super().__init__(location_selector, safe, callback)
        self.allow_self_connections = _self_flag(allow_self_connections, "AllToAllConnector")

    def _core_connector(self, projection):
        c = _core.AllToAllConnector()
        c.allow_self_connections = self.allow_self_connections
        return c


class OneToOneConnector(Connector):
    """Pre-synaptic cell i to post-synaptic cell i."""

    def _core_connector(self, projection):
        return _core.OneToOneConnector()


class FixedProbabilityConnector(Connector):
    """Each pair connected independently with probability p_connect.

    rng=None draws from the simulator's own streams (rng_seed of setup()), a
    new stream per connector: unlike PyNN, two connectors with rng=None do not
    produce the same connectivity (docs/porting.md).
    """

    parameter_names = ("p_connect", "allow_self_connections")

    def __init__(self, p_connect, allow_self_connections=True, location_selector=None, rng=None,
                 safe=True, callback=None):
        super().__init__(location_selector, safe, callback)
        try:
            p_connect = float(p_connect)
        except (TypeError, ValueError):
            raise InvalidParameterValueError(
                f"FixedProbabilityConnector: p_connect must be a number in [0, 1], got "
                f"{p_connect!r}") from None
        if not 0.0 <= p_connect <= 1.0:
            raise InvalidParameterValueError(
                f"FixedProbabilityConnector: p_connect must lie in [0, 1], got {p_connect}")
        self.p_connect = p_connect
        self.allow_self_connections = _self_flag(allow_self_connections,
                                                 "FixedProbabilityConnector")
        self.rng = rng

    def _core_connector(self, projection):
        seed, stream = random_key(self.rng)
        return _core.FixedProbabilityConnector(
            p_connect=self.p_connect, allow_self_connections=self.allow_self_connections,
            seed=seed, stream=stream)


class FromListConnector(Connector):
    """Connections given as rows (pre_index, post_index, [p1, ..., pn])."""

    parameter_names = ("conn_list",)

    def __init__(self, conn_list, column_names=None, location_selector=None, safe=True,
                 callback=None):
        super().__init__(location_selector, safe, callback)
        rows = np.asarray(conn_list, dtype=float)
        if rows.size == 0:
            rows = rows.reshape(0, 2 + (len(column_names) if column_names else 0))
        if rows.ndim != 2 or rows.shape[1] < 2:
            raise ValueError("FromListConnector: conn_list must be rows of "
                             "(pre_index, post_index, ...), got an array of shape "
                             f"{rows.shape}")
        n_extra = rows.shape[1] - 2
        if column_names is None:
            if n_extra == 0:
                column_names = ()
            elif n_extra == 2:
                column_names = ("weight", "delay")
            else:
                raise TypeError("FromListConnector: conn_list has "
                                f"{n_extra} value columns; give column_names")
        if len(column_names) != n_extra:
            raise ValueError(f"FromListConnector: {len(column_names)} column names for "
                             f"{n_extra} value columns")
        idx = rows[:, :2]
        if np.any(idx < 0) or np.any(idx != np.floor(idx)) or np.any(idx >= 2**32):
            raise ConnectionError("FromListConnector: indices must be non-negative integers")
        self.conn_list = rows
        self.column_names = tuple(column_names)

    def _core_connector(self, projection):
        rows = self.conn_list
        return _core.FromListConnector(
            pre=np.ascontiguousarray(rows[:, 0], dtype=np.uint32),
            post=np.ascontiguousarray(rows[:, 1], dtype=np.uint32),
            column_names=list(self.column_names),
            columns=[np.ascontiguousarray(rows[:, 2 + k]) for k in range(len(self.column_names))])
