package io.github.istiosecurity.internal.jwt;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import org.jspecify.annotations.Nullable;

/**
 * Envoy's key selection (jwt_verify_lib {@code verifyJwtWithoutTimeChecking}, §2.6 step
 * 5): a key is a candidate when the {@code kid}s match or either side has none, and when
 * the key has no {@code alg} or the token's. The key type is deliberately not part of it:
 * a type that cannot verify the algorithm makes verification fail, not selection.
 */
final class IstioKeyMatcher extends JWKMatcher {

	private final @Nullable String keyId;

	private final String algorithm;

	IstioKeyMatcher(@Nullable String keyId, String algorithm) {
		super(null, null, null, null, null, false, false);
		this.keyId = (keyId != null && !keyId.isEmpty()) ? keyId : null;
		this.algorithm = algorithm;
	}

	@Override
	public boolean matches(JWK key) {
		String keyKid = key.getKeyID();
		if (this.keyId != null && keyKid != null && !keyKid.isEmpty() && !keyKid.equals(this.keyId)) {
			return false;
		}
		Algorithm keyAlgorithm = key.getAlgorithm();
		return keyAlgorithm == null || keyAlgorithm.getName().isEmpty()
				|| keyAlgorithm.getName().equals(this.algorithm);
	}

}
