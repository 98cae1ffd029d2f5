package io.github.istiosecurity.sample.sleep;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code sleep.*} settings.
 *
 * @param httpbinUrl Where sample-httpbin answers.
 * @param timeout How long one call to httpbin may take, connecting included.
 * @param replay When the walk-through is replayed on its own.
 */
@ConfigurationProperties("sleep")
public record SleepProperties(@DefaultValue("http://localhost:8000") URI httpbinUrl,
		@DefaultValue("10s") Duration timeout, @DefaultValue Replay replay) {

	/**
	 * The replay at start-up.
	 *
	 * @param onStartup Whether to replay once the application has started and print the
	 * table.
	 * @param exit Whether to replay at start-up, print the table, then exit: 0 when every
	 * step went as Istio answers, 1 if not (a command-line run, like
	 * {@code kubectl exec sleep -- curl ...}).
	 * @param waitForHttpbin How long the start-up replay waits for httpbin to answer at
	 * all.
	 */
	public record Replay(@DefaultValue("true") boolean onStartup, @DefaultValue("false") boolean exit,
			@DefaultValue("30s") Duration waitForHttpbin) {
	}

	/**
	 * Returns httpbin's address for a raw path and query.
	 * @param rawPathAndQuery an encoded path starting with {@code /}, with its query if
	 * any
	 * @return the absolute address
	 */
	public URI httpbin(String rawPathAndQuery) {
		String base = this.httpbinUrl.toString();
		return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + rawPathAndQuery);
	}

}
