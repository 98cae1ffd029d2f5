package io.github.istiosecurity.idp.keycloak;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a JDK new enough to run Keycloak, at run time: the running JDK if it is new
 * enough, else {@code KEYCLOAK_JAVA_HOME}, else {@code JAVA_HOME}, else the newest JDK in
 * the usual install locations. Nothing is hard-coded to one machine.
 */
final class JavaHomes {

	private static final Pattern JAVA_VERSION = Pattern.compile("^JAVA_VERSION=\"?([0-9][^\"]*)\"?", Pattern.MULTILINE);

	private JavaHomes() {
	}

	/**
	 * Finds a JDK of at least the given feature version.
	 * @param minimum the minimum feature version, e.g. 21
	 * @param env the environment variables
	 * @param userHome the user's home directory
	 * @return the JDK's home
	 * @throws IllegalStateException with the places looked at, when there is none
	 */
	static Path find(int minimum, Map<String, String> env, Path userHome) {
		if (Runtime.version().feature() >= minimum) {
			return Path.of(System.getProperty("java.home"));
		}
		List<String> looked = new ArrayList<>();
		looked.add("the running JDK (" + System.getProperty("java.home") + ", " + Runtime.version().feature() + ")");
		for (String variable : List.of("KEYCLOAK_JAVA_HOME", "JAVA_HOME")) {
			String value = env.get(variable);
			if (value != null && !value.isBlank()) {
				Path home = Path.of(value);
				int version = featureVersion(home).orElse(-1);
				if (version >= minimum) {
					return home;
				}
				looked.add(variable + "=" + value + " (" + ((version < 0) ? "not a JDK" : version) + ")");
			}
		}
		List<Path> roots = List.of(Path.of("/usr/lib/jvm"), Path.of("/usr/java"), Path.of("/opt/java"),
				userHome.resolve(".sdkman/candidates/java"), Path.of("/Library/Java/JavaVirtualMachines"));
		Set<Path> candidates = new LinkedHashSet<>();
		for (Path root : roots) {
			looked.add(root + "/*");
			candidates.addAll(children(root));
		}
		Optional<Path> newest = candidates.stream()
			.filter((home) -> featureVersion(home).orElse(-1) >= minimum)
			.max(Comparator.comparingInt((Path home) -> featureVersion(home).orElse(-1))
				.thenComparing(Comparator.naturalOrder()));
		return newest.orElseThrow(() -> new IllegalStateException("Keycloak needs a JDK " + minimum
				+ " or newer and none was found. Looked at: " + String.join(", ", looked)
				+ ". Install one, or set KEYCLOAK_JAVA_HOME to its home directory."));
	}

	/**
	 * Returns the feature version of a JDK from its {@code release} file, when the
	 * directory holds a JDK with a {@code java} launcher.
	 * @param home the directory
	 * @return the feature version (e.g. 25, or 8 for {@code 1.8.0_412})
	 */
	static Optional<Integer> featureVersion(Path home) {
		Path java = home.resolve("bin").resolve(isWindows() ? "java.exe" : "java");
		Path release = home.resolve("release");
		if (!Files.isExecutable(java) || !Files.isRegularFile(release)) {
			return Optional.empty();
		}
		try {
			Matcher matcher = JAVA_VERSION.matcher(Files.readString(release));
			if (!matcher.find()) {
				return Optional.empty();
			}
			String[] parts = matcher.group(1).split("[.\\-+_]");
			int first = Integer.parseInt(parts[0]);
			return Optional.of((first == 1 && parts.length > 1) ? Integer.parseInt(parts[1]) : first);
		}
		catch (IOException | NumberFormatException ex) {
			return Optional.empty();
		}
	}

	static boolean isWindows() {
		return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
	}

	private static List<Path> children(Path root) {
		List<Path> homes = new ArrayList<>();
		if (!Files.isDirectory(root)) {
			return homes;
		}
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
			for (Path entry : entries) {
				// macOS bundles keep the home one level down.
				Path home = Files.isDirectory(entry.resolve("Contents/Home")) ? entry.resolve("Contents/Home") : entry;
				try {
					// Real paths, so that a symbolic link and its target count once.
					homes.add(home.toRealPath());
				}
				catch (IOException ex) {
					// A dangling link is no JDK.
				}
			}
		}
		catch (IOException ex) {
			// An unreadable location holds no usable JDK.
		}
		return homes;
	}

}
