package io.github.istiosecurity.sample.httpbin;

/**
 * The same token flood against the same jar on WebFlux (Netty): the token code is shared,
 * the server is not.
 */
class ReactiveHostileTokenFloodIT extends HostileTokenFloodIT {

	@Override
	String[] stackArguments() {
		return new String[] { "--spring.main.web-application-type=reactive" };
	}

}
