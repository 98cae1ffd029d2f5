package io.github.istiosecurity.sample.sleep;

import reactor.core.publisher.Mono;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The replay on demand: {@code GET /replay} as JSON, {@code GET /replay/table} as the
 * printed table. Open to every caller by {@code sleep-authz.yaml}: it only sends the
 * published demo tokens.
 */
@RestController
class ReplayController {

	private final WalkThroughReplay replay;

	ReplayController(WalkThroughReplay replay) {
		this.replay = replay;
	}

	@GetMapping(path = "/replay", produces = MediaType.APPLICATION_JSON_VALUE)
	Mono<Replay> replay() {
		return this.replay.replay();
	}

	@GetMapping(path = "/replay/table", produces = MediaType.TEXT_PLAIN_VALUE)
	Mono<String> table() {
		return this.replay.replay().map(ReplayTable::format);
	}

}
