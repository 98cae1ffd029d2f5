package io.github.istiosecurity.sample.sleep;

import org.springframework.http.HttpHeaders;

/**
 * What httpbin answered to one step: status, headers and body as text.
 *
 * @param status the status code
 * @param headers the response headers
 * @param body the body, empty when there was none
 */
record HttpbinResponse(int status, HttpHeaders headers, String body) {
}
