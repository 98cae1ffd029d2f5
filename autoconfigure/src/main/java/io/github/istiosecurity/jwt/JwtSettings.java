package io.github.istiosecurity.jwt;
import java.time.Clock;
import java.time.Duration;
public record JwtSettings(Duration clockSkew, Duration jwksRefreshInterval, Duration jwksFetchTimeout, Clock clock) {
	public static JwtSettings defaults() { return new JwtSettings(Duration.ofSeconds(60), Duration.ofMinutes(20), Duration.ofSeconds(5), Clock.systemUTC()); }
}
