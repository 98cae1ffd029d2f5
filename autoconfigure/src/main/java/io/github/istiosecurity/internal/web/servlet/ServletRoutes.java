package io.github.istiosecurity.internal.web.servlet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.MappingMatch;
import org.jspecify.annotations.Nullable;

/**
 * The servlet mappings of a context, resolved as the Servlet specification maps a path
 * (exact, then the longest path prefix, then extension, then the context root and the
 * default servlet): which servlet a normalized path would reach, with the servlet path
 * and path info it would get. The container mapped the request on its own reading of the
 * path; when the normalized path would reach another servlet, the request cannot be
 * served on the path decided. Immutable.
 */
final class ServletRoutes {

	private final Map<String, String> exact;

	/** Path prefixes without {@code /*}, longest first. */
	private final List<Prefix> prefixes;

	private final Map<String, String> extensions;

	private final @Nullable String contextRoot;

	private final @Nullable String defaultServlet;

	private ServletRoutes(Map<String, String> exact, List<Prefix> prefixes, Map<String, String> extensions,
			@Nullable String contextRoot, @Nullable String defaultServlet) {
		this.exact = exact;
		this.prefixes = prefixes;
		this.extensions = extensions;
		this.contextRoot = contextRoot;
		this.defaultServlet = defaultServlet;
	}

	static ServletRoutes of(ServletContext context) {
		Map<String, Collection<String>> mappings = new LinkedHashMap<>();
		for (ServletRegistration registration : context.getServletRegistrations().values()) {
			mappings.put(registration.getName(), registration.getMappings());
		}
		return of(mappings);
	}

	/**
	 * Reads the mappings of servlets.
	 * @param mappings the URL patterns of each servlet, by servlet name
	 * @return the routes
	 */
	static ServletRoutes of(Map<String, ? extends Collection<String>> mappings) {
		Map<String, String> exact = new HashMap<>();
		List<Prefix> prefixes = new ArrayList<>();
		Map<String, String> extensions = new HashMap<>();
		String contextRoot = null;
		String defaultServlet = null;
		for (Map.Entry<String, ? extends Collection<String>> servlet : mappings.entrySet()) {
			for (String pattern : servlet.getValue()) {
				String name = servlet.getKey();
				if (pattern.isEmpty()) {
					contextRoot = name;
				}
				else if (pattern.equals("/")) {
					defaultServlet = name;
				}
				else if (pattern.endsWith("/*")) {
					prefixes.add(new Prefix(pattern.substring(0, pattern.length() - 2), pattern, name));
				}
				else if (pattern.startsWith("*.")) {
					extensions.put(pattern.substring(1), name);
				}
				else {
					exact.put(pattern, name);
				}
			}
		}
		prefixes.sort(Comparator.comparingInt((Prefix prefix) -> prefix.path().length()).reversed());
		return new ServletRoutes(Map.copyOf(exact), List.copyOf(prefixes), Map.copyOf(extensions), contextRoot,
				defaultServlet);
	}

	/**
	 * Maps a decoded path within the context.
	 * @param path the path, starting with {@code /}
	 * @return the route, or {@code null} when no servlet is mapped to it
	 */
	@Nullable Route resolve(String path) {
		String exactServlet = this.exact.get(path);
		if (exactServlet != null) {
			return new Route(exactServlet, MappingMatch.EXACT, path, path, null, path.substring(1));
		}
		for (Prefix prefix : this.prefixes) {
			String base = prefix.path();
			if (path.equals(base) || (path.startsWith(base) && path.charAt(base.length()) == '/')) {
				String pathInfo = (path.length() > base.length()) ? path.substring(base.length()) : null;
				return new Route(prefix.servlet(), MappingMatch.PATH, prefix.pattern(), base, pathInfo,
						(pathInfo != null) ? pathInfo.substring(1) : "");
			}
		}
		int lastSlash = path.lastIndexOf('/');
		int dot = path.lastIndexOf('.');
		if (dot > lastSlash) {
			String extensionServlet = this.extensions.get(path.substring(dot));
			if (extensionServlet != null) {
				return new Route(extensionServlet, MappingMatch.EXTENSION, "*" + path.substring(dot), path, null,
						path.substring(1, dot));
			}
		}
		if (this.contextRoot != null && path.equals("/")) {
			return new Route(this.contextRoot, MappingMatch.CONTEXT_ROOT, "", "", "/", "");
		}
		if (this.defaultServlet != null) {
			return new Route(this.defaultServlet, MappingMatch.DEFAULT, "/", path, null, "");
		}
		return null;
	}

	private record Prefix(String path, String pattern, String servlet) {
	}

	/**
	 * Where a path is mapped, in the terms of {@code HttpServletRequest}.
	 *
	 * @param servletName the servlet's name
	 * @param match the kind of mapping
	 * @param pattern the mapping's pattern
	 * @param servletPath the servlet path
	 * @param pathInfo the path info, or {@code null}
	 * @param matchValue the part of the path that matched, as {@code HttpServletMapping}
	 * gives it
	 */
	record Route(String servletName, MappingMatch match, String pattern, String servletPath, @Nullable String pathInfo,
			String matchValue) {
	}

}
