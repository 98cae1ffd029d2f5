package io.github.istiosecurity.internal.extauthz;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import io.github.istiosecurity.authz.ExtensionAuthorizer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * The extension providers of the configuration
 * ({@code istio.security.extension-providers}), each an {@link ExtensionAuthorizer} that
 * CUSTOM policies reach by its name (§3.18). Owns their connections. Creating them
 * connects nothing; they prepare their clients once every singleton exists
 * ({@link SmartInitializingSingleton}, before the web server starts), so that no request
 * pays for it.
 */
public final class ExtensionProviders implements SmartInitializingSingleton, AutoCloseable {

	private static final Log logger = LogFactory.getLog(ExtensionProviders.class);

	/** The README section that says which dependency each kind of provider needs. */
	private static final String CLIENT_HINT = "; see the README, section 'Extension providers'";

	private final Map<String, RemoteAuthorizer> byName;

	private ExtensionProviders(Map<String, RemoteAuthorizer> byName) {
		this.byName = Collections.unmodifiableMap(byName);
	}

	/**
	 * Makes the authorizers of one kind of provider.
	 *
	 * @param protocol the kind of provider this client speaks to
	 * @param factory creates a provider's authorizer from its settings and how many
	 * checks may wait for it at once
	 */
	public record Client(ProviderSettings.Protocol protocol,
			BiFunction<ProviderSettings, Integer, RemoteAuthorizer> factory) {

		/**
		 * Creates the provider's authorizer.
		 * @param settings the provider
		 * @param maxConcurrentChecks how many checks may wait for it at once
		 * @return the authorizer
		 */
		RemoteAuthorizer create(ProviderSettings settings, int maxConcurrentChecks) {
			return this.factory.apply(settings, maxConcurrentChecks);
		}

	}

	/**
	 * Creates the providers.
	 * @param providers the providers, checked
	 * @param clients the clients on the class path (none for HTTP without Reactor Netty,
	 * none for gRPC without grpc-java and Envoy's API)
	 * @param maxConcurrentChecks how many checks of one provider may wait at once
	 * @return the providers
	 * @throws IllegalStateException when two providers share a name or a provider's
	 * client is missing
	 */
	public static ExtensionProviders create(List<ProviderSettings> providers, List<Client> clients,
			int maxConcurrentChecks) {
		Map<String, RemoteAuthorizer> byName = new LinkedHashMap<>();
		List<String> described = new ArrayList<>();
		try {
			for (ProviderSettings settings : providers) {
				if (byName.containsKey(settings.name())) {
					throw new IllegalStateException("istio.security.extension-providers: the name '" + settings.name()
							+ "' is used twice; extension provider names must be unique");
				}
				Client client = clientOf(clients, settings.protocol());
				if (client == null) {
					throw new IllegalStateException("Extension provider '" + settings.name() + "' is an "
							+ settings.protocol().field() + " provider, whose client is not on the class path: "
							+ ((settings.protocol() == ProviderSettings.Protocol.HTTP)
									? "add io.projectreactor.netty:reactor-netty-http"
									: "add io.envoyproxy.controlplane:api and io.grpc:grpc-netty-shaded")
							+ CLIENT_HINT);
				}
				byName.put(settings.name(), client.create(settings, maxConcurrentChecks));
				described.add(settings.name() + " (" + settings.describe() + ", timeout " + settings.timeout()
						+ ", failOpen " + settings.failOpen() + ", statusOnError " + settings.statusOnError() + ")");
			}
		}
		catch (RuntimeException ex) {
			byName.values().forEach(RemoteAuthorizer::close);
			throw ex;
		}
		if (!described.isEmpty() && logger.isInfoEnabled()) {
			logger.info("Extension providers for CUSTOM policies: " + String.join(", ", described));
		}
		return new ExtensionProviders(byName);
	}

	private static @Nullable Client clientOf(List<Client> clients, ProviderSettings.Protocol protocol) {
		for (Client client : clients) {
			if (client.protocol() == protocol) {
				return client;
			}
		}
		return null;
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.byName.values().forEach(RemoteAuthorizer::start);
	}

	/**
	 * Returns the providers' authorizers by name, in the configuration's order.
	 * @return the authorizers
	 */
	public Map<String, ExtensionAuthorizer> authorizers() {
		return Collections.unmodifiableMap(this.byName);
	}

	@Override
	public void close() {
		this.byName.values().forEach(RemoteAuthorizer::close);
	}

}
