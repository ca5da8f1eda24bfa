"""pineal's current sources as NEST devices (dc_generator, ac_generator,
step_current_generator, noise_generator).

Timing (docs/timing.md; measured with NEST 3.10, the device connection with
delay min_delay = dt): pineal's current acting in step s is the waveform at
s dt; NEST's generators match it when every time is given one step earlier
(as PyNN's NEST backend shifts by -min_delay), for start >= 2 dt. NEST takes
no time before 0 and the earliest a generator acts is step 2: a source on
from step 0 or 1 starts in step 2 on NEST, StepCurrentSource times before
2 dt (NEST changes amplitudes at t > 0 only) raise, and a change made
between runs acts two steps late (adapter: set_current_source). Currents
nA -> pA (x 1000).
"""

import numpy as np

NEST_MODEL = {"DCSource": "dc_generator", "ACSource": "ac_generator",
              "StepCurrentSource": "step_current_generator",
              "NoisyCurrentSource": "noise_generator"}


def nest_parameters(source, dt, unsupported):
    """The NEST device parameters of `source` (a backends.current_sources.CurrentSource)."""
    v = source.values
    if source.kind == "StepCurrentSource":
        steps = np.rint(np.asarray(v["times"], dtype=float) / dt).astype(np.int64)
        amplitudes = 1000.0 * np.asarray(v["amplitudes"], dtype=float)
        # of several times in one step the last wins
        last = np.r_[steps[1:] != steps[:-1], True] if steps.size else steps.astype(bool)
        steps, amplitudes = steps[last], amplitudes[last]
        if steps.size and steps[0] < 2:
            raise unsupported(f"a StepCurrentSource time before 2 dt ({v['times'][0]} ms; NEST "
                              "changes amplitudes at t > 0 only, one step ahead)")
        return {"amplitude_times": ((steps - 1) * dt).tolist(),
                "amplitude_values": amplitudes.tolist()}
    on, off = source.window(dt)
    start = max(on - 1, 0)
    window = {"start": start * dt, "stop": max(off - 1, start) * dt}
    if source.kind == "DCSource":
        return dict(window, amplitude=1000.0 * v["amplitude"])
    if source.kind == "ACSource":
        # pineal: sin(2 pi f (s dt - start)/1000 + phase) in step s; NEST's
        # value applied in step s is the one it set at step s - 1,
        # sin(2 pi f (s - 1) dt/1000 + phase_nest) (measured), so
        # phase_nest = phase - 360 f (start - dt)/1000
        phase = (v["phase"] - 360.0 * v["frequency"] * (v["start"] - dt) / 1000.0) % 360.0
        return dict(window, amplitude=1000.0 * v["amplitude"], offset=1000.0 * v["offset"],
                    frequency=v["frequency"], phase=phase)
    if source.kind == "NoisyCurrentSource":
        every = max(1, int(round(max(v["dt"], dt) / dt)))
        return dict(window, mean=1000.0 * v["mean"], std=1000.0 * v["stdev"], dt=every * dt)
    raise unsupported(f"current source {source.kind}")
