package io.github.istiosecurity.sample.httpbin;

/**
 * The mTLS cases on Netty with a PEM SSL bundle, STRICT.
 */
class ReactiveHttpbinMtlsPemJarIT extends HttpbinMtlsJarCases {

	@Override
	String[] stackArguments() {
		return new String[] { "--spring.main.web-application-type=reactive" };
	}

	@Override
	String[] sslArguments() {
		return pemBundle();
	}

	@Override
	boolean strict() {
		return true;
	}

}
