package io.github.istiosecurity.internal.jwt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.github.istiosecurity.model.ClaimToHeader;
import io.github.istiosecurity.model.JwtRule;
import org.jspecify.annotations.Nullable;

/**
 * Istio's JWT processing for one policy snapshot (§2.5 to §2.11): finds each rule's
 * tokens, checks them with the rule's {@link IstioRuleJwtDecoder}, and combines the rules
 * as Envoy does (§2.7). Immutable and cheap to build (key sources and verified tokens
 * live in the shared {@link JwksKeySources} and {@link VerifiedTokenCache}); safe for
 * concurrent use. Never throws for a request and never logs tokens.
 */
public final class JwtAuthenticator {

	private final RuleEntry[] rules;

	private final Set<String> outputHeaders;

	private final JwtOutcome unauthenticated;

	/**
	 * Creates the authenticator of a snapshot.
	 * @param rules the merged rules, sorted by issuer
	 * ({@code CompiledPolicies.jwtRules()}, §2.3)
	 * @param keys the shared key sources
	 * @param cache the shared verified-token cache
	 * @param settings the settings
	 */
	public JwtAuthenticator(List<JwtRule> rules, JwksKeySources keys, VerifiedTokenCache cache, JwtSettings settings) {
		this.rules = new RuleEntry[rules.size()];
		Set<String> outputHeaders = new LinkedHashSet<>();
		for (int i = 0; i < rules.size(); i++) {
			JwtRule rule = rules.get(i);
			this.rules[i] = new RuleEntry(rule, keys.forRule(rule), cache, settings);
			outputHeaders.addAll(this.rules[i].outputHeaders);
		}
		this.outputHeaders = Collections.unmodifiableSet(outputHeaders);
		this.unauthenticated = JwtOutcome.unauthenticated(this.outputHeaders);
	}

	/**
	 * Processes the tokens of a request.
	 * @param request the request
	 * @return the outcome
	 */
	public JwtOutcome authenticate(TokenRequest request) {
		// §2.7: no rules, or a CORS preflight (§2.11): skipped entirely, nothing removed.
		if (this.rules.length == 0 || isCorsPreflight(request)) {
			return JwtOutcome.NOT_PROCESSED;
		}
		RequestTokens tokens = new RequestTokens();
		JwtOutcome outcome = process(request, tokens);
		// Only now, so that each entry weighs the outcome its token remembers.
		tokens.cacheVerified();
		return outcome;
	}

	private JwtOutcome process(TokenRequest request, RequestTokens tokens) {
		JwtFailure first = null;
		JwtFailure lastOther = null;
		for (RuleEntry rule : this.rules) {
			List<ExtractedToken> found = rule.locations.extract(request);
			if (found.isEmpty()) {
				continue;
			}
			JwtFailure failure = rule.verify(found, tokens);
			if (failure == null) {
				// The first rule (in issuer order) whose tokens all pass wins (D8).
				return authenticated(rule, found, tokens);
			}
			if (first == null) {
				first = failure;
			}
			if (failure != JwtFailure.UNKNOWN_ISSUER) {
				lastOther = failure;
			}
		}
		if (first == null) {
			return this.unauthenticated;
		}
		// Error selection of §2.7: the first rule's status, unless it is "issuer not
		// configured" and a later
		// rule has another status (n == 1 gives the first rule's status either way).
		JwtFailure status = (first != JwtFailure.UNKNOWN_ISSUER || lastOther == null) ? first : lastOther;
		return JwtOutcome.rejected(status, this.outputHeaders);
	}

	private JwtOutcome authenticated(RuleEntry rule, List<ExtractedToken> found, RequestTokens tokens) {
		if (found.size() != 1) {
			return outcomeOf(rule, found, tokens);
		}
		// the common case, one token: its outcome is built once per verified token
		ExtractedToken only = found.get(0);
		ParsedToken token = tokens.parse(only.value());
		String removedHeader = rule.rule.forwardOriginalToken() ? null : only.header();
		JwtOutcome outcome = token.rememberedOutcome(rule, removedHeader);
		if (outcome == null) {
			outcome = outcomeOf(rule, found, tokens);
			token.rememberOutcome(rule, removedHeader, outcome);
		}
		return outcome;
	}

	private JwtOutcome outcomeOf(RuleEntry rule, List<ExtractedToken> found, RequestTokens tokens) {
		Set<String> remove = new LinkedHashSet<>(this.outputHeaders);
		Map<String, String> add = new LinkedHashMap<>();
		// Envoy applies each verified token's effects in verification order (last
		// extracted first), so the
		// first extracted token's payload and headers are the ones that remain (§2.7,
		// §2.9).
		for (int i = found.size() - 1; i >= 0; i--) {
			ExtractedToken extracted = found.get(i);
			ParsedToken token = tokens.parse(extracted.value());
			if (!rule.rule.forwardOriginalToken() && extracted.header() != null) {
				// Only a header is removed; parameters and cookies stay (§2.9).
				remove.add(extracted.header());
			}
			rule.addOutputs(token, add);
		}
		ParsedToken winner = tokens.parse(found.get(0).value());
		return JwtOutcome.authenticated(winner, MatchingClaims.of(winner.claims, rule.spaceDelimited), remove, add);
	}

	private static boolean isCorsPreflight(TokenRequest request) {
		// Envoy's isCorsPreflightRequest: OPTIONS with non-empty Origin and
		// Access-Control-Request-Method.
		return "OPTIONS".equals(request.method()) && hasValue(request.headerValues("origin"))
				&& hasValue(request.headerValues("access-control-request-method"));
	}

	private static boolean hasValue(List<String> values) {
		for (String value : values) {
			if (!value.isEmpty()) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Returns claims given as already verified (diagnostics, policy tests) as
	 * authorization would match them after a real token: {@code scope},
	 * {@code permission} and the issuer rule's {@code spaceDelimitedClaims} split into
	 * words (§2.9).
	 * @param claims the claims, with {@code iss} naming the issuer
	 * @return the claims as matched
	 */
	public Map<String, Object> claimsAsMatched(Map<String, Object> claims) {
		Set<String> spaceDelimited = MatchingClaims.names(List.of());
		for (RuleEntry rule : this.rules) {
			if (rule.rule.issuer().equals(claims.get("iss"))) {
				spaceDelimited = rule.spaceDelimited;
				break;
			}
		}
		return MatchingClaims.of(new LinkedHashMap<>(claims), spaceDelimited);
	}

	/**
	 * Returns whether a rule verifies tokens of an issuer.
	 * @param issuer the issuer
	 * @return whether a token of that issuer could be verified
	 */
	public boolean hasIssuer(String issuer) {
		for (RuleEntry rule : this.rules) {
			if (rule.rule.issuer().equals(issuer)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Returns whether any rule applies; without rules every request is
	 * {@code NOT_PROCESSED}.
	 * @return whether there are rules
	 */
	public boolean hasRules() {
		return this.rules.length > 0;
	}

	/**
	 * Returns the lower-case names of every {@code outputPayloadToHeader} and
	 * {@code outputClaimToHeaders} header of the rules.
	 * @return the header names
	 */
	public Set<String> outputHeaders() {
		return this.outputHeaders;
	}

	/**
	 * Returns the decoders of the rules, in rule order.
	 * @return the decoders
	 */
	public List<IstioRuleJwtDecoder> decoders() {
		List<IstioRuleJwtDecoder> decoders = new ArrayList<>(this.rules.length);
		for (RuleEntry rule : this.rules) {
			decoders.add(rule.decoder);
		}
		return Collections.unmodifiableList(decoders);
	}

	/** One rule, compiled: locations, decoder, outputs. */
	private static final class RuleEntry {

		final JwtRule rule;

		final TokenLocations locations;

		final IstioRuleJwtDecoder decoder;

		final Set<String> spaceDelimited;

		final @Nullable String payloadHeader;

		final String[] claimHeaders;

		final String[] claimNames;

		final Set<String> outputHeaders;

		RuleEntry(JwtRule rule, RuleKeySource keys, VerifiedTokenCache cache, JwtSettings settings) {
			this.rule = rule;
			this.locations = TokenLocations.of(rule);
			this.decoder = new IstioRuleJwtDecoder(rule, keys, cache, settings);
			this.spaceDelimited = MatchingClaims.names(rule.spaceDelimitedClaims());
			String payloadHeader = rule.outputPayloadToHeader();
			this.payloadHeader = (payloadHeader != null && !payloadHeader.isEmpty())
					? payloadHeader.toLowerCase(Locale.ROOT) : null;
			List<ClaimToHeader> claims = rule.outputClaimToHeaders();
			this.claimHeaders = new String[claims.size()];
			this.claimNames = new String[claims.size()];
			Set<String> outputHeaders = new LinkedHashSet<>();
			if (this.payloadHeader != null) {
				outputHeaders.add(this.payloadHeader);
			}
			for (int i = 0; i < claims.size(); i++) {
				this.claimHeaders[i] = claims.get(i).header().toLowerCase(Locale.ROOT);
				this.claimNames[i] = claims.get(i).claim();
				outputHeaders.add(this.claimHeaders[i]);
			}
			this.outputHeaders = outputHeaders;
		}

		/**
		 * Every token of the rule must pass; Envoy checks them last-extracted-first
		 * (§2.7).
		 */
		@Nullable JwtFailure verify(List<ExtractedToken> found, RequestTokens tokens) {
			for (int i = found.size() - 1; i >= 0; i--) {
				JwtFailure failure = this.decoder.verify(found.get(i).value(), tokens);
				if (failure != null) {
					return failure;
				}
			}
			return null;
		}

		void addOutputs(ParsedToken token, Map<String, String> headers) {
			if (this.payloadHeader != null) {
				// The payload segment verbatim, base64url without padding (D3).
				headers.put(this.payloadHeader, token.payloadSegment());
			}
			for (int i = 0; i < this.claimHeaders.length; i++) {
				String value = ClaimHeaderValue.of(token.claims, this.claimNames[i]);
				if (value != null) {
					headers.put(this.claimHeaders[i], value);
				}
			}
		}

	}

}
