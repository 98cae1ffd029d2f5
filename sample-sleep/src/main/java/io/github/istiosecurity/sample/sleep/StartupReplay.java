package io.github.istiosecurity.sample.sleep;

import java.io.PrintStream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.stereotype.Component;

/**
 * The replay at start-up: waits for httpbin to answer (up to
 * {@code sleep.replay.wait-for-httpbin}), replays the walk-through and prints the table
 * on standard output. With {@code sleep.replay.exit=true} it then exits: 0 when every
 * step went as Istio answers, 1 if any did not. Otherwise the application keeps serving.
 */
@Component
class StartupReplay implements ApplicationRunner {

	private static final Log logger = LogFactory.getLog(StartupReplay.class);

	private final WalkThroughReplay replay;

	private final SleepProperties properties;

	private final ConfigurableApplicationContext context;

	private final PrintStream out;

	StartupReplay(WalkThroughReplay replay, SleepProperties properties, ConfigurableApplicationContext context) {
		this.replay = replay;
		this.properties = properties;
		this.context = context;
		this.out = System.out;
	}

	@Override
	public void run(ApplicationArguments args) {
		SleepProperties.Replay settings = this.properties.replay();
		if (settings.exit()) {
			Replay result = replayed().block();
			int code = (result != null && result.allAsExpected()) ? 0 : 1;
			System.exit(SpringApplication.exit(this.context, () -> code));
		}
		else if (settings.onStartup()) {
			replayed().subscribe();
		}
	}

	private Mono<Replay> replayed() {
		return this.replay.awaitHttpbin(this.properties.replay().waitForHttpbin()).onErrorResume((error) -> {
			logger.warn("httpbin at " + this.properties.httpbinUrl() + " did not answer within "
					+ this.properties.replay().waitForHttpbin() + "; replaying anyway");
			return Mono.empty();
		}).then(this.replay.replay()).doOnNext((result) -> this.out.print(ReplayTable.format(result)));
	}

}
