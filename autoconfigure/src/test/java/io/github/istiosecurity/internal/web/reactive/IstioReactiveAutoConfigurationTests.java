package io.github.istiosecurity.internal.web.reactive;

import io.github.istiosecurity.autoconfigure.IstioReactiveSecurityAutoConfiguration;
import io.github.istiosecurity.autoconfigure.IstioSecurityAutoConfiguration;
import io.github.istiosecurity.internal.runtime.PolicyRuntime;
import io.github.istiosecurity.testsupport.SpringSecurityObservations.ObservedRequests;
import io.github.istiosecurity.testsupport.SpringSecurityObservations.RecordingRegistry;
import io.github.istiosecurity.web.reactive.IstioServerHttpSecurityConfigurer;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableReactiveWebApplicationContext;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.WebFilterChainProxy;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reactive auto-configuration's situations: defaults (chain, firewall, the proxy that
 * serves the chain), turned off, and the application's own chain, firewall and
 * observation settings.
 */
class IstioReactiveAutoConfigurationTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IstioSecurityAutoConfiguration.class,
				IstioReactiveSecurityAutoConfiguration.class, ReactiveWebSecurityAutoConfiguration.class))
		.withPropertyValues("istio.security.policy-locations=classpath:istio-test/allow-get.yaml");

	@Test
	void installsTheChainWithTheStartersFirewallByDefault() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(PolicyRuntime.class);
			assertThat(context).getBeans(SecurityWebFilterChain.class).containsOnlyKeys("istioSecurityWebFilterChain");
			// the owned chain: paths and methods are the pipeline's; rejections are 400
			// with a reason
			assertThat(context).getBean(ServerWebExchangeFirewall.class)
				.isInstanceOf(IstioServerWebExchangeFirewall.class);
			assertThat(context).getBean(ServerExchangeRejectedHandler.class)
				.isInstanceOf(IstioServerExchangeRejectedHandler.class);
		});
	}

	@Test
	void keepsSpringsFirewallRulesRegexFreeForTheApplicationsChain() {
		this.runner.withUserConfiguration(OwnChain.class).run((context) -> {
			assertThat(context).getBeans(SecurityWebFilterChain.class).containsOnlyKeys("ownChain");
			assertThat(context).getBeans(ServerWebExchangeFirewall.class)
				.containsOnlyKeys("istioServerWebExchangeFirewall");
			assertThat(context).getBean(ServerWebExchangeFirewall.class)
				.isExactlyInstanceOf(StrictServerWebExchangeFirewall.class);
		});
	}

	@Test
	void theOwnedChainIsOneFilterAndRecordsNoSpringSecurityObservationsUnlessAsked() {
		this.runner.run((context) -> {
			assertThat(context.getBean(SecurityWebFilterChain.class).getWebFilters().collectList().block())
				.singleElement()
				.isInstanceOf(IstioEnforcementWebFilter.class);
			SecurityObservationSettings settings = context.getBean(SecurityObservationSettings.class);
			assertThat(settings.shouldObserveRequests()).isFalse();
			assertThat(settings.shouldObserveAuthorizations()).isFalse();
		});
		this.runner.withUserConfiguration(OwnObservationSettings.class)
			.run((context) -> assertThat(context).getBeans(SecurityObservationSettings.class)
				.containsOnlyKeys("ownSettings"));
		// an application's own chain keeps Spring Security's defaults
		this.runner.withUserConfiguration(OwnChain.class)
			.run((context) -> assertThat(context).doesNotHaveBean(SecurityObservationSettings.class));
	}

	@Test
	void servesTheOwnedChainWithoutChoosingWhenNothingElseWouldRun() {
		this.runner.run(servedBy(OwnedChainWebFilterChainProxy.class));
		// a registry that records, but settings that observe no request: nothing wraps
		// the chain
		this.runner.withUserConfiguration(RecordingRegistry.class).run(servedBy(OwnedChainWebFilterChainProxy.class));
		// the application's own settings, Spring Security's defaults: requests are not
		// observed either
		this.runner.withUserConfiguration(OwnObservationSettings.class, RecordingRegistry.class)
			.run(servedBy(OwnedChainWebFilterChainProxy.class));
	}

	@Test
	void keepsSpringSecuritysProxyWhenItHasSomethingToDo() {
		// another chain to choose from
		this.runner.withUserConfiguration(OwnChain.class).run(servedBy(WebFilterChainProxy.class));
		// a firewall of the application's own to apply
		this.runner.withUserConfiguration(OwnFirewall.class).run(servedBy(WebFilterChainProxy.class));
		// request observations the application asked for, recorded by a real registry
		this.runner.withUserConfiguration(ObservedRequests.class, RecordingRegistry.class)
			.run(servedBy(WebFilterChainProxy.class));
	}

	/** The context's {@code WebFilterChainProxy} is exactly of the given class. */
	private static ContextConsumer<AssertableReactiveWebApplicationContext> servedBy(Class<?> proxy) {
		return (context) -> assertThat(context).getBean(WebFilterChainProxy.class).isExactlyInstanceOf(proxy);
	}

	@Test
	void installsNothingWhenDisabled() {
		this.runner.withPropertyValues("istio.security.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(PolicyRuntime.class);
			assertThat(context).doesNotHaveBean(ServerWebExchangeFirewall.class);
		});
	}

	@Test
	void keepsTheApplicationsOwnFirewall() {
		this.runner.withUserConfiguration(OwnFirewall.class)
			.run((context) -> assertThat(context).getBeans(ServerWebExchangeFirewall.class)
				.containsOnlyKeys("ownFirewall"));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnObservationSettings {

		@Bean
		SecurityObservationSettings ownSettings() {
			return SecurityObservationSettings.withDefaults().build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnChain {

		@Bean
		SecurityWebFilterChain ownChain(ServerHttpSecurity http, IstioServerHttpSecurityConfigurer istio) {
			return istio.configure(http).build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnFirewall {

		@Bean
		ServerWebExchangeFirewall ownFirewall() {
			return (exchange) -> Mono.just(exchange);
		}

	}

}
