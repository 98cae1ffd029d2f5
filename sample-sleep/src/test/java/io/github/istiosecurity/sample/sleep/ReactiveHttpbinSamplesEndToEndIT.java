package io.github.istiosecurity.sample.sleep;

/**
 * The two samples together with httpbin started on WebFlux (Netty) from the same jar: the
 * same cases, the same answers.
 */
class ReactiveHttpbinSamplesEndToEndIT extends SamplesEndToEndCases {

	@Override
	String[] httpbinStackArguments() {
		return new String[] { "--spring.main.web-application-type=reactive" };
	}

}
