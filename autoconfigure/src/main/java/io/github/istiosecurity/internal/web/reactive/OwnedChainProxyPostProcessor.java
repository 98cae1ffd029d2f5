package io.github.istiosecurity.internal.web.reactive;

import java.util.Map;

import io.github.istiosecurity.internal.web.SpringSecurityObservations;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.WebFilterChainProxy;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;

/**
 * Serves the chain the starter owns with {@link OwnedChainWebFilterChainProxy} instead of
 * the {@code WebFilterChainProxy} that {@code @EnableWebFluxSecurity} builds, when the
 * swap changes nothing but the cost: that proxy is Spring Security's own class (not a
 * subclass of the application's), the starter's chain is the only
 * {@code SecurityWebFilterChain}, the only firewall is the starter's pass-through
 * {@link IstioServerWebExchangeFirewall}, and Spring Security would not observe requests
 * (decided as Spring Security's own {@code ReactiveObservationConfiguration} does: an
 * observation registry that records, and settings that ask for request observations or
 * none at all). Otherwise the proxy is left as it is.
 */
public final class OwnedChainProxyPostProcessor implements BeanPostProcessor, BeanFactoryAware {

	private @Nullable ListableBeanFactory beanFactory;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
		this.beanFactory = (ListableBeanFactory) beanFactory;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		if (bean.getClass() != WebFilterChainProxy.class) {
			return bean;
		}
		ListableBeanFactory beans = this.beanFactory;
		if (beans == null) {
			return bean;
		}
		OwnedSecurityWebFilterChain owned = onlyOwnedChain(beans);
		if (owned == null || !onlyPassThroughFirewall(beans)
				|| SpringSecurityObservations.observeRequests(beans.getBeanProvider(ObservationRegistry.class),
						beans.getBeanProvider(SecurityObservationSettings.class))) {
			return bean;
		}
		return new OwnedChainWebFilterChainProxy(owned);
	}

	private static @Nullable OwnedSecurityWebFilterChain onlyOwnedChain(ListableBeanFactory beans) {
		Map<String, SecurityWebFilterChain> chains = beans.getBeansOfType(SecurityWebFilterChain.class);
		if (chains.size() == 1 && chains.values().iterator().next() instanceof OwnedSecurityWebFilterChain owned) {
			return owned;
		}
		return null;
	}

	private static boolean onlyPassThroughFirewall(ListableBeanFactory beans) {
		Map<String, ServerWebExchangeFirewall> firewalls = beans.getBeansOfType(ServerWebExchangeFirewall.class);
		return firewalls.size() == 1 && firewalls.values().iterator().next() instanceof IstioServerWebExchangeFirewall;
	}

}
