package io.github.istiosecurity.jwt;
public final class VerifiedTokenCache {
	public VerifiedTokenCache(long maximumSize, JwtSettings settings) {}
}
