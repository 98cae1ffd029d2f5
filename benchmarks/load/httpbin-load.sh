#!/usr/bin/env bash
# Load comparison of sample-httpbin run three ways, one after the other, on loopback:
#   nosecurity   no Spring Security at all (profile nosecurity, istio.security.enabled=false)
#   handwritten  the demo rules written by hand with Spring Security (profile handwritten, istio.security.enabled=false)
#   starter      the starter enforcing sample-httpbin's Istio YAML (default profile)
#   starter-reactive     the same jar and YAML on WebFlux (Netty): --spring.main.web-application-type=reactive
#   handwritten-reactive the demo rules by hand with Spring Security's reactive resource server
#   nosecurity-reactive  no security on WebFlux (reactive baseline)
# Each: start the jar on a free port, wait until it answers, warm up, then one bounded
# `wrk -t2 -c32 -d20s --latency` of GET /get with user1's demo token; print requests/s, p50, p99; stop it.
#
# Builds nothing: run `./mvnw -q -DskipTests package` (or `-pl autoconfigure,starter,sample-httpbin -am`) first.
# Settings (environment): VARIANTS="nosecurity handwritten starter", DURATION=20s, WARMUP=30s,
# THREADS=2, CONNECTIONS=32, JAVA_OPTS="-Xms256m -Xmx256m -XX:+UseParallelGC".
# wrk and the application share the machine's cores: compare variants with each other, not with other machines.
# Mutual TLS (a client certificate, which wrk cannot present): benchmarks/load/httpbin-mtls-load.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."

VARIANTS=${VARIANTS:-"nosecurity handwritten starter"}
# Rounds: each round runs every variant once, in a rotated order, so none is always first or last; the
# summary reports the median and the best of the rounds.
ROUNDS=${ROUNDS:-1}
DURATION=${DURATION:-20s}
# 30 s: after a 10 s warm-up the JIT was still compiling WebFlux's code paths (C2 threads took 4 s of CPU in
# the next 15 s), which made the reactive variants look slower than they are.
WARMUP=${WARMUP:-30s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
JAVA_OPTS=${JAVA_OPTS:-"-Xms256m -Xmx256m -XX:+UseParallelGC"}
READY_TIMEOUT=60
PATH_UNDER_LOAD=/get

SCRIPT_NAME=httpbin-load
# shellcheck source=load-common.sh
. benchmarks/load/load-common.sh

token=$(tr -d '\n' < sample-httpbin/demo/tokens/user1.jwt)
command -v curl > /dev/null || fail "curl is needed"

if ! command -v wrk > /dev/null; then
	echo "installing wrk (apt-get)" >&2
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	$sudo apt-get update -qq > /dev/null
	$sudo apt-get install -y -qq wrk > /dev/null
	command -v wrk > /dev/null || fail "could not install wrk"
fi

logs=$(mktemp -d)

status_of() {
	curl -s -o /dev/null -m 5 -w '%{http_code}' -H "Authorization: Bearer $token" "$1" || true
}

results=()

read -r -a variant_list <<< "$VARIANTS"
for round in $(seq "$ROUNDS"); do
ordered=("${variant_list[@]:$(((round - 1) % ${#variant_list[@]}))}" "${variant_list[@]:0:$(((round - 1) % ${#variant_list[@]}))}")
for variant in "${ordered[@]}"; do
	case "$variant" in
		nosecurity) args=(--spring.profiles.active=nosecurity --istio.security.enabled=false) ;;
		handwritten) args=(--spring.profiles.active=handwritten --istio.security.enabled=false) ;;
		starter) args=() ;;
		starter-reactive) args=(--spring.main.web-application-type=reactive) ;;
		handwritten-reactive) args=(--spring.main.web-application-type=reactive --spring.profiles.active=handwritten
			--istio.security.enabled=false) ;;
		nosecurity-reactive) args=(--spring.main.web-application-type=reactive --istio.security.enabled=false
			--spring.autoconfigure.exclude=org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration,org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration,org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration,org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration) ;;
		*) fail "unknown variant $variant (nosecurity, handwritten, starter, starter-reactive, handwritten-reactive, nosecurity-reactive)" ;;
	esac
	port=$(free_port)
	url="http://127.0.0.1:$port$PATH_UNDER_LOAD"
	log="$logs/$variant.log"
	echo "== round $round/$ROUNDS, $variant: java -jar $jar ${args[*]} on 127.0.0.1:$port (log $log)"
	# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
	java $JAVA_OPTS -jar "$jar" --server.port="$port" --server.address=127.0.0.1 "${args[@]}" > "$log" 2>&1 &
	app_pid=$!

	code=000
	for _ in $(seq $((READY_TIMEOUT * 2))); do
		kill -0 "$app_pid" 2> /dev/null || { tail -n 30 "$log" >&2; fail "$variant exited during startup"; }
		code=$(status_of "$url")
		[ "$code" != "000" ] && break
		sleep 0.5
	done
	if [ "$code" != "200" ]; then
		# Measuring refusals would compare nothing; say so and go on.
		echo "   skipped: GET $PATH_UNDER_LOAD with user1's token answered $code, not 200"
		results+=("$(printf '%-20s %12s %10s %10s  %s' "$variant" "-" "-" "-" "skipped: answered $code")")
		stop_app
		continue
	fi

	wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -H "Authorization: Bearer $token" "$url" > /dev/null
	out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Bearer $token" "$url")
	echo "$out" | sed 's/^/   /'
	rps=$(echo "$out" | awk '/^Requests\/sec:/ { print $2 }')
	p50=$(echo "$out" | awk '$1 == "50%" { print $2 }')
	p99=$(echo "$out" | awk '$1 == "99%" { print $2 }')
	errors=$(echo "$out" | awk -F': *' '/Non-2xx or 3xx responses/ { print "non-2xx: " $2 }')
	results+=("$(printf '%-20s %12s %10s %10s  %s' "$variant" "$rps" "$p50" "$p99" "$errors")")
	stop_app
done
done

echo
echo "GET $PATH_UNDER_LOAD, wrk -t$THREADS -c$CONNECTIONS -d$DURATION (after $WARMUP warm-up), JAVA_OPTS=$JAVA_OPTS"
printf '%-20s %12s %10s %10s\n' variant "requests/s" p50 p99
printf '%s\n' "${results[@]}"
if [ "$ROUNDS" -gt 1 ]; then
	echo
	echo "requests/s over $ROUNDS rounds (best = the least disturbed run on a shared machine):"
	printf '%-20s %12s %12s\n' variant median best
	for variant in "${variant_list[@]}"; do
		printf '%s\n' "${results[@]}" | awk -v v="$variant" '$1 == v && $2 != "-" { print $2 }' | sort -n \
			| awk -v v="$variant" '{ a[NR] = $1 } END { if (NR) printf "%-20s %12s %12s\n", v, a[int((NR + 1) / 2)], a[NR] }'
	done
fi
