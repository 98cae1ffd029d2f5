package io.github.istiosecurity.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import io.github.istiosecurity.autoconfigure.IstioSecurityProperties;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.boot.env.PropertySourceLoader;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;

/**
 * Reads the {@code istio.security.*} properties of an application's configuration files
 * into an {@link IstioPolicies.Builder}, bound by Spring Boot's {@link Binder} into the
 * starter's own {@link IstioSecurityProperties}, so names, relaxed binding, conversions
 * and defaults are the application's.
 */
final class ApplicationProperties {

	private static final String ACTIVATE = "spring.config.activate.";

	private ApplicationProperties() {
	}

	static IstioPolicies.Builder read(List<String> locations) {
		if (locations.isEmpty()) {
			throw new IllegalArgumentException("Give at least one application properties location");
		}
		List<PropertySource<?>> sources = new ArrayList<>();
		for (String location : locations) {
			sources.addAll(load(location));
		}
		// later files win, as in spring.config.location: the binder reads the first
		// source that has a property
		List<PropertySource<?>> byPrecedence = new ArrayList<>(sources);
		Collections.reverse(byPrecedence);
		Binder binder = new Binder(ConfigurationPropertySources.from(byPrecedence),
				new PropertySourcesPlaceholdersResolver(byPrecedence),
				ApplicationConversionService.getSharedInstance());
		IstioSecurityProperties properties;
		try {
			properties = binder.bindOrCreate("istio.security", IstioSecurityProperties.class);
		}
		catch (BindException ex) {
			throw new IllegalArgumentException("Invalid istio.security property in " + locations + ": "
					+ ex.getMessage() + ": " + NestedExceptionUtils.getMostSpecificCause(ex).getMessage(), ex);
		}
		if (!properties.isEnabled()) {
			throw new IllegalStateException(
					"istio.security.enabled is false in " + locations + ": the application enforces no policy");
		}
		IstioPolicies.Builder builder = IstioPolicies.builder()
			.namespace(properties.getWorkload().getNamespace())
			.labels(properties.getWorkload().getLabels())
			.rootNamespace(properties.getRootNamespace())
			.trustDomain(properties.getTrustDomain())
			.trustDomainAliases(properties.getTrustDomainAliases())
			.pathNormalization(properties.getPathNormalization())
			.clockSkew(properties.getJwt().getClockSkew())
			.jwksRefreshInterval(properties.getJwt().getJwksRefreshInterval())
			.jwksFetchTimeout(properties.getJwt().getJwksFetchTimeout());
		if (!properties.getPolicyLocations().equals(IstioPolicies.DEFAULT_POLICY_LOCATIONS)) {
			builder.policyLocations(properties.getPolicyLocations());
		}
		return builder;
	}

	/** The documents of one file that apply without a profile or a cloud platform. */
	private static List<PropertySource<?>> load(String location) {
		Resource resource = new DefaultResourceLoader().getResource(location);
		if (!resource.exists()) {
			throw new IllegalArgumentException("No application properties at " + location);
		}
		String name = location.toLowerCase(Locale.ROOT);
		PropertySourceLoader loader = (name.endsWith(".properties") || name.endsWith(".xml"))
				? new PropertiesPropertySourceLoader() : new YamlPropertySourceLoader();
		List<PropertySource<?>> documents;
		try {
			documents = loader.load(location, resource);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read application properties at " + location, ex);
		}
		List<PropertySource<?>> unconditional = new ArrayList<>();
		for (PropertySource<?> document : documents) {
			if (document.getProperty(ACTIVATE + "on-profile") == null
					&& document.getProperty(ACTIVATE + "on-cloud-platform") == null) {
				unconditional.add(document);
			}
		}
		return unconditional;
	}

}
