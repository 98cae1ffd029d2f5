package io.github.istiosecurity.internal.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RequestTarget} against the request-target forms, each expectation after Envoy's
 * {@code Http1::ServerConnectionImpl::handlePath} and {@code Utility::Url::initialize}
 * ({@code http_parser_parse_url}, strict build).
 */
class RequestTargetTests {

	@ParameterizedTest(name = "{0} {1} -> {2} {3}")
	@CsvSource(delimiter = '|', nullValues = "none", textBlock = """
			# origin-form and the OPTIONS asterisk keep Host; CONNECT is not modelled (Host)
			GET     | /path?q=1                           | ORIGIN   | none
			OPTIONS | *                                   | ORIGIN   | none
			CONNECT | other.example:443                   | ORIGIN   | none
			# absolute-form: the authority exactly as written, the path and query are not part of it
			GET     | http://other.example/path?q=1       | ABSOLUTE | other.example
			GET     | http://other.example?q=1            | ABSOLUTE | other.example
			GET     | http://other.example                | ABSOLUTE | other.example
			GET     | https://other.example/              | ABSOLUTE | other.example
			# letter case and an explicit default port are kept (hosts then matches case-insensitively)
			GET     | HTTP://Other.Example:80/            | ABSOLUTE | Other.Example:80
			GET     | http://other.example:8080/p         | ABSOLUTE | other.example:8080
			GET     | http://10.0.0.1:8080/p              | ABSOLUTE | 10.0.0.1:8080
			GET     | http://[::1]:8080/p                 | ABSOLUTE | [::1]:8080
			GET     | http://[2001:db8::1]/p              | ABSOLUTE | [2001:db8::1]
			# userinfo is split off by http_parser_parse_url and is not part of :authority
			GET     | http://user:pw@other.example/p      | ABSOLUTE | other.example
			# a '*' target is only origin-form for OPTIONS
			GET     | *                                   | INVALID  | none
			# only http and https are valid schemes; a scheme is letters only
			GET     | ftp://other.example/p               | INVALID  | none
			GET     | h2c://other.example/p               | INVALID  | none
			# not a URL: no '://' after the scheme, an empty target
			GET     | other.example/p                     | INVALID  | none
			GET     | http:/other.example/p               | INVALID  | none
			# an empty host, an empty port, a port over 65535, a non-numeric port
			GET     | http:///p                           | INVALID  | none
			GET     | http://other.example:/p             | INVALID  | none
			GET     | http://other.example:65536/p        | INVALID  | none
			GET     | http://other.example:65535/p        | ABSOLUTE | other.example:65535
			GET     | http://other.example:8o/p           | INVALID  | none
			# two '@', a character no host may contain ('_' in the strict build, '#')
			GET     | http://a@b@other.example/p          | INVALID  | none
			GET     | http://other_host/p                 | INVALID  | none
			GET     | http://other.example#frag           | INVALID  | none
			# a bracketed host must be an IP address (Envoy's parseAuthority)
			GET     | http://[::1/p                       | INVALID  | none
			GET     | http://[other]/p                    | INVALID  | none
			GET     | http://[1:2:3]/p                    | INVALID  | none
			""")
	void classifiesAsEnvoysCodec(String method, String target, RequestTarget.Form form, String authority) {
		RequestTarget classified = RequestTarget.of(method, target);
		assertThat(classified.form()).isEqualTo(form);
		assertThat(classified.authority()).isEqualTo(authority);
	}

	@Test
	void anEmptyTargetIsNoUrl() {
		assertThat(RequestTarget.of("GET", "").form()).isEqualTo(RequestTarget.Form.INVALID);
	}

}
