package io.github.istiosecurity.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Security's firewall messages made fit for a reply and a log line: reasons kept, long quoted values
 * (a header value may be a token) left out.
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
		assertThat(redacted).doesNotContain(token).doesNotContain("\u0085").contains("\"Authorization \"")
			.contains("\"...\"");
	}

	@Test
	void theReplyIsABadRequestWithTheReason() {
		LocalReply reply = FirewallRejection.reply("GET", "/a;b", "The request was rejected because the URL contained "
				+ "a potentially malicious String \";\"");
		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.body()).isEqualTo("Bad Request: rejected by Spring Security's firewall: The request was "
				+ "rejected because the URL contained a potentially malicious String \";\"");
	}

}
