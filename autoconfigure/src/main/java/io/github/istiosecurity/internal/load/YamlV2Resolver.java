package io.github.istiosecurity.internal.load;

import java.util.regex.Pattern;

import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Resolves plain scalars the way {@code kubectl} does (YAML 1.1 through {@code yaml.v2}):
 * {@code y}, {@code yes}, {@code on} are booleans, {@code 0x1F} and {@code 1_000}
 * integers, {@code ~} null. Unlike SnakeYAML's default it knows no sexagesimal numbers
 * ({@code 10:30} stays a string) and no implicit timestamps (Kubernetes stores them as
 * strings).
 */
final class YamlV2Resolver extends Resolver {

	private static final Pattern V2_BOOL = Pattern
		.compile("^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$");

	private static final Pattern V2_INT = Pattern
		.compile("^[-+]?(?:0[bB][01_]+|0[oO][0-7_]+|0[xX][0-9a-fA-F_]+|[0-9][0-9_]*)$");

	private static final Pattern V2_FLOAT = Pattern.compile(
			"^(?:[-+]?(?:\\.[0-9][0-9_]*|[0-9][0-9_]*(?:\\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$");

	private static final Pattern V2_NULL = Pattern.compile("^(?:~|null|Null|NULL)$");

	private static final Pattern V2_EMPTY = Pattern.compile("^$");

	private static final Pattern V2_MERGE = Pattern.compile("^(?:<<)$");

	@Override
	protected void addImplicitResolvers() {
		addImplicitResolver(Tag.BOOL, V2_BOOL, "yYnNtTfFoO");
		addImplicitResolver(Tag.INT, V2_INT, "-+0123456789");
		addImplicitResolver(Tag.FLOAT, V2_FLOAT, "-+0123456789.");
		addImplicitResolver(Tag.MERGE, V2_MERGE, "<");
		addImplicitResolver(Tag.NULL, V2_NULL, "~nN\0");
		addImplicitResolver(Tag.NULL, V2_EMPTY, null);
	}

	/**
	 * Returns the value of a scalar resolved as a boolean.
	 * @param text the scalar text
	 * @return the boolean
	 */
	static boolean booleanValue(String text) {
		return switch (text) {
			case "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON" -> true;
			default -> false;
		};
	}

}
