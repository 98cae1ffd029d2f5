package io.github.istiosecurity.internal.web;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import javax.security.auth.x500.X500Principal;

import org.jspecify.annotations.Nullable;

/**
 * The identities of a verified client certificate in Envoy's order (§3.7): every URI SAN,
 * then every DNS SAN, then the subject.
 */
public final class PeerIdentities {

	private static final int DNS_NAME = 2;

	private static final int URI = 6;

	private PeerIdentities() {
	}

	/**
	 * Reads the identities of the leaf certificate.
	 * @param chain the verified chain, leaf first, or {@code null} for plaintext
	 * @return the identities, empty without a certificate
	 */
	public static List<String> of(X509Certificate @Nullable [] chain) {
		if (chain == null || chain.length == 0) {
			return List.of();
		}
		X509Certificate leaf = chain[0];
		List<String> uris = new ArrayList<>();
		List<String> dnsNames = new ArrayList<>();
		try {
			Collection<List<?>> names = leaf.getSubjectAlternativeNames();
			if (names != null) {
				for (List<?> name : names) {
					Object type = name.get(0);
					Object value = name.get(1);
					if (type instanceof Integer kind && value instanceof String text) {
						if (kind == URI) {
							uris.add(text);
						}
						else if (kind == DNS_NAME) {
							dnsNames.add(text);
						}
					}
				}
			}
		}
		catch (CertificateParsingException ex) {
			// an unreadable SAN extension gives no SAN identity; the subject still counts
		}
		List<String> identities = new ArrayList<>(uris);
		identities.addAll(dnsNames);
		identities.add(leaf.getSubjectX500Principal().getName(X500Principal.RFC2253));
		return List.copyOf(identities);
	}

}
