import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Makes a demo mesh CA and the certificates of the mTLS walk-through, with the JDK alone ({@code keytool}):
 * what istiod's CA would issue to the workloads, on your machine, for the demo only.
 * <p>
 * Run from the repository root (or from {@code sample-httpbin} or {@code sample-httpbin/demo}):
 * <pre>
 * java sample-httpbin/demo/DemoMesh.java          # writes sample-httpbin/demo/mesh/ (git-ignored)
 * java sample-httpbin/demo/DemoMesh.java DIR      # writes DIR instead
 * </pre>
 * Every run makes a new CA and new keys (EC P-256, valid 365 days) and replaces the files:
 * <table>
 * <caption>files</caption>
 * <tr><td>{@code ca.pem}, {@code truststore.p12}</td><td>the demo mesh CA's certificate (PEM; PKCS#12 trust store)</td></tr>
 * <tr><td>{@code httpbin.pem}, {@code httpbin-key.pem}, {@code httpbin.p12}</td><td>httpbin's server certificate:
 * DNS {@code localhost}, IP {@code 127.0.0.1}, URI {@code spiffe://cluster.local/ns/foo/sa/httpbin}</td></tr>
 * <tr><td>{@code sleep.pem}, {@code sleep-key.pem}, {@code sleep.p12}</td><td>sleep's client certificate:
 * URI {@code spiffe://cluster.local/ns/sleep/sa/sleep}</td></tr>
 * <tr><td>{@code intruder.pem}, {@code intruder-key.pem}, {@code intruder.p12}</td><td>another workload's client
 * certificate from the same CA: URI {@code spiffe://cluster.local/ns/other/sa/intruder}</td></tr>
 * <tr><td>{@code ca.p12}</td><td>the CA's own key, to issue the above; nothing else needs it</td></tr>
 * </table>
 * The PKCS#12 stores have the password {@code changeit}; the PEM keys are unencrypted PKCS#8. <b>These are demo
 * keys made on your machine: never let a real system trust this CA, and never commit the files.</b>
 */
public class DemoMesh {

	/** The password of every PKCS#12 store written here (keytool requires one). */
	static final String PASSWORD = "changeit";

	/** A year: long enough for a demo, and a new run makes new ones anyway. */
	static final String VALIDITY_DAYS = "365";

	public static void main(String[] args) throws Exception {
		Path dir = (args.length > 0) ? Path.of(args[0]) : demoDirectory().resolve("mesh");
		Files.createDirectories(dir);
		for (String stale : List.of("ca", "truststore", "httpbin", "sleep", "intruder")) {
			Files.deleteIfExists(dir.resolve(stale + ".p12"));
		}

		keytool("-genkeypair", "-keystore", dir.resolve("ca.p12"), "-alias", "ca", "-keyalg", "EC", "-groupname",
				"secp256r1", "-sigalg", "SHA256withECDSA", "-dname", "CN=demo mesh root CA, O=demo mesh", "-ext",
				"bc:c=ca:true", "-ext", "ku:c=keyCertSign,cRLSign");
		KeyStore authority = load(dir.resolve("ca.p12"));
		X509Certificate ca = (X509Certificate) authority.getCertificate("ca");
		Files.writeString(dir.resolve("ca.pem"), pem("CERTIFICATE", ca.getEncoded()));
		KeyStore trust = load(null);
		trust.setCertificateEntry("ca", ca);
		store(trust, dir.resolve("truststore.p12"));

		issue(dir, ca, "httpbin", "serverAuth", "dns:localhost,ip:127.0.0.1,uri:spiffe://cluster.local/ns/foo/sa/httpbin");
		issue(dir, ca, "sleep", "clientAuth", "uri:spiffe://cluster.local/ns/sleep/sa/sleep");
		issue(dir, ca, "intruder", "clientAuth", "uri:spiffe://cluster.local/ns/other/sa/intruder");
		System.out.println("wrote the demo mesh CA and the httpbin, sleep and intruder certificates to "
				+ dir.toAbsolutePath().normalize());
	}

	/**
	 * A key pair of the workload's own, a certificate request, the CA's certificate for it with the SANs, and a
	 * PKCS#12 store with the key and the chain; then the same key and certificate as PEM files.
	 */
	static void issue(Path dir, X509Certificate ca, String name, String purpose, String subjectAlternativeNames)
			throws Exception {
		Path store = dir.resolve(name + ".p12");
		Path request = dir.resolve(name + ".csr");
		Path certificate = dir.resolve(name + ".pem");
		keytool("-genkeypair", "-keystore", store, "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1",
				"-sigalg", "SHA256withECDSA", "-dname", "CN=" + name + ", O=demo mesh");
		keytool("-certreq", "-keystore", store, "-alias", name, "-file", request);
		keytool("-gencert", "-keystore", dir.resolve("ca.p12"), "-alias", "ca", "-infile", request, "-outfile",
				certificate, "-rfc", "-sigalg", "SHA256withECDSA", "-ext", "bc:c=ca:false", "-ext",
				"ku:c=digitalSignature", "-ext", "eku=" + purpose, "-ext", "san=" + subjectAlternativeNames);
		Files.delete(request);
		// The CA's certificate replaces the self-signed one keytool made with the key, with the CA's beside it.
		KeyStore keys = load(store);
		PrivateKey key = (PrivateKey) keys.getKey(name, PASSWORD.toCharArray());
		X509Certificate issued;
		try (InputStream in = Files.newInputStream(certificate)) {
			issued = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
		}
		keys.setKeyEntry(name, key, PASSWORD.toCharArray(), new Certificate[] { issued, ca });
		store(keys, store);
		Files.writeString(dir.resolve(name + "-key.pem"), pem("PRIVATE KEY", key.getEncoded()));
	}

	/** Loads a PKCS#12 store, or makes an empty one for {@code null}. */
	static KeyStore load(Path file) throws Exception {
		KeyStore store = KeyStore.getInstance("PKCS12");
		if (file == null) {
			store.load(null, null);
			return store;
		}
		try (InputStream in = Files.newInputStream(file)) {
			store.load(in, PASSWORD.toCharArray());
		}
		return store;
	}

	static void store(KeyStore store, Path file) throws Exception {
		try (OutputStream out = Files.newOutputStream(file)) {
			store.store(out, PASSWORD.toCharArray());
		}
	}

	/** Runs the JDK's own keytool (the one beside this java), failing with its output. */
	static void keytool(Object... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
		for (Object argument : arguments) {
			command.add(argument.toString());
		}
		command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
		if (!"-certreq".equals(command.get(1))) {
			command.addAll(List.of("-validity", VALIDITY_DAYS));
		}
		// keytool is a short-lived JVM: no need for the optimizing compiler
		command.add("-J-XX:TieredStopAtLevel=1");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (process.waitFor() != 0) {
			throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
		}
	}

	/** Finds {@code sample-httpbin/demo} from the repository root, the module or the demo directory itself. */
	static Path demoDirectory() {
		for (String candidate : List.of("sample-httpbin/demo", "demo", ".")) {
			Path dir = Path.of(candidate);
			if (Files.isRegularFile(dir.resolve("DemoMesh.java"))) {
				return dir;
			}
		}
		throw new IllegalStateException("run from the repository root, sample-httpbin or sample-httpbin/demo");
	}

	static String pem(String type, byte[] der) {
		String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
		return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
	}

}
