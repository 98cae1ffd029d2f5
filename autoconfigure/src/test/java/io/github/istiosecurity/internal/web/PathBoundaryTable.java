package io.github.istiosecurity.internal.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import io.github.istiosecurity.authz.PathNormalization;
import io.github.istiosecurity.testsupport.EchoApplication;
import io.github.istiosecurity.testsupport.RawHttp;
import org.assertj.core.api.SoftAssertions;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request-path boundary as one table (issue 13): every row is a request-target sent
 * byte for byte over a socket, with the path Envoy would decide on under each
 * {@code istio.security.path-normalization} option (§5, written out from the spec's
 * reference table and Envoy's behaviour, not computed by the starter's normalizer). From
 * that path and the literal policies below, the test's own small oracle derives the
 * expected answer, and checks that on a 2xx the handler received exactly the decided
 * path: a request must never be allowed on one path and served on another.
 * <p>
 * Subclasses choose the container (Tomcat, Jetty, Netty). One application per (container,
 * option), started on first use and reused by every row and the method cases; at most
 * four per subclass, all closed after the class.
 * <p>
 * How to read a row: {@code =} is the input's path (before {@code ?}) unchanged;
 * {@code 400} is Envoy refusing the request ({@code Bad Request}); the last column lists
 * the containers that answer 400 themselves before any filter runs ({@code name=status}
 * for another status), for every option, since they see the raw request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class PathBoundaryTable {

	/** The ALLOW policy's {@code paths}, all prefix matches ({@code "/public*"} ...). */
	static final List<String> ALLOWED_PREFIXES = List.of("/public", "/anything/", "/app/", "/admin", "/xyz");

	/**
	 * The DENY policy's one exact path: the allowed {@code /admin*} area, except
	 * {@code /admin} itself.
	 */
	static final String DENIED_PATH = "/admin";

	/** A DENY on a method only ({@code PROPFIND}) for one path, for the method cases. */
	static final String METHOD_DENIED_PATH = "/anything/locked";

	static final String RBAC_DENIED = "RBAC: access denied";

	/** Envoy's own refusals (%00, characters its codec rejects). */
	static final String ENVOY_BAD_REQUEST = "Bad Request";

	/**
	 * Planned body of the starter's refusal of a path the application would route
	 * differently.
	 */
	static final String PATH_PARAMETER_REFUSED = "Bad Request: path parameter";

	/**
	 * Planned body of the starter's refusal of a dot segment left in the path under
	 * {@code NONE}.
	 */
	static final String DOT_SEGMENT_REFUSED = "Bad Request: dot segment";

	// @formatter:off
	// Columns: input | NONE | BASE | MERGE_SLASHES | DECODE_AND_MERGE_SLASHES | containers refusing the raw input.
	// Backslashes are doubled (Java text block); the request carries one.
	static final String ROWS = """
			# plain paths: the policies themselves
			/public                               | =   | =                 | =                 | =               |
			/anything/x                           | =   | =                 | =                 | =               |
			/admin/x                              | =   | =                 | =                 | =               |
			/admin                                | =   | =                 | =                 | =               |
			/other                                | =   | =                 | =                 | =               |
			/public/x?a=../admin                  | =   | =                 | =                 | =               |
			# §5.3, Istio's normalization test
			/app/../admin                         | =   | /admin            | /admin            | /admin          |
			/app//                                | =   | /app//            | /app/             | /app/           | jetty
			/app/%2f                              | =   | =                 | =                 | /app/           | tomcat jetty
			/app%2f/                              | =   | =                 | =                 | /app/           | tomcat jetty
			/xyz%30..//abc                        | =   | /xyz0..//abc      | /xyz0../abc       | /xyz0../abc     | jetty
			/app/%2E./admin                       | =   | /admin            | /admin            | /admin          | jetty
			/app\\admin                           | =   | /app/admin        | /app/admin        | /app/admin      | tomcat jetty netty
			/app/\\/\\/\\admin                    | =   | /app//////admin   | /app/admin        | /app/admin      | tomcat jetty netty
			/%2Fapp%5cadmin%5Cabc                 | =   | =                 | =                 | /app/admin/abc  | tomcat jetty
			/%5Capp%2f%5c%2F%2e%2e%2fadmin%5c\\abc | = | /%5Capp%2f%5c%2F..%2fadmin%5c/abc | /%5Capp%2f%5c%2F..%2fadmin%5c/abc | /app/admin/abc | tomcat jetty netty
			/app//../admin                        | =   | /app/admin        | /app/admin        | /app/admin      | jetty
			/app//../../admin                     | =   | /admin            | /admin            | /admin          | tomcat jetty
			/%c0%2e%c0%2e/admin                   | =   | /%c0.%c0./admin   | /%c0.%c0./admin   | /%c0.%c0./admin | tomcat jetty
			/%c0%2fadmin                          | =   | =                 | =                 | /%c0/admin      | tomcat jetty
			/Admin                                | =   | =                 | =                 | =               |
			/admin;a=b                            | =   | =                 | =                 | =               |
			/..;/admin                            | =   | /admin            | /admin            | /admin          | tomcat jetty
			/.../admin                            | =   | =                 | =                 | =               |
			/%252e%252e/admin                     | =   | =                 | =                 | =               | jetty
			/admin%00                             | =   | 400               | 400               | 400             | tomcat jetty
			# Istio's authorization test, ALLOW "/public*"
			/public/../public                     | =   | /public           | /public           | /public         |
			/public/./../private                  | =   | /private          | /private          | /private        |
			/public/%2E/%2E%2E/private            | =   | /private          | /private          | /private        | jetty
			/public/%2e%2e/%2e/private            | =   | /private          | /private          | /private        | jetty
			# dot segments
			/public/../admin                      | =   | /admin            | /admin            | /admin          |
			/public/./x                           | =   | /public/x         | /public/x         | /public/x       |
			/public/%2e%2e/admin                  | =   | /admin            | /admin            | /admin          | jetty
			/public/%2E%2E/admin                  | =   | /admin            | /admin            | /admin          | jetty
			/public/.%2e/admin                    | =   | /admin            | /admin            | /admin          | jetty
			/public/..;/admin                     | =   | /admin            | /admin            | /admin          | jetty
			/public/.;/x                          | =   | /public/x         | /public/x         | /public/x       | jetty
			/admin/.                              | =   | /admin/           | /admin/           | /admin/         |
			/public/%2e                           | =   | /public/          | /public/          | /public/        | jetty
			# empty segments
			/public//x                            | =   | =                 | /public/x         | /public/x       | jetty
			//admin                               | =   | =                 | /admin            | /admin          | jetty
			# encoded slash, backslash
			/public/a%2fb                         | =   | =                 | =                 | /public/a/b     | tomcat jetty
			/public%2F..%2Fadmin                  | =   | =                 | =                 | /admin          | tomcat jetty
			/public\\..\\admin                    | =   | /admin            | /admin            | /admin          | tomcat jetty netty
			/public%5c..%5cadmin                  | =   | =                 | =                 | /admin          | tomcat jetty
			/public/a%5Cb                         | =   | =                 | =                 | /public/a/b     | tomcat jetty
			# path parameters
			/public;jsessionid=1                  | =   | =                 | =                 | =               |
			/public/x;a=b                         | =   | =                 | =                 | =               |
			# NUL
			/public/a%00b                         | =   | 400               | 400               | 400             | tomcat jetty
			# double encoding
			/public/%252e%252e/admin              | =   | =                 | =                 | =               | jetty
			/public/a%252fb                       | =   | =                 | =                 | =               | jetty
			/public/%25                           | =   | =                 | =                 | =               | jetty
			# non-ASCII: raw UTF-8 bytes, then percent-encoded
			/public/é                             | 400 | 400               | 400               | 400             | tomcat jetty
			/public/%c3%a9                        | =   | =                 | =                 | =               |
			# percent-encoded unreserved characters
			/%61dmin                              | =   | /admin            | /admin            | /admin          |
			/public/%78                           | =   | /public/x         | /public/x         | /public/x       |
			""";
	// @formatter:on

	private final Container container;

	private final WebApplicationType type;

	private final Class<?>[] sources;

	private final Path policies = writePolicies();

	private final Map<PathNormalization, ConfigurableApplicationContext> applications = new EnumMap<>(
			PathNormalization.class);

	/**
	 * Creates the table for one container.
	 * @param container the container under test
	 * @param type servlet or reactive
	 * @param sources the application's configuration classes, {@link EchoApplication}
	 * first
	 */
	protected PathBoundaryTable(Container container, WebApplicationType type, Class<?>... sources) {
		this.container = container;
		this.type = type;
		this.sources = sources;
	}

	/**
	 * The web server the subclass expects, checked when an application starts (Jetty,
	 * Tomcat and Netty are all on the test classpath).
	 * @return the expected {@link WebServer} type
	 */
	protected abstract Class<? extends WebServer> webServerType();

	static Stream<Arguments> rows() {
		List<Arguments> arguments = new ArrayList<>();
		for (PathNormalization mode : PathNormalization.values()) {
			for (Row row : Row.parse(ROWS)) {
				arguments.add(Arguments.of(mode, row));
			}
		}
		return arguments.stream();
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("rows")
	void answersAsEnvoyAndServesTheDecidedPath(PathNormalization mode, Row row) {
		Expectation expected = row.expectation(mode, this.container);
		RawHttp.Response response = RawHttp.request(port(mode), "GET", row.input());
		Map<String, Object> echo = echo(response);
		SoftAssertions softly = new SoftAssertions();
		softly.assertThat(response.status())
			.as("%s status of %s (expected %s); got %s", mode, row.input(), expected, response)
			.isEqualTo(expected.status());
		if (expected.byContainer()) {
			// the container's own page: neither Envoy's nor the starter's refusal, nor a
			// policy decision
			softly.assertThat(response.body())
				.as("body of %s (refused by the container)", row.input())
				.doesNotStartWith(ENVOY_BAD_REQUEST)
				.isNotEqualTo(RBAC_DENIED);
		}
		else if (expected.body() != null && expected.status() == 400) {
			// the 400 wording is still open: "Bad Request" or "Bad Request: <reason>"
			softly.assertThat(response.body()).as("body of %s", row.input()).startsWith(ENVOY_BAD_REQUEST);
		}
		else if (expected.body() != null) {
			softly.assertThat(response.body()).as("body of %s", row.input()).isEqualTo(expected.body());
		}
		if (expected.servedPath() != null) {
			softly.assertThat(echo)
				.as("what the handler of %s received", row.input())
				.containsEntry("path", expected.servedPath())
				.containsEntry("method", "GET");
		}
		// whatever else was expected: a request that reached the application was decided
		// on the path it was served
		// under, and that path is the one Envoy would have forwarded
		if (response.status() >= 200 && response.status() < 300) {
			softly.assertThat(echo)
				.as("2xx for %s without the echo of a handler: %s", row.input(), response)
				.containsKey("path");
			Object served = echo.get("path");
			softly.assertThat(served).as("path served for %s (%s)", row.input(), echo).isEqualTo(row.path(mode));
			softly.assertThat(served instanceof String path && allowedByPolicies(path))
				.as("the policies allow the path served for %s (%s)", row.input(), echo)
				.isTrue();
		}
		softly.assertAll();
	}

	static Stream<Arguments> methods() {
		List<Arguments> arguments = new ArrayList<>();
		for (PathNormalization mode : PathNormalization.values()) {
			arguments.add(Arguments.of(mode, "PROPFIND", "/anything/x", 200));
			arguments.add(Arguments.of(mode, "FOO", "/anything/x", 200));
			arguments.add(Arguments.of(mode, "PROPFIND", METHOD_DENIED_PATH, 403));
			arguments.add(Arguments.of(mode, "FOO", METHOD_DENIED_PATH, 200));
		}
		return arguments.stream();
	}

	// a method is a token like any other: Envoy forwards PROPFIND and FOO, and a DENY on
	// "PROPFIND" matches it
	@ParameterizedTest(name = "{0} {1} {2}")
	@MethodSource("methods")
	void nonStandardMethodsAreDecidedByThePolicies(PathNormalization mode, String method, String path, int status) {
		RawHttp.Response response = RawHttp.request(port(mode), method, path);
		assertThat(response.status()).as("%s %s: %s", method, path, response).isEqualTo(status);
		if (status == 200) {
			assertThat(echo(response)).containsEntry("method", method).containsEntry("path", path);
		}
		else {
			assertThat(response.body()).isEqualTo(RBAC_DENIED);
		}
	}

	static Stream<Arguments> headerCharacters() {
		// the header lines as sent (ISO-8859-1, one char a byte), the name the refusal
		// names (null: allowed), and the containers that refuse the raw request
		// themselves
		String all = "tomcat jetty netty";
		return Stream.of(Arguments.of("tab in a value", "X-Test: a\tb", null, ""),
				Arguments.of("ISO-8859-1 letter in a value", "X-Test: caf\u00e9", null, ""),
				Arguments.of("C1 control in a value", "X-Test: a\u0085b", "X-Test", ""),
				Arguments.of("C1 control in the second value of a repeated header",
						"X-Test: ok\r\nX-Other: ok\r\nX-Test: a\u0085b", "X-Test", ""),
				Arguments.of("C1 control in the second of two headers", "X-Other: ok\r\nX-Test: \u009f", "X-Test", ""),
				// the containers' own codecs refuse C0 controls and DEL, and any control
				// character in a name
				Arguments.of("control character in a value", "X-Test: a\u0001b", "X-Test", all),
				Arguments.of("DEL in a value", "X-Test: a\u007fb", "X-Test", all),
				Arguments.of("C1 control in a name", "X-T\u0085st: ok", "?", all));
	}

	// Spring Security's firewall rule for header names and values (a control or
	// unassigned character is refused, tab allowed in values), checked by the starter
	// itself on every stack, on the headers as the server received them
	@ParameterizedTest(name = "{0}")
	@MethodSource("headerCharacters")
	void refusesHeaderCharactersAsSpringSecuritysFirewall(String description, String headerLines,
			@Nullable String refusedName, String refusingContainers) {
		int port = port(PathNormalization.BASE);
		RawHttp.Response response = RawHttp.exchange(port, "GET /public HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
				+ headerLines + "\r\nConnection: close\r\n\r\n");
		if (List.of(refusingContainers.split(" ")).contains(this.container.name().toLowerCase(Locale.ROOT))) {
			assertThat(response.status()).as("%s: %s", description, response).isEqualTo(400);
			assertThat(response.body()).as(description).doesNotStartWith(ENVOY_BAD_REQUEST);
		}
		else if (refusedName == null) {
			assertThat(response.status()).as("%s: %s", description, response).isEqualTo(200);
			assertThat(echo(response)).containsEntry("path", "/public");
		}
		else {
			assertThat(response.status()).as("%s: %s", description, response).isEqualTo(400);
			assertThat(response.body()).as(description)
				.isEqualTo("Bad Request: the header '" + refusedName
						+ "' has a control or unassigned character in its name or value");
		}
	}

	@AfterAll
	void stopApplications() {
		this.applications.values().forEach(ConfigurableApplicationContext::close);
		this.applications.clear();
		FileSystemUtils.deleteRecursively(this.policies.toFile());
	}

	private int port(PathNormalization mode) {
		ConfigurableApplicationContext application = this.applications.computeIfAbsent(mode, this::start);
		return ((WebServerApplicationContext) application).getWebServer().getPort();
	}

	private ConfigurableApplicationContext start(PathNormalization mode) {
		ConfigurableApplicationContext application = new SpringApplicationBuilder(this.sources).web(this.type)
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off",
					"echo.catch-all=true", "istio.security.path-normalization=" + mode,
					"istio.security.policy-locations=file:" + this.policies + "/*.yaml",
					"istio.security.workload.namespace=foo", "istio.security.workload.labels.app=httpbin")
			.run();
		assertThat(((WebServerApplicationContext) application).getWebServer()).isInstanceOf(webServerType());
		return application;
	}

	private static Map<String, Object> echo(RawHttp.Response response) {
		String text = response.body();
		if (response.status() != 200 || !text.startsWith("{")) {
			return Map.of();
		}
		@SuppressWarnings("unchecked")
		Map<String, Object> echo = JsonMapper.shared().readValue(text, LinkedHashMap.class);
		return echo;
	}

	/**
	 * The test's oracle for the two policies: DENY on the exact path, else ALLOW on a
	 * prefix, else denied (no ALLOW matched).
	 */
	static boolean allowedByPolicies(String path) {
		if (path.equals(DENIED_PATH)) {
			return false;
		}
		for (String prefix : ALLOWED_PREFIXES) {
			if (path.startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

	private static Path writePolicies() {
		StringBuilder allowed = new StringBuilder();
		for (String prefix : ALLOWED_PREFIXES) {
			allowed.append(allowed.isEmpty() ? "" : ", ").append('"').append(prefix).append("*\"");
		}
		try {
			Path dir = Files.createTempDirectory("istio-path-boundary");
			Files.writeString(dir.resolve("authz.yaml"), """
					apiVersion: security.istio.io/v1
					kind: AuthorizationPolicy
					metadata: {name: allow-prefixes, namespace: foo}
					spec:
					  rules:
					  - to: [{operation: {paths: [%s]}}]
					---
					apiVersion: security.istio.io/v1
					kind: AuthorizationPolicy
					metadata: {name: deny-exact, namespace: foo}
					spec:
					  action: DENY
					  rules:
					  - to: [{operation: {paths: ["%s"]}}]
					  - to: [{operation: {methods: ["PROPFIND"], paths: ["%s"]}}]
					""".formatted(allowed, DENIED_PATH, METHOD_DENIED_PATH));
			return dir;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The containers under test.
	 */
	public enum Container {

		/** Tomcat (servlet). */
		TOMCAT,

		/** Jetty (servlet). */
		JETTY,

		/** Reactor Netty (WebFlux). */
		NETTY

	}

	/**
	 * What a request must get.
	 *
	 * @param status the status
	 * @param body the body, {@code null} when not checked (a container's own error page,
	 * the echo)
	 * @param servedPath the path the handler must have received, for a 200
	 * @param byContainer whether the container answers before any filter runs
	 * @param why a short reason for failure messages
	 */
	record Expectation(int status, @Nullable String body, @Nullable String servedPath, boolean byContainer,
			String why) {

		static Expectation of(int status, @Nullable String body, @Nullable String servedPath, String why) {
			return new Expectation(status, body, servedPath, false, why);
		}

		@Override
		public String toString() {
			return this.status + " " + this.why;
		}

	}

	/**
	 * One input row of the table.
	 *
	 * @param input the request-target as sent
	 * @param paths the path Envoy decides on per option, or {@code null} where Envoy
	 * answers 400
	 * @param refusals the status each container answers itself before any filter, for
	 * containers that do
	 */
	record Row(String input, Map<PathNormalization, @Nullable String> paths, Map<Container, Integer> refusals) {

		static List<Row> parse(String table) {
			List<Row> rows = new ArrayList<>();
			for (String line : table.split("\n")) {
				String trimmed = line.strip();
				if (trimmed.isEmpty() || trimmed.startsWith("#")) {
					continue;
				}
				String[] cells = trimmed.split("\\|", -1);
				if (cells.length != 6) {
					throw new IllegalArgumentException("Row needs 6 cells: " + line);
				}
				String input = cells[0].strip();
				String path = input.contains("?") ? input.substring(0, input.indexOf('?')) : input;
				Map<PathNormalization, @Nullable String> paths = new EnumMap<>(PathNormalization.class);
				PathNormalization[] modes = PathNormalization.values();
				for (int i = 0; i < modes.length; i++) {
					String cell = cells[i + 1].strip();
					paths.put(modes[i], cell.equals("400") ? null : cell.equals("=") ? path : cell);
				}
				Map<Container, Integer> refusals = new EnumMap<>(Container.class);
				for (String refusal : cells[5].strip().split("\\s+")) {
					if (!refusal.isEmpty()) {
						String[] parts = refusal.split("=");
						refusals.put(Container.valueOf(parts[0].toUpperCase(Locale.ROOT)),
								(parts.length > 1) ? Integer.parseInt(parts[1]) : 400);
					}
				}
				rows.add(new Row(input, paths, refusals));
			}
			return rows;
		}

		@Nullable String path(PathNormalization mode) {
			return this.paths.get(mode);
		}

		/**
		 * The answer for one option on one container: the container's own refusal; else
		 * Envoy's 400; else the starter's refusal of a path the application would route
		 * on something else (checked before any decision: such a request cannot be served
		 * as decided, whatever the policies say); else the policies' decision.
		 */
		Expectation expectation(PathNormalization mode, Container container) {
			Integer refusal = this.refusals.get(container);
			if (refusal != null) {
				return new Expectation(refusal, null, null, true, "refused by " + container + " before any filter");
			}
			String path = path(mode);
			if (path == null) {
				return Expectation.of(400, ENVOY_BAD_REQUEST, null, "refused by Envoy");
			}
			if (path.indexOf(';') >= 0) {
				// Spring's path matching and the servlet containers drop ";..." from
				// segments
				return Expectation.of(400, PATH_PARAMETER_REFUSED, null, "path parameter in " + path);
			}
			if (mode == PathNormalization.NONE && hasDotSegment(path)) {
				// the containers resolve them (Tomcat also decoded %2e), Envoy under NONE
				// does not
				return Expectation.of(400, DOT_SEGMENT_REFUSED, null, "dot segment in " + path);
			}
			if (path.equals(DENIED_PATH)) {
				return Expectation.of(403, RBAC_DENIED, null, "DENY matches " + path);
			}
			if (allowedByPolicies(path)) {
				return Expectation.of(200, null, path, "ALLOW matches " + path);
			}
			return Expectation.of(403, RBAC_DENIED, null, "no ALLOW matches " + path);
		}

		/**
		 * Whether a segment ({@code /} or {@code \} separated) is {@code .} or
		 * {@code ..}, dots also written as {@code %2e}/{@code %2E}.
		 */
		static boolean hasDotSegment(String path) {
			for (String segment : path.split("[/\\\\]", -1)) {
				String decoded = segment.replace("%2e", ".").replace("%2E", ".");
				if (decoded.equals(".") || decoded.equals("..")) {
					return true;
				}
			}
			return false;
		}

		@Override
		public String toString() {
			return this.input;
		}

	}

}
