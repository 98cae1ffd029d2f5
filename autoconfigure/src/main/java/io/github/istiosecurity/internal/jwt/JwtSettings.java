package io.github.istiosecurity.internal.jwt;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of JWT processing. The defaults are Envoy's and istiod's (§2.6, §2.10).
 *
 * @param clockSkew the clock skew allowed for {@code nbf} and {@code exp} (Envoy: 60 s)
 * @param jwksRefreshInterval how long a fetched key set is used before it is refreshed
 * (istiod: 20 min)
 * @param jwksFetchTimeout the fetch timeout of rules that keep Istio's default
 * {@code timeout} (5 s)
 * @param clock the clock that token times are checked against
 */
public record JwtSettings(Duration clockSkew, Duration jwksRefreshInterval, Duration jwksFetchTimeout, Clock clock) {

	public JwtSettings {
		Objects.requireNonNull(clockSkew, "clockSkew");
		Objects.requireNonNull(jwksRefreshInterval, "jwksRefreshInterval");
		Objects.requireNonNull(jwksFetchTimeout, "jwksFetchTimeout");
		Objects.requireNonNull(clock, "clock");
		if (clockSkew.isNegative()) {
			throw new IllegalArgumentException("clockSkew must not be negative");
		}
		if (jwksRefreshInterval.toMillis() < 4) {
			throw new IllegalArgumentException("jwksRefreshInterval must be at least 4 ms");
		}
		if (jwksFetchTimeout.toMillis() < 1) {
			throw new IllegalArgumentException("jwksFetchTimeout must be at least 1 ms");
		}
	}

	/**
	 * Returns Istio's defaults: 60 s skew, 20 min refresh, 5 s fetch timeout, the system
	 * clock.
	 * @return the default settings
	 */
	public static JwtSettings defaults() {
		return new JwtSettings(Duration.ofSeconds(60), Duration.ofMinutes(20), Duration.ofSeconds(5),
				Clock.systemUTC());
	}

	/**
	 * Returns a copy with another clock, for tests.
	 * @param clock the clock
	 * @return the settings with that clock
	 */
	public JwtSettings withClock(Clock clock) {
		return new JwtSettings(this.clockSkew, this.jwksRefreshInterval, this.jwksFetchTimeout, clock);
	}

}
