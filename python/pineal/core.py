"""PyNN's pyNN.core helpers used by connectors."""


class IndexBasedExpression:
    """Base class of functions of the indices (i, j) (arrays) of a projection's
    pre- and post-synaptic cells; `projection` is set before the call."""

    def __init__(self):
        self.projection = None

    def __call__(self, i, j):
        raise NotImplementedError
