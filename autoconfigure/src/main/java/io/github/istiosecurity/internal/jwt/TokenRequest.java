package io.github.istiosecurity.internal.jwt;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What JWT processing reads from a request; adapters implement it over their request
 * types (§2.5, §2.11).
 */
public interface TokenRequest {

	/**
	 * Returns the HTTP method exactly as received.
	 * @return the method
	 */
	String method();

	/**
	 * Returns every value of a header, in the order received.
	 * @param lowerCaseName the header name in lower case
	 * @return the values, empty if the header is absent
	 */
	List<String> headerValues(String lowerCaseName);

	/**
	 * Returns the first value of a query parameter, URL-decoded.
	 * @param name the parameter name (case-sensitive)
	 * @return the value, or {@code null} if absent
	 */
	@Nullable String queryParameter(String name);

	/**
	 * Returns the value of a cookie from the {@code Cookie} header(s).
	 * @param name the cookie name
	 * @return the value, or {@code null} if absent
	 */
	@Nullable String cookie(String name);

}
