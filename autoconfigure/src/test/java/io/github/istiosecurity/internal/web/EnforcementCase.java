package io.github.istiosecurity.internal.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One row of the shared case table: a request, and what the client and the application
 * must see.
 */
public final class EnforcementCase {

	final String name;

	final String method;

	final String path;

	final List<String> headers = new ArrayList<>();

	int status;

	@Nullable String body;

	final List<String> bodyContains = new ArrayList<>();

	@Nullable String challenge;

	final Map<String, String> seen = new LinkedHashMap<>();

	final List<String> unseen = new ArrayList<>();

	private EnforcementCase(String name, String method, String path) {
		this.name = name;
		this.method = method;
		this.path = path;
	}

	static EnforcementCase of(String name, String method, String path) {
		return new EnforcementCase(name, method, path);
	}

	EnforcementCase bearer(String token) {
		return header("Authorization", "Bearer " + token);
	}

	EnforcementCase header(String name, String value) {
		this.headers.add(name);
		this.headers.add(value);
		return this;
	}

	EnforcementCase expect(int status) {
		this.status = status;
		return this;
	}

	EnforcementCase expect(int status, String body) {
		this.status = status;
		this.body = body;
		return this;
	}

	EnforcementCase bodyContains(String text) {
		this.bodyContains.add(text);
		return this;
	}

	/** The exact {@code WWW-Authenticate}; {@code {port}} stands for the server port. */
	EnforcementCase challenge(String challenge) {
		this.challenge = challenge;
		return this;
	}

	/** A header the application (the {@code /headers} echo) must see, with this value. */
	EnforcementCase seen(String lowerCaseName, String value) {
		this.seen.put(lowerCaseName, value);
		return this;
	}

	/** A header the application must not see. */
	EnforcementCase unseen(String lowerCaseName) {
		this.unseen.add(lowerCaseName);
		return this;
	}

	@Override
	public String toString() {
		return this.name;
	}

}
