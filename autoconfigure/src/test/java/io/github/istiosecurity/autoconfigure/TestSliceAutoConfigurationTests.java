package io.github.istiosecurity.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webmvc.test.autoconfigure.MockMvcBuilderCustomizer;
import org.springframework.boot.webtestclient.autoconfigure.WebTestClientBuilderCustomizer;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockServletContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.util.ClassUtils;
import org.springframework.web.context.support.GenericWebApplicationContext;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the test slices get from the starter: the imports files name classes that exist,
 * and the slices' clients send the {@code Host} header an HTTP/1.1 client sends (the
 * policies refuse a request without an authority), unless the test sets its own.
 */
class TestSliceAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IstioSecurityAutoConfiguration.class,
				IstioMockMvcAutoConfiguration.class, IstioWebTestClientAutoConfiguration.class))
		.withPropertyValues("istio.security.policy-locations=classpath:istio-test/allow-get.yaml",
				"istio.security.reload.enabled=false");

	@Test
	void everyClassTheImportsFilesNameExists() throws IOException {
		Resource[] files = new PathMatchingResourcePatternResolver()
			.getResources("classpath*:META-INF/spring/*.imports");
		List<String> ours = new ArrayList<>();
		for (Resource file : files) {
			if (!file.getURL().toString().contains("/autoconfigure/target/classes/")) {
				continue;
			}
			try (InputStream in = file.getInputStream()) {
				for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
					String name = line.strip().replaceFirst("^optional:", "");
					if (!name.isEmpty() && !name.startsWith("#")) {
						ours.add(name);
						assertThat(ClassUtils.isPresent(name, getClass().getClassLoader())).as(file + ": " + name)
							.isTrue();
					}
				}
			}
		}
		assertThat(ours).contains(IstioServletSecurityAutoConfiguration.class.getName(),
				IstioReactiveSecurityAutoConfiguration.class.getName(), IstioMockMvcAutoConfiguration.class.getName(),
				IstioWebTestClientAutoConfiguration.class.getName());
	}

	@Test
	void theClientsGetTheirHostHeaderOnlyWhileThePoliciesAreEnforced() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(MockMvcBuilderCustomizer.class)
			.hasSingleBean(WebTestClientBuilderCustomizer.class));
		this.runner.withPropertyValues("istio.security.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(MockMvcBuilderCustomizer.class)
				.doesNotHaveBean(WebTestClientBuilderCustomizer.class));
	}

	@Test
	void aMockMvcRequestGetsTheHostOfItsServerNameAndPort() {
		RequestPostProcessor host = hostHeader();
		assertThat(host.postProcessRequest(new MockHttpServletRequest("GET", "/x")).getHeader("Host"))
			.isEqualTo("localhost");
		MockHttpServletRequest onPort = new MockHttpServletRequest("GET", "/x");
		onPort.setServerName("api.example.com");
		onPort.setServerPort(8443);
		assertThat(host.postProcessRequest(onPort).getHeader("Host")).isEqualTo("api.example.com:8443");
		MockHttpServletRequest own = new MockHttpServletRequest("GET", "/x");
		own.addHeader("Host", "httpbin.foo");
		assertThat(Collections.list(host.postProcessRequest(own).getHeaders("Host"))).containsExactly("httpbin.foo");
	}

	@Test
	void aWebTestClientRequestGetsTheHostOfItsUriUnlessItHasOne() {
		RouterFunction<ServerResponse> echo = RouterFunctions.route()
			.GET("/host",
					(request) -> ServerResponse.ok().bodyValue(String.valueOf(request.headers().firstHeader("Host"))))
			.build();
		WebTestClient.Builder builder = WebTestClient.bindToRouterFunction(echo).configureClient();
		this.runner.run((context) -> context.getBean(WebTestClientBuilderCustomizer.class).customize(builder));
		WebTestClient client = builder.build();
		client.get().uri("/host").exchange().expectBody(String.class).isEqualTo("localhost");
		client.get()
			.uri("http://api.example.com:8443/host")
			.exchange()
			.expectBody(String.class)
			.isEqualTo("api.example.com:8443");
		client.get()
			.uri("/host")
			.header("Host", "httpbin.foo")
			.exchange()
			.expectBody(String.class)
			.isEqualTo("httpbin.foo");
	}

	/** The post-processor the MockMvc customizer adds to every request. */
	private static RequestPostProcessor hostHeader() {
		GenericWebApplicationContext context = new GenericWebApplicationContext(new MockServletContext());
		context.refresh();
		return new IstioMockMvcAutoConfiguration.HostHeader()
			.beforeMockMvcCreated(MockMvcBuilders.webAppContextSetup(context), context);
	}

}
