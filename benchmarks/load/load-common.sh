# Shared by the load scripts (sourced, not run): the packaged sample-httpbin jar, stopping the application a
# script started (by its pid only), and a free loopback port. The sourcing script sets SCRIPT_NAME first.

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

stop_app() {
	if [ -n "$app_pid" ] && kill -0 "$app_pid" 2> /dev/null; then
		kill "$app_pid"
		# Give Spring's graceful shutdown 20 s, then insist.
		for _ in $(seq 40); do
			kill -0 "$app_pid" 2> /dev/null || break
			sleep 0.5
		done
		kill -0 "$app_pid" 2> /dev/null && kill -9 "$app_pid"
		wait "$app_pid" 2> /dev/null || true
	fi
	app_pid=""
}
trap stop_app EXIT
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
