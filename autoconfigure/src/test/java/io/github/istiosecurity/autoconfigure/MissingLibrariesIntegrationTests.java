package io.github.istiosecurity.autoconfigure;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.github.istiosecurity.internal.jwt.VerifiedTokenCache;
import io.github.istiosecurity.testsupport.EchoApplication;
import io.github.istiosecurity.testsupport.Tokens;
import org.apache.catalina.webresources.TomcatURLStreamHandlerFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real applications on a class path that really lacks a jar (the test class path without
 * it, in a class loader of its own), where a {@code FilteredClassLoader} only hides
 * classes from conditions: without Caffeine a Tomcat application starts and decides every
 * request as with it (the verified-token cache is off); without Spring Security's
 * resource server it does not start, names the artifact, and no
 * {@link NoClassDefFoundError} escapes.
 */
class MissingLibrariesIntegrationTests {

	@TempDir
	Path dir;

	@Test
	void withoutTheCaffeineJarTheApplicationStartsAndDecidesEveryRequest() throws Exception {
		String result = runWithout("caffeine-", "withPolicies", this.dir.toString());
		assertThat(result).isEqualTo("cache=off no-token=403 user1=200 user1-post=403 expired=401 user2=403");
	}

	@Test
	void withoutTheResourceServerJarTheApplicationDoesNotStartAndNamesIt() throws Exception {
		String result = runWithout("spring-security-oauth2-resource-server-", "failure", this.dir.toString());
		assertThat(result)
			.startsWith("failed: " + MissingLibrariesException.class.getName()
					+ ": The Istio policies cannot be enforced in this servlet web application: "
					+ "org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken "
					+ "(org.springframework.security:spring-security-oauth2-resource-server) not on the class path")
			.doesNotContain(NoClassDefFoundError.class.getName());
	}

	/**
	 * Calls a static method of {@link Probe} loaded from the test class path without the
	 * jars whose file name starts with the given prefix.
	 */
	private static String runWithout(String jarPrefix, String method, String argument) throws Exception {
		List<URL> urls = new ArrayList<>();
		boolean removed = false;
		for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
			if (new File(entry).getName().startsWith(jarPrefix)) {
				removed = true;
				continue;
			}
			urls.add(url(entry));
		}
		assertThat(removed).as("a %s jar on the test class path", jarPrefix).isTrue();
		ClassLoader previous = Thread.currentThread().getContextClassLoader();
		try (URLClassLoader isolated = new URLClassLoader(urls.toArray(URL[]::new),
				ClassLoader.getPlatformClassLoader())) {
			Thread.currentThread().setContextClassLoader(isolated);
			assertThat(isolated.loadClass(Probe.class.getName())).isNotSameAs(Probe.class);
			Method run = isolated.loadClass(Probe.class.getName()).getMethod(method, String.class);
			return (String) run.invoke(null, argument);
		}
		catch (InvocationTargetException ex) {
			throw (ex.getCause() instanceof Exception cause) ? cause : ex;
		}
		finally {
			Thread.currentThread().setContextClassLoader(previous);
		}
	}

	private static URL url(String entry) {
		try {
			return new File(entry).toURI().toURL();
		}
		catch (MalformedURLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Runs in the isolated class loader; talks to the test through strings only.
	 */
	public static final class Probe {

		private static final HttpClient CLIENT = HttpClient.newHttpClient();

		private Probe() {
		}

		/**
		 * Starts a Tomcat application whose policies let user1 GET, and sends it
		 * requests.
		 * @param dir where to write the policies
		 * @return the verified-token cache's state and the status of each request
		 */
		public static String withPolicies(String dir) throws IOException, InterruptedException {
			RSAKey key = Tokens.rsaKey("k1");
			writePolicies(Path.of(dir), key);
			try (ConfigurableApplicationContext context = application(dir).run()) {
				int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
				String issuer = "https://idp.example.com";
				String user1 = Tokens.sign(key, Map.of("iss", issuer, "sub", "user1"));
				String user2 = Tokens.sign(key, Map.of("iss", issuer, "sub", "user2"));
				String expired = Tokens.sign(key,
						Map.of("iss", issuer, "sub", "user1", "exp", Instant.now().minusSeconds(3600)));
				boolean cache = context.getBean(VerifiedTokenCache.class).isEnabled();
				return "cache=" + (cache ? "on" : "off") + " no-token=" + status(port, "GET", null) + " user1="
						+ status(port, "GET", user1) + " user1-post=" + status(port, "POST", user1) + " expired="
						+ status(port, "GET", expired) + " user2=" + status(port, "GET", user2);
			}
		}

		/**
		 * Starts the same application and reports how start-up failed.
		 * @param dir where to write the policies
		 * @return {@code failed: } and the failure's chain of causes, or {@code started}
		 */
		public static String failure(String dir) throws IOException {
			writePolicies(Path.of(dir), Tokens.rsaKey("k1"));
			try (ConfigurableApplicationContext context = application(dir).run()) {
				return "started";
			}
			catch (Throwable ex) {
				StringBuilder chain = new StringBuilder("failed: ");
				for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
					chain.append(cause).append(" <- ");
				}
				return chain.toString();
			}
		}

		private static SpringApplicationBuilder application(String dir) {
			// one JVM-wide URL handler factory: a Tomcat of the test's own class loader
			// may have set it
			TomcatURLStreamHandlerFactory.disable();
			return new SpringApplicationBuilder(EchoApplication.class).web(WebApplicationType.SERVLET)
				.properties("server.port=0", "spring.main.banner-mode=off", "istio.security.reload.enabled=false",
						"istio.security.workload.namespace=foo",
						"istio.security.policy-locations=file:" + dir + "/*.yaml");
		}

		private static void writePolicies(Path dir, RSAKey key) throws IOException {
			Files.writeString(dir.resolve("policies.yaml"), """
					apiVersion: security.istio.io/v1
					kind: RequestAuthentication
					metadata: {name: jwt, namespace: foo}
					spec:
					  jwtRules:
					  - issuer: "https://idp.example.com"
					    jwks: '%s'
					---
					apiVersion: security.istio.io/v1
					kind: AuthorizationPolicy
					metadata: {name: user1-reads, namespace: foo}
					spec:
					  rules:
					  - from: [{source: {requestPrincipals: ["https://idp.example.com/user1"]}}]
					    to: [{operation: {methods: ["GET"]}}]
					""".formatted(new JWKSet(key.toPublicJWK())));
		}

		private static int status(int port, String method, @Nullable String token)
				throws IOException, InterruptedException {
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/headers"))
				.method(method, HttpRequest.BodyPublishers.noBody());
			if (token != null) {
				request.header("Authorization", "Bearer " + token);
			}
			return CLIENT.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
		}

	}

}
