package io.github.istiosecurity.internal.jwt;

import java.time.Duration;
import java.util.List;

import io.github.istiosecurity.model.JwtRule;
import io.github.istiosecurity.testsupport.JwksServer;
import org.junit.jupiter.api.Test;

import static io.github.istiosecurity.internal.jwt.JwtOutcomeAssert.assertThat;
import static io.github.istiosecurity.internal.jwt.TestTokens.K1;
import static io.github.istiosecurity.internal.jwt.TestTokens.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * After a reload, the key sources no rule uses any more are dropped and closed (a remote
 * source's scheduled refresh would otherwise keep fetching a {@code jwksUri} nobody
 * trusts any more); the ones still used are kept with their fetched keys.
 */
class KeySourceEvictionTests extends JwtTestSupport {

	@Test
	void sourcesNoRuleUsesAreDroppedAndClosedAndTheOthersKeepTheirKeys() throws Exception {
		try (JwksServer kept = new JwksServer(TestTokens.jwks(K1));
				JwksServer gone = new JwksServer(TestTokens.jwks(K1))) {
			JwksKeySources keys = new JwksKeySources(this.settings, Duration.ZERO);
			try {
				JwtRule stays = TestRule.issuer(TestTokens.ISSUER).jwksUri(kept.jwksUri()).build();
				JwtRule removed = TestRule.issuer("https://old.example.com").jwksUri(gone.jwksUri()).build();
				JwtRule inline = TestRule.ra1().build();
				RuleKeySource staysSource = keys.forRule(stays);
				RuleKeySource removedSource = keys.forRule(removed);
				keys.forRule(inline);
				keys.warmUp(List.of(stays, removed));
				await().atMost(Duration.ofSeconds(10)).until(() -> staysSource.known() != null);
				JwtAuthenticator before = new JwtAuthenticator(List.of(stays), keys, this.cache, this.settings);
				assertThat(before.authenticate(FakeTokenRequest.bearer(token()))).isAuthenticated();
				assertThat(keys.sourceCount()).isEqualTo(3);

				keys.retainOnly(List.of(stays));

				assertThat(keys.sourceCount()).isEqualTo(1);
				assertThat(keys.forRule(stays)).isSameAs(staysSource);
				await().atMost(Duration.ofSeconds(10)).until(() -> keys.evictedAndClosed() == 2);
				assertThat(keys.forRule(removed)).as("needed again: created anew").isNotSameAs(removedSource);
				// the kept source did not fetch again
				JwtAuthenticator after = new JwtAuthenticator(List.of(stays), keys,
						new VerifiedTokenCache(10, this.settings), this.settings);
				assertThat(after.authenticate(FakeTokenRequest.bearer(token()))).isAuthenticated();
				assertThat(kept.jwksRequests()).isEqualTo(1);
			}
			finally {
				keys.close();
			}
		}
	}

	@Test
	void theDefaultGraceKeepsEvictedSourcesOpenUntilTheApplicationStops() {
		JwtRule removed = TestRule.ra1().build();
		this.keys.forRule(removed);
		this.keys.retainOnly(List.of());
		assertThat(this.keys.sourceCount()).isZero();
		assertThat(this.keys.evictedAndClosed()).isZero();
		this.keys.close();
		assertThat(this.keys.evictedAndClosed()).isEqualTo(1);
	}

}
