"""The three-surface differential test (issue 19): random operation scripts played through
Python's ``fleetcore.Group``, through the Rust API (``core/examples/replay.rs``) and through the
C ABI (``ffi/examples/replay_c.rs``, the ``fc_group_*`` functions called from Rust), each with
random action-buffer lengths from 1 to 256, must give identical action logs, refusals included.
More scripts: ``FLEETCORE_DIFF_SCRIPTS``; the fuzz campaign runs the Rust/C pair as the cargo-fuzz
target ``differential`` (``fuzz/README.md``).
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest

import fleetcore

ROOT = Path(__file__).resolve().parents[2]
NEVER = "i-00123456789abcdef"  # InstanceId::from_u64(0x0123_4567_89ab_cdef), never launched
SCRIPTS = int(os.environ.get("FLEETCORE_DIFF_SCRIPTS", "2000"))


def replay_binary(package: str = "fleetcore", example: str = "replay") -> Path:
    if shutil.which("cargo") is None:
        pytest.skip("cargo is not on PATH")
    subprocess.run(
        ["cargo", "build", "-q", "--locked", "-p", package, "--example", example],
        cwd=ROOT,
        check=True,
    )
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    return target / "debug" / "examples" / example


def script(rng: random.Random) -> list[str]:
    lo = rng.randint(0, 3)
    hi = lo + rng.randint(0, 6)
    lines = [f"group {lo} {hi} {rng.randint(1, 3)} {rng.randrange(2**64)} {rng.choice([1, 2, 3, 7, 256])}"]
    t = 0
    launched = 0
    for _ in range(rng.randint(5, 60)):
        t += rng.choice([0, 0, 1, 30, 60, 300, 3600])
        op = rng.choice(["tick", "tick", "tick", "desired", "booted", "booted", "terminated", "failed", "unhealthy", "cpu"])
        k = rng.randint(0, launched)  # `launched` itself names an id never launched
        if op == "tick":
            lines.append(f"tick {t}")
            launched += 8  # an upper bound: the index is clamped to NEVER past the real end
        elif op == "desired":
            lines.append(f"desired {t} {rng.randint(0, hi + 2)}")
        elif op == "cpu":
            lines.append(f"cpu {t} {rng.randint(0, 150_000)}")
        else:
            lines.append(f"{op} {t} {k}")
    return lines


def through_python(lines: list[str]) -> list[str]:
    out: list[str] = ["== group"]
    head = lines[0].split()
    lo, hi, zones, seed = int(head[1]), int(head[2]), int(head[3]), int(head[4])
    g = fleetcore.Group(lo, hi, zones=[f"z{z}" for z in range(zones)], seed=seed)
    g.put_metric("CPU", 60, per_member=True)
    g.put_target_tracking_policy("CPU", 50)
    launched: list[str] = []
    for line in lines[1:]:
        w = line.split()
        t = int(w[1])

        def ident(k: int) -> str:
            return launched[k] if k < len(launched) else NEVER

        try:
            if w[0] == "tick":
                for a in g.tick(t):
                    if a.kind == "launch":
                        launched.append(a.id)
                    out.append(f"{t} {a.kind} {a.id}")
            elif w[0] == "desired":
                g.set_desired(t, int(w[2]))
            elif w[0] == "booted":
                g.booted(t, ident(int(w[2])))
            elif w[0] == "terminated":
                g.terminated(t, ident(int(w[2])))
            elif w[0] == "failed":
                g.launch_failed(t, ident(int(w[2])))
            elif w[0] == "unhealthy":
                g.unhealthy(t, ident(int(w[2])))
            elif w[0] == "cpu":
                g.record_in_service(t, "CPU", int(w[2]) / 1000)
        except (fleetcore.GroupError, fleetcore.ScalingError) as e:
            out.append(f"{t} error {e.code}")
    return out


def test_random_scripts_give_the_same_actions_in_rust_c_and_python() -> None:
    rust_binary = replay_binary()
    c_binary = replay_binary("fleetcore-ffi", "replay_c")
    rng = random.Random(19)
    scripts = [script(rng) for _ in range(SCRIPTS)]
    text = "\n".join(line for s in scripts for line in s) + "\n"
    # The C side drains with its own buffer length, independent of the Rust side's.
    c_text = "\n".join(
        line if not line.startswith("group ") else " ".join(line.split()[:5] + [str(rng.choice([1, 2, 5, 64, 256]))])
        for s in scripts
        for line in s
    ) + "\n"
    rust = subprocess.run([str(rust_binary)], input=text, capture_output=True, text=True, check=True).stdout
    c = subprocess.run([str(c_binary)], input=c_text, capture_output=True, text=True, check=True).stdout
    logs = rust.split("== group\n")[1:]
    c_logs = c.split("== group\n")[1:]
    assert len(logs) == len(scripts) == len(c_logs)
    actions = 0
    for s, log, c_log in zip(scripts, logs, c_logs):
        python = "\n".join(through_python(s)[1:])
        assert python.strip() == log.strip(), f"Python and Rust differ; script:\n" + "\n".join(s)
        assert c_log.strip() == log.strip(), f"C and Rust differ; script:\n" + "\n".join(s)
        actions += log.count("\n")
    assert actions > SCRIPTS, "the scripts make the groups act"
    assert " terminate " in rust and " error " in rust, "scale-ins and refusals are compared too"
