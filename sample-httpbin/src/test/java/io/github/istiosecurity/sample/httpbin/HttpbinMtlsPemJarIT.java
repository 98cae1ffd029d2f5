package io.github.istiosecurity.sample.httpbin;

/**
 * The mTLS cases on Tomcat with a PEM SSL bundle, PERMISSIVE.
 */
class HttpbinMtlsPemJarIT extends HttpbinMtlsJarCases {

	@Override
	String[] stackArguments() {
		return new String[0];
	}

	@Override
	String[] sslArguments() {
		return pemBundle();
	}

	@Override
	boolean strict() {
		return false;
	}

}
