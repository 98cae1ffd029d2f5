package io.github.istiosecurity.idp;

import java.util.Map;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application under test: it answers every path with 200, so that any other status
 * comes from the policy layer in front of it.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@RestController
public class OrdersApplication {

	@RequestMapping("/**")
	Map<String, Object> anything() {
		return Map.of("ok", true);
	}

}
