package io.github.istiosecurity.internal.jwt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.istiosecurity.model.ClaimToHeader;
import io.github.istiosecurity.model.JwtHeader;
import io.github.istiosecurity.model.JwtRule;
import org.jspecify.annotations.Nullable;

/**
 * Builds {@link JwtRule}s in code.
 */
final class TestRule {

	private String issuer;

	private List<String> audiences = List.of();

	private @Nullable String jwksUri;

	private @Nullable String jwks;

	private final List<JwtHeader> fromHeaders = new ArrayList<>();

	private final List<String> fromParams = new ArrayList<>();

	private final List<String> fromCookies = new ArrayList<>();

	private @Nullable String outputPayloadToHeader;

	private boolean forwardOriginalToken;

	private final List<ClaimToHeader> outputClaimToHeaders = new ArrayList<>();

	private Duration timeout = JwtRule.DEFAULT_TIMEOUT;

	private List<String> spaceDelimitedClaims = List.of();

	private TestRule(String issuer) {
		this.issuer = issuer;
	}

	/** RA-1: issuer https://idp.example.com with the inline JWKS of k1. */
	static TestRule ra1() {
		return issuer(TestTokens.ISSUER).jwks(TestTokens.jwks(TestTokens.K1));
	}

	static TestRule issuer(String issuer) {
		return new TestRule(issuer);
	}

	TestRule jwks(String jwks) {
		this.jwks = jwks;
		return this;
	}

	TestRule jwksUri(String jwksUri) {
		this.jwksUri = jwksUri;
		return this;
	}

	TestRule audiences(String... audiences) {
		this.audiences = List.of(audiences);
		return this;
	}

	TestRule fromHeader(String name, String prefix) {
		this.fromHeaders.add(new JwtHeader(name, prefix));
		return this;
	}

	TestRule fromParam(String name) {
		this.fromParams.add(name);
		return this;
	}

	TestRule fromCookie(String name) {
		this.fromCookies.add(name);
		return this;
	}

	TestRule outputPayloadToHeader(String header) {
		this.outputPayloadToHeader = header;
		return this;
	}

	TestRule forwardOriginalToken() {
		this.forwardOriginalToken = true;
		return this;
	}

	TestRule outputClaimToHeader(String header, String claim) {
		this.outputClaimToHeaders.add(new ClaimToHeader(header, claim));
		return this;
	}

	TestRule timeout(Duration timeout) {
		this.timeout = timeout;
		return this;
	}

	TestRule spaceDelimitedClaims(String... claims) {
		this.spaceDelimitedClaims = List.of(claims);
		return this;
	}

	JwtRule build() {
		return new JwtRule(this.issuer, this.audiences, this.jwksUri, this.jwks, this.fromHeaders, this.fromParams,
				this.fromCookies, this.outputPayloadToHeader, this.forwardOriginalToken, this.outputClaimToHeaders,
				this.timeout, this.spaceDelimitedClaims, null);
	}

}
