package io.github.istiosecurity.internal.load;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link GoDuration} reads what Go's {@code time.ParseDuration} reads.
 */
class GoDurationTests {

	@ParameterizedTest
	@CsvSource({ "5s,5000000000", "1500us,1500000", "1m30s,90000000000", "1.5h,5400000000000", "10ms,10000000", "0,0",
			"-2ms,-2000000", ".5s,500000000", "1h2m3s4ms5us6ns,3723004005006" })
	void goDurationsParse(String text, long nanos) {
		assertThat(GoDuration.parseNanos(text)).isEqualTo(nanos);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "5", "s", "1d", "1..5s", "apple", "5 s", "99999999999999h" })
	void otherTextDoesNotParse(String text) {
		assertThat(GoDuration.parseNanos(text)).isNull();
	}

}
