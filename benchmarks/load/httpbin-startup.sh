#!/usr/bin/env bash
# Start-up cost of the starter with many policies: sample-httpbin with the demo JWT and require-jwt policy
# (classpath*:istio/*.yaml) plus 1, 100 and 1,000 AuthorizationPolicies of benchmarks/src/main/java/io/github/istiosecurity/benchmarks/GeneratePolicies.java,
# on servlet (Tomcat) and on WebFlux (Netty), on loopback. For each (stack, policies), ROUNDS times, in rotated
# order: start the jar on a free port and measure
#   first answer  seconds from launching `java` until the first HTTP answer to GET /get with user1's demo token
#                 (the port polled every 20 ms, then curl; it must be 200, which also shows the generated set let require-jwt decide)
#   Spring        Spring's own "Started ... in X seconds (process running for Y)" of the log: X from
#                 SpringApplication.run, Y from the JVM's start (so first answer - Y is the launch and the first
#                 request)
#   heap MiB      heap in use after a full collection: `jcmd <pid> GC.run`, then the "used" of GC.heap_info's
#                 generations (GC.class_histogram's total for a collector whose heap_info is not read here)
#   RSS MiB       VmRSS of /proc/<pid>/status right after the first answer, before the collection
#   applied       the policies the starter's log says apply to the workload (generated + 2 of the demo)
# then stop the application (by its pid). The table at the end gives the median of each per (stack, policies).
#
# Builds nothing: run `./mvnw -q -DskipTests package` (or `-pl autoconfigure,starter,sample-httpbin -am`) first.
# Settings (environment): POLICY_COUNTS="1 100 1000", STACKS="servlet reactive", ROUNDS=3,
# JAVA_OPTS="-Xms256m -Xmx256m -XX:+UseParallelGC" (as benchmarks/load/httpbin-load.sh).
# Other processes on the machine slow a start-up down: compare the rows of one run with each other.
set -euo pipefail
cd "$(dirname "$0")/../.."

POLICY_COUNTS=${POLICY_COUNTS:-"1 100 1000"}
STACKS=${STACKS:-"servlet reactive"}
ROUNDS=${ROUNDS:-3}
JAVA_OPTS=${JAVA_OPTS:-"-Xms256m -Xmx256m -XX:+UseParallelGC"}
READY_TIMEOUT=120
PATH_PROBED=/get

SCRIPT_NAME=httpbin-startup
# shellcheck source=load-common.sh
. benchmarks/load/load-common.sh

token=$(tr -d '\n' < sample-httpbin/demo/tokens/user1.jwt)
command -v curl > /dev/null || fail "curl is needed"
command -v jcmd > /dev/null || fail "jcmd (of the JDK that runs java) is needed"

work=$(mktemp -d)
# One line per run: stack policies round first_answer_s spring_s process_s heap_mib rss_mib applied note
results=$work/results.tsv
: > "$results"

read -r -a counts <<< "$POLICY_COUNTS"
read -r -a stacks <<< "$STACKS"
for count in "${counts[@]}"; do
	generate_policies "$count" "$work/policies-$count"
done
runs=()
for stack in "${stacks[@]}"; do
	case "$stack" in
		servlet | reactive) ;;
		*) fail "unknown stack $stack (servlet, reactive)" ;;
	esac
	for count in "${counts[@]}"; do
		runs+=("$stack $count")
	done
done

now_ns() {
	date +%s%N
}

# Heap in use in MiB, after a full collection.
heap_used_mib() {
	jcmd "$1" GC.run > /dev/null
	local used
	# Generation lines of Serial, Parallel and G1 read "<name> total 12345K, used 6789K [...]"; Metaspace and
	# the class space have no "total" before "used" and are not heap.
	used=$(jcmd "$1" GC.heap_info | awk '{ for (i = 1; i < NF; i++) if ($i == "total" && $(i + 2) == "used") {
			kib += $(i + 3); found = 1 } } END { if (found) printf "%.1f", kib / 1024 }')
	if [ -z "$used" ]; then
		used=$(jcmd "$1" GC.class_histogram | awk '$1 == "Total" { printf "%.1f", $3 / 1048576 }')
	fi
	echo "${used:--}"
}

for round in $(seq "$ROUNDS"); do
	shift_by=$(((round - 1) % ${#runs[@]}))
	for run in "${runs[@]:$shift_by}" "${runs[@]:0:$shift_by}"; do
		read -r stack count <<< "$run"
		args=(--istio.security.policy-locations="$(generated_policy_locations "$work/policies-$count")")
		[ "$stack" = servlet ] || args+=(--spring.main.web-application-type=reactive)
		port=$(free_port)
		url="http://127.0.0.1:$port$PATH_PROBED"
		log="$work/$stack-$count-$round.log"
		echo "== round $round/$ROUNDS, $stack with $count generated policies on 127.0.0.1:$port (log $log)"
		launched=$(now_ns)
		# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
		java $JAVA_OPTS -jar "$jar" --server.port="$port" --server.address=127.0.0.1 "${args[@]}" > "$log" 2>&1 &
		app_pid=$!

		code=000
		deadline=$((launched + READY_TIMEOUT * 1000000000))
		while [ "$code" = 000 ]; do
			kill -0 "$app_pid" 2> /dev/null || { tail -n 30 "$log" >&2; fail "$stack with $count policies exited during startup"; }
			[ "$(now_ns)" -lt "$deadline" ] || fail "$stack with $count policies did not answer within ${READY_TIMEOUT}s"
			# curl only once the port is open: a fork of this shell costs the starting JVM less than curl would.
			if (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; then
				code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' -H "Authorization: Bearer $token" "$url" || true)
			fi
			[ "$code" != 000 ] || sleep 0.02
		done
		first=$(awk -v a="$launched" -v b="$(now_ns)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
		rss=$(rss_mib "$app_pid")
		# The web server answers a moment before Spring logs "Started"; wait for the line (at most 10 s).
		started=""
		for _ in $(seq 100); do
			started=$(grep -m 1 ' Started .* in [0-9.]* seconds' "$log" || true)
			[ -z "$started" ] || break
			sleep 0.1
		done
		spring=$(sed -n 's/.* in \([0-9.]*\) seconds.*/\1/p' <<< "$started")
		process=$(sed -n 's/.*process running for \([0-9.]*\).*/\1/p' <<< "$started")
		applied=$(sed -n 's/.*Istio policies loaded (generation [0-9]*): \([0-9]*\) apply.*/\1/p' "$log" | head -n 1)
		heap=$(heap_used_mib "$app_pid")
		note=""
		[ "$code" = 200 ] || note="GET $PATH_PROBED answered $code, not 200"
		if grep -q ' WARN \| ERROR ' "$log"; then
			note="${note:+$note; }warnings in the log"
		fi
		echo "   first answer ${first}s ($code), Spring ${spring:--}s (process ${process:--}s), heap $heap MiB, RSS $rss MiB, ${applied:--} policies apply${note:+; $note}"
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$stack" "$count" "$round" "$first" "${spring:--}" \
			"${process:--}" "$heap" "$rss" "${applied:--}" "$note" >> "$results"
		stop_app
	done
done

echo
echo "Start-up of sample-httpbin with the demo policies plus N generated ones, JAVA_OPTS=$JAVA_OPTS"
printf '%-9s %9s %5s %13s %9s %9s %9s %8s %8s\n' stack policies round "first answer" Spring process "heap MiB" \
	"RSS MiB" applied
awk -F'\t' '{ printf "%-9s %9s %5s %12ss %8ss %8ss %9s %8s %8s  %s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 }' \
	"$results"

echo
echo "Median over $ROUNDS round(s):"
printf '%-9s %9s %13s %9s %9s %9s %8s\n' stack policies "first answer" Spring process "heap MiB" "RSS MiB"
for run in "${runs[@]}"; do
	read -r stack count <<< "$run"
	medians=()
	for column in 4 5 6 7 8; do
		read -r median _ <<< "$(awk -F'\t' -v s="$stack" -v c="$count" -v k="$column" \
			'$1 == s && $2 == c && $k != "-" { print $k }' "$results" | median_and_max)"
		medians+=("$median")
	done
	printf '%-9s %9s %12ss %8ss %8ss %9s %8s\n' "$stack" "$count" "${medians[@]}"
done
