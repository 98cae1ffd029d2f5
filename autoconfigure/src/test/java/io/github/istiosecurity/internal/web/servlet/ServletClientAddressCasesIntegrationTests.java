package io.github.istiosecurity.internal.web.servlet;

import io.github.istiosecurity.internal.web.ClientAddressCases;
import io.github.istiosecurity.testsupport.EchoApplication;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The shared {@link ClientAddressCases} against a servlet application on Tomcat.
 */
@SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.main.web-application-type=servlet")
class ServletClientAddressCasesIntegrationTests extends ClientAddressCases {

	@Override
	protected Container container() {
		return Container.TOMCAT;
	}

}
