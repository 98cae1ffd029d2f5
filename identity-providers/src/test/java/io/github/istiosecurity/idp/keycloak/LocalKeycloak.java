package io.github.istiosecurity.idp.keycloak;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.istiosecurity.idp.Http;
import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * Keycloak from its official distribution ({@code org.keycloak:keycloak-quarkus-dist},
 * unpacked by the build), started as a child process in dev mode on free loopback ports
 * with the test realms imported: one per JVM, started on first use, stopped by the test
 * classes that use it and, failing that, by a shutdown hook. Its output goes to
 * {@code target/keycloak-server.log}.
 */
public final class LocalKeycloak implements KeycloakServer {

	/** Keycloak 26 runs on Java 21 or newer. */
	static final int MINIMUM_JAVA = 21;

	/**
	 * Generous for a first start on two busy cores (a one-time build step, then the realm
	 * imports).
	 */
	private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(6);

	private static LocalKeycloak instance;

	private final Process process;

	private final String baseUrl;

	private final String adminPassword = UUID.randomUUID().toString();

	private final Path log;

	private LocalKeycloak(Path home, Path log) throws IOException {
		this.log = log;
		Path javaHome = JavaHomes.find(MINIMUM_JAVA, System.getenv(), Path.of(System.getProperty("user.home")));
		prepareData(home);
		int httpPort = freePort();
		int managementPort = freePort();
		this.baseUrl = "http://127.0.0.1:" + httpPort;
		List<String> command = new ArrayList<>();
		command.add(home.resolve("bin").resolve(JavaHomes.isWindows() ? "kc.bat" : "kc.sh").toString());
		command
			.addAll(List.of("start-dev", "--http-port=" + httpPort, "--http-host=127.0.0.1", "--hostname-strict=false",
					"--import-realm", "--health-enabled=true", "--http-management-port=" + managementPort));
		ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
		Map<String, String> env = builder.environment();
		env.put("JAVA_HOME", javaHome.toString());
		env.put("JAVA", javaHome.resolve("bin").resolve(JavaHomes.isWindows() ? "java.exe" : "java").toString());
		env.put("KC_BOOTSTRAP_ADMIN_USERNAME", adminUsername());
		env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", this.adminPassword);
		// Half the default heap: enough for the tests, kinder to the two cores' worth of
		// machine it shares.
		env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx256m");
		this.process = builder.start();
		Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "keycloak-stop"));
		awaitReady(javaHome);
	}

	/**
	 * Returns the Keycloak of this JVM, starting it on first use.
	 * @return the running server
	 */
	public static synchronized LocalKeycloak get() {
		if (instance == null) {
			Path home = Path.of(System.getProperty("keycloak.home", "target/keycloak/keycloak"));
			if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
				throw new IllegalStateException("No Keycloak distribution at " + home.toAbsolutePath()
						+ ": run the tests with Maven (./mvnw verify), which unpacks it in pre-integration-test");
			}
			Path log = Path.of(System.getProperty("keycloak.log", "target/keycloak-server.log"));
			try {
				instance = new LocalKeycloak(home, log);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not start Keycloak from " + home, ex);
			}
		}
		return instance;
	}

	/**
	 * Stops the Keycloak of this JVM, if one was started.
	 */
	public static synchronized void stopIfStarted() {
		if (instance != null) {
			instance.stop();
		}
	}

	@Override
	public String baseUrl() {
		return this.baseUrl;
	}

	@Override
	public String adminUsername() {
		return "admin";
	}

	@Override
	public String adminPassword() {
		return this.adminPassword;
	}

	/**
	 * Stops the whole process tree: {@code kc.sh} runs Keycloak's JVM as its child.
	 */
	private void stop() {
		if (!this.process.isAlive()) {
			return;
		}
		List<ProcessHandle> tree = new ArrayList<>(this.process.descendants().toList());
		tree.add(this.process.toHandle());
		tree.forEach(ProcessHandle::destroy);
		for (ProcessHandle handle : tree) {
			try {
				handle.onExit().get(30, TimeUnit.SECONDS);
			}
			catch (Exception ex) {
				handle.destroyForcibly();
			}
		}
	}

	private void awaitReady(Path javaHome) {
		try {
			await().atMost(STARTUP_TIMEOUT)
				.pollInterval(Duration.ofMillis(500))
				.ignoreExceptions()
				.failFast("Keycloak exited", () -> !this.process.isAlive())
				.until(() -> KeycloakServer.REALMS.stream().allMatch(this::answers));
		}
		catch (ConditionTimeoutException | org.awaitility.core.TerminalFailureException ex) {
			stop();
			throw new IllegalStateException(
					"Keycloak (with the JDK at " + javaHome + ") did not become ready at " + this.baseUrl + ": "
							+ ex.getMessage() + ". Last lines of " + this.log.toAbsolutePath() + ":\n" + tail(this.log),
					ex);
		}
	}

	private boolean answers(String realm) {
		HttpResponse<String> response = Http.get(issuer(realm) + "/.well-known/openid-configuration");
		return response.statusCode() == 200;
	}

	/**
	 * Starts from an empty dev database with the realms of the test resources: a database
	 * left by an earlier run would keep its keys (rotated ones too) and skip the import.
	 */
	private static void prepareData(Path home) throws IOException {
		deleteRecursively(home.resolve("data/h2"));
		Path imports = home.resolve("data/import");
		deleteRecursively(imports);
		Files.createDirectories(imports);
		for (String realm : KeycloakServer.REALMS) {
			String name = realm + "-realm.json";
			try (InputStream json = LocalKeycloak.class.getResourceAsStream("/keycloak/" + name)) {
				if (json == null) {
					throw new IllegalStateException("Missing test resource keycloak/" + name);
				}
				Files.copy(json, imports.resolve(name), StandardCopyOption.REPLACE_EXISTING);
			}
		}
	}

	private static void deleteRecursively(Path path) throws IOException {
		if (!Files.exists(path)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(path)) {
			for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(each);
			}
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static String tail(Path log) {
		try {
			List<String> lines = Files.readAllLines(log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
		}
		catch (IOException ex) {
			return "(unreadable: " + ex.getMessage() + ")";
		}
	}

}
