package io.github.istiosecurity.sample.httpbin;

/**
 * The mTLS cases on Netty with a PKCS#12 key store, PERMISSIVE.
 */
class ReactiveHttpbinMtlsPkcs12JarIT extends HttpbinMtlsJarCases {

	@Override
	String[] stackArguments() {
		return new String[] { "--spring.main.web-application-type=reactive" };
	}

	@Override
	String[] sslArguments() {
		return pkcs12KeyStore();
	}

	@Override
	boolean strict() {
		return false;
	}

}
