package io.github.istiosecurity.jwt;
import java.util.List;
import java.util.Set;
import io.github.istiosecurity.model.JwtRule;
public final class JwtAuthenticator {
	public JwtAuthenticator(List<JwtRule> rules, JwksKeySources keys, VerifiedTokenCache cache, JwtSettings settings) {}
	public JwtOutcome authenticate(TokenRequest request) { return new JwtOutcome(); }
	public boolean hasRules() { return false; }
	public Set<String> outputHeaders() { return Set.of(); }
}
