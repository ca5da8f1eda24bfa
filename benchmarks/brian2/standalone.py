"""Brian 2's C++ standalone mode as the benchmark scripts use it, and what
they report.

The network is compiled into one C++ program (built with the machine's g++,
OpenMP threads for --threads > 1), which constructs the synapses and runs.
Reported: compile_s (code generation and g++; not part of build_s; Brian
recompiles only what changed, so repeats of a run compile almost nothing),
build_s (the program's run time outside the simulation loop: construction,
initialisation, writing results), sim_s (the simulation loop,
Brian's own timer), sim_cpu_s (process CPU time around the loop, timed by
code inserted into the program), and the program's own peak RSS (not the
compiler's).
"""

import pathlib
import tempfile
import time

import brian2 as b2

CPU_FILE = "pineal_loop_cpu.txt"


def standalone(threads, tag):
    """Selects the standalone device. The project directory is kept per
    network (tag) and thread count: Brian rewrites only the files whose code
    changed, so repeats recompile nothing and compile_s is the first run's."""
    directory = pathlib.Path(tempfile.gettempdir()) / "pineal-brian2bench" / f"{tag}_t{threads}"
    directory.mkdir(parents=True, exist_ok=True)
    b2.set_device("cpp_standalone", directory=directory, build_on_run=False)
    b2.prefs.devices.cpp_standalone.openmp_threads = threads if threads > 1 else 0
    b2.prefs.devices.cpp_standalone.extra_make_args_unix = ["-j2"]
    rss = pathlib.Path(directory) / "binary_rss.txt"
    # GNU time writes the program's own peak RSS (KiB): the compiler's is not counted.
    b2.prefs.devices.cpp_standalone.run_cmd_unix = ["/usr/bin/time", "-f", "%M", "-o",
                                                    str(rss), "./main"]
    # Process CPU time of the simulation loop alone (std::clock counts every thread).
    b2.device.insert_code("before_network_run",
                          "const double pineal_cpu0 = double(std::clock()) / CLOCKS_PER_SEC;")
    b2.device.insert_code("after_network_run",
                          "{ FILE* f = std::fopen(\"" + CPU_FILE + "\", \"w\"); "
                          "std::fprintf(f, \"%.6f\\n\", double(std::clock()) / CLOCKS_PER_SEC"
                          " - pineal_cpu0); std::fclose(f); }")
    return directory


def build_and_run(directory, tstop_ms):
    """Compiles and runs; returns the timing fields of the report."""
    t0 = time.perf_counter()
    b2.device.build(directory=str(directory), compile=True, run=False)
    compile_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    b2.device.run(directory=str(directory), with_output=False)
    program_s = time.perf_counter() - t1
    sim_s = float(b2.device._last_run_time)
    cpu = float((directory / CPU_FILE).read_text())
    rss_mb = int((directory / "binary_rss.txt").read_text().split()[-1]) / 1024
    return {"compile_s": compile_s, "build_s": program_s - sim_s, "sim_s": sim_s,
            "sim_cpu_s": cpu, "peak_rss_self_mb": rss_mb, "rss_base_mb": 0.0,
            "rss_built_mb": rss_mb, "brian2_version": b2.__version__,
            "brian2_mode": "cpp_standalone" + (
                " (OpenMP)" if b2.prefs.devices.cpp_standalone.openmp_threads else "")}
