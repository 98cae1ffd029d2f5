package io.github.istiosecurity.internal.jwt;

import java.io.IOException;
import java.net.URL;
import java.util.Map;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSetUnavailableException;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.ResourceRetriever;
import org.jspecify.annotations.Nullable;

/**
 * The key set of a rule with neither {@code jwks} nor {@code jwksUri}: OpenID discovery
 * of {@code <issuer without trailing />/.well-known/openid-configuration}, then its
 * {@code jwks_uri} (§2.10). Discovery happens on the first fetch (in the background, like
 * every fetch) and is retried until it succeeds; then only the {@code jwks_uri} found is
 * fetched.
 */
final class OpenIdDiscoveryJwkSetSource implements JWKSetSource<SecurityContext> {

	private final URL configurationUrl;

	private final ResourceRetriever retriever;

	private volatile @Nullable URLBasedJWKSetSource<SecurityContext> keys;

	OpenIdDiscoveryJwkSetSource(URL configurationUrl, ResourceRetriever retriever) {
		this.configurationUrl = configurationUrl;
		this.retriever = retriever;
	}

	static String configurationLocation(String issuer) {
		String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
		return base + "/.well-known/openid-configuration";
	}

	@Override
	public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator refreshEvaluator, long currentTime,
			@Nullable SecurityContext context) throws KeySourceException {
		URLBasedJWKSetSource<SecurityContext> keys = this.keys;
		if (keys == null) {
			keys = new URLBasedJWKSetSource<>(discoverJwksUri(), this.retriever);
			this.keys = keys;
		}
		return keys.getJWKSet(refreshEvaluator, currentTime, context);
	}

	private URL discoverJwksUri() throws KeySourceException {
		String content;
		try {
			content = this.retriever.retrieveResource(this.configurationUrl).getContent();
		}
		catch (IOException ex) {
			throw new JWKSetUnavailableException("OpenID discovery failed", ex);
		}
		Map<String, @Nullable Object> configuration = TokenJson.parseObject(content);
		Object jwksUri = (configuration != null) ? configuration.get("jwks_uri") : null;
		if (!(jwksUri instanceof String location)) {
			throw new JWKSetUnavailableException("OpenID configuration without jwks_uri");
		}
		try {
			URL url = java.net.URI.create(location).toURL();
			if (!url.getProtocol().equals("http") && !url.getProtocol().equals("https")) {
				throw new JWKSetUnavailableException("jwks_uri is not http(s)");
			}
			return url;
		}
		catch (IllegalArgumentException | IOException ex) {
			throw new JWKSetUnavailableException("jwks_uri is not a URL", ex);
		}
	}

	@Override
	public void close() {
	}

}
