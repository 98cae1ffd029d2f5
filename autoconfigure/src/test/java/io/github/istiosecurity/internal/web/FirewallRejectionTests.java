package io.github.istiosecurity.internal.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.istiosecurity.authz.PathNormalization;
import io.github.istiosecurity.internal.authz.compile.MeshSettings;
import io.github.istiosecurity.internal.authz.compile.PolicyCompiler;
import io.github.istiosecurity.internal.authz.compile.Workload;
import io.github.istiosecurity.internal.authz.engine.PathNormalizer;
import io.github.istiosecurity.internal.jwt.JwksKeySources;
import io.github.istiosecurity.internal.jwt.JwtSettings;
import io.github.istiosecurity.internal.jwt.VerifiedTokenCache;
import io.github.istiosecurity.internal.runtime.PolicyRuntime;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Security's firewall messages made fit for a reply and a log line: reasons kept,
 * long quoted values (a header value may be a token) left out.
 */
class FirewallRejectionTests {

	@Test
	void shortQuotedReasonsAreKept() {
		assertThat(FirewallRejection
			.redact("The request was rejected because the URL contained a potentially malicious String \";\""))
			.isEqualTo("The request was rejected because the URL contained a potentially malicious String \";\"");
	}

	@Test
	void longQuotedValuesAreLeftOut() {
		String token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyMSJ9.c2lnbmF0dXJl";
		String message = "The request was rejected because the header: \"Authorization \" has a value \"Bearer " + token
				+ "\u0085\" that is not allowed.";
		String redacted = FirewallRejection.redact(message);
		assertThat(redacted).doesNotContain(token)
			.doesNotContain("\u0085")
			.contains("\"Authorization \"")
			.contains("\"...\"");
	}

	@Test
	void theReplyIsABadRequestWithTheReasonCountedAsARefusal() {
		List<LocalReply> refused = new ArrayList<>();
		InboundObserver observer = new InboundObserver() {

			@Override
			public void refused(LocalReply reply) {
				refused.add(reply);
			}

		};
		JwtSettings settings = JwtSettings.defaults();
		try (JwksKeySources keys = new JwksKeySources(settings)) {
			PolicyRuntime runtime = new PolicyRuntime(List.of(),
					new PolicyCompiler(new Workload("default", Map.of()), MeshSettings.DEFAULTS, Map.of()), keys,
					new VerifiedTokenCache(10, settings), settings);
			runtime.start();
			InboundPipeline pipeline = new InboundPipeline(runtime, new PathNormalizer(PathNormalization.BASE),
					new RemoteAddresses(0), observer);
			LocalReply reply = FirewallRejection.reply(pipeline, "GET", "/a;b",
					"The request was rejected because " + "the URL contained a potentially malicious String \";\"");
			assertThat(refused).containsExactly(reply);
			assertThat(reply.status()).isEqualTo(400);
			assertThat(reply.body()).isEqualTo("Bad Request: rejected by Spring Security's firewall: The request was "
					+ "rejected because the URL contained a potentially malicious String \";\"");
		}
	}

}
