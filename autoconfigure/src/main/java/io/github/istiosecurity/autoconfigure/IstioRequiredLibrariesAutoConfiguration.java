package io.github.istiosecurity.autoconfigure;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Fails closed where the other auto-configurations would back off silently: a web
 * application with this starter whose stack cannot enforce the policies, because Spring
 * Security's JWT support or filter chain is not on the class path, stops at start-up
 * naming the missing artifacts ({@link MissingLibrariesException}) instead of serving
 * every request without its policies. Runs before any bean is created; does nothing when
 * every library is there, outside web applications, or with
 * {@code istio.security.enabled=false}.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "istio.security.enabled", matchIfMissing = true)
public final class IstioRequiredLibrariesAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	static class ServletLibraries {

		@Bean
		static RequiredLibrariesCheck istioServletLibrariesCheck() {
			return new RequiredLibrariesCheck(RequiredLibraries.SERVLET);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	static class ReactiveLibraries {

		@Bean
		static RequiredLibrariesCheck istioReactiveLibrariesCheck() {
			return new RequiredLibrariesCheck(RequiredLibraries.REACTIVE);
		}

	}

	/**
	 * Looks for the libraries with the application's class loader before any bean is
	 * created.
	 */
	static final class RequiredLibrariesCheck implements BeanFactoryPostProcessor, BeanClassLoaderAware {

		private final RequiredLibraries libraries;

		private @Nullable ClassLoader classLoader;

		RequiredLibrariesCheck(RequiredLibraries libraries) {
			this.libraries = libraries;
		}

		@Override
		public void setBeanClassLoader(ClassLoader classLoader) {
			this.classLoader = classLoader;
		}

		@Override
		public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
			List<String> missing = this.libraries.missing(this.classLoader);
			if (!missing.isEmpty()) {
				throw new MissingLibrariesException(this.libraries.stack(), missing);
			}
		}

	}

}
