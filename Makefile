# SPDX-License-Identifier: GPL-2.0-only
#
# Top-level Makefile: builds the modules out of tree and drives the
# emulated-host harness.  See README.md.
#
#   make             build kvm.ko, kvm-amd.ko and kvm-intel.ko
#   make check       install what is missing, build, run every test on
#                    both emulated hosts (AMD: QEMU TCG, Intel: Bochs)
#   make run         install what is missing, build, boot the demo
#   make bench       our modules vs the in-tree ones, instruction-exact
#   make survey      run every upstream KVM selftest, print a table
#   make KDIR=...    build against another kernel tree
#
# Harness knobs (environment or make variables): STACK=ours|ref|both,
# HOST=amd|intel (check: also both, the default), NESTED_QEMU=0|1,
# TEST_TIMEOUT=<s>, BUILD=<dir>.
# See tools/harness/README.

TOP := $(CURDIR)
KVER ?= $(shell $(TOP)/tools/harness/kver.sh 2>/dev/null)
KDIR ?= /lib/modules/$(KVER)/build
BUILD ?= $(TOP)/build
export KVER KDIR BUILD

.PHONY: all modules clean deps check run bench survey selftests abi-check \
	sparse help

all: modules

modules:
	@test -d "$(KDIR)" || { echo "No kernel build tree at '$(KDIR)': run 'make deps' or pass KDIR=" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(TOP) modules

sparse:
	$(MAKE) -C $(KDIR) M=$(TOP) C=2 modules

clean:
	-$(MAKE) -C $(KDIR) M=$(TOP) clean
	rm -rf $(BUILD)

deps:
	$(TOP)/tools/harness/deps.sh

selftests:
	$(MAKE) -C tools/testing/selftests/kvm OUT=$(BUILD)/selftests

abi-check:
	$(MAKE) -C tools/testing/abi OUT=$(BUILD)/abi

# The harness re-invokes make after installing packages, so that KDIR is
# computed from what is installed by then.
check:
	$(TOP)/tools/harness/deps.sh
	$(TOP)/tools/harness/check.sh

run:
	$(TOP)/tools/harness/deps.sh
	$(TOP)/tools/harness/run.sh

bench:
	$(TOP)/tools/harness/deps.sh
	$(TOP)/tools/harness/bench.sh

survey:
	$(TOP)/tools/harness/deps.sh
	$(TOP)/tools/harness/survey.sh
