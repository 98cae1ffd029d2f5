package io.github.istiosecurity.testsupport;

import reactor.blockhound.BlockHound;

/**
 * Installs BlockHound once per JVM: any blocking call (socket I/O, {@code Thread.sleep},
 * waiting on a lock) on a Reactor non-blocking thread, such as Netty's event loops, then
 * throws {@code BlockingOperationError}. Console logging (a test-only synchronous
 * appender) is the one allowance.
 */
public final class NonBlockingThreads {

	private static boolean installed;

	private NonBlockingThreads() {
	}

	public static synchronized void install() {
		if (!installed) {
			// install(...) also loads the SPI integrations (Reactor's marks its
			// non-blocking threads)
			BlockHound.install((builder) -> builder.allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender",
					"writeBytes"));
			installed = true;
		}
	}

}
