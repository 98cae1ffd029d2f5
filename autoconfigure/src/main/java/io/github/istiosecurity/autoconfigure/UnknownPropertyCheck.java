package io.github.istiosecurity.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Warns about every {@code istio.security.*} key of the environment that is not a
 * property of this starter, naming the nearest known key: a mistyped key is otherwise
 * ignored without a trace, and its default (often "no policy applies") silently takes its
 * place. The known keys are those of the configuration metadata generated from
 * {@link IstioSecurityProperties}; keys are compared as Spring Boot binds them, so
 * relaxed forms ({@code policyLocations}, {@code policy_locations},
 * {@code ISTIO_SECURITY_POLICYLOCATIONS}), list indexes and map keys (under
 * {@code workload.labels}) are known. Runs before any bean is created, so the warning
 * precedes a start-up failure that the typo causes.
 */
final class UnknownPropertyCheck implements BeanFactoryPostProcessor, EnvironmentAware {

	private static final Log logger = LogFactory.getLog(UnknownPropertyCheck.class);

	private static final String PREFIX = "istio.security";

	private static final String METADATA = "classpath*:META-INF/spring-configuration-metadata.json";

	private static final ObjectMapper MAPPER = JsonMapper.builder().build();

	private @Nullable Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		if (this.environment == null) {
			return;
		}
		KnownProperties known = KnownProperties.read(getClass().getClassLoader());
		if (known == null) {
			logger.debug("No configuration metadata for " + PREFIX + ".*; unknown keys are not reported");
			return;
		}
		for (String warning : warnings(this.environment, known)) {
			logger.warn(warning);
		}
	}

	/**
	 * Returns one warning per unknown key of the environment, in the order of its
	 * property sources.
	 * @param environment the environment
	 * @param known the known properties
	 * @return the warnings
	 */
	static List<String> warnings(Environment environment, KnownProperties known) {
		ConfigurationPropertyName prefix = ConfigurationPropertyName.of(PREFIX);
		Map<ConfigurationPropertyName, @Nullable Origin> unknown = new LinkedHashMap<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (!(source instanceof IterableConfigurationPropertySource iterable)) {
				continue;
			}
			iterable.stream().filter(prefix::isAncestorOf).filter((name) -> !known.contains(name)).forEach((name) -> {
				ConfigurationProperty property = source.getConfigurationProperty(name);
				unknown.putIfAbsent(name, (property != null) ? property.getOrigin() : null);
			});
		}
		List<String> warnings = new ArrayList<>();
		unknown.forEach((name, origin) -> {
			StringBuilder warning = new StringBuilder("Unknown property ").append(name);
			String suggestion = known.nearest(name);
			warning.append((suggestion != null) ? "; did you mean " + suggestion + "?" : "; it is ignored");
			if (origin != null) {
				warning.append(" (set in ").append(origin).append(')');
			}
			warnings.add(warning.toString());
		});
		return warnings;
	}

	/**
	 * The properties of the configuration metadata under {@code istio.security}.
	 */
	static final class KnownProperties {

		private final Set<ConfigurationPropertyName> names = new LinkedHashSet<>();

		private final Set<ConfigurationPropertyName> maps = new LinkedHashSet<>();

		/**
		 * Reads the generated metadata of the class path.
		 * @param classLoader the class loader
		 * @return the known properties, or {@code null} when the metadata cannot be read
		 */
		static @Nullable KnownProperties read(@Nullable ClassLoader classLoader) {
			KnownProperties known = new KnownProperties();
			try {
				for (Resource resource : new PathMatchingResourcePatternResolver(classLoader).getResources(METADATA)) {
					try (InputStream input = resource.getInputStream()) {
						for (JsonNode property : MAPPER.readTree(input).path("properties")) {
							known.add(property.path("name").asString(""), property.path("type").asString(""));
						}
					}
				}
			}
			catch (IOException | JacksonException ex) {
				logger.debug("Cannot read the configuration metadata", ex);
				return null;
			}
			return known.names.isEmpty() ? null : known;
		}

		void add(String name, String type) {
			if (!name.startsWith(PREFIX + ".") || !ConfigurationPropertyName.isValid(name)) {
				return;
			}
			ConfigurationPropertyName property = ConfigurationPropertyName.of(name);
			this.names.add(property);
			if (type.startsWith("java.util.Map<")) {
				this.maps.add(property);
			}
		}

		boolean contains(ConfigurationPropertyName name) {
			// a field of a list's element (extension-providers[2].name) is known as that
			// of element [0]
			ConfigurationPropertyName generic = firstElements(name);
			ConfigurationPropertyName property = generic;
			// a list element (policy-locations[0]) or a bracketed map key belongs to its
			// property
			while (property.isLastElementIndexed()) {
				property = property.getParent();
			}
			if (this.names.contains(property)) {
				return true;
			}
			for (ConfigurationPropertyName map : this.maps) {
				if (map.isAncestorOf(generic)) {
					return true;
				}
			}
			return false;
		}

		/**
		 * The name with every list index but a trailing one written {@code [0]}, as the
		 * metadata names fields.
		 */
		private static ConfigurationPropertyName firstElements(ConfigurationPropertyName name) {
			String text = name.toString();
			StringBuilder generic = new StringBuilder(text.length());
			int i = 0;
			while (i < text.length()) {
				int close = (text.charAt(i) == '[') ? text.indexOf(']', i) : -1;
				if (close > i + 1 && close < text.length() - 1 && isDigits(text, i + 1, close)) {
					generic.append("[0]");
					i = close + 1;
				}
				else {
					generic.append(text.charAt(i));
					i++;
				}
			}
			return ConfigurationPropertyName.of(generic);
		}

		private static boolean isDigits(String text, int from, int to) {
			for (int i = from; i < to; i++) {
				if (!Character.isDigit(text.charAt(i))) {
					return false;
				}
			}
			return true;
		}

		/**
		 * Returns the known key nearest to a name by edit distance, when it is close
		 * enough to be a typo.
		 * @param name the unknown name
		 * @return the known key, or {@code null}
		 */
		@Nullable String nearest(ConfigurationPropertyName name) {
			String typed = comparable(name.toString());
			String best = null;
			int bestDistance = Integer.MAX_VALUE;
			for (ConfigurationPropertyName known : this.names) {
				int distance = distance(typed, comparable(known.toString()));
				if (distance < bestDistance) {
					best = known.toString();
					bestDistance = distance;
				}
			}
			// a few edits, and fewer than a third of the key: beyond that a suggestion is
			// a guess
			int limit = Math.min(3, Math.max(1, (typed.length() - PREFIX.length()) / 3));
			return (bestDistance <= limit) ? best : null;
		}

		/** Compared as Spring Boot binds: case, dashes and underscores do not matter. */
		private static String comparable(String name) {
			return name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
		}

		private static int distance(String a, String b) {
			int[] previous = new int[b.length() + 1];
			int[] current = new int[b.length() + 1];
			for (int j = 0; j <= b.length(); j++) {
				previous[j] = j;
			}
			for (int i = 1; i <= a.length(); i++) {
				current[0] = i;
				for (int j = 1; j <= b.length(); j++) {
					int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
					current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
				}
				int[] swap = previous;
				previous = current;
				current = swap;
			}
			return previous[b.length()];
		}

	}

}
