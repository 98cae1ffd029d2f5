package io.github.istiosecurity.autoconfigure;

import java.net.URI;

import io.github.istiosecurity.check.PolicyCheck;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.webtestclient.autoconfigure.WebTestClientBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.ClientRequest;

/**
 * For tests with {@link WebTestClient} ({@code @WebFluxTest},
 * {@code @AutoConfigureWebTestClient}): gives every request without a {@code Host} header
 * the one an HTTP/1.1 client always sends, from the request's URI ({@code localhost} when
 * it has no host). The policies decide on the authority, as Envoy does, and refuse a
 * request without one (400); a client bound to the application context sends none unless
 * the test sets it. A test that sets {@code Host} keeps its own. Listed only for
 * {@code @AutoConfigureWebTestClient}, never in a running application.
 */
@AutoConfiguration(after = IstioSecurityAutoConfiguration.class)
@ConditionalOnClass({ WebTestClientBuilderCustomizer.class, WebTestClient.class })
@ConditionalOnBean(PolicyCheck.class)
public final class IstioWebTestClientAutoConfiguration {

	@Bean
	WebTestClientBuilderCustomizer istioWebTestClientHostHeader() {
		return (builder) -> builder.filter((request,
				next) -> next.exchange(request.headers().containsHeader(HttpHeaders.HOST) ? request
						: ClientRequest.from(request)
							.headers((headers) -> headers.set(HttpHeaders.HOST, authority(request.url())))
							.build()));
	}

	private static String authority(URI url) {
		if (url.getHost() == null) {
			return "localhost";
		}
		return (url.getPort() != -1) ? url.getHost() + ":" + url.getPort() : url.getHost();
	}

}
