package io.github.istiosecurity.sample.sleep;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * Istio's {@code sleep} sample made useful: a WebFlux client of sample-httpbin, protected
 * by the policies under {@code classpath:istio/} on the reactive stack. It replays the
 * httpbin walk-through with the demo tokens and prints a table ({@link StartupReplay},
 * {@code GET /replay}), and forwards its callers' tokens to httpbin ({@code /call/**},
 * {@link CallController}).
 */
@SpringBootApplication
@EnableConfigurationProperties(SleepProperties.class)
public class SleepApplication {

	public static void main(String[] args) {
		SpringApplication.run(SleepApplication.class, args);
	}

}
