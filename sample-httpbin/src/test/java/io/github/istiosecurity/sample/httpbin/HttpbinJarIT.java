package io.github.istiosecurity.sample.httpbin;

/**
 * The black-box cases against the packaged jar started as is: the servlet stack (Tomcat).
 */
class HttpbinJarIT extends HttpbinJarCases {

	@Override
	String[] stackArguments() {
		return new String[0];
	}

}
