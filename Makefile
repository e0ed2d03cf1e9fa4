# The two commands of the README. Each installs what it needs first (scripts/setup.sh).
.PHONY: demo test setup bench help

help:
	@echo "make demo   run the lifecycle scenario on a Cortex-M4 in QEMU and print it"
	@echo "make test   run every test: static checks, unit/doc/property tests, thumb builds,"
	@echo "            the firmware in QEMU, C tests, Python tests and a short fuzz pass"

demo:
	@bash scripts/setup.sh demo
	@bash scripts/demo.sh

test:
	@bash scripts/setup.sh all
	@bash scripts/test.sh

setup:
	@bash scripts/setup.sh all

# Criterion benchmarks of the group's tick (figures for the notes, never asserted in tests).
bench:
	cargo bench -p fleetcore --bench group_tick
