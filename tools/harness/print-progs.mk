# SPDX-License-Identifier: GPL-2.0-only
# Appended (make -f Makefile -f print-progs.mk) to the upstream KVM
# selftests' Makefile to list the programs it builds for this machine.
harness-print-progs:
	@echo $(TEST_GEN_PROGS)
