# SPDX-License-Identifier: GPL-2.0-only
#
# Turn the emulated host's serial log into results.
#
#	awk -f parse.awk [-v show=IDX] [-v prefix=P] plan combined.log
#
# plan: "idx stack kind name timeout [command...]" per line (see init.sh).
# combined.log: the serial logs of all boots, '\r' removed, with the
# host's "@@H@@ HOSTDIED idx reason" note after every boot that died.
#
# Prints, in plan order, one line per result:
#	PASS name | FAIL name: reason | SKIP name: reason
# and for program-level entries a machine-readable row for tables:
#	ROW<TAB>stack<TAB>kind<TAB>name<TAB>verdict<TAB>rc<TAB>secs<TAB>note
# and for bench entries:
#	BENCH stack min median
# With show=IDX, prints only the output of entry IDX instead.
# prefix (e.g. "intel:") is put in front of every result name, so that
# the results of two emulated hosts stay apart.

BEGIN {
	M = "@@H@@"
	n = 0
	cur = ""
}

FNR == NR {
	if ($0 ~ /^[ \t]*(#|$)/)
		next
	i = $1
	order[n++] = i
	stk[i] = $2
	kind[i] = $3
	nm[i] = $4
	tmo[i] = $5
	next
}

$1 == M && $2 == "BEGIN" {
	cur = $3
	begun[cur] = 1
	next
}

$1 == M && $2 == "END" {
	i = $3
	ended[i] = 1
	for (k = 4; k <= NF; k++) {
		split($k, kv, "=")
		if (kv[1] == "rc") rc[i] = kv[2] + 0
		else if (kv[1] == "to") to[i] = kv[2] + 0
		else if (kv[1] == "secs") secs[i] = kv[2] + 0
		else if (kv[1] == "nostack") nostack[i] = 1
	}
	cur = ""
	next
}

$1 == M && $2 == "HOSTDIED" {
	why = $0
	sub("^" M " HOSTDIED [^ ]+ ", "", why)
	if ($3 == "-")
		bootfail = why
	else if ($3 ~ /^after:/)
		died_after[substr($3, 7)] = why
	else
		died[$3] = why
	cur = ""
	next
}

$1 == M {
	next
}

# Blank lines are held back: init.sh puts one before every END marker.
cur != "" && show != "" && cur == show {
	if ($0 == "") {
		blank++
	} else {
		for (; blank > 0; blank--)
			print ""
		print
	}
	next
}

cur != "" && kind[cur] == "own" && /^(not )?ok [0-9]+( |$)/ {
	line = $0
	bad = (line ~ /^not /)
	sub(/^(not )?ok [0-9]+ ?/, "", line)
	skip = ""
	if (match(line, /[ \t]*#[ \t]*[Ss][Kk][Ii][Pp]/)) {
		skip = substr(line, RSTART + RLENGTH)
		sub(/^[ \t:]*/, "", skip)
		if (skip == "")
			skip = "skipped"
		line = substr(line, 1, RSTART - 1)
	} else {
		sub(/[ \t]+#.*$/, "", line)
	}
	k = ++tapn[cur]
	tapname[cur, k] = line
	if (bad) {
		tapres[cur, k] = "FAIL"
		tapfails[cur]++
	} else if (skip != "") {
		tapres[cur, k] = "SKIP"
		tapwhy[cur, k] = skip
	} else {
		tapres[cur, k] = "PASS"
	}
	next
}

# The first complaint of an insmod, rmmod or dmesg entry, for its reason.
cur != "" && !(cur in why1) && (kind[cur] == "insmod" || kind[cur] == "unload" ||
    kind[cur] == "reload") && /^(harness|insmod|rmmod): /{
	why1[cur] = $0
}
cur != "" && !(cur in why1) && kind[cur] == "dmesg" && /^dmesg-bad: / {
	why1[cur] = $0
	sub(/^dmesg-bad: /, "", why1[cur])
}

cur != "" && kind[cur] == "client" && /^QEMU-BOOT [^ ]+ ok seconds=/ {
	boot_secs[cur] = substr($4, 9)
}

cur != "" && /DEMO-OK/ {
	demo_ok[cur] = 1
}

cur != "" && $1 == "BENCH" && $2 == "io_roundtrip_ns" {
	for (k = 3; k <= NF; k++) {
		split($k, kv, "=")
		if (kv[1] == "min") bmin[cur] = kv[2]
		else if (kv[1] == "median") bmed[cur] = kv[2]
	}
}

function out(res, name, why) {
	if (why != "" && res != "PASS")
		print res " " prefix name ": " why
	else
		print res " " prefix name
}

function after(i) {
	if (i in died_after)
		out("FAIL", stk[i] ":" (kind[i] == "up" ? "upstream/" : "") \
		    nm[i] "/after", died_after[i] \
		    " after it had finished")
}

function row(i, verdict, note) {
	printf "ROW\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", prefix stk[i], kind[i], nm[i], \
		verdict, (i in rc) ? rc[i] : "-", (i in secs) ? secs[i] : "-", note
}

# Why an entry has no usable status, or "" if it ran to its end.
function broken(i) {
	if (i in died)
		return died[i]
	if (!(i in begun))
		return "not run (emulated host died earlier)"
	if (!(i in ended))
		return "no end marker"
	if (i in nostack)
		return "modules not loaded"
	if (to[i])
		return "timeout after " tmo[i] " s"
	return ""
}

END {
	if (show != "")
		exit 0
	if (bootfail != "")
		out("FAIL", "boot", bootfail)
	for (j = 0; j < n; j++) {
		i = order[j]
		s = stk[i]
		b = broken(i)
		# The host died between entries: most likely the late effect
		# of the entry before (an RCU callback, a timer), so name it.
		if (j > 0)
			after(order[j - 1])
		if (kind[i] == "insmod" || kind[i] == "unload" ||
		    kind[i] == "reload" || kind[i] == "dmesg") {
			name = s ":" (kind[i] == "insmod" ? "insmod" : \
				kind[i] == "unload" ? "rmmod" : \
				kind[i] == "reload" ? "module-reload" : "dmesg-clean")
			if (b != "")
				out("FAIL", name, b)
			else if (rc[i] != 0)
				out("FAIL", name, "status " rc[i] \
				    ((i in why1) ? " (" why1[i] ")" : ""))
			else
				out("PASS", name)
		} else if (kind[i] == "own") {
			# "ok 1 # SKIP why" has no name: the program's stands.
			for (k = 1; k <= tapn[i]; k++)
				out(tapres[i, k], s ":" nm[i] \
				    (tapname[i, k] == "" ? "" : "/" tapname[i, k]), \
				    tapwhy[i, k])
			name = s ":" nm[i]
			if (b != "") {
				out("FAIL", name, b)
				row(i, "FAIL", b)
			} else if (tapn[i] == 0 && rc[i] == 0) {
				out("PASS", name)
				row(i, "PASS", "no TAP output")
			} else if (tapn[i] == 0 && rc[i] == 4) {
				out("SKIP", name, "exit status 4")
				row(i, "SKIP", "")
			} else if (rc[i] != 0 && tapfails[i] == 0) {
				out("FAIL", name, "exit status " rc[i])
				row(i, "FAIL", "exit status " rc[i])
			} else {
				row(i, tapfails[i] ? "FAIL" : "PASS", \
				    tapn[i] " TAP results, " tapfails[i] + 0 " failed")
			}
		} else if (kind[i] == "up") {
			name = s ":upstream/" nm[i]
			if (b != "") {
				out("FAIL", name, b)
				row(i, "FAIL", b)
			} else if (rc[i] == 0) {
				out("PASS", name)
				row(i, "PASS", "")
			} else if (rc[i] == 4) {
				out("SKIP", name, "exit status 4 (KSFT_SKIP)")
				row(i, "SKIP", "")
			} else {
				out("FAIL", name, "exit status " rc[i])
				row(i, "FAIL", "exit status " rc[i])
			}
		} else if (kind[i] == "client") {
			# Real clients never skip: no marker is a failure.
			name = s ":" nm[i]
			if (b != "") {
				out("FAIL", name, b)
				row(i, "FAIL", b)
			} else if (rc[i] == 0) {
				out("PASS", name)
				row(i, "PASS", "")
				if (i in boot_secs)
					print "CLIENT " s " " nm[i] " seconds=" boot_secs[i]
			} else {
				out("FAIL", name, "exit status " rc[i])
				row(i, "FAIL", "exit status " rc[i])
			}
		} else if (kind[i] == "demo") {
			name = s ":" nm[i]
			if (b != "")
				out("FAIL", name, b)
			else if (!demo_ok[i])
				out("FAIL", name, "no DEMO-OK (status " rc[i] ")")
			else if (rc[i] != 0)
				out("FAIL", name, "exit status " rc[i])
			else
				out("PASS", name)
		} else if (kind[i] == "bench") {
			name = s ":" nm[i]
			if (b != "")
				out("FAIL", name, b)
			else if (!(i in bmin))
				out("FAIL", name, "no BENCH line (status " rc[i] ")")
			else {
				out("PASS", name)
				print "BENCH " s " " bmin[i] " " bmed[i]
			}
		}
	}
	if (n > 0)
		after(order[n - 1])
}
