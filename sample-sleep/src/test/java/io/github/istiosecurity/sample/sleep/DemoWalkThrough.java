package io.github.istiosecurity.sample.sleep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The walk-through table of {@code sample-httpbin/demo/README.md} as the tests read it,
 * independently of {@link WalkThrough}: step number, method, path, token and the expected
 * status in bold.
 */
final class DemoWalkThrough {

	static final Path README = Path.of("..", "sample-httpbin", "demo", "README.md");

	/** {@code | 7 | `curl -i localhost:8000/headers -H "..."` | **401** ...} */
	private static final Pattern ROW = Pattern.compile("^\\| (\\d+) \\| `(curl [^`]+)` \\| \\*\\*(\\d{3})\\*\\*.*");

	private static final Pattern METHOD = Pattern.compile("-X (\\w+)");

	private static final Pattern PATH = Pattern.compile("localhost:8000(/[^\\s\"?]*)");

	/**
	 * One row.
	 *
	 * @param step the step number
	 * @param method the method (GET unless {@code -X})
	 * @param path the path without query
	 * @param curl the whole command
	 * @param status the expected status
	 */
	record Row(int step, String method, String path, String curl, int status) {
	}

	private DemoWalkThrough() {
	}

	static List<Row> rows() {
		List<Row> rows = new ArrayList<>();
		try {
			for (String line : Files.readAllLines(README)) {
				Matcher row = ROW.matcher(line);
				if (!row.matches()) {
					continue;
				}
				String curl = row.group(2);
				Matcher method = METHOD.matcher(curl);
				Matcher path = PATH.matcher(curl);
				if (!path.find()) {
					throw new IllegalStateException("no path in " + curl);
				}
				rows.add(new Row(Integer.parseInt(row.group(1)), method.find() ? method.group(1) : "GET", path.group(1),
						curl, Integer.parseInt(row.group(3))));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return rows;
	}

}
