package io.github.istiosecurity.internal.extauthz;

import io.github.istiosecurity.authz.IpAddress;
import io.github.istiosecurity.authz.RequestAttributes;
import org.jspecify.annotations.Nullable;

/**
 * A request that exists only to build a check once at start-up, so that no request pays
 * for class loading.
 */
final class WarmUp implements RequestAttributes {

	static final WarmUp REQUEST = new WarmUp();

	private WarmUp() {
	}

	@Override
	public String method() {
		return "GET";
	}

	@Override
	public @Nullable String host() {
		return "localhost";
	}

	@Override
	public String path() {
		return "/";
	}

	@Override
	public @Nullable String header(String lowerCaseName) {
		return null;
	}

	@Override
	public int destinationPort() {
		return 0;
	}

	@Override
	public @Nullable IpAddress destinationIp() {
		return null;
	}

	@Override
	public @Nullable IpAddress sourceIp() {
		return null;
	}

	@Override
	public @Nullable IpAddress remoteIp() {
		return null;
	}

}
