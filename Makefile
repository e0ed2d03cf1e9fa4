# The two commands of the README. Each installs what it needs first (scripts/setup.sh).
.PHONY: demo demo-firmware test setup bench help

help:
	@echo "make demo   seven months of NYC taxi demand through an Auto Scaling group (Python"
	@echo "            module built into .venv): a summary and build/demo.png, a sweep that"
	@echo "            writes build/chosen.json, and its first day replayed on a Cortex-M4 in QEMU"
	@echo "make demo-firmware   the lifecycle scenario on a Cortex-M4 in QEMU"
	@echo "make test   run every test: static checks, unit/doc/property tests, thumb builds,"
	@echo "            the firmware in QEMU, C tests, Python tests and a short fuzz pass"
	@echo "make bench  regenerate BENCHMARKS.md: criterion, Cortex-M4 instruction counts in"
	@echo "            QEMU, firmware sizes, Python simulate throughput, moto (~5 minutes)"

demo:
	@bash scripts/setup.sh demo
	@bash scripts/demo.sh

demo-firmware:
	@bash scripts/setup.sh firmware
	@bash scripts/demo-firmware.sh

test:
	@bash scripts/setup.sh all
	@bash scripts/test.sh

setup:
	@bash scripts/setup.sh all

# BENCHMARKS.md from a fresh run of every benchmark (scripts/bench.sh; figures for the notes,
# never asserted in tests). `cargo bench -p fleetcore --bench group_tick` is the older,
# smaller tick benchmark.
bench:
	@bash scripts/setup.sh bench
	@bash scripts/bench.sh
