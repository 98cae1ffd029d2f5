package io.github.istiosecurity.autoconfigure;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.istiosecurity.internal.authz.compile.MeshSettings;
import io.github.istiosecurity.internal.authz.compile.PolicyCompiler;
import io.github.istiosecurity.internal.authz.compile.Workload;
import io.github.istiosecurity.internal.jwt.JwksKeySources;
import io.github.istiosecurity.internal.jwt.JwtSettings;
import io.github.istiosecurity.internal.jwt.VerifiedTokenCache;
import io.github.istiosecurity.internal.load.LoadResult;
import io.github.istiosecurity.internal.load.PolicyLoadException;
import io.github.istiosecurity.internal.runtime.PolicyRuntime;
import io.github.istiosecurity.internal.runtime.PolicySource;
import io.github.istiosecurity.testsupport.EchoApplication;
import io.github.istiosecurity.testsupport.Http;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * When the first policies are read: not while the beans are created, but once they all
 * are, before the web server starts. Until the policies are in force the server accepts
 * no connection, and nothing is decided.
 */
class PolicyStartupIntegrationTests {

	private static final String ALLOW_GET = "istio.security.policy-locations=classpath:istio-test/allow-get.yaml";

	@Test
	void creatingTheBeansStartsNoSourceAndStartingTheContextStartsEachOnce() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(IstioSecurityAutoConfiguration.class))
			.withPropertyValues(ALLOW_GET, "istio.security.reload.enabled=false")
			.withBean(CountingSource.class)
			.run((context) -> {
				CountingSource source = context.getBean(CountingSource.class);
				// started once the runtime's bean exists: not from the @Bean method that
				// creates it
				assertThat(source.startedWithRuntimeCreated).isTrue();
				assertThat(source.starts).hasValue(1);
				assertThat(context.getBean(PolicyRuntime.class).current().generation()).isEqualTo(1);
			});
	}

	@Test
	void aRuntimeThatWasNotStartedDecidesNothing() {
		JwtSettings settings = JwtSettings.defaults();
		PolicyRuntime runtime = new PolicyRuntime(List.of(new CountingSource()),
				new PolicyCompiler(new Workload("default", Map.of()), MeshSettings.DEFAULTS, Map.of()),
				new JwksKeySources(settings), VerifiedTokenCache.disabled(), settings);
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(runtime::current)
			.withMessageContaining("not in force yet");
		assertThat(runtime.reloadIfChanged()).isFalse();
		assertThat(runtime.reload()).isFalse();
		runtime.start();
		runtime.start();
		assertThat(runtime.current().generation()).isEqualTo(1);
	}

	@Test
	void withLazyInitializationThePoliciesAreStillReadAtStartUp() {
		SpringApplicationBuilder application = new SpringApplicationBuilder(EchoApplication.class)
			.web(WebApplicationType.NONE)
			.lazyInitialization(true)
			.properties("spring.main.banner-mode=off", "istio.security.reload.enabled=false",
					"istio.security.policy-locations=classpath:istio-test/invalid.yaml");
		assertThatThrownBy(application::run).hasRootCauseInstanceOf(PolicyLoadException.class)
			.rootCause()
			.hasMessageContaining("invalid.yaml:9: spec.rules[0].to[0].operation.method");
	}

	@Test
	void tomcatAcceptsNoConnectionUntilThePoliciesAreInForce() throws Exception {
		assertNoConnectionWhileLoading(WebApplicationType.SERVLET);
	}

	@Test
	void nettyAcceptsNoConnectionUntilThePoliciesAreInForce() throws Exception {
		assertNoConnectionWhileLoading(WebApplicationType.REACTIVE);
	}

	private static void assertNoConnectionWhileLoading(WebApplicationType type) throws Exception {
		int port = freePort();
		BlockingSource.reset();
		CompletableFuture<ConfigurableApplicationContext> started = CompletableFuture.supplyAsync(
				() -> new SpringApplicationBuilder(EchoApplication.class, BlockingSourceConfiguration.class).web(type)
					.properties("server.port=" + port, "spring.main.banner-mode=off",
							"istio.security.reload.enabled=false", ALLOW_GET)
					.run());
		try {
			assertThat(BlockingSource.starting.await(60, TimeUnit.SECONDS)).as("the runtime starts the source")
				.isTrue();
			assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> connect(port));
		}
		finally {
			BlockingSource.release.countDown();
		}
		try (ConfigurableApplicationContext context = started.get(60, TimeUnit.SECONDS)) {
			Http http = new Http(port);
			assertThat(http.get("/headers").statusCode()).isEqualTo(200);
			assertThat(http.send("POST", "/headers").statusCode()).isEqualTo(403);
		}
	}

	private static void connect(int port) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/**
	 * A source with no policy that counts its starts and records whether the runtime
	 * existed when it started.
	 */
	static final class CountingSource implements PolicySource, BeanFactoryAware {

		final AtomicInteger starts = new AtomicInteger();

		volatile boolean startedWithRuntimeCreated;

		private @Nullable ConfigurableListableBeanFactory beanFactory;

		@Override
		public void setBeanFactory(BeanFactory beanFactory) {
			this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
		}

		@Override
		public void start() {
			this.starts.incrementAndGet();
			this.startedWithRuntimeCreated = this.beanFactory != null
					&& this.beanFactory.containsSingleton("istioPolicyRuntime");
		}

		@Override
		public LoadResult load() {
			return new LoadResult(List.of(), List.of());
		}

		@Override
		public String fingerprint() {
			return "counting";
		}

		@Override
		public String description() {
			return "counting test source";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BlockingSourceConfiguration {

		@Bean
		BlockingSource blockingSource() {
			return new BlockingSource();
		}

	}

	/**
	 * A source whose start waits until the test releases it, as the Kubernetes source
	 * waits for its first list.
	 */
	static final class BlockingSource implements PolicySource {

		static volatile CountDownLatch starting = new CountDownLatch(1);

		static volatile CountDownLatch release = new CountDownLatch(1);

		static void reset() {
			starting = new CountDownLatch(1);
			release = new CountDownLatch(1);
		}

		@Override
		public void start() {
			starting.countDown();
			try {
				release.await(60, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		@Override
		public LoadResult load() {
			return new LoadResult(List.of(), List.of());
		}

		@Override
		public String fingerprint() {
			return "blocking";
		}

		@Override
		public String description() {
			return "blocking test source";
		}

	}

}
