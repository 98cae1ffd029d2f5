package io.github.istiosecurity.autoconfigure;

import io.github.istiosecurity.check.PolicyCheck;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.webmvc.test.autoconfigure.MockMvcBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.test.web.servlet.setup.ConfigurableMockMvcBuilder;
import org.springframework.test.web.servlet.setup.MockMvcConfigurer;
import org.springframework.web.context.WebApplicationContext;

/**
 * For tests with {@code MockMvc} ({@code @WebMvcTest}, {@code @AutoConfigureMockMvc}):
 * gives every request without a {@code Host} header the one an HTTP/1.1 client always
 * sends, from the request's server name and port. The policies decide on the authority,
 * as Envoy does, and refuse a request without one (400); a mock request has none unless
 * the test sets it. A test that sets {@code Host} keeps its own. Listed only for
 * {@code @AutoConfigureMockMvc}, never in a running application.
 */
@AutoConfiguration(after = IstioSecurityAutoConfiguration.class)
@ConditionalOnClass({ MockMvcBuilderCustomizer.class, MockMvcConfigurer.class })
@ConditionalOnBean(PolicyCheck.class)
public final class IstioMockMvcAutoConfiguration {

	@Bean
	MockMvcBuilderCustomizer istioMockMvcHostHeader() {
		return (builder) -> builder.apply(new HostHeader());
	}

	/**
	 * Adds the post-processor to every request; configurers add up, so an application's
	 * default request and Spring Security's test support keep theirs.
	 */
	static final class HostHeader implements MockMvcConfigurer {

		@Override
		public RequestPostProcessor beforeMockMvcCreated(ConfigurableMockMvcBuilder<?> builder,
				WebApplicationContext context) {
			return (request) -> {
				if (request.getHeader(HttpHeaders.HOST) == null) {
					request.addHeader(HttpHeaders.HOST, authority(request));
				}
				return request;
			};
		}

		private static String authority(HttpServletRequest request) {
			int port = request.getServerPort();
			boolean defaultPort = port <= 0 || ("http".equals(request.getScheme()) && port == 80)
					|| ("https".equals(request.getScheme()) && port == 443);
			return defaultPort ? request.getServerName() : request.getServerName() + ":" + port;
		}

	}

}
