#!/usr/bin/env bash
# `make demo-firmware`: the EC2 lifecycle scenario on a Cortex-M4
# (QEMU mps2-an386), printed as the firmware tells it, then its size and checks.
set -euo pipefail
cd "$(dirname "$0")/.."
cat <<'MSG'
fleetcore demo: an EC2 instance lifecycle scenario running on an emulated Cortex-M4.
The firmware (core/firmware) holds a catalog (images, a custom board type, launch templates with
versions) and a fleet of instances; it walks them through boot, reboot, stop/start, hibernation,
a Spot interruption with its 2-minute notice, boot deadlines, refused requests and termination,
and checks every outcome itself. Times are the scenario's clock (@seconds).

MSG
bash scripts/firmware.sh show
