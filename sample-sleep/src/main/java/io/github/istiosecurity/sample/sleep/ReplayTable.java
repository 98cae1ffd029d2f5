package io.github.istiosecurity.sample.sleep;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The replay as a plain-text table, one row per step: request, token, expected and actual
 * status, and {@code ok} or what differed.
 */
final class ReplayTable {

	private static final String[] HEADINGS = { "#", "request", "token", "expected", "actual", "result" };

	private ReplayTable() {
	}

	static String format(Replay replay) {
		List<String[]> rows = new ArrayList<>();
		rows.add(HEADINGS);
		for (ReplayedStep step : replay.steps()) {
			rows.add(new String[] { String.valueOf(step.step()), step.request(), step.token(),
					step.expectedStatus() + " " + step.expectation(),
					(step.actualStatus() != 0) ? String.valueOf(step.actualStatus()) : "-",
					step.asExpected() ? "ok" : "MISMATCH: " + Objects.requireNonNullElse(step.mismatch(), "") });
		}
		int[] widths = new int[HEADINGS.length];
		for (String[] row : rows) {
			for (int i = 0; i < row.length; i++) {
				widths[i] = Math.max(widths[i], row[i].length());
			}
		}
		StringBuilder table = new StringBuilder();
		table.append("Walk-through replayed against httpbin at ").append(replay.httpbin()).append('\n');
		for (String[] row : rows) {
			for (int i = 0; i < row.length; i++) {
				table.append(i == 0 ? String.format("%" + widths[i] + "s", row[i])
						: (i == row.length - 1) ? row[i] : String.format("%-" + widths[i] + "s", row[i]));
				if (i < row.length - 1) {
					table.append("  ");
				}
			}
			table.append('\n');
		}
		table.append(replay.asExpected())
			.append(" of ")
			.append(replay.total())
			.append(" steps as Istio answers")
			.append('\n');
		return table.toString();
	}

}
