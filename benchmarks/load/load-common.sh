# shellcheck shell=bash
# Shared by the load scripts (sourced, not run): the packaged sample-httpbin jar, stopping the applications a
# script started (by their pids only), a free loopback port, the application's CPU time and resident memory
# from /proc, and generated policies. The sourcing script sets SCRIPT_NAME first.

fail() {
	echo "$SCRIPT_NAME: $*" >&2
	exit 1
}

jar=""
for candidate in sample-httpbin/target/sample-httpbin-*.jar; do
	case "$candidate" in
		*-sources.jar | *-javadoc.jar | *.original) ;;
		*) [ -f "$candidate" ] && jar=$candidate ;;
	esac
done
[ -n "$jar" ] || fail "no sample-httpbin/target/sample-httpbin-*.jar; run ./mvnw -q -DskipTests package first"

app_pid=""
# Applications a script keeps running between measurements (RESIDENT=1): stopped with app_pid at exit.
resident_pids=()

# Stops the application with the given pid, which this script started.
stop_pid() {
	if [ -n "$1" ] && kill -0 "$1" 2> /dev/null; then
		kill "$1"
		# Give Spring's graceful shutdown 20 s, then insist.
		for _ in $(seq 40); do
			kill -0 "$1" 2> /dev/null || break
			sleep 0.5
		done
		kill -0 "$1" 2> /dev/null && kill -9 "$1"
		wait "$1" 2> /dev/null || true
	fi
}

stop_app() {
	stop_pid "$app_pid"
	app_pid=""
}

stop_all() {
	stop_app
	for pid in "${resident_pids[@]}"; do
		stop_pid "$pid"
	done
	resident_pids=()
}
trap stop_all EXIT
trap 'exit 130' INT TERM

# A port nobody listens on: connecting to it fails.
free_port() {
	local port
	for _ in $(seq 100); do
		port=$((20000 + RANDOM % 12000)) # below the ephemeral range (32768+), where the client's own sockets live
		if ! (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; then
			echo "$port"
			return
		fi
	done
	fail "no free port found"
}

# The process's CPU time so far, user plus system, in clock ticks (utime and stime of /proc/<pid>/stat; the
# fields are counted after the ")" that ends the command name, which may itself contain spaces).
cpu_ticks() {
	local stat
	stat=$(< "/proc/$1/stat") || fail "no /proc/$1/stat: the application has exited"
	echo "${stat##*) }" | awk '{ print $12 + $13 }'
}

clock_ticks_per_second=$(getconf CLK_TCK)

# Microseconds of CPU per request from two cpu_ticks readings and the requests served between them.
cpu_us_per_request() {
	awk -v before="$1" -v after="$2" -v requests="$3" -v hz="$clock_ticks_per_second" \
		'BEGIN { if (requests > 0) printf "%.1f", (after - before) * 1000000 / hz / requests; else print "-" }'
}

# Resident memory (VmRSS of /proc/<pid>/status) in MiB.
rss_mib() {
	awk '$1 == "VmRSS:" { printf "%.1f", $2 / 1024 }' "/proc/$1/status"
}

# Writes <count> generated AuthorizationPolicies for the httpbin workload into <dir> (GeneratePolicies.java);
# the demo's RequestAuthentication and require-jwt come from the jar (classpath*:istio/*.yaml), see
# generated_policy_locations.
generate_policies() {
	java benchmarks/src/main/java/io/github/istiosecurity/benchmarks/GeneratePolicies.java "$1" "$2" > /dev/null || fail "could not generate $1 policies into $2"
}

# The istio.security.policy-locations value for the demo policies plus those generated into <dir>.
generated_policy_locations() {
	echo "classpath*:istio/*.yaml,file:$1/*.yaml"
}

# The median (the mean of the two middle ones for an even count) and the largest of the numbers on standard
# input, one a line, as "median max"; "- -" when there is none.
median_and_max() {
	sort -g | awk '{ a[NR] = $1 } END {
		if (!NR) { print "-", "-"; exit }
		m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
		print m, a[NR]
	}'
}
