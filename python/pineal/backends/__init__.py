"""Adapters that realise pineal's description in external simulators.

Each backend is a class with the interface of pineal._core.Simulation (the
object the PyNN front end talks to through state.core); see nest/.
"""
