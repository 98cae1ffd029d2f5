package io.github.istiosecurity.internal.web.servlet;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.SequenceInputStream;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.jspecify.annotations.Nullable;

/**
 * The request after the first bytes of its body were read for a CUSTOM check
 * ({@code includeRequestBodyInCheck}, §3.18): the application reads the whole body, those
 * bytes first, then the rest of the stream. The container can no longer parse a form body
 * into parameters, so a form POST's parameters are read here from the replayed body
 * (after those of the query string), as the container would.
 */
final class BodyReplayingRequest extends HttpServletRequestWrapper {

	private final InputStream body;

	private final ServletInputStream stream;

	private @Nullable Map<String, String[]> parameters;

	BodyReplayingRequest(HttpServletRequest request, byte[] read) throws IOException {
		super(request);
		this.body = new SequenceInputStream(new ByteArrayInputStream(read), request.getInputStream());
		this.stream = new ServletInputStream() {

			private boolean finished;

			@Override
			public int read() throws IOException {
				int b = BodyReplayingRequest.this.body.read();
				this.finished = b < 0;
				return b;
			}

			@Override
			public int read(byte[] buffer, int offset, int length) throws IOException {
				int n = BodyReplayingRequest.this.body.read(buffer, offset, length);
				this.finished = n < 0;
				return n;
			}

			@Override
			public boolean isFinished() {
				return this.finished;
			}

			@Override
			public boolean isReady() {
				return true;
			}

			@Override
			public void setReadListener(ReadListener listener) {
				throw new UnsupportedOperationException("a body read for a CUSTOM check is read blocking");
			}

		};
	}

	@Override
	public ServletInputStream getInputStream() {
		return this.stream;
	}

	@Override
	public @Nullable String getParameter(String name) {
		String[] values = getParameterMap().get(name);
		return (values != null && values.length > 0) ? values[0] : null;
	}

	@Override
	public Map<String, String[]> getParameterMap() {
		if (this.parameters == null) {
			this.parameters = parameters();
		}
		return this.parameters;
	}

	@Override
	public Enumeration<String> getParameterNames() {
		return Collections.enumeration(getParameterMap().keySet());
	}

	@Override
	public String @Nullable [] getParameterValues(String name) {
		return getParameterMap().get(name);
	}

	/**
	 * The query string's parameters (from the container), then a form POST's from the
	 * body.
	 */
	private Map<String, String[]> parameters() {
		Map<String, List<String>> all = new LinkedHashMap<>();
		super.getParameterMap().forEach(
				(name, values) -> all.computeIfAbsent(name, (n) -> new ArrayList<>()).addAll(Arrays.asList(values)));
		String type = getContentType();
		if ("POST".equals(getMethod()) && type != null
				&& type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
			String encoding = getCharacterEncoding();
			Charset charset = (encoding != null) ? Charset.forName(encoding) : StandardCharsets.ISO_8859_1;
			try {
				String form = new String(this.stream.readAllBytes(), charset);
				for (String pair : form.split("&")) {
					if (pair.isEmpty()) {
						continue;
					}
					int equals = pair.indexOf('=');
					String name = URLDecoder.decode((equals >= 0) ? pair.substring(0, equals) : pair, charset);
					String value = (equals >= 0) ? URLDecoder.decode(pair.substring(equals + 1), charset) : "";
					all.computeIfAbsent(name, (n) -> new ArrayList<>()).add(value);
				}
			}
			catch (IOException | IllegalArgumentException ex) {
				// as a container does with a body it cannot read or decode: no parameters
				// from it
			}
		}
		Map<String, String[]> parameters = new LinkedHashMap<>();
		all.forEach((name, values) -> parameters.put(name, values.toArray(String[]::new)));
		return Collections.unmodifiableMap(parameters);
	}

	@Override
	public BufferedReader getReader() {
		String encoding = getCharacterEncoding();
		Charset charset = (encoding != null) ? Charset.forName(encoding) : StandardCharsets.ISO_8859_1;
		return new BufferedReader(new InputStreamReader(this.stream, charset));
	}

}
