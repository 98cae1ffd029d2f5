package io.github.istiosecurity.internal.web.servlet;

import io.github.istiosecurity.internal.web.MutualTlsCases;
import io.github.istiosecurity.testsupport.EchoApplication;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The shared {@link MutualTlsCases} against a servlet application on Tomcat.
 */
@SpringBootTest(classes = { EchoApplication.class, MutualTlsCases.Registry.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.main.web-application-type=servlet")
class TomcatMutualTlsIntegrationTests extends MutualTlsCases {

}
