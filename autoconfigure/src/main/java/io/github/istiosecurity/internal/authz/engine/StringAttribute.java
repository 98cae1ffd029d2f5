package io.github.istiosecurity.internal.authz.engine;

import io.github.istiosecurity.authz.RequestAttributes;

import org.jspecify.annotations.Nullable;

/**
 * A string-valued request attribute: method, host, path, a header, the SNI.
 */
@FunctionalInterface
public interface StringAttribute {

	/** {@code :method} / {@code methods}. */
	StringAttribute METHOD = named("method", RequestAttributes::method);

	/** {@code :authority} / {@code hosts}. */
	StringAttribute HOST = named("host", RequestAttributes::host);

	/** The normalized path without query / {@code paths}. */
	StringAttribute PATH = named("path", RequestAttributes::path);

	/** {@code :path}, with the query string. */
	StringAttribute PATH_WITH_QUERY = named(":path", RequestAttributes::pathWithQuery);

	/** {@code :scheme}. */
	StringAttribute SCHEME = named(":scheme", RequestAttributes::scheme);

	/** {@code connection.sni}. */
	StringAttribute SNI = named("connection.sni", RequestAttributes::sni);

	/**
	 * Reads the attribute.
	 * @param request the request
	 * @return the value, or {@code null} when absent
	 */
	@Nullable String of(RequestAttributes request);

	/**
	 * The attribute {@code request.headers[name]}; pseudo headers map to the request line
	 * (§3.13).
	 * @param name the header name, any case
	 * @return the attribute
	 */
	static StringAttribute header(String name) {
		String lowerCaseName = name.toLowerCase(java.util.Locale.ROOT);
		return switch (lowerCaseName) {
			case ":authority", "host" -> HOST;
			case ":method" -> METHOD;
			case ":path" -> PATH_WITH_QUERY;
			case ":scheme" -> SCHEME;
			default -> new Header(lowerCaseName);
		};
	}

	/**
	 * A request header other than a pseudo header; equal to any other reading the same
	 * header, so that {@link RuleSet} can index the rules that test it.
	 *
	 * @param lowerCaseName the header name in lower case
	 */
	record Header(String lowerCaseName) implements StringAttribute {

		@Override
		public @Nullable String of(RequestAttributes request) {
			return request.header(this.lowerCaseName);
		}

		@Override
		public String toString() {
			return "request.headers[" + this.lowerCaseName + "]";
		}

	}

	private static StringAttribute named(String name, StringAttribute attribute) {
		return new StringAttribute() {

			@Override
			public @Nullable String of(RequestAttributes request) {
				return attribute.of(request);
			}

			@Override
			public String toString() {
				return name;
			}

		};
	}

}
