package io.github.istiosecurity.sample.sleep;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;

import io.github.istiosecurity.sample.testsupport.SampleJar;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two samples together with httpbin on its default stack (servlet, Tomcat), and sleep
 * as a command-line run: replay, print, exit 0 when every step went as Istio answers and
 * 1 when not.
 */
class SamplesEndToEndIT extends SamplesEndToEndCases {

	@Override
	String[] httpbinStackArguments() {
		return new String[0];
	}

	@Test
	void aCommandLineReplayExitsZeroWhenEveryStepIsAsExpected() throws Exception {
		SampleJar run = SampleJar.launch("sleep-exit-ok", SampleJar.jar("sleep.jar"),
				"--sleep.httpbin-url=" + this.httpbin.url(), "--sleep.replay.exit=true");
		assertThat(run.awaitExit(Duration.ofSeconds(90))).as(run.output()).isZero();
		assertThat(run.output()).contains("13 of 13 steps as Istio answers");
	}

	@Test
	void aCommandLineReplayExitsOneWhenHttpbinIsAbsent() throws Exception {
		int closed;
		try (ServerSocket socket = new ServerSocket(0)) {
			closed = socket.getLocalPort();
		}
		SampleJar run = SampleJar.launch("sleep-exit-absent", SampleJar.jar("sleep.jar"),
				"--sleep.httpbin-url=http://127.0.0.1:" + closed, "--sleep.replay.exit=true",
				"--sleep.replay.wait-for-httpbin=1s", "--sleep.timeout=1s");
		assertThat(run.awaitExit(Duration.ofSeconds(90))).as(run.output()).isEqualTo(1);
		assertThat(run.output()).contains("did not answer within PT1S; replaying anyway")
			.contains("MISMATCH: httpbin unreachable")
			.contains("0 of 13 steps as Istio answers");
	}

}
