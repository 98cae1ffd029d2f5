package io.github.istiosecurity.internal.jwt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A {@link TokenRequest} built in code.
 */
final class FakeTokenRequest implements TokenRequest {

	private String method = "GET";

	private final Map<String, List<String>> headers = new LinkedHashMap<>();

	private final Map<String, String> params = new LinkedHashMap<>();

	private final Map<String, String> cookies = new LinkedHashMap<>();

	static FakeTokenRequest get() {
		return new FakeTokenRequest();
	}

	static FakeTokenRequest bearer(String token) {
		return get().header("Authorization", "Bearer " + token);
	}

	FakeTokenRequest method(String method) {
		this.method = method;
		return this;
	}

	FakeTokenRequest header(String name, String value) {
		this.headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), (key) -> new ArrayList<>()).add(value);
		return this;
	}

	FakeTokenRequest param(String name, String value) {
		this.params.putIfAbsent(name, value);
		return this;
	}

	FakeTokenRequest cookie(String name, String value) {
		this.cookies.put(name, value);
		return this;
	}

	@Override
	public String method() {
		return this.method;
	}

	@Override
	public List<String> headerValues(String lowerCaseName) {
		return this.headers.getOrDefault(lowerCaseName, List.of());
	}

	@Override
	public @Nullable String queryParameter(String name) {
		return this.params.get(name);
	}

	@Override
	public @Nullable String cookie(String name) {
		return this.cookies.get(name);
	}

}
