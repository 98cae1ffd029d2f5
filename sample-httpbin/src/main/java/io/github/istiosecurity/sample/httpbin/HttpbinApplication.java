package io.github.istiosecurity.sample.httpbin;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An httpbin clone whose only security is the Istio policies under
 * {@code classpath:istio/}, enforced by the starter. Profiles {@code handwritten} and
 * {@code nosecurity} replace the starter for load comparisons.
 *
 * @see HttpbinController
 * @see HandwrittenSecurityConfiguration
 */
@SpringBootApplication
public class HttpbinApplication {

	public static void main(String[] args) {
		SpringApplication.run(HttpbinApplication.class, args);
	}

}
