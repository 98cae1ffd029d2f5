package io.github.istiosecurity.internal.authz.engine;

import java.util.Arrays;
import java.util.function.Function;

import io.github.istiosecurity.authz.IpAddress;
import io.github.istiosecurity.authz.RequestAttributes;
import io.github.istiosecurity.internal.authz.match.IpBlock;
import org.jspecify.annotations.Nullable;

/**
 * True when an address attribute is known and lies in one of the blocks.
 */
public final class IpAttributeMatcher implements RequestMatcher {

	/** Which address of the request is tested. */
	public enum Attribute {

		/** {@code source.ip} / {@code ipBlocks}: the socket peer. */
		SOURCE(RequestAttributes::sourceIp),

		/** {@code remote.ip} / {@code remoteIpBlocks}: the trusted client address. */
		REMOTE(RequestAttributes::remoteIp),

		/** {@code destination.ip}: the local address. */
		DESTINATION(RequestAttributes::destinationIp);

		private final Function<RequestAttributes, @Nullable IpAddress> accessor;

		Attribute(Function<RequestAttributes, @Nullable IpAddress> accessor) {
			this.accessor = accessor;
		}

		@Nullable IpAddress of(RequestAttributes request) {
			return this.accessor.apply(request);
		}

	}

	private final Attribute attribute;

	private final IpBlock[] blocks;

	/**
	 * Creates the matcher.
	 * @param attribute the address to test
	 * @param blocks the blocks
	 */
	public IpAttributeMatcher(Attribute attribute, IpBlock... blocks) {
		this.attribute = attribute;
		this.blocks = blocks.clone();
	}

	@Override
	public boolean matches(RequestAttributes request) {
		IpAddress address = this.attribute.of(request);
		if (address == null) {
			return false;
		}
		for (IpBlock block : this.blocks) {
			if (block.contains(address)) {
				return true;
			}
		}
		return false;
	}

	Attribute attribute() {
		return this.attribute;
	}

	/** The blocks; not to be modified. */
	IpBlock[] blocks() {
		return this.blocks;
	}

	@Override
	public String toString() {
		return this.attribute + " in " + Arrays.toString(this.blocks);
	}

}
