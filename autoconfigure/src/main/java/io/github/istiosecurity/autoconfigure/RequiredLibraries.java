package io.github.istiosecurity.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * The libraries without which the policies cannot be enforced on a stack, each named by a
 * class the auto-configuration's {@code @ConditionalOnClass} checks for and by the
 * artifact that has it. The starter brings them all (through
 * {@code spring-boot-starter-security-oauth2-resource-server}); an application that
 * depends on the auto-configuration alone may not have them.
 */
enum RequiredLibraries {

	/**
	 * Spring MVC: the core, Spring Security's servlet filter chain and its configuration.
	 */
	SERVLET(Library.JOSE, Library.RESOURCE_SERVER,
			new Library("org.springframework.security.web.SecurityFilterChain",
					"org.springframework.security:spring-security-web"),
			new Library("org.springframework.security.config.annotation.web.builders.HttpSecurity",
					"org.springframework.security:spring-security-config")),

	/**
	 * WebFlux: the core, Spring Security's reactive filter chain and its configuration.
	 */
	REACTIVE(Library.JOSE, Library.RESOURCE_SERVER,
			new Library("org.springframework.security.web.server.SecurityWebFilterChain",
					"org.springframework.security:spring-security-web"),
			new Library("org.springframework.security.config.web.server.ServerHttpSecurity",
					"org.springframework.security:spring-security-config"));

	private final List<Library> libraries;

	RequiredLibraries(Library... libraries) {
		this.libraries = List.of(libraries);
	}

	/**
	 * Returns the libraries, in the order they are reported.
	 * @return the libraries
	 */
	List<Library> libraries() {
		return this.libraries;
	}

	/**
	 * Returns the stack's name for messages.
	 * @return {@code servlet} or {@code reactive}
	 */
	String stack() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Returns the libraries of this stack that the class loader cannot load.
	 * @param classLoader the application's class loader
	 * @return each missing class with its artifact, empty when all are there
	 */
	List<String> missing(@Nullable ClassLoader classLoader) {
		List<String> missing = new ArrayList<>();
		for (Library library : this.libraries) {
			if (!ClassUtils.isPresent(library.className(), classLoader)) {
				missing.add(library.className() + " (" + library.artifact() + ")");
			}
		}
		return missing;
	}

	/**
	 * A class and the artifact that has it.
	 *
	 * @param className the fully-qualified class name
	 * @param artifact the artifact's {@code groupId:artifactId}
	 */
	record Library(String className, String artifact) {

		/** Spring Security's {@code Jwt}: the core's JWT verification. */
		static final Library JOSE = new Library("org.springframework.security.oauth2.jwt.Jwt",
				"org.springframework.security:spring-security-oauth2-jose");

		/**
		 * Spring Security's {@code JwtAuthenticationToken}: the authentication of a
		 * verified token.
		 */
		static final Library RESOURCE_SERVER = new Library(
				"org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken",
				"org.springframework.security:spring-security-oauth2-resource-server");

	}

}
