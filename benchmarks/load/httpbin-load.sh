#!/usr/bin/env bash
# Load comparison of sample-httpbin run in several variants, one after the other, on loopback:
#   nosecurity   no Spring Security at all (profile nosecurity, istio.security.enabled=false)
#   handwritten  the demo rules written by hand with Spring Security (profile handwritten, istio.security.enabled=false)
#   starter      the starter enforcing sample-httpbin's Istio YAML (default profile)
#   starter-100  the starter with the demo JWT, the demo require-jwt policy and 100 generated AuthorizationPolicies
#                (benchmarks/src/main/java/io/github/istiosecurity/benchmarks/GeneratePolicies.java: paths, methods, hosts, ports, principals, claims, headers,
#                IP blocks, notX fields, DENY policies; none matches the load request, so require-jwt allows it)
#   starter-reactive     the same jar and YAML on WebFlux (Netty): --spring.main.web-application-type=reactive
#   starter-100-reactive starter-100 on WebFlux
#   handwritten-reactive the demo rules by hand with Spring Security's reactive resource server
#   nosecurity-reactive  no security on WebFlux (reactive baseline)
# Each: start the jar on a free port, wait until it answers (and skip the variant unless GET /get with user1's
# demo token is 200), warm up, then one bounded `wrk -t2 -c32 -d20s --latency` of GET /get with user1's token;
# stop it (or keep it running: RESIDENT=1 below). Per variant and round it prints requests/s, p50, p99 and, for
# a platform team's comparison with a sidecar, the application's CPU per request and its resident memory:
#   CPU us/req  the JVM's CPU time (utime + stime of /proc/<pid>/stat, all threads: request threads, GC, JIT)
#               read right before and right after the measured run (not the warm-up), divided by the requests
#               wrk served in it ("N requests in ...")
#   RSS MiB     VmRSS of /proc/<pid>/status right after the measured run
# The summary over the rounds gives per variant: median and best requests/s, p50 and p99 of the best round,
# median CPU us/req and median RSS; then each variant against its stack's unsecured variant (nosecurity for
# servlet variants, nosecurity-reactive for *-reactive ones), when that one ran: best and median throughput as
# a ratio (x) and CPU us/req added over it, and the same per round (the median of the rounds' ratios and
# added CPU us/req, each round's pair measured minutes apart at most).
# RESIDENT=1: start every variant once, warm each up ($WARMUP), keep them all running, then measure them in
# the rotated rounds, each run after a short warm-up of its own (REWARM=5s). The rounds then take DURATION +
# REWARM per variant instead of a start and a full warm-up, so more rounds fit in the time and a round's
# variants are measured close together (on a shared machine whose speed drifts over minutes, that is what
# keeps a round's pair comparable). Memory: all variants' JVMs at once (JAVA_OPTS' heap each, ~3 GiB for 8).
#
# Builds nothing: run `./mvnw -q -DskipTests package` (or `-pl autoconfigure,starter,sample-httpbin -am`) first.
# Settings (environment): VARIANTS="nosecurity handwritten starter", ROUNDS=1, DURATION=20s, WARMUP=60s,
# THREADS=2, CONNECTIONS=32, JAVA_OPTS="-Xms256m -Xmx256m -XX:+UseParallelGC", RESIDENT= (off), REWARM=5s.
# TOKENS_SCRIPT=<wrk Lua script> (optional, with TOKENS_ARGS passed to it after "--"): warm-up and measured run
# use `wrk -s TOKENS_SCRIPT` and no fixed Authorization header, for a script that sets each request's token
# (distinct valid tokens per request); the readiness check still uses user1's token.
# UNIQUE_TOKENS=<n> (optional): every request carries another valid token, so each is a signature verification
# rather than a verified-token cache hit: writes n tokens with benchmarks/load/UniqueTokens.java and sends them
# with benchmarks/load/unique-tokens.lua (use more tokens than the cache holds: 20000).
# wrk and the application share the machine's cores: compare variants with each other, not with other machines.
# Mutual TLS (a client certificate, which wrk cannot present): benchmarks/load/httpbin-mtls-load.sh.
# Start-up time and heap with 1, 100 and 1,000 policies: benchmarks/load/httpbin-startup.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."

VARIANTS=${VARIANTS:-"nosecurity handwritten starter"}
# Rounds: each round runs every variant once, in a rotated order, so none is always first or last; the
# summary reports the median and the best of the rounds.
ROUNDS=${ROUNDS:-1}
DURATION=${DURATION:-20s}
# 60 s: with 20 s the C2 compiler still took 21-32 % of the process's CPU in the measured run (async-profiler,
# all threads) and the application code ran 2-3x slower than compiled; the starter, with more code to compile,
# looked 0.56x the unsecured app (BENCHMARKS.md, "Cost per request").
WARMUP=${WARMUP:-60s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
JAVA_OPTS=${JAVA_OPTS:-"-Xms256m -Xmx256m -XX:+UseParallelGC"}
TOKENS_SCRIPT=${TOKENS_SCRIPT:-}
TOKENS_ARGS=${TOKENS_ARGS:-}
UNIQUE_TOKENS=${UNIQUE_TOKENS:-}
RESIDENT=${RESIDENT:-}
REWARM=${REWARM:-5s}
READY_TIMEOUT=60
PATH_UNDER_LOAD=/get
# The generated policies of the starter-100 variants.
GENERATED_POLICIES=100

SCRIPT_NAME=httpbin-load
# shellcheck source=load-common.sh
. benchmarks/load/load-common.sh

token=$(tr -d '\n' < sample-httpbin/demo/tokens/user1.jwt)
command -v curl > /dev/null || fail "curl is needed"
[ -z "$TOKENS_SCRIPT" ] || [ -f "$TOKENS_SCRIPT" ] || fail "TOKENS_SCRIPT $TOKENS_SCRIPT is not a file"
if [ -n "$UNIQUE_TOKENS" ]; then
	unique_file=$(mktemp)
	echo "writing $UNIQUE_TOKENS distinct tokens to $unique_file"
	java benchmarks/load/UniqueTokens.java "$unique_file" "$UNIQUE_TOKENS" > /dev/null
	TOKENS_SCRIPT=benchmarks/load/unique-tokens.lua
	TOKENS_ARGS="$unique_file $THREADS"
fi

if ! command -v wrk > /dev/null; then
	echo "installing wrk (apt-get)" >&2
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	$sudo apt-get update -qq > /dev/null
	$sudo apt-get install -y -qq wrk > /dev/null
	command -v wrk > /dev/null || fail "could not install wrk"
fi

logs=$(mktemp -d)
# One line per variant and round: variant round rps p50 p99 cpu_us_per_request rss_mib note
results=$logs/results.tsv
: > "$results"

generated="$logs/policies-$GENERATED_POLICIES"
case " $VARIANTS " in
	*" starter-$GENERATED_POLICIES "* | *" starter-$GENERATED_POLICIES-reactive "*)
		generate_policies "$GENERATED_POLICIES" "$generated" ;;
esac

status_of() {
	curl -s -o /dev/null -m 5 -w '%{http_code}' -H "Authorization: Bearer $token" "$1" || true
}

# wrk against the URL for the given duration, with the fixed token or TOKENS_SCRIPT; further options before.
run_wrk() {
	local url=$1 duration=$2
	shift 2
	local auth=(-H "Authorization: Bearer $token")
	if [ -n "$TOKENS_SCRIPT" ]; then
		auth=(-s "$TOKENS_SCRIPT")
	fi
	local script_args=()
	if [ -n "$TOKENS_SCRIPT" ] && [ -n "$TOKENS_ARGS" ]; then
		read -r -a script_args <<< "$TOKENS_ARGS"
		script_args=(-- "${script_args[@]}")
	fi
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" "$@" "${auth[@]}" "$url" "${script_args[@]}"
}

reactive=(--spring.main.web-application-type=reactive)
# shellcheck disable=SC2054 # the commas separate the property's values, not array elements
no_reactive_security=(--spring.autoconfigure.exclude=org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration,org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration,org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration,org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration)
with_generated=(--istio.security.policy-locations="$(generated_policy_locations "$generated")")

# The application's arguments for a variant.
variant_args() {
	case "$1" in
		nosecurity) args=(--spring.profiles.active=nosecurity --istio.security.enabled=false) ;;
		handwritten) args=(--spring.profiles.active=handwritten --istio.security.enabled=false) ;;
		starter) args=() ;;
		"starter-$GENERATED_POLICIES") args=("${with_generated[@]}") ;;
		starter-reactive) args=("${reactive[@]}") ;;
		"starter-$GENERATED_POLICIES-reactive") args=("${reactive[@]}" "${with_generated[@]}") ;;
		handwritten-reactive) args=("${reactive[@]}" --spring.profiles.active=handwritten --istio.security.enabled=false) ;;
		nosecurity-reactive) args=("${reactive[@]}" --istio.security.enabled=false "${no_reactive_security[@]}") ;;
		*) fail "unknown variant $1 (nosecurity, handwritten, starter, starter-$GENERATED_POLICIES, starter-reactive, starter-$GENERATED_POLICIES-reactive, handwritten-reactive, nosecurity-reactive)" ;;
	esac
}

# Starts a variant (label: for the line printed; tag: for the log's name, <variant>-<tag>.log) and waits until it
# answers; sets app_pid and url. Returns 1, with the application stopped and a "skipped" row written for <round>,
# unless GET $PATH_UNDER_LOAD with user1's token is 200.
start_variant() {
	local variant=$1 label=$2 round=$3 tag=$4
	variant_args "$variant"
	local port log
	port=$(free_port)
	url="http://127.0.0.1:$port$PATH_UNDER_LOAD"
	log="$logs/$variant-$tag.log"
	echo "== $label, $variant: java -jar $jar ${args[*]} on 127.0.0.1:$port (log $log)"
	# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
	java $JAVA_OPTS -jar "$jar" --server.port="$port" --server.address=127.0.0.1 "${args[@]}" > "$log" 2>&1 &
	app_pid=$!

	local code=000
	for _ in $(seq $((READY_TIMEOUT * 2))); do
		kill -0 "$app_pid" 2> /dev/null || { tail -n 30 "$log" >&2; fail "$variant exited during startup"; }
		code=$(status_of "$url")
		[ "$code" != "000" ] && break
		sleep 0.5
	done
	grep -m1 'Istio policies loaded' "$log" | sed 's/^.*: /   /' || true
	if [ "$code" != "200" ]; then
		# Measuring refusals would compare nothing; say so and go on.
		echo "   skipped: GET $PATH_UNDER_LOAD with user1's token answered $code, not 200"
		printf '%s\t%s\t-\t-\t-\t-\t-\tskipped: answered %s\n' "$variant" "$round" "$code" >> "$results"
		stop_app
		return 1
	fi
}

# One measured run of a started variant (pid, url) in a round: its row in $results.
measure() {
	local variant=$1 round=$2 pid=$3 url=$4
	local cpu_before cpu_after out rss rps p50 p99 requests cpu errors
	cpu_before=$(cpu_ticks "$pid")
	out=$(run_wrk "$url" "$DURATION" --latency)
	cpu_after=$(cpu_ticks "$pid")
	rss=$(rss_mib "$pid")
	echo "$out" | sed 's/^/   /'
	rps=$(echo "$out" | awk '/^Requests\/sec:/ { print $2 }')
	p50=$(echo "$out" | awk '$1 == "50%" { print $2 }')
	p99=$(echo "$out" | awk '$1 == "99%" { print $2 }')
	requests=$(echo "$out" | awk '$2 == "requests" && $3 == "in" { print $1 }')
	cpu=$(cpu_us_per_request "$cpu_before" "$cpu_after" "${requests:-0}")
	errors=$(echo "$out" | awk -F': *' '/Non-2xx or 3xx responses/ { print "non-2xx: " $2 }')
	echo "   CPU: $(((cpu_after - cpu_before) * 1000 / clock_ticks_per_second)) ms for $requests requests = $cpu us/request; RSS $rss MiB"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$variant" "$round" "$rps" "$p50" "$p99" "$cpu" "$rss" "$errors" >> "$results"
}

# Round <round>'s order of the variants: rotated by one each round, so none is always first or last.
rotated() {
	local shift=$((($1 - 1) % ${#variant_list[@]}))
	ordered=("${variant_list[@]:$shift}" "${variant_list[@]:0:$shift}")
}

read -r -a variant_list <<< "$VARIANTS"
if [ -z "$RESIDENT" ]; then
	for round in $(seq "$ROUNDS"); do
		rotated "$round"
		for variant in "${ordered[@]}"; do
			start_variant "$variant" "round $round/$ROUNDS" "$round" "$round" || continue
			run_wrk "$url" "$WARMUP" > /dev/null
			measure "$variant" "$round" "$app_pid" "$url"
			stop_app
		done
	done
else
	# Every variant started and warmed up once, then kept running; the rounds measure them in turn, each after
	# a short warm-up of its own ($REWARM) that wakes its threads and caches after the others' runs.
	declare -A resident_pid resident_url
	for variant in "${variant_list[@]}"; do
		if start_variant "$variant" "resident" 1 resident; then
			run_wrk "$url" "$WARMUP" > /dev/null
			resident_pid[$variant]=$app_pid
			resident_url[$variant]=$url
			resident_pids+=("$app_pid")
			app_pid=""
		fi
	done
	for round in $(seq "$ROUNDS"); do
		rotated "$round"
		for variant in "${ordered[@]}"; do
			[ -n "${resident_pid[$variant]:-}" ] || continue
			echo "== round $round/$ROUNDS, $variant (running since the start, pid ${resident_pid[$variant]})"
			kill -0 "${resident_pid[$variant]}" 2> /dev/null || fail "$variant has exited"
			run_wrk "${resident_url[$variant]}" "$REWARM" > /dev/null
			measure "$variant" "$round" "${resident_pid[$variant]}" "${resident_url[$variant]}"
		done
	done
	stop_all
fi

# The summary line of one variant: median and best requests/s, p50 and p99 of the best round, median CPU us/req
# and median RSS, as "variant median best p50 p99 cpu rss" ("-" for what did not run).
summary_of() {
	local rows
	rows=$(awk -F'\t' -v v="$1" '$1 == v && $3 != "-"' "$results")
	if [ -z "$rows" ]; then
		echo "$1 - - - - - -"
		return
	fi
	local throughput cpu rss best_row
	read -r throughput _ <<< "$(cut -f3 <<< "$rows" | median_and_max)"
	read -r cpu _ <<< "$(cut -f6 <<< "$rows" | median_and_max)"
	read -r rss _ <<< "$(cut -f7 <<< "$rows" | median_and_max)"
	best_row=$(sort -t$'\t' -k3,3gr <<< "$rows" | head -n 1)
	echo "$1 $throughput $(cut -f3,4,5 <<< "$best_row" | tr '\t' ' ') $cpu $rss"
}

echo
echo "GET $PATH_UNDER_LOAD, wrk -t$THREADS -c$CONNECTIONS -d$DURATION (after $WARMUP warm-up)${TOKENS_SCRIPT:+, tokens by $TOKENS_SCRIPT}, JAVA_OPTS=$JAVA_OPTS"
printf '%-22s %5s %12s %10s %10s %11s %8s\n' variant round "requests/s" p50 p99 "CPU us/req" "RSS MiB"
awk -F'\t' '{ printf "%-22s %5s %12s %10s %10s %11s %8s  %s\n", $1, $2, $3, $4, $5, $6, $7, $8 }' "$results"

echo
echo "Over $ROUNDS round(s); best = the least disturbed run on a shared machine, p50 and p99 are the best round's:"
printf '%-22s %12s %12s %10s %10s %11s %8s\n' variant "median req/s" "best req/s" p50 p99 "CPU us/req" "RSS MiB"
summaries=()
for variant in "${variant_list[@]}"; do
	summaries+=("$(summary_of "$variant")")
	# shellcheck disable=SC2086 # the summary's fields
	printf '%-22s %12s %12s %10s %10s %11s %8s\n' ${summaries[-1]}
done

echo
# The median over the rounds in which both ran of <variant>'s value in field <field> of $results against
# <baseline>'s, compared by <how> ("ratio": divided, "difference": minus); "-" when no round has both. A pair's
# rounds share the machine's state of that moment, so these vary less than the ratio of the medians.
per_round() {
	local median
	read -r median _ <<< "$(awk -F'\t' -v v="$1" -v b="$2" -v f="$3" -v how="$4" '$f != "-" {
			if ($1 == v) x[$2] = $f
			if ($1 == b) y[$2] = $f
		}
		END { for (r in x) if (r in y) { if (how == "difference") print x[r] - y[r]; else if (y[r] > 0) print x[r] / y[r] } }' \
		"$results" | median_and_max)"
	echo "$median"
}

echo "Against the stack's unsecured variant (nosecurity, nosecurity-reactive for *-reactive): the best and the median"
echo "requests/s as ratios, the added median CPU us/req; then per round (both measured in it), the median of the"
echo "rounds' ratios and of their added CPU us/req:"
printf '%-22s %-20s %8s %9s %13s %9s %13s\n' variant baseline "best x" "median x" "added CPU us" "rounds x" "rounds CPU us"
for summary in "${summaries[@]}"; do
	read -r variant median best _ _ cpu _ <<< "$summary"
	case "$variant" in
		*-reactive) baseline=nosecurity-reactive ;;
		*) baseline=nosecurity ;;
	esac
	[ "$variant" != "$baseline" ] || continue
	base=""
	for candidate in "${summaries[@]}"; do
		[ "${candidate%% *}" = "$baseline" ] && base=$candidate
	done
	if [ -z "$base" ]; then
		printf '%-22s %-20s %8s %9s %13s %9s %13s  %s\n' "$variant" "$baseline" - - - - - "(add $baseline to VARIANTS)"
		continue
	fi
	read -r _ base_median base_best _ _ base_cpu _ <<< "$base"
	paired_ratio=$(per_round "$variant" "$baseline" 3 ratio)
	paired_added=$(per_round "$variant" "$baseline" 6 difference)
	awk -v v="$variant" -v b="$baseline" -v m="$median" -v x="$best" -v c="$cpu" \
		-v bm="$base_median" -v bx="$base_best" -v bc="$base_cpu" -v pr="$paired_ratio" -v pa="$paired_added" 'BEGIN {
			ratio_best = (x == "-" || bx == "-" || bx == 0) ? "-" : sprintf("%.2f", x / bx)
			ratio_median = (m == "-" || bm == "-" || bm == 0) ? "-" : sprintf("%.2f", m / bm)
			added = (c == "-" || bc == "-") ? "-" : sprintf("%+.1f", c - bc)
			rounds_ratio = (pr == "-") ? "-" : sprintf("%.2f", pr)
			rounds_added = (pa == "-") ? "-" : sprintf("%+.1f", pa)
			printf "%-22s %-20s %8s %9s %13s %9s %13s\n", v, b, ratio_best, ratio_median, added, rounds_ratio, rounds_added
		}'
done
