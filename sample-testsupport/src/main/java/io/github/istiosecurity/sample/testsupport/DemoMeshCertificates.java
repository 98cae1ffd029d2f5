package io.github.istiosecurity.sample.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The demo mesh certificates made at test time by the documented command itself,
 * {@code java sample-httpbin/demo/DemoMesh.java
 *
<dir>
 * }, once per test JVM into a temporary directory: a CA, httpbin's server certificate for
 * {@code localhost}/{@code 127.0.0.1}, and the client certificates of {@code sleep}
 * ({@code spiffe://cluster.local/ns/sleep/sa/sleep}) and {@code intruder}
 * ({@code spiffe://cluster.local/ns/other/sa/intruder}), as PEM files and PKCS#12 stores.
 */
public final class DemoMeshCertificates {

	/** The password of the PKCS#12 stores DemoMesh writes. */
	public static final String PASSWORD = "changeit";

	private static DemoMeshCertificates generated;

	private final Path dir;

	private DemoMeshCertificates(Path dir) {
		this.dir = dir;
	}

	/**
	 * Returns the certificates of this test JVM, making them on first use.
	 * @return the certificates
	 */
	public static synchronized DemoMeshCertificates generated() {
		if (generated == null) {
			try {
				Path dir = Files.createTempDirectory("demo-mesh");
				run(program(), dir);
				generated = new DemoMeshCertificates(dir);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return generated;
	}

	/**
	 * Returns the directory the files are in, the value of {@code demo.mesh-certs} for
	 * the samples' mtls profile.
	 * @return the directory
	 */
	public Path dir() {
		return this.dir;
	}

	/**
	 * Returns one of the files.
	 * @param name the file name, such as {@code httpbin.pem}
	 * @return its path
	 */
	public Path file(String name) {
		return this.dir.resolve(name);
	}

	/**
	 * Returns a client TLS context that presents a workload's certificate and trusts the
	 * demo CA.
	 * @param workload {@code sleep} or {@code intruder}
	 * @return the context
	 */
	public SSLContext client(String workload) {
		try {
			KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			keys.init(load(file(workload + ".p12")), PASSWORD.toCharArray());
			return context(keys);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Returns a client TLS context that presents no certificate and trusts the demo CA.
	 * @return the context
	 */
	public SSLContext anonymousClient() {
		return context(null);
	}

	private SSLContext context(KeyManagerFactory keys) {
		try {
			TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trust.init(load(file("truststore.p12")));
			SSLContext context = SSLContext.getInstance("TLS");
			context.init((keys != null) ? keys.getKeyManagers() : null, trust.getTrustManagers(), null);
			return context;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static KeyStore load(Path file) {
		try (InputStream in = Files.newInputStream(file)) {
			KeyStore store = KeyStore.getInstance("PKCS12");
			store.load(in, PASSWORD.toCharArray());
			return store;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * DemoMesh.java, from sample-httpbin or from a sibling module (tests run in their
	 * module's directory).
	 */
	private static Path program() {
		for (String candidate : List.of("demo/DemoMesh.java", "../sample-httpbin/demo/DemoMesh.java")) {
			Path program = Path.of(candidate);
			if (Files.isRegularFile(program)) {
				return program;
			}
		}
		throw new IllegalStateException(
				"sample-httpbin/demo/DemoMesh.java not found from " + Path.of("").toAbsolutePath());
	}

	private static void run(Path program, Path dir) throws IOException {
		List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				program.toString(), dir.toString());
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		try {
			if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
				throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
