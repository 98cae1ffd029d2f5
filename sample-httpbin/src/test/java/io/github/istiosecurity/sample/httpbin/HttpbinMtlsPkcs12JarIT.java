package io.github.istiosecurity.sample.httpbin;

/**
 * The mTLS cases on Tomcat with a PKCS#12 key store, STRICT.
 */
class HttpbinMtlsPkcs12JarIT extends HttpbinMtlsJarCases {

	@Override
	String[] stackArguments() {
		return new String[0];
	}

	@Override
	String[] sslArguments() {
		return pkcs12KeyStore();
	}

	@Override
	boolean strict() {
		return true;
	}

}
