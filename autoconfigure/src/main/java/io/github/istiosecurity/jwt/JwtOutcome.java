package io.github.istiosecurity.jwt;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
public final class JwtOutcome {
	public enum Status { NOT_PROCESSED, UNAUTHENTICATED, AUTHENTICATED, REJECTED }
	public Status status() { return Status.NOT_PROCESSED; }
	public org.springframework.security.oauth2.jwt.@Nullable Jwt jwt() { return null; }
	public @Nullable Map<String, Object> claims() { return null; }
	public @Nullable String requestPrincipal() { return null; }
	public int httpStatus() { return 0; }
	public String body() { return ""; }
	public Set<String> headersToRemove() { return Set.of(); }
	public Map<String, String> headersToAdd() { return Map.of(); }
	public org.springframework.security.core.Authentication authentication() { throw new IllegalStateException(); }
}
