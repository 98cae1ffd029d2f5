package io.github.istiosecurity.internal.jwt;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import io.github.istiosecurity.model.JwtRule;
import org.junit.jupiter.api.AfterEach;

/**
 * Base of the JWT tests: a movable clock at {@link TestTokens#NOW}, shared key sources
 * and cache closed after each test, and authenticators built like a snapshot would build
 * them.
 */
abstract class JwtTestSupport {

	final MutableClock clock = new MutableClock(TestTokens.NOW);

	JwtSettings settings = JwtSettings.defaults().withClock(this.clock);

	private final List<JwksKeySources> keySources = new ArrayList<>();

	VerifiedTokenCache cache;

	JwksKeySources keys;

	JwtTestSupport() {
		useSettings(this.settings);
	}

	void useSettings(JwtSettings settings) {
		this.settings = settings;
		this.keys = new JwksKeySources(settings);
		this.keySources.add(this.keys);
		this.cache = new VerifiedTokenCache(1000, settings);
	}

	@AfterEach
	void closeKeySources() {
		this.keySources.forEach(JwksKeySources::close);
	}

	JwtAuthenticator authenticator(TestRule... rules) {
		List<JwtRule> built = new ArrayList<>();
		for (TestRule rule : rules) {
			built.add(rule.build());
		}
		return new JwtAuthenticator(built, this.keys, this.cache, this.settings);
	}

	JwtOutcome authenticate(TestRule rule, FakeTokenRequest request) {
		return authenticator(rule).authenticate(request);
	}

	/** A clock the test moves. */
	static final class MutableClock extends Clock {

		private volatile Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
