#!/usr/bin/env bash
# The cost of mutual TLS in sample-httpbin, on loopback: the TLS handshake, and the peer identity read and
# decided on every request. wrk cannot present a client certificate, so the client is MtlsLoad.java (JDK only,
# run by the source launcher), for every variant, plain HTTP included, so all rows share one client:
#   nosecurity-tls  no Spring Security, the mtls profile's TLS (profiles nosecurity,mtls: client-auth want,
#                   the demo mesh's PEM bundle); the client presents sleep's certificate, nobody reads it
#   starter-tls     the starter on the same TLS with the default profile's policies (the token only): the
#                   certificate is presented and verified in the handshake, but no policy reads it
#   starter-mtls    the starter with the mtls profile: sleep's SPIFFE principal and user1's token both required
#   starter         the starter with the default profile over plain HTTP (the demo Istio YAML, token only)
#   nosecurity-tls-reactive, starter-tls-reactive, starter-mtls-reactive, starter-reactive: on WebFlux (Netty)
# Each: start the jar on a free port, wait until it answers 200, then MtlsLoad with CONNECTIONS connections
# in two modes, each after its own warm-up: keepalive (one connection per client thread: per-request cost) and
# new (a new connection, with a full handshake, for every request: handshake cost); print requests/s, p50, p99.
#
# Builds nothing: run `./mvnw -q -DskipTests package` (or `-pl autoconfigure,starter,sample-httpbin -am`) first.
# Makes the demo mesh certificates (java sample-httpbin/demo/DemoMesh.java) if sample-httpbin/demo/mesh/ has none.
# Settings (environment): VARIANTS="nosecurity-tls starter-tls starter-mtls starter", ROUNDS=1, DURATION=10 (seconds),
# WARMUP=10 (seconds, before each mode), CONNECTIONS=32, MODES=keepalive,new,
# JAVA_OPTS="-Xms256m -Xmx256m -XX:+UseParallelGC" (the application's).
# The client and the application share the machine's cores: compare variants with each other.
set -euo pipefail
cd "$(dirname "$0")/../.."

VARIANTS=${VARIANTS:-"nosecurity-tls starter-tls starter-mtls starter"}
ROUNDS=${ROUNDS:-1}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-10}
CONNECTIONS=${CONNECTIONS:-32}
MODES=${MODES:-keepalive,new}
JAVA_OPTS=${JAVA_OPTS:-"-Xms256m -Xmx256m -XX:+UseParallelGC"}
CLIENT_OPTS="-Xms256m -Xmx256m -XX:+UseParallelGC"
READY_TIMEOUT=60
PATH_UNDER_LOAD=/get
MESH=sample-httpbin/demo/mesh

SCRIPT_NAME=httpbin-mtls-load
# shellcheck source=load-common.sh
. benchmarks/load/load-common.sh

token=$(tr -d '\n' < sample-httpbin/demo/tokens/user1.jwt)
command -v curl > /dev/null || fail "curl is needed"
[ -f "$MESH/sleep.p12" ] || java sample-httpbin/demo/DemoMesh.java

# Compiled once, so no run pays the source launcher's compilation.
client_dir=$(mktemp -d)
javac -d "$client_dir" benchmarks/load/MtlsLoad.java

logs=$(mktemp -d)

status_of() {
	curl -s -o /dev/null -m 5 -w '%{http_code}' --cacert "$MESH/ca.pem" --cert "$MESH/sleep.pem" \
		--key "$MESH/sleep-key.pem" -H "Authorization: Bearer $token" "$1" || true
}

# Tomcat closes a keep-alive connection after 100 requests by default (Netty never does): keepalive mode would
# then include a handshake every 100 requests, more of them for the faster variant. Keep connections open.
tomcat_keep_alive=(--server.tomcat.max-keep-alive-requests=-1)
reactive=(--spring.main.web-application-type=reactive)
# The default profile's policies (the token only) on the mtls profile's TLS: no policy asks for the peer, so the
# starter never reads the certificate (peer identities are computed only when a rule needs them).
token_only=(--istio.security.policy-locations=classpath:istio/httpbin-jwt.yaml,classpath:istio/httpbin-authz.yaml)
# As in httpbin-load.sh: no Spring Security on WebFlux (this list replaces the nosecurity profile's servlet one).
no_reactive_security=(--istio.security.enabled=false
	--spring.autoconfigure.exclude=org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration,org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration,org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration,org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration)

results=()

read -r -a variant_list <<< "$VARIANTS"
IFS=, read -r -a mode_list <<< "$MODES"
for round in $(seq "$ROUNDS"); do
ordered=("${variant_list[@]:$(((round - 1) % ${#variant_list[@]}))}" "${variant_list[@]:0:$(((round - 1) % ${#variant_list[@]}))}")
for variant in "${ordered[@]}"; do
	scheme=https
	case "$variant" in
		nosecurity-tls) args=(--spring.profiles.active=nosecurity,mtls "${tomcat_keep_alive[@]}") ;;
		starter-tls) args=(--spring.profiles.active=mtls "${token_only[@]}" "${tomcat_keep_alive[@]}") ;;
		starter-mtls) args=(--spring.profiles.active=mtls "${tomcat_keep_alive[@]}") ;;
		starter) args=("${tomcat_keep_alive[@]}") scheme=http ;;
		nosecurity-tls-reactive) args=("${reactive[@]}" --spring.profiles.active=mtls "${no_reactive_security[@]}") ;;
		starter-tls-reactive) args=("${reactive[@]}" --spring.profiles.active=mtls "${token_only[@]}") ;;
		starter-mtls-reactive) args=("${reactive[@]}" --spring.profiles.active=mtls) ;;
		starter-reactive) args=("${reactive[@]}") scheme=http ;;
		*) fail "unknown variant $variant (nosecurity-tls, starter-tls, starter-mtls, starter and their -reactive forms)" ;;
	esac
	port=$(free_port)
	url="$scheme://127.0.0.1:$port$PATH_UNDER_LOAD"
	log="$logs/$variant.log"
	echo "== round $round/$ROUNDS, $variant: java -jar $jar ${args[*]} on $url (log $log)"
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
		echo "   skipped: GET $PATH_UNDER_LOAD with sleep's certificate and user1's token answered $code, not 200"
		for mode in "${mode_list[@]}"; do
			results+=("$(printf '%-24s %-9s %12s %10s %10s  %s' "$variant" "$mode" "-" "-" "-" "skipped: answered $code")")
		done
		stop_app
		continue
	fi

	tls_args=()
	[ "$scheme" = https ] && tls_args=(--key-store "$MESH/sleep.p12" --trust-store "$MESH/truststore.p12")
	# shellcheck disable=SC2086 # CLIENT_OPTS is a list of options
	out=$(java $CLIENT_OPTS -cp "$client_dir" MtlsLoad --url "$url" --header "Authorization: Bearer $token" \
		--connections "$CONNECTIONS" --warmup "$WARMUP" --duration "$DURATION" --modes "$MODES" "${tls_args[@]}")
	echo "$out" | sed 's/^/   /'
	while read -r line; do
		field() { echo "$line" | tr ' ' '\n' | awk -F= -v k="$1" '$1 == k { print $2 }'; }
		problems=""
		[ "$(field non200)" != 0 ] && problems+="non-200: $(field non200) "
		[ "$(field errors)" != 0 ] && problems+="errors: $(field errors)"
		results+=("$(printf '%-24s %-9s %12s %10s %10s  %s' "$variant" "$(field mode)" "$(field rps)" \
			"$(field p50_ms)ms" "$(field p99_ms)ms" "$problems")")
	done < <(echo "$out" | grep '^RESULT ')
	stop_app
done
done

echo
echo "GET $PATH_UNDER_LOAD, MtlsLoad --connections $CONNECTIONS --duration $DURATION (after $WARMUP s warm-up per mode), JAVA_OPTS=$JAVA_OPTS"
printf '%-24s %-9s %12s %10s %10s\n' variant mode "requests/s" p50 p99
printf '%s\n' "${results[@]}"
if [ "$ROUNDS" -gt 1 ]; then
	echo
	echo "requests/s over $ROUNDS rounds (best = the least disturbed run on a shared machine):"
	printf '%-24s %-9s %12s %12s %10s %10s\n' variant mode median best "p50 best" "p99 best"
	for variant in "${variant_list[@]}"; do
		for mode in "${mode_list[@]}"; do
			printf '%s\n' "${results[@]}" | awk -v v="$variant" -v m="$mode" '$1 == v && $2 == m && $3 != "-" { print $3, $4, $5 }' \
				| sort -n | awk -v v="$variant" -v m="$mode" '{ r[NR] = $1; p50[NR] = $2; p99[NR] = $3 }
					END { if (NR) printf "%-24s %-9s %12s %12s %10s %10s\n", v, m, r[int((NR + 1) / 2)], r[NR], p50[NR], p99[NR] }'
		done
	done
fi
