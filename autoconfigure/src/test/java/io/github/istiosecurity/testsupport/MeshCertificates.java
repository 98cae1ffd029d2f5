package io.github.istiosecurity.testsupport;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A mesh certificate authority made at test time, as istiod's CA issues workload
 * certificates: a self-signed CA, a server certificate for
 * {@code localhost}/{@code 127.0.0.1}, and client certificates whose URI SAN is a SPIFFE
 * identity {@code spiffe://<trust-domain>/ns/<ns>/sa/<sa>}. EC P-256 keys, so that making
 * them is quick. Nothing is stored beyond the temporary directory the PEM files are
 * written to.
 */
public final class MeshCertificates {

	private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

	private final String name;

	private final KeyPair caKeys;

	private final X509Certificate ca;

	private MeshCertificates(String name) {
		this.name = name;
		this.caKeys = newKeyPair();
		X500Principal subject = new X500Principal("O=" + name + ",CN=" + name + " root CA");
		this.ca = sign(new JcaX509v3CertificateBuilder(subject, serial(), notBefore(), notAfter(), subject,
				this.caKeys.getPublic()), this.caKeys.getPrivate(), (builder) -> {
					builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
					builder.addExtension(Extension.keyUsage, true,
							new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
				});
	}

	/**
	 * Creates a new certificate authority.
	 * @param name the organisation of its subject, to tell two authorities apart
	 * @return the authority
	 */
	public static MeshCertificates authority(String name) {
		return new MeshCertificates(name);
	}

	/**
	 * Returns the CA certificate.
	 * @return the certificate
	 */
	public X509Certificate caCertificate() {
		return this.ca;
	}

	/**
	 * Issues a server certificate for {@code localhost} and {@code 127.0.0.1}.
	 * @return the key and certificate
	 */
	public Issued server() {
		return issue(new X500Principal("CN=localhost"), KeyPurposeId.id_kp_serverAuth,
				new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
	}

	/**
	 * Issues a workload certificate with the SPIFFE identity {@code spiffe://
	 *
	<td>/ns/<ns>/sa/<sa>}.
	 * @param trustDomain the trust domain
	 * @param namespace the namespace
	 * @param serviceAccount the service account
	 * @return the key and certificate
	 */
	public Issued workload(String trustDomain, String namespace, String serviceAccount) {
		return client("spiffe://" + trustDomain + "/ns/" + namespace + "/sa/" + serviceAccount);
	}

	/**
	 * Issues a client certificate with one URI SAN.
	 * @param uri the URI
	 * @return the key and certificate
	 */
	public Issued client(String uri) {
		return issue(new X500Principal("O=" + this.name), KeyPurposeId.id_kp_clientAuth,
				new GeneralName(GeneralName.uniformResourceIdentifier, uri));
	}

	private Issued issue(X500Principal subject, KeyPurposeId purpose, GeneralName... names) {
		KeyPair keys = newKeyPair();
		X509Certificate certificate = sign(
				new JcaX509v3CertificateBuilder(this.ca, serial(), notBefore(), notAfter(), subject, keys.getPublic()),
				this.caKeys.getPrivate(), (builder) -> {
					builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
					builder.addExtension(Extension.keyUsage, true,
							new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
					builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
					builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
					builder.addExtension(Extension.authorityKeyIdentifier, false,
							new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(this.ca));
				});
		return new Issued(keys.getPrivate(), certificate, this.ca);
	}

	/**
	 * Writes the CA certificate as PEM.
	 * @param dir the directory
	 * @return the file
	 */
	public Path writeCa(Path dir) {
		return write(dir.resolve(this.name + "-ca.pem"), pem(this.ca));
	}

	/**
	 * Writes a PKCS#12 trust store holding the CA certificate under the alias {@code ca}.
	 * @param file the file
	 * @param password the store password
	 * @return the file
	 */
	public Path writeTrustStore(Path file, String password) {
		try {
			KeyStore store = KeyStore.getInstance("PKCS12");
			store.load(null, null);
			store.setCertificateEntry("ca", this.ca);
			try (var out = Files.newOutputStream(file)) {
				store.store(out, password.toCharArray());
			}
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A private key and its certificate, issued by a {@link MeshCertificates} authority.
	 *
	 * @param key the private key
	 * @param certificate the certificate
	 * @param issuer the CA certificate
	 */
	public record Issued(PrivateKey key, X509Certificate certificate, X509Certificate issuer) {

		/**
		 * Writes {@code <name>.pem} (the certificate) and {@code <name>-key.pem} (the
		 * PKCS#8 key).
		 * @param dir the directory
		 * @param name the file name stem
		 * @return the certificate file; the key file is beside it
		 */
		public Path writePem(Path dir, String name) {
			write(dir.resolve(name + "-key.pem"), pem(this.key));
			return write(dir.resolve(name + ".pem"), pem(this.certificate));
		}

		/**
		 * Writes a PKCS#12 key store with the key and its chain under the alias
		 * {@code server}.
		 * @param file the file
		 * @param password the store and key password
		 * @return the file
		 */
		public Path writePkcs12(Path file, String password) {
			try {
				KeyStore store = KeyStore.getInstance("PKCS12");
				store.load(null, null);
				store.setKeyEntry("server", this.key, password.toCharArray(),
						new X509Certificate[] { this.certificate, this.issuer });
				try (var out = Files.newOutputStream(file)) {
					store.store(out, password.toCharArray());
				}
				return file;
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException(ex);
			}
		}

		/**
		 * Returns a client TLS context that presents this certificate and trusts the
		 * given authority.
		 * @param trusted the authority whose server certificates are trusted
		 * @return the context
		 */
		public SSLContext clientContext(MeshCertificates trusted) {
			return MeshCertificates.clientContext(this, trusted.caCertificate());
		}

	}

	/**
	 * Returns a client TLS context that presents no certificate and trusts this
	 * authority.
	 * @return the context
	 */
	public SSLContext anonymousClientContext() {
		return clientContext(null, this.ca);
	}

	private static SSLContext clientContext(Issued client, X509Certificate trusted) {
		try {
			KeyManagerFactory keyManagers = null;
			if (client != null) {
				KeyStore keys = KeyStore.getInstance("PKCS12");
				keys.load(null, null);
				keys.setKeyEntry("client", client.key(), new char[0],
						new X509Certificate[] { client.certificate(), client.issuer() });
				keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
				keyManagers.init(keys, new char[0]);
			}
			KeyStore trust = KeyStore.getInstance("PKCS12");
			trust.load(null, null);
			trust.setCertificateEntry("ca", trusted);
			TrustManagerFactory trustManagers = TrustManagerFactory
				.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trustManagers.init(trust);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init((keyManagers != null) ? new KeyManager[] { new AlwaysPresent(keyManagers) } : null,
					trustManagers.getTrustManagers(), new SecureRandom());
			return context;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Presents the client certificate whatever authorities the server names: the JDK's
	 * key manager would otherwise send none when the server asks for another CA's
	 * certificates, and the handshake could not fail.
	 */
	private static final class AlwaysPresent extends X509ExtendedKeyManager {

		private final X509KeyManager keys;

		AlwaysPresent(KeyManagerFactory factory) {
			this.keys = (X509KeyManager) factory.getKeyManagers()[0];
		}

		@Override
		public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
			return "client";
		}

		@Override
		public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
			return "client";
		}

		@Override
		public String[] getClientAliases(String keyType, Principal[] issuers) {
			return new String[] { "client" };
		}

		@Override
		public String[] getServerAliases(String keyType, Principal[] issuers) {
			return new String[0];
		}

		@Override
		public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
			return null;
		}

		@Override
		public X509Certificate[] getCertificateChain(String alias) {
			return this.keys.getCertificateChain(alias);
		}

		@Override
		public PrivateKey getPrivateKey(String alias) {
			return this.keys.getPrivateKey(alias);
		}

	}

	private interface Extensions {

		void add(X509v3CertificateBuilder builder) throws IOException, GeneralSecurityException;

	}

	private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey, Extensions extensions) {
		try {
			extensions.add(builder);
			ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey);
			return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException | OperatorCreationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static KeyPair newKeyPair() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static BigInteger serial() {
		return BigInteger.valueOf(SERIAL.incrementAndGet());
	}

	private static Date notBefore() {
		return Date.from(Instant.now().minus(Duration.ofHours(1)));
	}

	private static Date notAfter() {
		return Date.from(Instant.now().plus(Duration.ofDays(1)));
	}

	private static String pem(Object object) {
		StringWriter text = new StringWriter();
		try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
			writer.writeObject((object instanceof PrivateKey key)
					? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null).generate() : object);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return text.toString();
	}

	private static Path write(Path file, String content) {
		try {
			return Files.writeString(file, content);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
