package io.github.istiosecurity.sample.httpbin;

/**
 * The same black-box cases against the same jar with one property added: the WebFlux
 * stack (Netty).
 */
class ReactiveHttpbinJarIT extends HttpbinJarCases {

	@Override
	String[] stackArguments() {
		return new String[] { "--spring.main.web-application-type=reactive" };
	}

}
